/// The device and layout spellings PyTorch programs use: `x.cpu()`, `x.to(device, dtype)`,
/// `x.viewAs(y)`, `x.reshapeAs(y)`, `x.typeAs(y)`.

extension Tensor {
    /// This tensor in host memory (`x.cpu()`): itself, as every tensor here is on the CPU
    /// (`torch.Tensor.cpu`).
    public func cpu() -> Tensor { to(Device.cpu) }

    /// This tensor on `device` and converted to `dtype` (`x.to(device, dtype)`, `torch.Tensor.to`).
    public func to(_ device: Device, _ dtype: DType, copy: Bool = false) -> Tensor {
        to(device).to(dtype, copy: copy)
    }

    /// A view with `other`'s shape (`x.view_as(other)`, `torch.Tensor.view_as`).
    public func viewAs(_ other: Tensor) -> Tensor { view(other.shape) }

    /// This tensor reshaped to `other`'s shape (`x.reshape_as(other)`, `torch.Tensor.reshape_as`).
    public func reshapeAs(_ other: Tensor) -> Tensor { reshape(other.shape) }

    /// This tensor converted to `other`'s dtype (`x.type_as(other)`, `torch.Tensor.type_as`).
    public func typeAs(_ other: Tensor) -> Tensor { to(other.dtype) }
}
