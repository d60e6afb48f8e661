import Foundation
import Testing
@testable import Torch

/// Custom Functions, hooks, `autograd.functional` and anomaly detection against values
/// recorded from PyTorch 2.15 by `scripts/record-autograd-extras.py`.
@Suite struct AutogradExtrasTests {
    let recorded: [String: [String: Any]]

    init() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/autograd_extras.json")
        let data = try Data(contentsOf: url)
        recorded = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    func values(_ group: String, _ key: String) -> [Double] {
        (recorded[group]![key] as! [NSNumber]).map(\.doubleValue)
    }

    func expectClose(_ got: Tensor?, _ want: [Double], _ what: String) {
        let g = got?.toArray(Double.self) ?? []
        #expect(g.count == want.count, "\(what): \(g) vs \(want)")
        for (a, b) in zip(g, want) { #expect(Swift.abs(a - b) <= 1e-9 + 1e-9 * Swift.abs(b), "\(what): \(g) vs \(want)") }
    }

    /// The README's example: a clamp whose gradient passes straight through.
    struct StraightThroughClamp: Function {
        func forward(_ ctx: FunctionContext, _ inputs: [Tensor]) -> [Tensor] {
            [clamp(inputs[0], min: -1.0, max: 1.0)]
        }
        func backward(_ ctx: FunctionContext, _ gradOutputs: [Tensor?]) -> [Tensor?] {
            [gradOutputs[0]]
        }
    }

    /// `exp` with its own derivative, saving its output.
    struct MyExp: Function {
        func forward(_ ctx: FunctionContext, _ inputs: [Tensor]) -> [Tensor] {
            let y = exp(inputs[0])
            ctx.saveForBackward(y)
            return [y]
        }
        func backward(_ ctx: FunctionContext, _ gradOutputs: [Tensor?]) -> [Tensor?] {
            [gradOutputs[0]! * ctx.savedTensors[0]]
        }
        var isDifferentiableTwice: Bool { true }
    }

    @Test func customFunctionsMatchPyTorch() {
        let x = Tensor(values("ste", "x"), dtype: .float64).requiresGrad_()
        let w = Tensor(values("ste", "w"), dtype: .float64)
        let y = StraightThroughClamp().apply(x)
        #expect(y.gradFn?.name == recorded["ste"]!["grad_fn"] as? String)
        expectClose(y, values("ste", "y"), "ste forward")
        (y * w).sum().backward()
        expectClose(x.grad, values("ste", "grad"), "ste grad")

        let z = Tensor(values("myexp", "x"), dtype: .float64).requiresGrad_()
        let e = MyExp().apply(z)
        expectClose(e, values("myexp", "y"), "myexp forward")
        (e * e).sum().backward()
        expectClose(z.grad, values("myexp", "grad"), "myexp grad")
    }

    @Test func customFunctionsGradcheck() {
        // Inside (-1, 1) the straight-through gradient is the true one.
        let x = Tensor([-0.8, -0.1, 0.3, 0.9], dtype: .float64).requiresGrad_()
        #expect(gradcheck({ StraightThroughClamp().apply($0[0]) }, inputs: [x]).passed)
        let z = Tensor([0.5, -1.0, 2.0], dtype: .float64).requiresGrad_()
        #expect(gradcheck({ MyExp().apply($0[0]) }, inputs: [z]).passed)
        #expect(gradgradcheck({ MyExp().apply($0[0]) }, inputs: [z]).passed)
    }

    /// A custom function's outputs, its node and its context are freed with the last
    /// reference (LeakSanitizer found the backward closure holding the outputs: a cycle).
    @Test func customFunctionGraphIsFreed() {
        struct Twice: Function {
            func forward(_ ctx: FunctionContext, _ inputs: [Tensor]) -> [Tensor] {
                ctx.markNonDifferentiable()
                return [inputs[0] * 2, inputs[0].argmax()]
            }
            func backward(_ ctx: FunctionContext, _ gradOutputs: [Tensor?]) -> [Tensor?] { [gradOutputs[0]! * 2] }
        }
        weak var output: Tensor?
        weak var indices: Tensor?
        do {
            let x = Tensor([1.0, 3.0]).requiresGrad_()
            let outs = Twice().applyAll([x])
            output = outs[0]
            indices = outs[1]
            #expect(output?.gradFn != nil)
        }
        #expect(output == nil && indices == nil)
    }

    @Test func contextReportsWhichInputsNeedGradients() {
        struct Probe: Function {
            final class Seen { var flags: [Bool] = [] }
            let seen = Seen()
            func forward(_ ctx: FunctionContext, _ inputs: [Tensor]) -> [Tensor] {
                seen.flags = ctx.needsInputGrad
                let indices = inputs[0].argmax(dim: 0)
                ctx.markNonDifferentiable(indices)
                return [inputs[0] * inputs[1], indices]
            }
            func backward(_ ctx: FunctionContext, _ gradOutputs: [Tensor?]) -> [Tensor?] { [gradOutputs[0], nil] }
        }
        let probe = Probe()
        let outs = probe.applyAll([Tensor([1.0, 3.0]).requiresGrad_(), Tensor([2.0, 2.0])])
        #expect(probe.seen.flags == [true, false])
        #expect(outs[0].requiresGrad)
        #expect(!outs[1].requiresGrad)
    }

    @Test func onceDifferentiableFunctionsRefuseASecondDerivative() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor([0.5, 0.2], dtype: .float64).requiresGrad_()
            // The gradient reaching the function depends on x, so its backward would be
            // differentiated: PyTorch's @once_differentiable error.
            let y = AutogradExtrasTests.StraightThroughClamp().apply(x)
            let g = gradients(of: [(y * y).sum()], wrt: [x], createGraph: true)[0]!
            g.sum().backward()
        }
    }

    @Test func moduleHooksMatchPyTorch() {
        let lin = Linear(3, 2).to(.float64)
        noGrad {
            lin.weight.copy_(Tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], dtype: .float64))
            lin.bias!.copy_(Tensor([0.05, -0.05], dtype: .float64))
        }
        final class Seen { var gradInput: Tensor?; var gradOutput: Tensor? }
        let seen = Seen()
        let h1 = lin.registerForwardPreHook { _, x in x * 2.0 }
        let h2 = lin.registerForwardHook { _, _, y in y + 1.0 }
        let h3 = lin.registerFullBackwardHook { _, gi, go in
            seen.gradInput = gi[0]
            seen.gradOutput = go[0]
            return [gi[0]! * 10.0]
        }
        let input = Tensor(shape: [2, 3], scalars: values("module_hooks", "input")).requiresGrad_()
        let out = lin(input)
        expectClose(out, values("module_hooks", "output"), "hooked output")
        (out * Tensor([[1.0, 2.0], [3.0, 4.0]], dtype: .float64)).sum().backward()
        expectClose(input.grad, values("module_hooks", "input_grad"), "input grad")
        expectClose(lin.weight.grad, values("module_hooks", "weight_grad"), "weight grad")
        expectClose(seen.gradInput, values("module_hooks", "grad_input"), "hook grad_input")
        expectClose(seen.gradOutput, values("module_hooks", "grad_output"), "hook grad_output")
        h1.remove(); h2.remove(); h3.remove()
        expectClose(lin(Tensor([[1.0, 2.0, 3.0]], dtype: .float64)), values("module_hooks", "after_remove"), "after remove")
    }

    @Test func postAccumulateGradHooksSeeTheAccumulatedGradient() {
        let p = Tensor([1.0, 2.0], dtype: .float64).requiresGrad_()
        final class Calls { var grads: [[Double]] = [] }
        let calls = Calls()
        p.registerPostAccumulateGradHook { q in calls.grads.append(q.grad!.toArray(Double.self)) }
        (p * p).sum().backward()
        (3.0 * p).sum().backward()
        let want = (recorded["post_accumulate"]!["calls"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
        #expect(calls.grads == want)
    }

    @Test func functionalMatchesPyTorch() {
        let z = Tensor(values("functional", "z"), dtype: .float64)
        let v = Tensor(values("functional", "v"), dtype: .float64)
        let f: (Tensor) -> Tensor = { z in
            stack([z[0] * z[1], sin(z[1]) + z[2].pow(2), exp(z[0] * z[2])])
        }
        let s: (Tensor) -> Tensor = { z in (z[0].pow(2) * z[1] + z[1] * exp(z[2])).sum() }
        expectClose(autograd.functional.jacobian(f, z), values("functional", "jacobian"), "jacobian")
        expectClose(autograd.functional.hessian(s, z), values("functional", "hessian"), "hessian")
        expectClose(autograd.functional.vjp(f, z, v: v).vjp, values("functional", "vjp"), "vjp")
        expectClose(autograd.functional.jvp(f, z, v: v).jvp, values("functional", "jvp"), "jvp")
        expectClose(autograd.functional.hvp(s, z, v: v).hvp, values("functional", "hvp"), "hvp")
        #expect(autograd.functional.jacobian(f, z).shape == [3, 3])
    }

    @Test func anomalyDetectionNamesTheForwardOp() async {
        await #expect(processExitsWith: .failure) {
            detectAnomaly {
                let x = Tensor([0.0, 1.0]).requiresGrad_()
                sqrt(x * 0.0).sum().backward()   // d sqrt at 0 · 0 = inf · 0 = NaN
            }
        }
        // Without NaN, the same code runs through.
        let x = Tensor([1.0, 4.0], dtype: .float64).requiresGrad_()
        detectAnomaly { sqrt(x).sum().backward() }
        #expect(x.grad?.toArray(Double.self) == [0.5, 0.25])
    }
}
