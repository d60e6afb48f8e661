import Torch

/// `04-module2-tensors-autodiff.md`: dtypes and casts, type care, broadcasting, in-place
/// ops, shared memory, devices, image batches with `permute` and `narrow`, and autograd.
@Sendable func module2() -> String {
    let out = Transcript()
    let x = Tensor([[-0.0515, 0.6647, 0.5428, 2.5307, 0.9185],
                    [-0.2556, 0.5543, 1.6044, 0.8425, -1.0667],
                    [-0.5247, 0.2197, 0.8738, 0.8047, 0.7197]])
    out.print(x.size())
    out.print(x.size()[1])
    out.print(x.size() == [3, 5])
    let b = Tensor.ones([5], dtype: .float64)
    out.print(b)
    let c = b.long()
    out.print(c.dtype, c)

    // Broadcasting
    let A = Tensor([[1.0], [2.0], [3.0], [4.0]])
    out.print(A.size())
    let B = Tensor([[5.0, -5.0, 5.0, -5.0, 5.0]])
    out.print(B.size())
    out.print(A + B)

    // In-place modification
    let xr = Tensor([[0.4959, -0.8126, -0.7801, 0.9866, 0.5365],
                     [-0.9082, 0.1658, -1.2888, -2.4009, 0.5765],
                     [-0.4390, -0.6147, -1.3412, -0.0609, -1.0023]])
    x.add_(xr)
    out.print(x)
    x.t_()
    out.print(x)

    // Shared memory with a Swift buffer (torch.from_numpy)
    let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 5)
    defer { buffer.deallocate() }
    buffer.initialize(repeating: 1)
    let shared = Tensor(sharing: buffer, shape: [5])
    out.print(shared)
    buffer[2] = 0
    out.print(shared)
    shared[3] = Tensor(5.0, dtype: .float64)
    out.print(Array(buffer))

    out.print(cuda.isAvailable() ? "cuda available" : "cuda not available")
    out.print(x.device)

    // Image batches: NHWC bytes to NCHW floats, then narrow(...).fill_(0) on a view.
    let images = Tensor.randint(0, 256, [4, 32, 32, 3], dtype: .uint8, generator: Generator().manualSeed(0))
    let batch = images.permute(0, 3, 1, 2).float() / 255
    out.print(batch.type(), batch.size(), batch.min().item() >= 0, batch.max().item() <= 1)
    batch.narrow(1, 1, 2).fill_(0)             // zero the green and blue channels, in place
    out.print(batch.narrow(1, 1, 2).sum().item())

    // Autograd
    let t = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
    let l = (t * t).sum()
    out.print(l)
    l.backward()
    out.print(t.grad!)
    return out.text
}
