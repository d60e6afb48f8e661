/// Python's tensor attributes under their PyTorch names: `x.T`, `x.mT`, `x.ndim`,
/// `x.is_cuda`, `x.is_floating_point()`, `x.element_size()`, `x.nelement()`.

extension Tensor {
    /// The dims in reverse order, as a view (`x.T`): the transpose of a matrix, the tensor
    /// itself for a vector or a scalar (`torch.Tensor.T`).
    public var T: Tensor { dim < 2 ? self : permute(Array((0..<dim).reversed())) }

    /// The last two dims swapped, as a view (`x.mT`, a batch of transposed matrices)
    /// (`torch.Tensor.mT`).
    public var mT: Tensor {
        guard dim >= 2 else {
            torchFatal("RuntimeError: tensor.mT is only supported on matrices or batches of matrices. Got \(dim)-D tensor.")
        }
        return transpose(-2, -1)
    }

    /// The number of dims (`x.ndim`), the same as ``dim`` (`torch.Tensor.ndim`).
    public var ndim: Int { dim }

    /// Whether the tensor is on a CUDA device (`x.is_cuda`): never in this build
    /// (`torch.Tensor.is_cuda`).
    public var isCuda: Bool { false }

    /// Whether the dtype is `float32` or `float64` (`x.is_floating_point()`,
    /// `torch.Tensor.is_floating_point`).
    public func isFloatingPoint() -> Bool { dtype.isFloatingPoint }

    /// Bytes per element (`x.element_size()`, `torch.Tensor.element_size`).
    public func elementSize() -> Int { dtype.itemSize }

    /// The number of elements (`x.nelement()`), the same as ``numel`` (`torch.Tensor.nelement`).
    public func nelement() -> Int { numel }
}
