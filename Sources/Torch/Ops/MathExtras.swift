import Foundation

/// Elementwise functions PyTorch defines on top of the basic ones: `frac`, `fix`, `sinc`,
/// `deg2rad`, `rad2deg`, `heaviside`, `copysign`, `logaddexp`, `logaddexp2`, `xlogy`,
/// `clampMax`, `hypot`. Each forward is composed of existing ops (run without recording)
/// and records one node under PyTorch's name with PyTorch's derivative formula, written in
/// recorded ops so second derivatives work too.

/// `x - trunc(x)` (`torch.frac`).
public func frac(_ x: Tensor) -> Tensor {
    composite("FracBackward0", [x], forward: { x - trunc(x) }) { g, _ in [g] }
}

/// Rounds toward zero (`torch.fix`, an alias of `trunc`).
public func fix(_ x: Tensor) -> Tensor { trunc(x) }

/// `sin(πx) / (πx)`, 1 at 0 (`torch.sinc`).
public func sinc(_ x: Tensor) -> Tensor {
    let xf = x.dtype.isFloatingPoint ? x : x.to(defaultDtype())
    return composite("SincBackward0", [xf], saving: [xf], forward: {
        let px = xf * Double.pi
        let safe = `where`(xf .== 0.0, Tensor.ones([], dtype: xf.dtype), px)
        return `where`(xf .== 0.0, Tensor.ones([], dtype: xf.dtype), sin(safe) / safe)
    }) { g, saved in
        // (πx cos πx - sin πx) / (πx²), 0 at x = 0.
        let xf = saved[0]
        let px = xf * Double.pi
        let safe = `where`(xf .== 0.0, Tensor.ones([], dtype: xf.dtype), xf)
        let d = (px * cos(px) - sin(px)) / (safe * safe * Double.pi)
        return [g * `where`(xf .== 0.0, Tensor.zeros([], dtype: xf.dtype), d)]
    }
}

/// Degrees to radians (`torch.deg2rad`).
public func deg2rad(_ x: Tensor) -> Tensor {
    let xf = x.dtype.isFloatingPoint ? x : x.to(defaultDtype())
    return composite("Deg2RadBackward0", [xf], forward: { xf * (Double.pi / 180) }) { g, _ in [g * (Double.pi / 180)] }
}

/// Radians to degrees (`torch.rad2deg`).
public func rad2deg(_ x: Tensor) -> Tensor {
    let xf = x.dtype.isFloatingPoint ? x : x.to(defaultDtype())
    return composite("Rad2DegBackward0", [xf], forward: { xf * (180 / Double.pi) }) { g, _ in [g * (180 / Double.pi)] }
}

/// 0 for x < 0, `values` at x == 0, 1 for x > 0 (`torch.heaviside`); not differentiable.
public func heaviside(_ x: Tensor, _ values: Tensor) -> Tensor {
    guard x.dtype == values.dtype else {
        torchFatal("RuntimeError: heaviside is not yet implemented for tensors with different dtypes")
    }
    return noGrad {
        let step = `where`(x .> 0, Tensor.ones([], dtype: x.dtype), Tensor.zeros([], dtype: x.dtype))
        return `where`(x .== 0, values, step)
    }
}

/// `|a|` with the sign of `b`, `-0.0` counting as negative (`torch.copysign`).
public func copysign(_ a: Tensor, _ b: Tensor) -> Tensor {
    let af = a.dtype.isFloatingPoint ? a : a.to(promoteTypes(defaultDtype(), b.dtype.isFloatingPoint ? b.dtype : defaultDtype()))
    let negative = noGrad { () -> Tensor in
        let bf = b.dtype.isFloatingPoint ? b : b.to(af.dtype)
        // 1/b tells -0.0 from 0.0; NaN compares false, so a NaN sign counts as positive
        // unless its bit says otherwise, which a tensor op cannot see (documented).
        return `where`(bf .== 0.0, (1 / bf) .< 0.0, bf .< 0.0)
    }
    let otherShape = b.shape, otherType = b.dtype
    return composite("CopysignBackward0", [af, b], saving: [af], savingOutput: true,
                     forward: { `where`(negative, -abs(af), abs(af)) }) { g, saved in
        // PyTorch's copysign_tensor_self_backward: g · y / a, 0 where a is 0; none for b.
        let af = saved[0], y = saved.output!
        let ratio = y / `where`(af .== 0.0, Tensor.ones([], dtype: af.dtype), af)
        return [g * `where`(af .== 0.0, Tensor.zeros([], dtype: af.dtype), ratio), Tensor.zeros(otherShape, dtype: otherType)]
    }
}

/// `log(exp(a) + exp(b))` without overflow (`torch.logaddexp`).
public func logaddexp(_ a: Tensor, _ b: Tensor) -> Tensor {
    composite("LogaddexpBackward0", [a, b], saving: [a, b], forward: {
        let m = maximum(a, b)
        // Equal infinities would give inf - inf; their sum is the infinity itself.
        let finiteM = `where`(isinf(m), Tensor.zeros([], dtype: m.dtype), m)
        return log(exp(a - finiteM) + exp(b - finiteM)) + finiteM
    }) { g, saved in [g / (exp(saved[1] - saved[0]) + 1), g / (exp(saved[0] - saved[1]) + 1)] }
}

/// `log2(2^a + 2^b)` without overflow (`torch.logaddexp2`).
public func logaddexp2(_ a: Tensor, _ b: Tensor) -> Tensor {
    let ln2 = Foundation.log(2.0)
    return composite("Logaddexp2Backward0", [a, b], saving: [a, b], forward: { logaddexp(a * ln2, b * ln2) / ln2 }) { g, saved in
        let a = saved[0], b = saved[1]
        return [g / (exp((b - a) * ln2) + 1), g / (exp((a - b) * ln2) + 1)]
    }
}

/// `x · log(y)`, 0 where x is 0 (NaN stays NaN) (`torch.xlogy`).
public func xlogy(_ x: Tensor, _ y: Tensor) -> Tensor {
    let yf = y.dtype.isFloatingPoint ? y : y.to(defaultDtype())
    return composite("XlogyBackward0", [x, yf], saving: [x, yf], forward: {
        let product = x * log(yf)
        let zero = (x .== 0) .& logicalNot(isnan(yf))
        return `where`(zero, Tensor.zeros([], dtype: product.dtype), product)
    }) { g, saved in
        // d/dx = log(y), even where x is 0 (PyTorch 2.15's recorded gradient); d/dy = x / y.
        [g * log(saved[1]), g * saved[0] / saved[1]]
    }
}

/// `min(x, upper)` (`torch.clamp_max`).
public func clampMax(_ x: Tensor, _ upper: Scalar) -> Tensor {
    composite("ClampMaxBackward0", [x], saving: [x], forward: { clamp(x, min: nil, max: upper) }) { g, saved in
        [`where`(saved[0] .<= upper, g, Tensor.zeros([], dtype: g.dtype))]
    }
}

/// `sqrt(a² + b²)` (`torch.hypot`).
public func hypot(_ a: Tensor, _ b: Tensor) -> Tensor {
    composite("HypotBackward0", [a, b], saving: [a, b], savingOutput: true, forward: { sqrt(a * a + b * b) }) { g, saved in
        [g * saved[0] / saved.output, g * saved[1] / saved.output]
    }
}

extension Tensor {
    /// `frac(self)` (`torch.Tensor.frac`).
    public func frac() -> Tensor { Torch.frac(self) }
    /// `fix(self)` (`torch.Tensor.fix`).
    public func fix() -> Tensor { Torch.fix(self) }
    /// `sinc(self)` (`torch.Tensor.sinc`).
    public func sinc() -> Tensor { Torch.sinc(self) }
    /// `deg2rad(self)` (`torch.Tensor.deg2rad`).
    public func deg2rad() -> Tensor { Torch.deg2rad(self) }
    /// `rad2deg(self)` (`torch.Tensor.rad2deg`).
    public func rad2deg() -> Tensor { Torch.rad2deg(self) }
    /// `heaviside(self, values)` (`torch.Tensor.heaviside`).
    public func heaviside(_ values: Tensor) -> Tensor { Torch.heaviside(self, values) }
    /// `copysign(self, other)` (`torch.Tensor.copysign`).
    public func copysign(_ other: Tensor) -> Tensor { Torch.copysign(self, other) }
    /// `logaddexp(self, other)` (`torch.Tensor.logaddexp`).
    public func logaddexp(_ other: Tensor) -> Tensor { Torch.logaddexp(self, other) }
    /// `xlogy(self, other)` (`torch.Tensor.xlogy`).
    public func xlogy(_ other: Tensor) -> Tensor { Torch.xlogy(self, other) }
    /// `clampMax(self, upper)` (`x.clamp_max`, `torch.Tensor.clamp_max`).
    public func clampMax(_ upper: Scalar) -> Tensor { Torch.clampMax(self, upper) }
}
