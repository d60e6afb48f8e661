import Testing
import Foundation
@testable import Torch

/// In-place ops on non-leaf tensors and views, as PyTorch: values derived by hand.
@Suite struct InPlaceAutogradTests {
    func leaf(_ values: [Double]) -> Tensor { Tensor(values, dtype: .float64).requiresGrad_() }

    @Test func fillOnANonLeafCutsItsHistory() {
        let x = leaf([1, 2, 3])
        let y = x * 2.0
        y.fill_(0)
        #expect(y.gradFn?.name == "FillBackward2")  // PyTorch's node for fill_.Scalar
        y.sum().backward()
        #expect(x.grad?.toArray(Double.self) == [0, 0, 0])
    }

    @Test func samplingInPlaceCutsTheHistory() {
        let x = leaf([1, 2, 3])
        let y = x * 2.0
        y.normal_(generator: Generator().manualSeed(0))
        #expect(y.gradFn?.name == "NormalBackward0")
        y.sum().backward()
        #expect(x.grad?.toArray(Double.self) == [0, 0, 0])
    }

    @Test func copyIntoAPlainTensorRecords() {
        let x = leaf([1, 2, 3])
        let z = Tensor.zeros([3], dtype: .float64)
        z.copy_(x)
        #expect(z.requiresGrad)
        #expect(z.gradFn?.name == "torch::autograd::CopyBackwards")
        (z * z).sum().backward()
        #expect(x.grad?.toArray(Double.self) == [2, 4, 6])
    }

    @Test func copyBroadcastsAndConverts() {
        let x = leaf([1, 2])
        let z = Tensor.zeros([3, 2])          // float32
        z.copy_(x)
        (z * 2.0).sum().backward()
        #expect(z.toArray(Float.self) == [1, 2, 1, 2, 1, 2])
        #expect(x.grad?.dtype == .float64)
        #expect(x.grad?.toArray(Double.self) == [6, 6])
    }

    @Test func inPlaceThroughAViewRewritesTheBase() {
        let x = leaf([1, 2, 3])
        let y = x * 1.0
        let v = y[0..<2]
        v.mul_(Tensor([10.0, 100.0], dtype: .float64))
        #expect(y.gradFn?.name == "torch::autograd::CopySlices")
        #expect(y.toArray(Double.self) == [10, 200, 3])
        y.sum().backward()
        #expect(x.grad?.toArray(Double.self) == [10, 100, 1])
    }

    @Test func aViewSeesItsBaseChangedInPlace() {
        let x = leaf([1, 2, 3])
        let y = x * 1.0
        let v = y[1...]
        y.mul_(2.0)
        (v * v).sum().backward()          // v = 2·x[1:], d/dx = 8·x[1:]
        #expect(x.grad?.toArray(Double.self) == [0, 16, 24])
    }

    @Test func itemAssignmentThroughAViewOfANonLeaf() {
        let x = leaf([1, 2, 3])
        let y = x * 1.0
        let v = y[0..<2]
        v[0] = Tensor(5.0, dtype: .float64)
        #expect(y.toArray(Double.self) == [5, 2, 3])
        (y * y).sum().backward()
        #expect(x.grad?.toArray(Double.self) == [0, 4, 6])
    }

    @Test func inPlaceViewOpsKeepTheHistory() {
        let x = leaf([1, 2, 3])
        let y = x * 1.0
        y.unsqueeze_(0)
        y.t_()
        #expect(y.shape == [3, 1])
        (y * Tensor([[1.0], [2.0], [3.0]], dtype: .float64)).sum().backward()
        #expect(x.grad?.toArray(Double.self) == [1, 2, 3])
    }

    @Test func detachSharesStorageAndVersion() {
        let x = leaf([1, 2])
        let y = x * 1.0
        let z = y.detach()
        z.mul_(3.0)
        #expect(y.toArray(Double.self) == [3, 6])
        (y * 2.0).sum().backward()
        #expect(x.grad?.toArray(Double.self) == [2, 2])
    }

    @Test func secondDerivativeThroughAConvolution() {
        let a = Tensor.randn([1, 1, 4, 4], dtype: .float64, generator: Generator().manualSeed(0)).requiresGrad_()
        let w = Tensor.randn([1, 1, 3, 3], dtype: .float64, generator: Generator().manualSeed(1)).requiresGrad_()
        let g = gradients(of: [conv2d(a, w).pow(2).sum()], wrt: [w], createGraph: true)[0]!
        #expect(g.requiresGrad)
        #expect(gradgradcheck({ conv2d($0[0], $0[1]).pow(2).sum() }, inputs: [a, w]).passed)
    }

    @Test func readmeSecondDerivativeSnippet() {
        let a = Tensor.randn([1, 1, 4, 4], generator: Generator().manualSeed(0))
        let w = Tensor.randn([1, 1, 3, 3], generator: Generator().manualSeed(1)).requiresGrad_()
        let g = gradients(of: [conv2d(a, w).pow(2).sum()], wrt: [w], createGraph: true)[0]!
        let penalty = (g.norm() - 1).pow(2)
        penalty.backward()
        #expect(w.grad != nil && w.grad!.shape == [1, 1, 3, 3])
        let x = Tensor([1.0, 2.0], dtype: .float64)
        let h = autograd.functional.hessian({ ($0 * $0 * $0).sum() }, x)
        #expect(h.toArray(Double.self) == [6, 0, 0, 12])
    }

    @Test func derivativesKeepOnlyWhatTheyRead() {
        // `add` and `where` need their operands' shapes, not the operands: once the
        // program drops an intermediate, the graph must not keep it alive.
        let x = leaf([1, 2, 3])
        weak var dropped: Tensor?
        let y: Tensor = {
            let a = x * 2.0
            dropped = a
            let sum = a + x
            return Torch.where(sum .> 3.0, sum, x)
        }()
        #expect(dropped == nil)
        y.sum().backward()
        #expect(x.grad?.toArray(Double.self) == [1, 3, 3])
    }

    @Test func inPlaceOnALeafFails() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor([1.0, 2.0]).requiresGrad_()
            x.mul_(2.0)
        }
        await #expect(processExitsWith: .failure) {
            let x = Tensor([1.0, 2.0]).requiresGrad_()
            x[0..<1].mul_(2.0)
        }
    }

    @Test func aSavedTensorModifiedInPlaceFailsAtBackward() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor([1.0, 2.0]).requiresGrad_()
            let y = sigmoid(x)
            y.mul_(2.0)
            y.sum().backward()
        }
        await #expect(processExitsWith: .failure) {
            let x = Tensor([1.0, 2.0]).requiresGrad_()
            let y = x * 1.0
            let z = y * y
            y.add_(1.0)
            z.sum().backward()
        }
    }

    @Test func aDerivativeThatDoesNotReadItsInputIgnoresInPlaceChanges() {
        // sin saves its input, not its output: changing the output in place is fine.
        let x = leaf([0, 1])
        let y = sin(x)
        y.add_(1.0)
        y.sum().backward()
        #expect(x.grad?.toArray(Double.self) == [1, Foundation.cos(1.0)])
    }
}
