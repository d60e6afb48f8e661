#if canImport(Glibc)
import Glibc
#endif

/// Unary math: `neg abs sign exp log ... erf`, rounding, `sqrt rsqrt reciprocal square`,
/// `clamp`. Floating functions of integer tensors compute in the default float dtype,
/// as PyTorch does; contiguous float inputs run on SLEEF's vector loops.

/// Applies a float function elementwise (integer inputs compute in the default float dtype).
func applyFloat(_ x: Tensor, _ function: UnaryFloatFunction) -> Tensor {
    let dt = x.dtype.isFloatingPoint ? x.dtype : defaultDtype()
    let input = x.converted(to: dt)
    let out = Tensor(uninitializedShape: x.shape, dtype: dt, zeroed: false)
    unaryFloatKernel(input, function, into: out)
    return out
}

/// Applies `function` and records `backward(grad, saved)` for its gradient, `saved` being
/// the input or the output as `saved` says.
private func unaryOp(_ x: Tensor, _ function: UnaryFloatFunction, saving saved: UnarySaved,
                     backward: @escaping (Tensor, Tensor) -> Tensor) -> Tensor {
    let out = applyFloat(x, function)
    if needsGrad(x) {
        // Only what the formula reads is saved: an input or output modified in place
        // afterwards fails at backward only when the formula needed it, as in PyTorch.
        let kept = saved == .input ? SavedTensor(x) : SavedTensor(output: out, producer: function.name)
        record(function.name, input: x, outputs: [out]) { g in [backward(g[0]!, kept.unpack())] }
    }
    return out
}

/// Which tensor a unary derivative reads: its input (`sin`: `cos(x)`) or its output
/// (`exp`: `y`).
private enum UnarySaved { case input, output }

private let ln2 = 0.6931471805599453
private let ln10 = 2.302585092994046

/// `e^x` (`torch.exp`).
public func exp(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "ExpBackward0", vector: .exp, f32: { expf($0) }, f64: { Glibc.exp($0) }), saving: .output) { g, y in g * y }
}
/// `e^x - 1`, accurate near 0 (`torch.expm1`).
public func expm1(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "Expm1Backward0", vector: .expm1, f32: { expm1f($0) }, f64: { Glibc.expm1($0) }), saving: .output) { g, y in g * (y + 1.0) }
}
/// Natural logarithm (`torch.log`).
public func log(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "LogBackward0", vector: .log, f32: { logf($0) }, f64: { Glibc.log($0) }), saving: .input) { g, x in g / x }
}
/// Base-2 logarithm (`torch.log2`).
public func log2(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "Log2Backward0", vector: .log2, f32: { log2f($0) }, f64: { Glibc.log2($0) }), saving: .input) { g, x in g / (x * ln2) }
}
/// Base-10 logarithm (`torch.log10`).
public func log10(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "Log10Backward0", vector: .log10, f32: { log10f($0) }, f64: { Glibc.log10($0) }), saving: .input) { g, x in g / (x * ln10) }
}
/// `log(1 + x)`, accurate near 0 (`torch.log1p`).
public func log1p(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "Log1PBackward0", vector: .log1p, f32: { log1pf($0) }, f64: { Glibc.log1p($0) }), saving: .input) { g, x in g / (x + 1.0) }
}
/// Square root (`torch.sqrt`).
public func sqrt(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "SqrtBackward0", vector: nil, f32: { $0.squareRoot() }, f64: { $0.squareRoot() }), saving: .output) { g, y in g / (2.0 * y) }
}
/// `1 / sqrt(x)` (`torch.rsqrt`).
public func rsqrt(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "RsqrtBackward0", vector: nil, f32: { 1 / $0.squareRoot() }, f64: { 1 / $0.squareRoot() }), saving: .output) { g, y in -0.5 * g * y * y * y }
}
/// Sine (`torch.sin`).
public func sin(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "SinBackward0", vector: .sin, f32: { sinf($0) }, f64: { Glibc.sin($0) }), saving: .input) { g, x in g * cos(x) }
}
/// Cosine (`torch.cos`).
public func cos(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "CosBackward0", vector: .cos, f32: { cosf($0) }, f64: { Glibc.cos($0) }), saving: .input) { g, x in g * -sin(x) }
}
/// Tangent (`torch.tan`).
public func tan(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "TanBackward0", vector: .tan, f32: { tanf($0) }, f64: { Glibc.tan($0) }), saving: .output) { g, y in g * (1.0 + y * y) }
}
/// Arcsine (`torch.asin`).
public func asin(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "AsinBackward0", vector: .asin, f32: { asinf($0) }, f64: { Glibc.asin($0) }), saving: .input) { g, x in g * rsqrt(1.0 - x * x) }
}
/// Inverse hyperbolic sine (`torch.asinh`).
public func asinh(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "AsinhBackward0", vector: nil, f32: { asinhf($0) }, f64: { Glibc.asinh($0) }), saving: .input) { g, x in g * rsqrt(x * x + 1.0) }
}
/// Inverse hyperbolic cosine (`torch.acosh`).
public func acosh(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "AcoshBackward0", vector: nil, f32: { acoshf($0) }, f64: { Glibc.acosh($0) }), saving: .input) { g, x in g * rsqrt(x * x - 1.0) }
}
/// Inverse hyperbolic tangent (`torch.atanh`).
public func atanh(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "AtanhBackward0", vector: nil, f32: { atanhf($0) }, f64: { Glibc.atanh($0) }), saving: .input) { g, x in g / (1.0 - x * x) }
}
/// Arccosine (`torch.acos`).
public func acos(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "AcosBackward0", vector: .acos, f32: { acosf($0) }, f64: { Glibc.acos($0) }), saving: .input) { g, x in -g * rsqrt(1.0 - x * x) }
}
/// Arctangent (`torch.atan`).
public func atan(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "AtanBackward0", vector: .atan, f32: { atanf($0) }, f64: { Glibc.atan($0) }), saving: .input) { g, x in g / (1.0 + x * x) }
}
/// Hyperbolic sine (`torch.sinh`).
public func sinh(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "SinhBackward0", vector: .sinh, f32: { sinhf($0) }, f64: { Glibc.sinh($0) }), saving: .input) { g, x in g * cosh(x) }
}
/// Hyperbolic cosine (`torch.cosh`).
public func cosh(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "CoshBackward0", vector: .cosh, f32: { coshf($0) }, f64: { Glibc.cosh($0) }), saving: .input) { g, x in g * sinh(x) }
}
/// Hyperbolic tangent (`torch.tanh`).
public func tanh(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "TanhBackward0", vector: .tanh, f32: { tanhf($0) }, f64: { Glibc.tanh($0) }), saving: .output) { g, y in tanhBackward(g, y) }
}
/// The error function (`torch.erf`).
public func erf(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "ErfBackward0", vector: .erf, f32: { erff($0) }, f64: { Glibc.erf($0) }), saving: .input) { g, x in
        g * 1.1283791670955126 * exp(-(x * x))
    }
}
/// The logistic function `1 / (1 + e^-x)` (`torch.sigmoid`).
public func sigmoid(_ x: Tensor) -> Tensor {
    unaryOp(x, UnaryFloatFunction(name: "SigmoidBackward0", vector: .sigmoid, f32: { 1 / (1 + expf(-$0)) }, f64: { 1 / (1 + Glibc.exp(-$0)) }), saving: .output) { g, y in
        sigmoidBackward(g, y)
    }
}

/// `g * (1 - y²)`, recorded as its own op so second derivatives name it as PyTorch does.
func tanhBackward(_ g: Tensor, _ y: Tensor) -> Tensor {
    let out = noGrad { g * (1.0 - y * y) }
    if needsGrad(g, y) {
        let sg = SavedTensor(g), sy = SavedTensor(y)
        record("TanhBackwardBackward0", inputs: (g, y), outputs: [out]) { gg in
            let y = sy.unpack()
            return [gg[0]! * (1.0 - y * y), gg[0]! * -2.0 * y * sg.unpack()]
        }
    }
    return out
}

/// `g * y * (1 - y)`, recorded as its own op for second derivatives.
func sigmoidBackward(_ g: Tensor, _ y: Tensor) -> Tensor {
    let out = noGrad { g * y * (1.0 - y) }
    if needsGrad(g, y) {
        let sg = SavedTensor(g), sy = SavedTensor(y)
        record("SigmoidBackwardBackward0", inputs: (g, y), outputs: [out]) { gg in
            let y = sy.unpack()
            return [gg[0]! * y * (1.0 - y), gg[0]! * sg.unpack() * (1.0 - 2.0 * y)]
        }
    }
    return out
}

// MARK: - ops that keep integer dtypes

/// `-x` (`torch.neg`); booleans cannot be negated.
public func neg(_ x: Tensor) -> Tensor {
    if x.dtype == .bool {
        torchFatal("RuntimeError: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    }
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
    x.dtype.dispatch(SignedUnaryKernel(x: x, out: out, op: .neg))
    if needsGrad(x) {
        record("NegBackward0", input: x, outputs: [out]) { g in [-g[0]!] }
    }
    return out
}

/// `|x|` (`torch.abs`).
public func abs(_ x: Tensor) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
    x.dtype.dispatch(SignedUnaryKernel(x: x, out: out, op: .abs))
    if needsGrad(x) {
        let sx = SavedTensor(x)
        record("AbsBackward0", input: x, outputs: [out]) { g in [g[0]! * sign(sx.unpack())] }
    }
    return out
}

/// -1, 0 or 1 by the sign of each element (`torch.sign`); NaN gives 0, as in PyTorch.
public func sign(_ x: Tensor) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
    x.dtype.dispatch(SignedUnaryKernel(x: x, out: out, op: .sign))
    if needsGrad(x) {
        record("SignBackward0", input: x, outputs: [out]) { g in [Tensor.zerosLike(g[0]!)] }
    }
    return out
}

/// Rounds down (`torch.floor`); integers pass through.
public func floor(_ x: Tensor) -> Tensor { rounding(x, .down, "FloorBackward0") }
/// Rounds up (`torch.ceil`).
public func ceil(_ x: Tensor) -> Tensor { rounding(x, .up, "CeilBackward0") }
/// Rounds toward zero (`torch.trunc`).
public func trunc(_ x: Tensor) -> Tensor { rounding(x, .towardZero, "TruncBackward0") }
/// Rounds half to even (`torch.round`), or to `decimals` places.
public func round(_ x: Tensor, decimals: Int = 0) -> Tensor {
    if decimals == 0 { return rounding(x, .toNearestOrEven, "RoundBackward0") }
    guard x.dtype.isFloatingPoint else { return x.clone() }
    let scale = Foundation_pow10(decimals)
    let out = noGrad {
        decimals > 0 ? rounding(x * scale, .toNearestOrEven, "") / scale : rounding(x / (1 / scale), .toNearestOrEven, "") * (1 / scale)
    }
    if needsGrad(x) {
        record("RoundBackward1", input: x, outputs: [out]) { g in [Tensor.zerosLike(g[0]!)] }
    }
    return out
}

private func Foundation_pow10(_ n: Int) -> Double { Glibc.pow(10, Double(n)) }

private func rounding(_ x: Tensor, _ rule: FloatingPointRoundingRule, _ name: String) -> Tensor {
    guard x.dtype.isFloatingPoint else { return x.clone() }
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
    roundingKernel(x, rule, into: out)
    if !name.isEmpty && needsGrad(x) {
        record(name, input: x, outputs: [out]) { g in [Tensor.zerosLike(g[0]!)] }
    }
    return out
}

/// `1 / x` (`torch.reciprocal`); integers give the default float dtype.
public func reciprocal(_ x: Tensor) -> Tensor {
    let out = applyFloat(x, UnaryFloatFunction(name: "ReciprocalBackward0", vector: nil, f32: { 1 / $0 }, f64: { 1 / $0 }))
    if needsGrad(x) {
        let so = SavedTensor(output: out, producer: "ReciprocalBackward0")
        record("ReciprocalBackward0", input: x, outputs: [out]) { g in let y = so.unpack(); return [-g[0]! * y * y] }
    }
    return out
}

/// `x * x` (`torch.square`, recorded as `pow(x, 2)` like PyTorch).
public func square(_ x: Tensor) -> Tensor { pow(x, 2) }

/// Limits every element to `[min, max]` (`torch.clamp`); either bound may be omitted.
public func clamp(_ x: Tensor, min lower: Scalar? = nil, max upper: Scalar? = nil) -> Tensor {
    guard lower != nil || upper != nil else {
        torchFatal("RuntimeError: torch.clamp: At least one of 'min' or 'max' must not be None")
    }
    var dt = x.dtype
    for b in [lower, upper].compactMap({ $0 }) { dt = promoteTypes(dt, resultType(x, b)) }
    let input = x.converted(to: dt)
    let out = Tensor(uninitializedShape: x.shape, dtype: dt, zeroed: false)
    dt.dispatch(ClampScalarKernel(x: input, out: out, lower: lower, upper: upper))
    if needsGrad(x) {
        let sx = SavedTensor(x)
        record("ClampBackward1", input: x, outputs: [out]) { g in
            let v = sx.unpack()
            var mask = Tensor.onesLike(v, dtype: .bool)
            if let lower { mask = mask .& (v .>= lower) }
            if let upper { mask = mask .& (v .<= upper) }
            return [g[0]! * mask.to(g[0]!.dtype)]
        }
    }
    return out
}

/// Limits every element to `[min, max]` with tensor bounds that broadcast (`torch.clamp`).
public func clamp(_ x: Tensor, min lower: Tensor?, max upper: Tensor?) -> Tensor {
    var out = x
    noGrad {
        if let lower { out = maximum(out, lower) }
        if let upper { out = minimum(out, upper) }
    }
    if needsGrad([x] + [lower, upper].compactMap { $0 }) {
        let sx = SavedTensor(x), sl = lower.map(SavedTensor.init), su = upper.map(SavedTensor.init)
        let inputs = [x] + [lower, upper].compactMap { $0 }
        let ix = InputSummary(x), il = lower.map(InputSummary.init), iu = upper.map(InputSummary.init)
        record("ClampBackward0", inputs: inputs, outputs: [out]) { g in
            let v = sx.unpack(), grad = g[0]!
            var inRange = Tensor.onesLike(grad, dtype: .bool)
            var grads: [Tensor?] = []
            if let sl { inRange = inRange .& (v .>= sl.unpack()) }
            if let su { inRange = inRange .& (v .<= su.unpack()) }
            grads.append(gradient(grad * inRange.to(grad.dtype), for: ix))
            if let sl, let il { grads.append(gradient(grad * (v .< sl.unpack()).to(grad.dtype), for: il)) }
            if let su, let iu { grads.append(gradient(grad * (v .> su.unpack()).to(grad.dtype), for: iu)) }
            return grads
        }
    }
    return out
}

private enum SignedUnary { case neg, abs, sign }

private struct SignedUnaryKernel: DTypeVisitor {
    let x: Tensor, out: Tensor, op: SignedUnary
    func visit<T: ArithmeticElement>(_: T.Type) {
        let op = self.op
        mapUnary(x, into: out) { (v: T) -> T in
            switch op {
            case .neg: return T.minus(T.zero, v)
            case .abs: return T.less(v, T.zero) ? T.minus(T.zero, v) : v
            case .sign:
                // PyTorch's sign(NaN) is 0.
                return T.less(T.zero, v) ? T.one : (T.less(v, T.zero) ? T.minus(T.zero, T.one) : T.zero)
            }
        }
    }
}

private struct ClampScalarKernel: DTypeVisitor {
    let x: Tensor, out: Tensor, lower: Scalar?, upper: Scalar?
    func visit<T: ArithmeticElement>(_: T.Type) {
        let lo: T? = lower.map { T.dtype.isFloatingPoint ? T(castingDouble: $0.doubleValue) : T(castingInt64: $0.int64Value) }
        let hi: T? = upper.map { T.dtype.isFloatingPoint ? T(castingDouble: $0.doubleValue) : T(castingInt64: $0.int64Value) }
        mapUnary(x, into: out) { (v: T) -> T in
            if v.isNaNValue { return v }
            var r = v
            if let lo, T.less(r, lo) { r = lo }
            if let hi, T.less(hi, r) { r = hi }
            return r
        }
    }
}

extension Tensor {
    /// `exp(self)` (`torch.Tensor.exp`).
    public func exp() -> Tensor { Torch.exp(self) }
    /// `log(self)` (`torch.Tensor.log`).
    public func log() -> Tensor { Torch.log(self) }
    /// `sin(self)` (`torch.Tensor.sin`).
    public func sin() -> Tensor { Torch.sin(self) }
    /// `cos(self)` (`torch.Tensor.cos`).
    public func cos() -> Tensor { Torch.cos(self) }
    /// `tanh(self)` (`torch.Tensor.tanh`).
    public func tanh() -> Tensor { Torch.tanh(self) }
    /// `sigmoid(self)` (`torch.Tensor.sigmoid`).
    public func sigmoid() -> Tensor { Torch.sigmoid(self) }
    /// `sqrt(self)` (`torch.Tensor.sqrt`).
    public func sqrt() -> Tensor { Torch.sqrt(self) }
    /// `abs(self)` (`torch.Tensor.abs`).
    public func abs() -> Tensor { Torch.abs(self) }
    /// `neg(self)` (`torch.Tensor.neg`).
    public func neg() -> Tensor { Torch.neg(self) }
    /// `square(self)` (`torch.Tensor.square`).
    public func square() -> Tensor { Torch.square(self) }
    /// `clamp(self, min:max:)` (`torch.Tensor.clamp`).
    public func clamp(min lower: Scalar? = nil, max upper: Scalar? = nil) -> Tensor { Torch.clamp(self, min: lower, max: upper) }
    /// Clamps in place (`torch.Tensor.clamp_`).
    @discardableResult public func clamp_(min lower: Scalar? = nil, max upper: Scalar? = nil) -> Tensor {
        inPlace { Torch.clamp($0, min: lower, max: upper) }
    }
    /// `exp` in place (`torch.Tensor.exp_`).
    @discardableResult public func exp_() -> Tensor { inPlace { Torch.exp($0) } }
    /// `neg` in place (`torch.Tensor.neg_`).
    @discardableResult public func neg_() -> Tensor { inPlace { Torch.neg($0) } }
    /// `sigmoid` in place (`torch.Tensor.sigmoid_`).
    @discardableResult public func sigmoid_() -> Tensor { inPlace { Torch.sigmoid($0) } }
    /// `tanh` in place (`torch.Tensor.tanh_`).
    @discardableResult public func tanh_() -> Tensor { inPlace { Torch.tanh($0) } }
    /// `sqrt` in place (`torch.Tensor.sqrt_`).
    @discardableResult public func sqrt_() -> Tensor { inPlace { Torch.sqrt($0) } }
    /// `rsqrt` in place (`torch.Tensor.rsqrt_`).
    @discardableResult public func rsqrt_() -> Tensor { inPlace { Torch.rsqrt($0) } }
    /// `reciprocal` in place (`torch.Tensor.reciprocal_`).
    @discardableResult public func reciprocal_() -> Tensor { inPlace { Torch.reciprocal($0) } }
}

/// `max(x, lower)` elementwise (`torch.clamp_min`), recorded as PyTorch's
/// `ClampMinBackward0`: the gradient passes where `x >= lower`.
public func clampMin(_ x: Tensor, _ lower: Scalar) -> Tensor {
    let out = noGrad { clamp(x, min: lower) }
    if needsGrad(x) {
        let sx = SavedTensor(x)
        record("ClampMinBackward0", input: x, outputs: [out]) { g in
            [g[0]! * (sx.unpack() .>= lower).to(g[0]!.dtype)]
        }
    }
    return out
}
