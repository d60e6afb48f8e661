/// Arithmetic: `add sub mul div remainder fmod floorDivide pow maximum minimum atan2`,
/// their Swift operators and in-place forms. Each op: promotion and broadcasting, one
/// kernel call, and its derivative (PyTorch's derivatives.yaml formulas).

// MARK: - the binary ops

/// `a + alpha * b` (`torch.add`).
public func add(_ a: Tensor, _ b: Tensor, alpha: Scalar = 1) -> Tensor {
    let dt = resultType(a, b)
    if dt == .bool, case .int = alpha, alpha.int64Value != 1 {
        torchFatal("RuntimeError: Boolean alpha only supported for Boolean results.")
    }
    let p = alpha == 1 ? BroadcastPair(a, b, dtype: dt) : BroadcastPair(a, scaled(b, by: alpha, dtype: dt), dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    dt.dispatch(ArithmeticBinaryKernel<AddOp>(a: p.a, b: p.b, out: out))
    if needsGrad(a, b) {
        let ia = InputSummary.unlessLike(out, a), ib = InputSummary.unlessLike(out, b)
        // Only the inputs with an edge get a gradient (PyTorch's should_compute_output): an
        // `x + 1` would otherwise reduce and reshape a gradient the engine then drops.
        let needA = a.requiresGrad, needB = b.requiresGrad
        record("AddBackward0", inputs: (a, b), outputs: [out]) { g in
            [needA ? gradient(g[0]!, for: ia) : nil,
             needB ? gradient(alpha == 1 ? g[0]! : g[0]! * alpha, for: ib) : nil]
        }
    }
    return out
}

/// `b * alpha` in `dtype`, unrecorded: the `alpha` operand of add and sub (the op records
/// itself against `b`). The usual `alpha == 1` builds its pair from `b` itself: choosing the
/// operand first (`alpha == 1 ? b : …`) copied the reference, a retain that on a leaf takes
/// the runtime's slow path.
private func scaled(_ b: Tensor, by alpha: Scalar, dtype: DType) -> Tensor {
    noGrad { mul(b.converted(to: dtype), scalarTensor(alpha, dtype: dtype)) }
}

/// `a - alpha * b` (`torch.sub`); booleans cannot be subtracted.
public func sub(_ a: Tensor, _ b: Tensor, alpha: Scalar = 1) -> Tensor {
    if a.dtype == .bool && b.dtype == .bool {
        torchFatal("RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
    }
    if a.dtype == .bool || b.dtype == .bool {
        torchFatal("RuntimeError: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    }
    let dt = resultType(a, b)
    let p = alpha == 1 ? BroadcastPair(a, b, dtype: dt) : BroadcastPair(a, scaled(b, by: alpha, dtype: dt), dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    dt.dispatch(ArithmeticBinaryKernel<SubOp>(a: p.a, b: p.b, out: out))
    if needsGrad(a, b) {
        let ia = InputSummary.unlessLike(out, a), ib = InputSummary.unlessLike(out, b)
        let needA = a.requiresGrad, needB = b.requiresGrad
        record("SubBackward0", inputs: (a, b), outputs: [out]) { g in
            [needA ? gradient(g[0]!, for: ia) : nil,
             needB ? gradient(-(alpha == 1 ? g[0]! : g[0]! * alpha), for: ib) : nil]
        }
    }
    return out
}

/// `a * b` (`torch.mul`).
public func mul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let dt = resultType(a, b)
    let p = BroadcastPair(a, b, dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    dt.dispatch(ArithmeticBinaryKernel<MulOp>(a: p.a, b: p.b, out: out))
    if needsGrad(a, b) {
        let sa = b.requiresGrad ? SavedTensor(a) : nil
        let sb = a.requiresGrad ? SavedTensor(b) : nil
        let ia = InputSummary.unlessLike(out, a), ib = InputSummary.unlessLike(out, b)
        record("MulBackward0", inputs: (a, b), outputs: [out]) { g in
            [sb.map { gradient(g[0]! * $0.unpack(), for: ia) }, sa.map { gradient(g[0]! * $0.unpack(), for: ib) }]
        }
    }
    return out
}

/// `a / b` (`torch.div`): true division (integers give the default float dtype), or with
/// `roundingMode` `"trunc"` / `"floor"` a rounded quotient in the promoted dtype.
public func div(_ a: Tensor, _ b: Tensor, roundingMode: String? = nil) -> Tensor {
    let promoted = resultType(a, b)
    if let mode = roundingMode {
        guard mode == "trunc" || mode == "floor" else {
            torchFatal("ValueError: div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '\(mode)'")
        }
        let out = roundedDivision(a, b, dtype: promoted, floor: mode == "floor")
        if needsGrad(a, b) {
            let ia = InputSummary(a), ib = InputSummary(b)
            record("DivBackward2", inputs: (a, b), outputs: [out]) { _ in
                [Tensor.zeros(ia.shape, dtype: ia.dtype), Tensor.zeros(ib.shape, dtype: ib.dtype)]
            }
        }
        return out
    }
    let dt = promoted.isFloatingPoint ? promoted : defaultDtype()
    let p = BroadcastPair(a, b, dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    dt.dispatchFloat(FloatBinaryKernel<DivOp>(a: p.a, b: p.b, out: out))
    if needsGrad(a, b) {
        // a is read only for b's gradient.
        let sa = b.requiresGrad ? SavedTensor(a) : nil, sb = SavedTensor(b)
        let ia = InputSummary.unlessLike(out, a), ib = InputSummary.unlessLike(out, b)
        record("DivBackward0", inputs: (a, b), outputs: [out]) { g in
            let bv = sb.unpack()
            return [gradient(g[0]! / bv, for: ia), sa.map { gradient(-g[0]! * $0.unpack() / (bv * bv), for: ib) }]
        }
    }
    return out
}

/// `floor(a / b)` in the promoted dtype (`torch.floor_divide`); no gradient, as in PyTorch.
public func floorDivide(_ a: Tensor, _ b: Tensor) -> Tensor {
    roundedDivision(a, b, dtype: resultType(a, b), floor: true)
}

private func roundedDivision(_ a: Tensor, _ b: Tensor, dtype dt: DType, floor: Bool) -> Tensor {
    floor ? promotedBinary(a, b, dtype: dt, FloorDivideFloatOp.self, integer: .floorDivide)
          : promotedBinary(a, b, dtype: dt, TruncDivideFloatOp.self, integer: .truncDivide)
}

/// Runs a binary op that has one float kernel and one integer kernel in `dt`.
private func promotedBinary<F: FloatBinaryOp>(_ a: Tensor, _ b: Tensor, dtype dt: DType, _: F.Type, integer: IntegerBinary) -> Tensor {
    let p = BroadcastPair(a, b, dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    if dt.isFloatingPoint {
        dt.dispatchFloat(FloatBinaryKernel<F>(a: p.a, b: p.b, out: out))
    } else {
        dt.dispatch(IntegerBinaryKernel(a: p.a, b: p.b, out: out, op: integer))
    }
    return out
}

/// Records a modulo's derivative: `a - q(a, b) * b` has gradients `g` and `-g * q(a, b)`.
private func recordModulo(_ name: String, _ a: Tensor, _ b: Tensor, _ out: Tensor, quotient: @escaping (Tensor, Tensor) -> Tensor) {
    guard needsGrad(a, b) else { return }
    let sa = SavedTensor(a), sb = SavedTensor(b)
    let ia = InputSummary(a), ib = InputSummary(b)
    record(name, inputs: (a, b), outputs: [out]) { g in
        [gradient(g[0]!, for: ia), gradient(-g[0]! * quotient(sa.unpack(), sb.unpack()), for: ib)]
    }
}

/// Python's modulo (`torch.remainder`): the result takes the divisor's sign.
public func remainder(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = promotedBinary(a, b, dtype: resultType(a, b), RemainderFloatOp.self, integer: .remainder)
    recordModulo("RemainderBackward1", a, b, out) { floorDivide($0, $1) }
    return out
}

/// C's modulo (`torch.fmod`): the result takes the dividend's sign.
public func fmod(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = promotedBinary(a, b, dtype: resultType(a, b), FmodFloatOp.self, integer: .fmod)
    recordModulo("FmodBackward1", a, b, out) { div($0, $1, roundingMode: "trunc") }
    return out
}

/// `a ** b` elementwise (`torch.pow`).
public func pow(_ a: Tensor, _ b: Tensor) -> Tensor {
    let dt = resultType(a, b)
    let p = BroadcastPair(a, b, dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    if dt.isFloatingPoint {
        dt.dispatchFloat(FloatBinaryKernel<PowFloatOp>(a: p.a, b: p.b, out: out))
    } else {
        if b.dtype != .bool, b.converted(to: .int64).toArray(Int64.self).contains(where: { $0 < 0 }),
           a.converted(to: .int64).toArray(Int64.self).contains(where: { $0 != 1 && $0 != -1 }) {
            torchFatal("RuntimeError: Integers to negative integer powers are not allowed.")
        }
        dt.dispatch(IntegerBinaryKernel(a: p.a, b: p.b, out: out, op: .pow))
    }
    if needsGrad(a, b) {
        let sa = SavedTensor(a), sb = SavedTensor(b), so = SavedTensor(output: out, producer: "PowBackward1")
        let ia = InputSummary(a), ib = InputSummary(b)
        record("PowBackward1", inputs: (a, b), outputs: [out]) { g in
            let base = sa.unpack(), e = sb.unpack()
            let ga = ia.requiresGrad ? gradient(Torch.where(e .== 0.0, 0.0, g[0]! * e * pow(base, e - 1)), for: ia) : nil
            let gb = ib.requiresGrad
                ? gradient(Torch.where((base .== 0.0) .& (e .>= 0.0), 0.0, g[0]! * so.unpack() * log(base)), for: ib) : nil
            return [ga, gb]
        }
    }
    return out
}

/// `a ** exponent` for a Swift number (`torch.pow(a, 2)`): keeps `a`'s dtype for a
/// same-category exponent.
public func pow(_ a: Tensor, _ exponent: Scalar) -> Tensor {
    let dt = resultType(a, exponent)
    let out: Tensor
    if dt.isFloatingPoint {
        let x = a.converted(to: dt)
        out = Tensor(uninitializedShape: a.shape, dtype: dt, zeroed: false)
        let e = exponent.doubleValue
        dt.dispatchFloat(PowScalarKernel(x: x, exponent: e, out: out))
    } else {
        out = noGrad { pow(a, scalarTensor(exponent, dtype: dt)) }
    }
    if needsGrad(a) {
        let sa = SavedTensor(a)
        let ia = InputSummary(a)
        record("PowBackward0", input: a, outputs: [out]) { g in
            let e = exponent.doubleValue
            if e == 0 { return [Tensor.zeros(ia.shape, dtype: ia.dtype)] }
            return [gradient(g[0]! * e * pow(sa.unpack(), .double(e - 1)), for: ia)]
        }
    }
    return out
}

/// `base ** exponent` for a Swift number base (`torch.pow(2, t)`).
public func pow(_ base: Scalar, _ exponent: Tensor) -> Tensor {
    let dt = resultType(exponent, base)
    let out = noGrad { pow(scalarTensor(base, dtype: dt), exponent) }
    if needsGrad(exponent) {
        let so = SavedTensor(output: out, producer: "PowBackward2"), ie = InputSummary(exponent)
        record("PowBackward2", input: exponent, outputs: [out]) { g in
            let logBase = Double.log(base.doubleValue)
            return [gradient(g[0]! * so.unpack() * logBase, for: ie)]
        }
    }
    return out
}

private struct PowScalarKernel: FloatVisitor {
    let x: Tensor, exponent: Double, out: Tensor
    func visit<T: FloatElement & ArithmeticElement>(_: T.Type) {
        let e = T(exponent)
        // PyTorch's CPU kernel (PowKernel.cpp) special-cases these exponents with plain
        // multiplication, square root and division instead of `pow`; doing the same keeps
        // results bit-identical (`powf(x, 3)` and `x * x * x` differ in the last bit).
        if exponent == 2 {
            mapUnary(x, into: out) { (v: T) -> T in v * v }
        } else if exponent == 3 {
            mapUnary(x, into: out) { (v: T) -> T in v * v * v }
        } else if exponent == -2 {
            mapUnary(x, into: out) { (v: T) -> T in 1 / (v * v) }
        } else if exponent == -0.5 {
            mapUnary(x, into: out) { (v: T) -> T in 1 / v.squareRoot() }
        } else if exponent == 0.5 {
            mapUnary(x, into: out) { (v: T) -> T in v.squareRoot() }
        } else if exponent == 1 {
            mapUnary(x, into: out) { (v: T) -> T in v }
        } else if exponent == -1 {
            mapUnary(x, into: out) { (v: T) -> T in 1 / v }
        } else {
            mapUnary(x, into: out) { (v: T) -> T in T.pow(v, e) }
        }
    }
}

/// Elementwise maximum, propagating NaN (`torch.maximum`).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { extremum(a, b, max: true) }

/// Elementwise minimum, propagating NaN (`torch.minimum`).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { extremum(a, b, max: false) }

private func extremum(_ a: Tensor, _ b: Tensor, max: Bool) -> Tensor {
    let dt = resultType(a, b)
    let p = BroadcastPair(a, b, dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    if max {
        dt.dispatch(ArithmeticBinaryKernel<MaximumOp>(a: p.a, b: p.b, out: out))
    } else {
        dt.dispatch(ArithmeticBinaryKernel<MinimumOp>(a: p.a, b: p.b, out: out))
    }
    if needsGrad(a, b) {
        let sa = SavedTensor(a), sb = SavedTensor(b)
        let ia = InputSummary(a), ib = InputSummary(b)
        record(max ? "MaximumBackward0" : "MinimumBackward0", inputs: (a, b), outputs: [out]) { g in
            // Ties split the gradient evenly, as PyTorch does.
            let x = sa.unpack(), y = sb.unpack(), grad = g[0]!
            let aWins = max ? x .> y : x .< y
            let tie = (x .== y).to(grad.dtype) * 0.5
            let wa = aWins.to(grad.dtype) + tie
            let wb = (1.0 - aWins.to(grad.dtype)) - tie
            return [gradient(grad * wa, for: ia), gradient(grad * wb, for: ib)]
        }
    }
    return out
}

/// The angle of `(b, a)` in radians, elementwise (`torch.atan2(a, b)`).
public func atan2(_ a: Tensor, _ b: Tensor) -> Tensor {
    let promoted = resultType(a, b)
    let dt = promoted.isFloatingPoint ? promoted : defaultDtype()
    let p = BroadcastPair(a, b, dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: dt, zeroed: false)
    dt.dispatchFloat(FloatBinaryKernel<Atan2Op>(a: p.a, b: p.b, out: out))
    if needsGrad(a, b) {
        let sa = SavedTensor(a), sb = SavedTensor(b)
        let ia = InputSummary(a), ib = InputSummary(b)
        record("Atan2Backward0", inputs: (a, b), outputs: [out]) { g in
            let y = sa.unpack(), x = sb.unpack()
            let denominator = x * x + y * y
            return [gradient(g[0]! * x / denominator, for: ia), gradient(-g[0]! * y / denominator, for: ib)]
        }
    }
    return out
}

// MARK: - Swift numbers as operands

/// `a + alpha * s` for a Swift number (`torch.add`).
public func add(_ a: Tensor, _ s: Scalar, alpha: Scalar = 1) -> Tensor {
    if alpha == 1, let out = withNumber(a, s, "AddBackward0", derivative: { $0 }, { out in
        a.dtype.dispatch(ArithmeticNumberKernel<AddOp>(a: a, number: s, out: out))
    }) {
        return out
    }
    return add(a, wrapped(s, with: a), alpha: alpha)
}
/// `a - alpha * s` for a Swift number (`torch.sub`).
public func sub(_ a: Tensor, _ s: Scalar, alpha: Scalar = 1) -> Tensor {
    if alpha == 1, let out = withNumber(a, s, "SubBackward0", derivative: { $0 }, { out in
        a.dtype.dispatch(ArithmeticNumberKernel<SubOp>(a: a, number: s, out: out))
    }) {
        return out
    }
    return sub(a, wrapped(s, with: a), alpha: alpha)
}
/// `a * s` for a Swift number (`torch.mul`).
public func mul(_ a: Tensor, _ s: Scalar) -> Tensor {
    withNumber(a, s, "MulBackward0", derivative: { $0 * s }) { out in
        a.dtype.dispatch(ArithmeticNumberKernel<MulOp>(a: a, number: s, out: out))
    } ?? mul(a, wrapped(s, with: a))
}
/// `a / s` for a Swift number (`torch.div`).
public func div(_ a: Tensor, _ s: Scalar, roundingMode: String? = nil) -> Tensor {
    // Only float `a` keeps its dtype under true division.
    if roundingMode == nil, a.dtype.isFloatingPoint, let out = withNumber(a, s, "DivBackward0", derivative: { $0 / s }, { out in
        a.dtype.dispatchFloat(FloatNumberKernel<DivOp>(a: a, number: s, out: out))
    }) {
        return out
    }
    return div(a, wrapped(s, with: a), roundingMode: roundingMode)
}

/// `a ∘ s` for a Swift number `s` that leaves `a`'s dtype as it is (`x * 2` on floats,
/// `i + 1` on integers), computed by `kernel(out)` straight from `a`'s elements: no 0-d
/// tensor, fill or broadcast view per call, which were most of a small op's cost. `nil`
/// when the number promotes `a` or `a` is bool; the caller then wraps the number, as
/// PyTorch does. The result equals the wrapped form's bit for bit (the number is converted
/// to `a`'s dtype as the 0-d tensor was) and records `name` with an empty second edge, as
/// PyTorch's wrapped number has; `derivative` maps the output's gradient to `a`'s.
@inline(__always)
private func withNumber(
    _ a: Tensor, _ s: Scalar, _ name: String, derivative: @escaping (Tensor) -> Tensor, _ kernel: (Tensor) -> Void
) -> Tensor? {
    guard a.dtype != .bool, resultType(a, s) == a.dtype else { return nil }
    let out = Tensor(uninitializedShape: a.shape, dtype: a.dtype, zeroed: false)
    kernel(out)
    if needsGrad(a) {
        record(name, input: a, numbers: 1, outputs: [out]) { g in [derivative(g[0]!), nil] }
    }
    return out
}
/// `a % s` with Python's sign rule, for a Swift number (`torch.remainder`).
public func remainder(_ a: Tensor, _ s: Scalar) -> Tensor { scalarSecond("RemainderBackward0", a) { remainder($0, wrapped(s, with: $0)) } }
/// `s % a` with Python's sign rule (`torch.remainder(2, t)`).
public func remainder(_ s: Scalar, _ a: Tensor) -> Tensor { remainder(wrapped(s, with: a), a) }
/// `fmod(a, s)` for a Swift number (`torch.fmod`).
public func fmod(_ a: Tensor, _ s: Scalar) -> Tensor { scalarSecond("FmodBackward0", a) { fmod($0, wrapped(s, with: $0)) } }

/// An op whose second operand is a number and whose gradient passes straight through.
private func scalarSecond(_ name: String, _ a: Tensor, _ op: (Tensor) -> Tensor) -> Tensor {
    let out = noGrad { op(a) }
    if needsGrad(a) {
        let ia = InputSummary(a)
        record(name, input: a, outputs: [out]) { g in [gradient(g[0]!, for: ia)] }
    }
    return out
}
/// `floor(a / s)` for a Swift number (`torch.floor_divide`).
public func floorDivide(_ a: Tensor, _ s: Scalar) -> Tensor { floorDivide(a, wrapped(s, with: a)) }

/// A Swift number as a 0-d tensor whose dtype gives PyTorch's promotion with `other`:
/// the result dtype itself, so the number only ever counts by its category.
func wrapped(_ s: Scalar, with other: Tensor) -> Tensor {
    scalarTensor(s, dtype: resultType(other, s))
}

// MARK: - methods

extension Tensor {
    /// `self + alpha * other` (`torch.Tensor.add`).
    public func add(_ other: Tensor, alpha: Scalar = 1) -> Tensor { Torch.add(self, other, alpha: alpha) }
    /// `self + alpha * s` (`torch.Tensor.add`).
    public func add(_ s: Scalar, alpha: Scalar = 1) -> Tensor { Torch.add(self, s, alpha: alpha) }
    /// `self - alpha * other` (`torch.Tensor.sub`).
    public func sub(_ other: Tensor, alpha: Scalar = 1) -> Tensor { Torch.sub(self, other, alpha: alpha) }
    /// `self - alpha * s` (`torch.Tensor.sub`).
    public func sub(_ s: Scalar, alpha: Scalar = 1) -> Tensor { Torch.sub(self, s, alpha: alpha) }
    /// `self * other` (`torch.Tensor.mul`).
    public func mul(_ other: Tensor) -> Tensor { Torch.mul(self, other) }
    /// `self * s` (`torch.Tensor.mul`).
    public func mul(_ s: Scalar) -> Tensor { Torch.mul(self, s) }
    /// `self / other` (`torch.Tensor.div`).
    public func div(_ other: Tensor, roundingMode: String? = nil) -> Tensor { Torch.div(self, other, roundingMode: roundingMode) }
    /// `self / s` (`torch.Tensor.div`).
    public func div(_ s: Scalar, roundingMode: String? = nil) -> Tensor { Torch.div(self, s, roundingMode: roundingMode) }
    /// `self ** exponent` (`torch.Tensor.pow`).
    public func pow(_ exponent: Scalar) -> Tensor { Torch.pow(self, exponent) }
    /// `self ** exponent` elementwise (`torch.Tensor.pow`).
    public func pow(_ exponent: Tensor) -> Tensor { Torch.pow(self, exponent) }
    /// Python's modulo (`torch.Tensor.remainder`).
    public func remainder(_ other: Tensor) -> Tensor { Torch.remainder(self, other) }
    /// C's modulo (`torch.Tensor.fmod`).
    public func fmod(_ other: Tensor) -> Tensor { Torch.fmod(self, other) }
    /// Elementwise maximum (`torch.Tensor.maximum`).
    public func maximum(_ other: Tensor) -> Tensor { Torch.maximum(self, other) }
    /// Elementwise minimum (`torch.Tensor.minimum`).
    public func minimum(_ other: Tensor) -> Tensor { Torch.minimum(self, other) }
}

// MARK: - operators

/// `a + b` (`torch.Tensor.__add__`, `torch.add`).
public func + (a: Tensor, b: Tensor) -> Tensor { add(a, b) }
/// `a + s` (`torch.Tensor.__add__`, `torch.add`).
public func + (a: Tensor, s: Scalar) -> Tensor { add(a, s) }
/// `s + a` (`torch.Tensor.__radd__`, `torch.add`).
public func + (s: Scalar, a: Tensor) -> Tensor { add(a, s) }
/// `a - b` (`torch.Tensor.__sub__`, `torch.sub`).
public func - (a: Tensor, b: Tensor) -> Tensor { sub(a, b) }
/// `a - s` (`torch.Tensor.__sub__`, `torch.sub`).
public func - (a: Tensor, s: Scalar) -> Tensor { sub(a, s) }
/// `s - a` (`torch.Tensor.__rsub__`, `torch.sub`).
public func - (s: Scalar, a: Tensor) -> Tensor { sub(wrapped(s, with: a), a) }
/// `a * b` (`torch.Tensor.__mul__`, `torch.mul`).
public func * (a: Tensor, b: Tensor) -> Tensor { mul(a, b) }
/// `a * s` (`torch.Tensor.__mul__`, `torch.mul`).
public func * (a: Tensor, s: Scalar) -> Tensor { mul(a, s) }
/// `s * a` (`torch.Tensor.__rmul__`, `torch.mul`).
public func * (s: Scalar, a: Tensor) -> Tensor { mul(a, s) }
/// `a / b` (true division) (`torch.Tensor.__truediv__`, `torch.div`).
public func / (a: Tensor, b: Tensor) -> Tensor { div(a, b) }
/// `a / s` (`torch.Tensor.__truediv__`, `torch.div`).
public func / (a: Tensor, s: Scalar) -> Tensor { div(a, s) }
/// `s / a` (`torch.Tensor.__rtruediv__`, `torch.div`).
public func / (s: Scalar, a: Tensor) -> Tensor { div(wrapped(s, with: a), a) }
/// `-a` (`torch.Tensor.__neg__`, `torch.neg`).
public prefix func - (a: Tensor) -> Tensor { neg(a) }
/// `a % b` with Python's sign rule (`torch.Tensor.__mod__`, `torch.remainder`).
public func % (a: Tensor, b: Tensor) -> Tensor { remainder(a, b) }

/// `a += b`, in place (`add_`, `torch.Tensor.add_`).
public func += (a: Tensor, b: Tensor) { a.add_(b) }
/// `a += s`, in place (`torch.Tensor.add_`).
public func += (a: Tensor, s: Scalar) { a.add_(s) }
/// `a -= b`, in place (`sub_`, `torch.Tensor.sub_`).
public func -= (a: Tensor, b: Tensor) { a.sub_(b) }
/// `a -= s`, in place (`torch.Tensor.sub_`).
public func -= (a: Tensor, s: Scalar) { a.sub_(s) }
/// `a *= b`, in place (`mul_`, `torch.Tensor.mul_`).
public func *= (a: Tensor, b: Tensor) { a.mul_(b) }
/// `a *= s`, in place (`torch.Tensor.mul_`).
public func *= (a: Tensor, s: Scalar) { a.mul_(s) }
/// `a /= b`, in place (`div_`, `torch.Tensor.div_`).
public func /= (a: Tensor, b: Tensor) { a.div_(b) }
/// `a /= s`, in place (`torch.Tensor.div_`).
public func /= (a: Tensor, s: Scalar) { a.div_(s) }

// MARK: - in place

extension Tensor {
    /// `self += alpha * other`, in place (`torch.Tensor.add_`).
    @discardableResult public func add_(_ other: Tensor, alpha: Scalar = 1) -> Tensor {
        if alpha == 1, writingDirectly(other, { dtype.dispatch(ArithmeticBinaryKernel<AddOp>(a: self, b: $0, out: self)) }) { return self }
        // `p.add_(grad, alpha: -lr)`, the plain SGD update: a + b·alpha in one pass.
        if alpha != 1, dtype.isFloatingPoint,
           writingDirectly(other, { dtype.dispatch(AddScaledKernel(a: self, b: $0, alpha: alpha, out: self)) }) {
            return self
        }
        return inPlace(other) { Torch.add($0, other, alpha: alpha) }
    }
    /// `self += alpha * s`, in place (`torch.Tensor.add_`).
    @discardableResult public func add_(_ s: Scalar, alpha: Scalar = 1) -> Tensor {
        if alpha == 1, writingDirectly(s, { dtype.dispatch(ArithmeticNumberKernel<AddOp>(a: self, number: s, out: self)) }) { return self }
        return inPlace { Torch.add($0, s, alpha: alpha) }
    }
    /// `self -= alpha * other`, in place (`torch.Tensor.sub_`).
    @discardableResult public func sub_(_ other: Tensor, alpha: Scalar = 1) -> Tensor {
        if alpha == 1, dtype != .bool, writingDirectly(other, { dtype.dispatch(ArithmeticBinaryKernel<SubOp>(a: self, b: $0, out: self)) }) {
            return self
        }
        // a - b·alpha is a + b·(-alpha) exactly: negation is exact, and so is a + (-x).
        if alpha != 1, dtype.isFloatingPoint,
           writingDirectly(other, { dtype.dispatch(AddScaledKernel(a: self, b: $0, alpha: alpha.negated, out: self)) }) {
            return self
        }
        return inPlace(other) { Torch.sub($0, other, alpha: alpha) }
    }
    /// `self -= alpha * s`, in place (`torch.Tensor.sub_`).
    @discardableResult public func sub_(_ s: Scalar, alpha: Scalar = 1) -> Tensor {
        if alpha == 1, writingDirectly(s, { dtype.dispatch(ArithmeticNumberKernel<SubOp>(a: self, number: s, out: self)) }) { return self }
        return inPlace { Torch.sub($0, s, alpha: alpha) }
    }
    /// `self *= other`, in place (`torch.Tensor.mul_`).
    @discardableResult public func mul_(_ other: Tensor) -> Tensor {
        if writingDirectly(other, { dtype.dispatch(ArithmeticBinaryKernel<MulOp>(a: self, b: $0, out: self)) }) { return self }
        return inPlace(other) { Torch.mul($0, other) }
    }
    /// `self *= s`, in place (`torch.Tensor.mul_`).
    @discardableResult public func mul_(_ s: Scalar) -> Tensor {
        if writingDirectly(s, { dtype.dispatch(ArithmeticNumberKernel<MulOp>(a: self, number: s, out: self)) }) { return self }
        return inPlace { Torch.mul($0, s) }
    }
    /// `self /= other`, in place (`torch.Tensor.div_`).
    @discardableResult public func div_(_ other: Tensor, roundingMode: String? = nil) -> Tensor {
        if roundingMode == nil, dtype.isFloatingPoint,
           writingDirectly(other, { dtype.dispatchFloat(FloatBinaryKernel<DivOp>(a: self, b: $0, out: self)) }) {
            return self
        }
        return inPlace(other) { Torch.div($0, other, roundingMode: roundingMode) }
    }
    /// `self /= s`, in place (`torch.Tensor.div_`).
    @discardableResult public func div_(_ s: Scalar, roundingMode: String? = nil) -> Tensor {
        if roundingMode == nil, dtype.isFloatingPoint,
           writingDirectly(s, { dtype.dispatchFloat(FloatNumberKernel<DivOp>(a: self, number: s, out: self)) }) {
            return self
        }
        return inPlace { Torch.div($0, s, roundingMode: roundingMode) }
    }
    /// `self **= exponent`, in place (`torch.Tensor.pow_`).
    @discardableResult public func pow_(_ exponent: Scalar) -> Tensor { inPlace { Torch.pow($0, exponent) } }

    // The in-place arithmetic above, when autograd records nothing (an optimizer's update,
    // the engine's gradient sums, `noGrad` code): the kernel reads this tensor and writes the
    // result over it in one pass, where the general path computes a new tensor and copies it
    // back. Taken only when that gives the same elements: this tensor dense (no element
    // written twice), the op's result dtype its own (no second rounding), and the other
    // operand broadcasting to its shape from memory it does not share. Else `false`.

    /// The direct form with a tensor operand: `run` gets `other` converted and broadcast
    /// and writes into this tensor.
    private func writingDirectly(_ other: Tensor, _ run: (Tensor) -> Void) -> Bool {
        guard let b = directOperand(other) else { return false }
        run(b)
        storage.bumpVersion()
        return true
    }

    /// The direct form with a Swift number (which must not promote this tensor's dtype).
    private func writingDirectly(_ s: Scalar, _ run: () -> Void) -> Bool {
        guard directTarget(recordingWith: nil), dtype != .bool, resultType(self, s) == dtype else { return false }
        run()
        storage.bumpVersion()
        return true
    }

    /// Whether this tensor can be written directly: nothing records (with `other`, when
    /// given) and its elements are dense.
    private func directTarget(recordingWith other: Tensor?) -> Bool {
        guard isContiguous else { return false }
        guard isGradEnabled() else { return true }
        return !requiresGrad && !(other?.requiresGrad ?? false)
    }

    /// `other` in this tensor's dtype, broadcast to its shape, when the direct form applies.
    private func directOperand(_ other: Tensor) -> Tensor? {
        guard directTarget(recordingWith: other), other.storage !== storage, resultType(self, other) == dtype,
              other.shape == shape || broadcastShapes(other.shape, shape) == shape
        else { return nil }
        return other.converted(to: dtype).broadcastView(to: shape)
    }
}

// MARK: - typed Swift numbers (`x * lr` with `let lr: Double`)

/// `a + s` for a typed Swift number (`torch.Tensor.__add__`, `torch.add`).
public func + <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { add(a, s.scalarValue) }
/// `s + a` for a typed Swift number (`torch.Tensor.__radd__`, `torch.add`).
public func + <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { s.scalarValue + a }
/// `a - s` for a typed Swift number (`torch.Tensor.__sub__`, `torch.sub`).
public func - <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { sub(a, s.scalarValue) }
/// `s - a` for a typed Swift number (`torch.Tensor.__rsub__`, `torch.sub`).
public func - <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { s.scalarValue - a }
/// `a * s` for a typed Swift number (`torch.Tensor.__mul__`, `torch.mul`).
public func * <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { mul(a, s.scalarValue) }
/// `s * a` for a typed Swift number (`torch.Tensor.__rmul__`, `torch.mul`).
public func * <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { s.scalarValue * a }
/// `a / s` for a typed Swift number (`torch.Tensor.__truediv__`, `torch.div`).
public func / <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { div(a, s.scalarValue) }
/// `s / a` for a typed Swift number (`torch.Tensor.__rtruediv__`, `torch.div`).
public func / <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { s.scalarValue / a }
/// `a -= s` in place, for a typed Swift number (`torch.Tensor.sub_`).
public func -= <S: ScalarConvertible>(a: Tensor, s: S) { a.sub_(s.scalarValue) }
/// `a += s` in place, for a typed Swift number (`torch.Tensor.add_`).
public func += <S: ScalarConvertible>(a: Tensor, s: S) { a.add_(s.scalarValue) }
/// `a *= s` in place, for a typed Swift number (`torch.Tensor.mul_`).
public func *= <S: ScalarConvertible>(a: Tensor, s: S) { a.mul_(s.scalarValue) }
/// `a /= s` in place, for a typed Swift number (`torch.Tensor.div_`).
public func /= <S: ScalarConvertible>(a: Tensor, s: S) { a.div_(s.scalarValue) }

extension Scalar {
    /// `-self` (a boolean as the integer it counts as), for `a - b·alpha` as `a + b·(-alpha)`.
    fileprivate var negated: Scalar {
        switch self {
        case .bool(let b): return .int(b ? -1 : 0)
        case .int(let i): return .int(0 &- i)
        case .double(let d): return .double(-d)
        }
    }
}
