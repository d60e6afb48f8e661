import Testing
import Torch

/// The README's tour, line by line, with what the README says each line prints.
@Suite(.serialized) struct ReadmeTourTests {
    @Test func tour() {
        let t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        #expect(t.description == "tensor([[1., 2., 3.],\n        [4., 5., 6.]])")
        #expect(t.size().description == "torch.Size([2, 3])")
        #expect(t.dtype.description == "torch.float32")

        let i = Tensor([1, 2, 3])
        let d = Tensor([1.5, 2.0], dtype: .float64)
        #expect(i.dtype == .int64)
        #expect(d.description == "tensor([1.5000, 2.0000], dtype=torch.float64)")

        _ = Tensor.zeros(5, 1); _ = Tensor.ones([5]); _ = Tensor.empty(3, 2, 3)
        _ = Tensor.empty(64, 32, 3, 3).fill_(32)
        _ = Tensor.full([2, 3], 3.141592); _ = Tensor.eye(3)
        _ = Tensor.arange(1, 4); _ = Tensor.arange(0, 1, step: 0.25); _ = Tensor.linspace(0, 1, steps: 5)

        let c = d.long()
        #expect(c.toArray(Int.self) == [1, 2])
        #expect(resultType(i, 2.5) == .float32)

        let a = Tensor.ones(4), b = Tensor.ones(4, 1)
        #expect((a + b).shape == [4, 4])
        #expect((5.0 * t).toArray(Float.self) == [5, 10, 15, 20, 25, 30])
        #expect((t .> 3.0).description == "tensor([[False, False, False],\n        [ True,  True,  True]])")

        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 5)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1)
        let shared = Tensor(sharing: buffer, shape: [5])
        buffer[0] = 7
        #expect(shared.description == "tensor([7., 1., 1., 1., 1.], dtype=torch.float64)")

        let A = Tensor.ones(10, 5, 3, 2, 4)
        let B = Tensor.ones(4, 10)
        #expect(matmul(A, B).shape == [10, 5, 3, 2, 10])
        #expect(linalg.inv(Tensor([[4.0, 7.0], [2.0, 6.0]])).description == "tensor([[ 0.6000, -0.7000],\n        [-0.2000,  0.4000]])")

        let x = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
        let z = dot(x, x)
        z.backward()
        #expect(x.grad?.description == "tensor([2., 4., 6.])")
        #expect(z.description == "tensor(14., grad_fn=<DotBackward0>)")
        let w = Tensor([1.0, 2.0], requiresGrad: true)
        let loss = (w * w).sum()
        loss.backward()
        noGrad { w -= 0.1 * w.grad! }
        #expect(w.toArray(Float.self) == [0.8, 1.6])
    }

    /// The README's training block: names, one DataLoader pass per epoch, Adam with StepLR,
    /// and the saved state dict reloads into a fresh model with the same outputs.
    @Test func trainingTour() throws {
        final class Net: Module {
            let fc1 = Linear(4, 8)
            let fc2 = Linear(8, 3)
            override func forward(_ x: Tensor) -> Tensor { fc2(relu(fc1(x))) }
        }
        try withDefaultGenerator(Generator()) {
            manualSeed(0)
            let net = Net()
            #expect(net.namedParameters().map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
            let inputs = Tensor.randn(60, 4), labels = inputs.argmax(dim: 1) % Tensor(3)
            let loader = DataLoader(TensorDataset(inputs, labels), batchSize: 20, shuffle: true)
            let opt = Adam(net.parameters(), lr: 0.05)
            let scheduler = StepLR(opt, stepSize: 10, gamma: 0.5)
            let before = crossEntropy(net(inputs), labels).item()
            for _ in 0..<30 {
                for (xb, yb) in loader {
                    opt.zeroGrad()
                    let loss = crossEntropy(net(xb), yb)
                    loss.backward()
                    opt.step()
                }
                scheduler.step()
            }
            #expect(crossEntropy(net(inputs), labels).item() < before / 3)
            #expect(scheduler.getLastLR() == [0.05 * 0.125])
            let url = IOTests.temporaryDirectory().appendingPathComponent("net.safetensors")
            try save(net.stateDict(), to: url)
            let copy = Net()
            try copy.loadStateDict(try load(from: url))
            #expect(equal(copy(inputs), net(inputs)))
        }
    }
}
