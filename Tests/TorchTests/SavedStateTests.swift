import Foundation
import Testing
@testable import Torch

/// Issue 13, point 3: what a derivative saves is checked by version, for the outputs that
/// in-place ops save as well as for inputs, with PyTorch's message; and an in-place op's
/// node points straight at its target's history. Values and messages recorded from PyTorch
/// 2.15 (the snippets are in the comments).
@Suite struct SavedStateTests {
    /// `y = (x * 1).OP_(); y.mul_(2); y.sum().backward()` fails in PyTorch naming the node
    /// without "Backward": "which is output 0 of Relu, is at version 2; expected version 1".
    @Test(arguments: [("relu_", "Relu"), ("exp_", "Exp"), ("sigmoid_", "Sigmoid"), ("tanh_", "Tanh"),
                      ("reciprocal_", "Reciprocal"), ("sqrt_", "Sqrt"), ("rsqrt_", "Rsqrt")])
    func inPlaceOutputModifiedLaterFails(op: String, label: String) async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) { [op] in
            let x = Tensor([1.0, 2.0, 3.0]).requiresGrad_()
            let y = x * 1
            switch op {
            case "relu_": y.relu_()
            case "exp_": y.exp_()
            case "sigmoid_": y.sigmoid_()
            case "tanh_": y.tanh_()
            case "reciprocal_": y.reciprocal_()
            case "sqrt_": y.sqrt_()
            default: y.rsqrt_()
            }
            y.mul_(2)
            y.sum().backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of \(label), is at version 2; expected version 1 instead"))
    }

    /// `y = x.exp(); y.mul_(2); y.sum().backward()`: the saved output names its node "Exp".
    @Test func savedOutputModifiedFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1.0, -2.0, 3.0]).requiresGrad_()
            let y = x.exp()
            y.mul_(2)
            y.sum().backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("[torch.FloatTensor [3]], which is output 0 of Exp, is at version 1; expected version 0 instead"))
    }

    /// A saved leaf changed under `noGrad` has no node to name: "[torch.FloatTensor [1]] is
    /// at version 1; expected version 0 instead".
    @Test func savedLeafModifiedFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1.0]).requiresGrad_()
            let y = x * x
            noGrad { x.add_(3) }
            y.backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("[torch.FloatTensor [1]] is at version 1; expected version 0 instead"))
    }

    /// Unmodified, the in-place ops' gradients of `(y * y).sum()` are PyTorch's:
    /// `x = [0.5, 2, 3]` (`[0.5, -2, 3]` for sigmoid_, tanh_, reciprocal_).
    @Test func inPlaceGradientsMatchPyTorch() {
        func gradient(_ values: [Double], _ op: (Tensor) -> Void) -> [Float] {
            let x = Tensor(values).requiresGrad_()
            let y = x * 1
            op(y)
            (y * y).sum().backward()
            return x.grad!.toArray(Float.self)
        }
        func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * Swift.max(1, Swift.abs($1)) } }
        #expect(close(gradient([1, -2, 3]) { $0.exp_() }, [14.778112, 0.036631277, 806.8576]))
        #expect(gradient([1, -2, 3]) { $0.relu_() } == [2, 0, 6])
        #expect(close(gradient([0.5, -2, 3]) { $0.sigmoid_() }, [0.29256052, 0.025031082, 0.08606823]))
        #expect(close(gradient([0.5, -2, 3]) { $0.tanh_() }, [0.72686195, -0.13621867, 0.019634385]))
        #expect(close(gradient([0.5, -2, 3]) { $0.reciprocal_() }, [-16, 0.25, -0.07407408]))
        #expect(close(gradient([0.5, 2, 3]) { $0.sqrt_() }, [1, 1, 1]))
        #expect(close(gradient([0.5, 2, 3]) { $0.rsqrt_() }, [-3.9999995, -0.24999997, -0.1111111]))
    }

    /// `(x * 1).relu_().grad_fn.next_functions` is `[MulBackward0]`: no copy node between.
    @Test func inPlaceNodePointsAtTheTargetsHistory() {
        let x = Tensor([1.0, -2.0]).requiresGrad_()
        let y = (x * 1).relu_()
        #expect(y.gradFn?.name == "ReluBackward0")
        #expect(y.gradFn?.nextFunctions.map { $0.node?.name } == ["MulBackward0"])
    }

    /// A derivative that does not read the result lets it change: PyTorch's GeluBackward0
    /// saves only the input. `y = gelu(x); y.add_(1); y.sum().backward()` gives gelu'(x).
    @Test func activationResultMayChangeInPlace() {
        let x = Tensor([0.5, -1.0]).requiresGrad_()
        let y = gelu(x)
        y.add_(1)
        y.sum().backward()
        let g = x.grad!.toArray(Float.self)
        #expect(Swift.abs(g[0] - 0.867495060) < 1e-6 && Swift.abs(g[1] - -0.083315432) < 1e-6)
    }

    /// `mm` saves each operand only for the other's gradient: with only `b` wanting one,
    /// changing `b` after the product is no error (PyTorch: grad = aᵀ·1 = [[4, 4], [6, 6]]).
    @Test func productSavesOnlyWhatTheOtherGradientReads() {
        let a = Tensor([[1.0, 2.0], [3.0, 4.0]])
        let leaf = Tensor([[0.5, -1.0], [2.0, 0.25]]).requiresGrad_()
        let b = leaf * 1
        let y = matmul(a, b)
        b.add_(1)
        y.sum().backward()
        #expect(leaf.grad!.toArray(Float.self) == [4, 4, 6, 6])
    }

    /// An index tensor changed after `gather` fails as in PyTorch:
    /// "[torch.LongTensor [2]] is at version 1; expected version 0 instead".
    @Test func indexChangedAfterGatherFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1.0, 2.0, 3.0]).requiresGrad_()
            let i = Tensor([Int64(2), 0])
            let y = x.gather(0, i)
            i.add_(0)
            y.sum().backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("[torch.LongTensor [2]] is at version 1; expected version 0 instead"))
    }

    /// `cat` keeps sizes and dtypes, not its inputs: an intermediate is freed with its last
    /// reference although the graph that consumed it lives on.
    @Test func catDoesNotKeepItsInputsAlive() {
        let x = Tensor([1.0, 2.0]).requiresGrad_()
        weak var intermediate: Tensor?
        let y: Tensor = {
            let t = x * 2
            intermediate = t
            return cat([t, x])
        }()
        #expect(intermediate == nil)
        y.sum().backward()
        #expect(x.grad!.toArray(Float.self) == [3, 3])
    }
}
