/// `unbind`: a tensor split into its slices along one dim (what iterating a tensor yields).

/// The slices of `x` along `dim`, each a view without that dim (`torch.unbind(x, dim)`).
///
/// Recorded as one `UnbindBackward0` node with an output per slice, as in PyTorch; its
/// backward stacks the slices' gradients, zeros for those that got none.
public func unbind(_ x: Tensor, dim: Int = 0) -> [Tensor] {
    guard x.dim > 0 else { torchFatal("IndexError: Dimension specified as \(dim) but tensor has no dimensions") }
    let d = normalizeDim(dim, rank: x.dim)
    let slices = noGrad { (0..<x.shape[d]).map { x.select(d, $0) } }
    if needsGrad(x) {
        let sliceShape = slices.first?.shape ?? {
            var s = x.shape
            s.remove(at: d)
            return s
        }()
        let dtype = x.dtype, shape = x.shape
        record("UnbindBackward0", input: x, outputs: slices) { grads in
            guard !grads.isEmpty else { return [Tensor.zeros(shape, dtype: dtype)] }
            let parts = grads.map { $0 ?? Tensor.zeros(sliceShape, dtype: dtype) }
            return [stack(parts, dim: d)]
        }
    }
    return slices
}

extension Tensor {
    /// The slices along `dim` (`x.unbind(0)`, `torch.Tensor.unbind`).
    public func unbind(_ dim: Int = 0) -> [Tensor] { Torch.unbind(self, dim: dim) }
    /// The slices along `dim` (`x.unbind(dim=1)`, `torch.Tensor.unbind`).
    public func unbind(dim: Int) -> [Tensor] { Torch.unbind(self, dim: dim) }
}
