#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CTorchSIMD

/// The math functions kernels need on `Float` and `Double`, so one generic kernel serves
/// both (float32 is computed in float32, as PyTorch does, never through `Double`).
protocol FloatElement: TensorScalar, BinaryFloatingPoint {
    static func exp(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log2(_ x: Self) -> Self
    static func log10(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func tan(_ x: Self) -> Self
    static func asin(_ x: Self) -> Self
    static func acos(_ x: Self) -> Self
    static func atan(_ x: Self) -> Self
    static func sinh(_ x: Self) -> Self
    static func cosh(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    static func atan2(_ y: Self, _ x: Self) -> Self
    static func fmod(_ x: Self, _ y: Self) -> Self
    /// The SLEEF loop for `function` over contiguous arrays, if there is one.
    static func vectorLoop(_ function: VectorFunction) -> ((UnsafePointer<Self>, UnsafeMutablePointer<Self>, Int) -> Void)?
}

/// Functions with a vectorised SLEEF loop.
enum VectorFunction {
    case exp, expm1, log, log2, log10, log1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, erf, sigmoid
}

extension Float: FloatElement {
    @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func expm1(_ x: Float) -> Float { expm1f(x) }
    @inline(__always) static func log(_ x: Float) -> Float { logf(x) }
    @inline(__always) static func log2(_ x: Float) -> Float { log2f(x) }
    @inline(__always) static func log10(_ x: Float) -> Float { log10f(x) }
    @inline(__always) static func log1p(_ x: Float) -> Float { log1pf(x) }
    @inline(__always) static func sin(_ x: Float) -> Float { sinf(x) }
    @inline(__always) static func cos(_ x: Float) -> Float { cosf(x) }
    @inline(__always) static func tan(_ x: Float) -> Float { tanf(x) }
    @inline(__always) static func asin(_ x: Float) -> Float { asinf(x) }
    @inline(__always) static func acos(_ x: Float) -> Float { acosf(x) }
    @inline(__always) static func atan(_ x: Float) -> Float { atanf(x) }
    @inline(__always) static func sinh(_ x: Float) -> Float { sinhf(x) }
    @inline(__always) static func cosh(_ x: Float) -> Float { coshf(x) }
    @inline(__always) static func tanh(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) static func erf(_ x: Float) -> Float { erff(x) }
    @inline(__always) static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    @inline(__always) static func atan2(_ y: Float, _ x: Float) -> Float { atan2f(y, x) }
    @inline(__always) static func fmod(_ x: Float, _ y: Float) -> Float { fmodf(x, y) }

    static func vectorLoop(_ function: VectorFunction) -> ((UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)? {
        switch function {
        case .exp: return { st_exp_f32($0, $1, $2) }
        case .expm1: return { st_expm1_f32($0, $1, $2) }
        case .log: return { st_log_f32($0, $1, $2) }
        case .log2: return { st_log2_f32($0, $1, $2) }
        case .log10: return { st_log10_f32($0, $1, $2) }
        case .log1p: return { st_log1p_f32($0, $1, $2) }
        case .sin: return { st_sin_f32($0, $1, $2) }
        case .cos: return { st_cos_f32($0, $1, $2) }
        case .tan: return { st_tan_f32($0, $1, $2) }
        case .asin: return { st_asin_f32($0, $1, $2) }
        case .acos: return { st_acos_f32($0, $1, $2) }
        case .atan: return { st_atan_f32($0, $1, $2) }
        case .sinh: return { st_sinh_f32($0, $1, $2) }
        case .cosh: return { st_cosh_f32($0, $1, $2) }
        case .tanh: return { st_tanh_f32($0, $1, $2) }
        case .erf: return { st_erf_f32($0, $1, $2) }
        case .sigmoid: return { st_sigmoid_f32($0, $1, $2) }
        }
    }
}

extension Double: FloatElement {
    @inline(__always) static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) static func expm1(_ x: Double) -> Double { Glibc.expm1(x) }
    @inline(__always) static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) static func log2(_ x: Double) -> Double { Glibc.log2(x) }
    @inline(__always) static func log10(_ x: Double) -> Double { Glibc.log10(x) }
    @inline(__always) static func log1p(_ x: Double) -> Double { Glibc.log1p(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inline(__always) static func tan(_ x: Double) -> Double { Glibc.tan(x) }
    @inline(__always) static func asin(_ x: Double) -> Double { Glibc.asin(x) }
    @inline(__always) static func acos(_ x: Double) -> Double { Glibc.acos(x) }
    @inline(__always) static func atan(_ x: Double) -> Double { Glibc.atan(x) }
    @inline(__always) static func sinh(_ x: Double) -> Double { Glibc.sinh(x) }
    @inline(__always) static func cosh(_ x: Double) -> Double { Glibc.cosh(x) }
    @inline(__always) static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inline(__always) static func erf(_ x: Double) -> Double { Glibc.erf(x) }
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    @inline(__always) static func atan2(_ y: Double, _ x: Double) -> Double { Glibc.atan2(y, x) }
    @inline(__always) static func fmod(_ x: Double, _ y: Double) -> Double { Glibc.fmod(x, y) }

    static func vectorLoop(_ function: VectorFunction) -> ((UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void)? {
        switch function {
        case .exp: return { st_exp_f64($0, $1, $2) }
        case .expm1: return { st_expm1_f64($0, $1, $2) }
        case .log: return { st_log_f64($0, $1, $2) }
        case .log2: return { st_log2_f64($0, $1, $2) }
        case .log10: return { st_log10_f64($0, $1, $2) }
        case .log1p: return { st_log1p_f64($0, $1, $2) }
        case .sin: return { st_sin_f64($0, $1, $2) }
        case .cos: return { st_cos_f64($0, $1, $2) }
        case .tan: return { st_tan_f64($0, $1, $2) }
        case .asin: return { st_asin_f64($0, $1, $2) }
        case .acos: return { st_acos_f64($0, $1, $2) }
        case .atan: return { st_atan_f64($0, $1, $2) }
        case .sinh: return { st_sinh_f64($0, $1, $2) }
        case .cosh: return { st_cosh_f64($0, $1, $2) }
        case .tanh: return { st_tanh_f64($0, $1, $2) }
        case .erf: return { st_erf_f64($0, $1, $2) }
        case .sigmoid: return { st_sigmoid_f64($0, $1, $2) }
        }
    }
}

/// A 16-bit float computes every function in float32 and rounds once, as PyTorch's CPU
/// kernels do for `Half` and `BFloat16`; contiguous arrays go through the float32 SLEEF
/// loop in blocks.
protocol ReducedPrecisionFloat: FloatElement {
    init(_ value: Float)
    var floatValue: Float { get }
}

extension Float16: ReducedPrecisionFloat {
    @inline(__always) var floatValue: Float { Float(self) }
}
extension BFloat16: ReducedPrecisionFloat {}

extension ReducedPrecisionFloat {
    @inline(__always) static func exp(_ x: Self) -> Self { Self(expf(x.floatValue)) }
    @inline(__always) static func expm1(_ x: Self) -> Self { Self(expm1f(x.floatValue)) }
    @inline(__always) static func log(_ x: Self) -> Self { Self(logf(x.floatValue)) }
    @inline(__always) static func log2(_ x: Self) -> Self { Self(log2f(x.floatValue)) }
    @inline(__always) static func log10(_ x: Self) -> Self { Self(log10f(x.floatValue)) }
    @inline(__always) static func log1p(_ x: Self) -> Self { Self(log1pf(x.floatValue)) }
    @inline(__always) static func sin(_ x: Self) -> Self { Self(sinf(x.floatValue)) }
    @inline(__always) static func cos(_ x: Self) -> Self { Self(cosf(x.floatValue)) }
    @inline(__always) static func tan(_ x: Self) -> Self { Self(tanf(x.floatValue)) }
    @inline(__always) static func asin(_ x: Self) -> Self { Self(asinf(x.floatValue)) }
    @inline(__always) static func acos(_ x: Self) -> Self { Self(acosf(x.floatValue)) }
    @inline(__always) static func atan(_ x: Self) -> Self { Self(atanf(x.floatValue)) }
    @inline(__always) static func sinh(_ x: Self) -> Self { Self(sinhf(x.floatValue)) }
    @inline(__always) static func cosh(_ x: Self) -> Self { Self(coshf(x.floatValue)) }
    @inline(__always) static func tanh(_ x: Self) -> Self { Self(tanhf(x.floatValue)) }
    @inline(__always) static func erf(_ x: Self) -> Self { Self(erff(x.floatValue)) }
    @inline(__always) static func pow(_ x: Self, _ y: Self) -> Self { Self(powf(x.floatValue, y.floatValue)) }
    @inline(__always) static func atan2(_ y: Self, _ x: Self) -> Self { Self(atan2f(y.floatValue, x.floatValue)) }
    @inline(__always) static func fmod(_ x: Self, _ y: Self) -> Self { Self(fmodf(x.floatValue, y.floatValue)) }

    static func vectorLoop(_ function: VectorFunction) -> ((UnsafePointer<Self>, UnsafeMutablePointer<Self>, Int) -> Void)? {
        guard let loop = Float.vectorLoop(function) else { return nil }
        return { src, dst, n in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 1024) { block in
                let b = block.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(1024, n - start)
                    for i in 0..<m { b[i] = src[start + i].floatValue }
                    loop(b, b, m)
                    for i in 0..<m { dst[start + i] = Self(b[i]) }
                    start += m
                }
            }
        }
    }
}

/// `log` of each value with SLEEF's u10 functions, as PyTorch's vectorised `log_` computes
/// it (the truncated-normal initialiser needs its exact rounding).
func logOfValues<T: TensorScalar & BinaryFloatingPoint>(_ values: [T]) -> [T] {
    var out = values
    out.withUnsafeMutableBufferPointer { buffer in
        guard let p = buffer.baseAddress else { return }
        if T.self == Float.self {
            p.withMemoryRebound(to: Float.self, capacity: buffer.count) { st_log_f32($0, $0, buffer.count) }
        } else {
            p.withMemoryRebound(to: Double.self, capacity: buffer.count) { st_log_f64($0, $0, buffer.count) }
        }
    }
    return out
}
