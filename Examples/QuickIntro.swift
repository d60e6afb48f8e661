import Torch

/// `01-quick-intro-uio.md`: creating tensors, size, dtype, device, views.
@Sendable func quickIntro() -> String {
    let out = Transcript()
    let x = Tensor.empty([2, 3])              // empty tensor
    let xsize = x.size()
    out.print(xsize)                          // torch.Size([2, 3])
    out.print(x.dtype)                        // torch.float32
    out.print(x.device)                       // cpu
    out.print(x.device == Device.cpu)         // True in PyTorch's spelling: true
    out.print(x.dtype == .float32)
    out.print(x.dtype.description == "torch.float32")
    out.print(cuda.isAvailable() ? "cuda available" : "cuda not available")
    let ones = Tensor.ones([10])
    let y = ones.view([2, 5])
    let z = ones.view([-1, 5])                // -1 joker
    out.print(y.size(), z.size())
    y[0, 0] = Tensor(7.0)                     // a view shares its storage
    out.print(ones)
    return out.text
}
