/// The ops the autograd engine declares in `Autograd/GradientArithmetic.swift`, implemented
/// with the public ops so that under `createGraph` the engine's own sums are recorded.
extension Tensor: EngineOperations {
    static func gradientSum(_ a: Tensor, _ b: Tensor) -> Tensor { a + b }

    static func gradientAddInPlace(_ a: Tensor, _ b: Tensor) -> Tensor { noGrad { a.add_(b) } }

    static func gradientCopy(_ g: Tensor) -> Tensor { g.detach().clone() }

    static func onesGradient(like t: Tensor) -> Tensor { Tensor.onesLike(t) }

    static func containsNaN(_ t: Tensor) -> Bool { noGrad { t.isnan().any().item() != 0 } }

    static func regenerateHistory(ofView view: Tensor, base: Tensor) { regenerateViewHistory(of: view, base: base) }
}
