/// Unary float functions elementwise (`exp`, `log`, `sqrt`, the activations' and special
/// functions' element loops): SLEEF's vector loop over contiguous input when the function
/// has one, else the float32 or float64 element function (16-bit floats through float32,
/// rounded once).

/// A unary float function: the element function, its vector loop if any, and the node name
/// (the op records it; it travels with the functions so one value describes the op).
struct UnaryFloatFunction {
    let name: String
    let vector: VectorFunction?
    let f32: @Sendable (Float) -> Float
    let f64: @Sendable (Double) -> Double
}

/// ``unaryFloatKernel(_:_:into:)``'s body for one element type.
private struct UnaryFloatKernel: FloatVisitor {
    let x: Tensor, out: Tensor, function: UnaryFloatFunction
    func visit<T: FloatElement & ArithmeticElement>(_: T.Type) {
        if let v = function.vector, let loop = T.vectorLoop(v), x.isContiguous {
            let n = x.numel
            let src = x.pointer(as: T.self), dst = out.pointer(as: T.self)
            let parts = parallelPartCount(elements: n)
            if parts == 1 {
                loop(src, dst, n)
            } else {
                splitAcrossCores(out) { lo, hi, d in
                    let inner = out.numel / max(out.shape[d], 1)
                    loop(src + lo * inner, dst + lo * inner, (hi - lo) * inner)
                }
            }
            return
        }
        if T.self == Float.self {
            let f = function.f32
            mapUnary(x, into: out) { (v: Float) -> Float in f(v) }
        } else if T.dtype.isReducedPrecisionFloat {
            // float32 math, rounded once.
            let f = function.f32
            mapUnary(x, into: out) { (v: T) -> T in T(castingDouble: Double(f(Float(v.doubleValue)))) }
        } else {
            let f = function.f64
            mapUnary(x, into: out) { (v: Double) -> Double in f(v) }
        }
    }
}

/// Applies `function` to every element of `x` into dense `out` of `x`'s floating dtype.
func unaryFloatKernel(_ x: Tensor, _ function: UnaryFloatFunction, into out: Tensor) {
    out.dtype.dispatchFloat(UnaryFloatKernel(x: x, out: out, function: function))
}

/// Rounds every element of floating `x` by `rule` into `out` of the same dtype, in that
/// dtype (`floor`, `ceil`, `round`, `trunc`; exact, so no float32 detour for 16-bit floats).
func roundingKernel(_ x: Tensor, _ rule: FloatingPointRoundingRule, into out: Tensor) {
    struct Visitor: FloatVisitor {
        let x: Tensor, rule: FloatingPointRoundingRule, out: Tensor
        func visit<T: FloatElement & ArithmeticElement>(_: T.Type) {
            let rule = self.rule
            mapUnary(x, into: out) { (v: T) -> T in v.rounded(rule) }
        }
    }
    x.dtype.dispatchFloat(Visitor(x: x, rule: rule, out: out))
}
