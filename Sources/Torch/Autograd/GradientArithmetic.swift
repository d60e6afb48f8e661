/// The few tensor operations the engine itself needs. They go through the public ops, so
/// that under `createGraph` the engine's own sums are recorded too.

/// `a + b` for two gradients of the same shape.
func gradientSum(_ a: Tensor, _ b: Tensor) -> Tensor {
    a + b
}

/// `a += b` in place, returning `a` (only outside `createGraph`, on a detached gradient).
func gradientAddInPlace(_ a: Tensor, _ b: Tensor) -> Tensor {
    noGrad { a.add_(b) }
}

/// A detached contiguous copy.
func gradientCopy(_ g: Tensor) -> Tensor {
    g.detach().clone()
}
