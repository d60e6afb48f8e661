/// Assigning `x.requiresGrad` as Python assigns `x.requires_grad`.

extension Tensor {
    /// Sets whether autograd records operations on this tensor (`x.requires_grad_()`).
    /// Only floating-point tensors can require gradients (`torch.Tensor.requires_grad_`).
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) -> Tensor {
        if flag && !dtype.isFloatingPoint {
            torchFatal("RuntimeError: only Tensors of floating point dtype can require gradients")
        }
        setRequiresGrad(flag)
        return self
    }

    /// The setter behind ``requiresGrad``, with the checks of PyTorch's property setter,
    /// which are stricter than `requires_grad_()`'s: any change on a non-leaf fails (the
    /// method lets `True` through, since a non-leaf already requires grad), and only a
    /// floating-point tensor may be made to require gradients.
    func setRequiresGradProperty(_ flag: Bool) {
        if !isLeaf {
            let hint = flag ? "" : " If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            torchFatal("RuntimeError: you can only change requires_grad flags of leaf variables.\(hint)")
        }
        requiresGrad_(flag)
    }
}
