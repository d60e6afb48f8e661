#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gamma-function family (`torch.lgamma`, `torch.digamma`, `torch.polygamma`), with
/// PyTorch's derivatives: d lgamma = ψ, d ψ⁽ⁿ⁾ = ψ⁽ⁿ⁺¹⁾. Integer inputs compute in the
/// default float dtype, 16-bit floats in float32 rounded once; the element functions are in
/// `Kernels/SpecialFunctionKernels.swift`.

/// `log |Γ(x)|` through the re-entrant libm call (the plain one writes a global sign,
/// a data race when the loop runs on several cores).
private func logGammaDouble(_ x: Double) -> Double {
    var sign: Int32 = 0
    return lgamma_r(x, &sign)
}

private func logGammaFloat(_ x: Float) -> Float {
    var sign: Int32 = 0
    return lgammaf_r(x, &sign)
}

/// Applies `function` elementwise and records `derivative(x)` times the gradient.
private func specialUnary(_ x: Tensor, _ function: UnaryFloatFunction, derivative: @escaping (Tensor) -> Tensor) -> Tensor {
    let out = applyFloat(x, function)
    if needsGrad(x) {
        let saved = SavedTensor(x)
        record(function.name, input: x, outputs: [out]) { g in [g[0]! * derivative(saved.unpack())] }
    }
    return out
}

/// `log |Γ(x)|` (`torch.lgamma`); its derivative is ``digamma(_:)``.
public func lgamma(_ x: Tensor) -> Tensor {
    specialUnary(x, UnaryFloatFunction(name: "LgammaBackward0", vector: nil, f32: logGammaFloat, f64: logGammaDouble)) {
        digamma($0)
    }
}

/// The digamma function ψ(x) = d/dx log Γ(x) (`torch.digamma`, `torch.special.psi`): `-inf`
/// at +0, `inf` at -0, NaN at negative integers. Its derivative is `polygamma(1, x)`.
public func digamma(_ x: Tensor) -> Tensor {
    specialUnary(x, UnaryFloatFunction(name: "DigammaBackward0", vector: nil, f32: digammaFloat, f64: digammaDouble)) {
        polygamma(1, $0)
    }
}

/// The `n`-th derivative of ψ (`torch.polygamma(n, x)`): ψ itself for `n = 0`, the trigamma
/// function for `n = 1`, `(-1)ⁿ⁺¹ n! ζ(n + 1, x)` beyond. Its derivative is `polygamma(n + 1, x)`.
public func polygamma(_ n: Int, _ x: Tensor) -> Tensor {
    guard n >= 0 else { torchFatal("RuntimeError: polygamma(n, x) does not support negative n.") }
    if n == 0 { return digamma(x) }
    let function = n == 1
        ? UnaryFloatFunction(name: "PolygammaBackward0", vector: nil, f32: trigammaFloat, f64: trigammaDouble)
        : UnaryFloatFunction(name: "PolygammaBackward0", vector: nil, f32: { polygammaFloat(n, $0) },
                             f64: { polygammaDouble(n, $0) })
    return specialUnary(x, function) { polygamma(n + 1, $0) }
}

extension Tensor {
    /// `log |Γ(x)|` (`x.lgamma()`, `torch.Tensor.lgamma`).
    public func lgamma() -> Tensor { Torch.lgamma(self) }
    /// ψ(x) (`x.digamma()`, `torch.Tensor.digamma`).
    public func digamma() -> Tensor { Torch.digamma(self) }
    /// ψ⁽ⁿ⁾(x) (`x.polygamma(n)`, `torch.Tensor.polygamma`).
    public func polygamma(_ n: Int) -> Tensor { Torch.polygamma(n, self) }
}
