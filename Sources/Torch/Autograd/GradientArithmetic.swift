/// The few tensor operations the engine itself needs: sums of gradients (recorded under
/// `createGraph`, so they must be the public ops), a detached copy, the implicit `ones`
/// gradient, a NaN check for anomaly mode and the regeneration of a view's history. They
/// are ops, and Ops sit above Autograd, so Autograd only declares them here and
/// `Ops/EngineOperations.swift` implements them: the engine never names an op.
protocol EngineOperations {
    /// `a + b` for two gradients of the same shape (recorded when grad mode is on).
    static func gradientSum(_ a: Tensor, _ b: Tensor) -> Tensor
    /// `a += b` in place, returning `a` (only outside `createGraph`, on a detached gradient).
    static func gradientAddInPlace(_ a: Tensor, _ b: Tensor) -> Tensor
    /// A detached contiguous copy.
    static func gradientCopy(_ g: Tensor) -> Tensor
    /// `ones` shaped like `t`: the gradient `backward()` starts from for a scalar.
    static func onesGradient(like t: Tensor) -> Tensor
    /// Whether any element of a floating tensor is NaN.
    static func containsNaN(_ t: Tensor) -> Bool
    /// Rebuilds the history of `view` as a view of `base`'s current history, after `base`
    /// was changed in place (PyTorch regenerates a view's `grad_fn` the same way).
    static func regenerateHistory(ofView view: Tensor, base: Tensor)
}
