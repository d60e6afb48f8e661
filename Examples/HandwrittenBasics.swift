import Torch

/// `03-handwritten-basics.md`: arithmetic, in-place ops, the NumPy bridge, autograd with
/// and without a scalar output, and the hand-written regression loop for y = 3x - 2.
@Sendable func handwrittenBasics() -> String {
    let out = Transcript()
    let x = Tensor.ones(3, 2)
    let y = Tensor.ones(3, 2)
    out.print(x + y)
    out.print(x - y)
    out.print(x * y)
    _ = y.add(x)
    let z = y.add_(x)                          // in place: y changes too
    out.print(z === y, y)

    // The bridge (torch.from_numpy / .numpy()): memory shared, no copy.
    let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 5)
    defer { buffer.deallocate() }
    buffer.initialize(repeating: 0.5)
    let shared = Tensor(sharing: buffer, shape: [5])
    buffer[1] = 2
    out.print(shared)
    out.print(cuda.isAvailable() ? "cuda available" : "cuda not available")

    // y = x + 5, z = y² + 1, t = Σ z: dt/dx = 2y = 12.
    let xg = Tensor.ones([3, 2], requiresGrad: true)
    let yg = xg + 5
    out.print(yg)
    let t = sum(yg * yg + 1)
    t.backward()
    out.print(xg.grad!)

    // A non-scalar output needs the gradient of the final scalar with respect to it.
    let xs = Tensor.ones([3, 2], requiresGrad: true)
    let r = 1 / (1 + exp(-(xs + 5)))
    r.backward(gradient: Tensor.ones([3, 2]))
    out.print(xs.grad!)

    // The regression loop, with a fixed seed so it prints the same numbers every run.
    withDefaultGenerator(Generator().manualSeed(0)) {
        let learningRate = 0.01
        let w = Tensor([1.0], requiresGrad: true)
        let b = Tensor([1.0], requiresGrad: true)
        for _ in 0..<500 {
            let x = Tensor.randn([20, 1])
            let y = 3 * x - 2
            let yHat = w * x + b
            let loss = sum(pow(yHat - y, 2))
            loss.backward()
            noGrad {
                w -= learningRate * w.grad!
                b -= learningRate * b.grad!
            }
            w.grad!.zero_()
            b.grad!.zero_()
        }
        out.print(String(format: "%.4f %.4f", w.item(), b.item()))
    }
    return out.text
}
