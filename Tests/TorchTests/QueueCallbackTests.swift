import Testing
import Torch

/// `autograd.queueCallback`: PyTorch's `Variable._execution_engine.queue_callback`.
struct QueueCallbackTests {
    @Test func runsOnceAfterTheWholePass() {
        let w = Tensor([1.0, 2.0], requiresGrad: true)
        let v = Tensor([3.0], requiresGrad: true)
        var events: [String] = []
        // The hook reads w and v weakly: a hook that holds its own tensor is a reference
        // cycle, which Swift's reference counting (unlike Python's collector) never frees.
        w.registerPostAccumulateGradHook { [weak w, weak v] _ in
            events.append("w")
            autograd.queueCallback { events.append("end: w.grad \(w!.grad!.toArray(Float.self)), v.grad \(v!.grad!.toArray(Float.self))") }
        }
        v.registerPostAccumulateGradHook { _ in events.append("v") }
        ((w * w).sum() * v).sum().backward()
        #expect(events.count == 3)
        #expect(events.last == "end: w.grad [6.0, 12.0], v.grad [5.0]")
        // The list is per pass: a second backward starts empty.
        events.removeAll()
        (v * 2).sum().backward()
        #expect(events == ["v"])
    }

    @Test func callbacksQueuedByCallbacksRunInTheSameRound() {
        let x = Tensor([1.0], requiresGrad: true)
        var order: [Int] = []
        x.registerPostAccumulateGradHook { _ in
            autograd.queueCallback {
                order.append(1)
                autograd.queueCallback { order.append(3) }
            }
            autograd.queueCallback { order.append(2) }
        }
        (x * 3).sum().backward()
        #expect(order == [1, 2, 3])
    }

    @Test func outsideBackwardStops() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            autograd.queueCallback {}
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("Final callbacks can only be installed during backward pass"))
    }
}
