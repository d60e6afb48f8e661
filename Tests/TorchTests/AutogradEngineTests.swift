import Foundation
import Testing
@testable import Torch

/// `x * k` with a derivative, written against the recording API the way ops are.
private func scaled(_ x: Tensor, _ k: Double) -> Tensor {
    let values = x.toArray(Double.self).map { $0 * k }
    let out = Tensor(shape: x.shape, scalars: values).to(x.dtype)
    if needsGrad(x) {
        record("MulBackward0", inputs: [x], outputs: [out]) { grads in [scaled(grads[0]!, k)] }
    }
    return out
}

/// `x * y` elementwise (same shapes), saving both inputs.
private func product(_ x: Tensor, _ y: Tensor) -> Tensor {
    let values = zip(x.toArray(Double.self), y.toArray(Double.self)).map { $0 * $1 }
    let out = Tensor(shape: x.shape, scalars: values).to(x.dtype)
    if needsGrad(x, y) {
        let sx = SavedTensor(x), sy = SavedTensor(y)
        record("MulBackward0", inputs: [x, y], outputs: [out]) { grads in
            [product(grads[0]!, sy.unpack()), product(grads[0]!, sx.unpack())]
        }
    }
    return out
}

@Suite struct AutogradEngineTests {
    @Test func chainRuleAndAccumulation() {
        let x = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
        #expect(x.isLeaf && x.requiresGrad && x.gradFn == nil)
        let z = scaled(scaled(x, 3), 2)
        #expect(!z.isLeaf)
        #expect(z.gradFn?.name == "MulBackward0")
        z.backward(gradient: Tensor([1.0, 1.0, 1.0]), retainGraph: true)
        #expect(x.grad?.toArray(Float.self) == [6, 6, 6])
        z.backward(gradient: Tensor([1.0, 0.0, -1.0]))
        #expect(x.grad?.toArray(Float.self) == [12, 6, 0])
    }

    @Test func productRuleAndReuse() {
        let x = Tensor([1.0, 2.0], dtype: .float64, requiresGrad: true)
        let y = product(product(x, x), x)  // x³
        y.backward(gradient: Tensor([1.0, 1.0], dtype: .float64))
        #expect(x.grad?.toArray(Double.self) == [3, 12])
    }

    @Test func gradientsDoNotTouchGrad() {
        let x = Tensor([2.0], requiresGrad: true)
        let y = product(x, x)
        let g = gradients(of: [y], wrt: [x])
        #expect(g[0]?.toArray(Float.self) == [4])
        #expect(x.grad == nil)
    }

    @Test func secondOrderThroughCreateGraph() {
        let x = Tensor([3.0], dtype: .float64, requiresGrad: true)
        let y = product(product(x, x), x)
        let dy = gradients(of: [y], wrt: [x], createGraph: true)[0]!
        #expect(dy.toArray(Double.self) == [27])
        #expect(dy.requiresGrad)
        let d2 = gradients(of: [dy], wrt: [x])[0]!
        #expect(d2.toArray(Double.self) == [18])
    }

    @Test func noGradRecordsNothing() {
        let x = Tensor([1.0], requiresGrad: true)
        let y = noGrad { scaled(x, 2) }
        #expect(y.gradFn == nil && !y.requiresGrad)
        #expect(isGradEnabled())
        setGradEnabled(false)
        #expect(scaled(x, 2).gradFn == nil)
        setGradEnabled(true)
        #expect(enableGrad { scaled(x, 2) }.gradFn != nil)
    }

    @Test func retainGradAndHooks() {
        let x = Tensor([1.0, 2.0], requiresGrad: true)
        let y = scaled(x, 3)
        y.retainGrad()
        var seen: [Float] = []
        x.registerHook { g in seen = g.toArray(Float.self); return nil }
        scaled(y, 2).backward(gradient: Tensor([1.0, 1.0]))
        #expect(y.grad?.toArray(Float.self) == [2, 2])
        #expect(seen == [6, 6])
        #expect(x.grad?.toArray(Float.self) == [6, 6])
    }

    @Test func detachAndData() {
        let x = Tensor([1.0], requiresGrad: true)
        let y = scaled(x, 2)
        let d = y.detach()
        #expect(d.gradFn == nil && !d.requiresGrad && d.storage === y.storage)
        #expect(x.data.storage === x.storage && !x.data.requiresGrad)
        y.detach_()
        #expect(y.isLeaf)
    }

    @Test func graphIsFreedWithItsLastTensor() {
        weak var node: Node?
        weak var savedInput: Tensor?
        let x = Tensor([1.0, 2.0], requiresGrad: true)
        for _ in 0..<1000 {
            let h = scaled(x, 2)
            let y = product(h, h)
            node = y.gradFn
            savedInput = h
            y.backward(gradient: Tensor([1.0, 1.0]))
        }
        #expect(node == nil)
        #expect(savedInput == nil)
        // Without backward, dropping the result frees the whole graph too.
        do {
            let y = product(scaled(x, 2), x)
            node = y.gradFn
        }
        #expect(node == nil)
    }

    @Test func secondBackwardFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1.0], requiresGrad: true)
            let y = product(x, x)
            y.backward()
            y.backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("Trying to backward through the graph a second time"))
    }

    @Test func nonScalarNeedsGradient() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            scaled(Tensor([1.0, 2.0], requiresGrad: true), 2).backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("grad can be implicitly created only for scalar outputs"))
    }

    @Test func modifiedSavedTensorFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1.0], requiresGrad: true)
            let h = scaled(x, 2)
            let y = product(h, h)
            h.fill_(3)
            y.backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("modified by an inplace operation: [torch.FloatTensor [1]], which is output 0 of Fill2, is at version 1; expected version 0 instead"))
    }

    @Test func gradModeIsThreadLocal() {
        // A thread of its own: a test task must not leave grad mode off on a shared thread.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var insideAfterDisable = true
        let thread = Thread {
            setGradEnabled(false)
            insideAfterDisable = isGradEnabled()
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(insideAfterDisable == false)
        #expect(isGradEnabled() == true)
    }

    @Test func gradcheckAcceptsRightAndRejectsWrongDerivatives() {
        let x = Tensor([0.5, -1.5, 2.0], dtype: .float64, requiresGrad: true)
        let y = Tensor([1.0, 2.0, 3.0], dtype: .float64, requiresGrad: true)
        #expect(gradcheck({ product($0[0], $0[1]) }, inputs: [x, y]).passed)
        #expect(gradcheck({ scaled(product($0[0], $0[0]), 3) }, inputs: [x]).passed)
        // A wrong derivative (claims d(k·x)/dx = 2k) is caught.
        func wrong(_ t: Tensor) -> Tensor {
            let out = scaled(noGrad { t }, 3)
            if needsGrad(t) {
                record("WrongBackward", inputs: [t], outputs: [out]) { g in [scaled(g[0]!, 6)] }
            }
            return out
        }
        let result = gradcheck({ wrong($0[0]) }, inputs: [x])
        #expect(!result.passed)
        #expect(result.worst.contains("analytical 6.0"))
    }

    @Test func graphvizNamesNodesShapesAndLeaves() {
        let x = Tensor([1.0, 2.0], requiresGrad: true)
        x.name = "x"
        let w = Tensor([3.0, 4.0], requiresGrad: true)
        let y = product(scaled(x, 2), w)
        let dot = graphviz(of: y)
        #expect(dot.hasPrefix("digraph {"))
        #expect(dot.contains("[label=\"MulBackward0\" fillcolor=lightgrey]"))
        #expect(dot.contains("[label=\"x\\n(2)\" fillcolor=lightblue]"))
        #expect(dot.contains("[label=\"(2)\" fillcolor=lightblue]"))
        #expect(dot.components(separatedBy: "->").count - 1 == 4)
    }
}

/// The graph must not keep itself alive: after 10,000 build-and-backward rounds the numbers
/// of live tensors and storages are back where they started. The check runs in a child
/// process (an exit test) so tests running in parallel cannot move the process-wide counts.
@Suite struct AutogradMemoryTests {
    @Test func tenThousandGraphsLeaveNothingBehind() async {
        await #expect(processExitsWith: .success) {
            let w = Tensor([0.5, -0.25, 1.0], requiresGrad: true)
            let x = Tensor([1.0, 2.0, 3.0])
            func round() {
                let h = tanh(w * x + 1.0)
                let loss = (h * h).sum() + exp(w).mean()
                loss.backward()
                w.grad = nil
            }
            round()
            let before = liveObjectCounts.current
            for _ in 0..<10_000 { round() }
            let after = liveObjectCounts.current
            if after.tensors != before.tensors || after.storages != before.storages || before.tensors == 0 {
                fatalError("leak: \(before) -> \(after)")
            }
        }
    }
}
