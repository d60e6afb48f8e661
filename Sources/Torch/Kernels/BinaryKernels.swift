import CTorchSIMD
#if canImport(Glibc)
import Glibc
#endif

/// Binary elementwise kernels. Each op is a type with a static element function; the
/// generic kernel structs below turn it into one specialised loop per dtype.

/// An op defined for every arithmetic element type.
protocol ArithmeticBinaryOp {
    static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> T
    /// The op's float32/float64 loops in the CPU's widest vectors, where CTorchSIMD has them.
    static var wideLoops: WideBinaryLoops? { get }
}

/// An op defined for floating element types only.
protocol FloatBinaryOp {
    static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T
    /// The op's float32/float64 loops in the CPU's widest vectors, where CTorchSIMD has them.
    static var wideLoops: WideBinaryLoops? { get }
}

extension ArithmeticBinaryOp {
    static var wideLoops: WideBinaryLoops? { nil }
}

extension FloatBinaryOp {
    static var wideLoops: WideBinaryLoops? { nil }
}

/// A comparison giving a boolean.
protocol CompareOp {
    static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> Bool
}

/// Runs an ``ArithmeticBinaryOp`` over broadcast operands of one dtype into `out`.
struct ArithmeticBinaryKernel<Op: ArithmeticBinaryOp>: DTypeVisitor {
    let a: Tensor, b: Tensor, out: Tensor
    func visit<T: ArithmeticElement>(_: T.Type) {
        mapBinary(a, b, into: out, ArithmeticFunction<Op, T>.self)
    }
}

/// Runs a ``FloatBinaryOp`` over broadcast float operands into `out`.
struct FloatBinaryKernel<Op: FloatBinaryOp>: FloatVisitor {
    let a: Tensor, b: Tensor, out: Tensor
    func visit<T: FloatElement & ArithmeticElement>(_: T.Type) {
        mapBinary(a, b, into: out, FloatFunction<Op, T>.self)
    }
}

/// Runs an ``ArithmeticBinaryOp`` of `a` and a Swift number into `out` (`a`'s shape and
/// dtype): the number converted once as a 0-d tensor of that dtype would hold it, with no
/// such tensor, fill or broadcast view made.
struct ArithmeticNumberKernel<Op: ArithmeticBinaryOp>: DTypeVisitor {
    let a: Tensor, number: Scalar, out: Tensor
    func visit<T: ArithmeticElement>(_: T.Type) {
        mapWithConstant(a, numberElement(number, as: T.self), into: out, ArithmeticFunction<Op, T>.self)
    }
}

/// Runs a ``FloatBinaryOp`` of float `a` and a Swift number into `out`, as
/// ``ArithmeticNumberKernel`` does.
struct FloatNumberKernel<Op: FloatBinaryOp>: FloatVisitor {
    let a: Tensor, number: Scalar, out: Tensor
    func visit<T: FloatElement & ArithmeticElement>(_: T.Type) {
        mapWithConstant(a, numberElement(number, as: T.self), into: out, FloatFunction<Op, T>.self)
    }
}

/// `a + b·alpha` over same-shaped `a`, `b` into `out` (one dtype), `alpha` converted to
/// that dtype as a 0-d tensor would hold it.
struct AddScaledKernel: DTypeVisitor {
    let a: Tensor, b: Tensor, alpha: Scalar, out: Tensor
    func visit<T: ArithmeticElement>(_: T.Type) {
        mapAddScaled(a, b, alpha: numberElement(alpha, as: T.self), into: out)
    }
}

/// Runs a ``CompareOp`` over broadcast operands into a bool `out`.
struct CompareKernel<Op: CompareOp>: DTypeVisitor {
    let a: Tensor, b: Tensor, out: Tensor
    func visit<T: ArithmeticElement>(_: T.Type) {
        mapBinary(a, b, into: out, CompareFunction<Op, T>.self)
    }
}

/// An ``ArithmeticBinaryOp`` at one element type, as an ``ElementFunction2``.
enum ArithmeticFunction<Op: ArithmeticBinaryOp, T: ArithmeticElement>: ElementFunction2 {
    @inline(__always) static func call(_ a: T, _ b: T) -> T { Op.apply(a, b) }
    @inline(__always)
    static func callWide(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ z: UnsafeMutablePointer<T>,
                         _ n: Int) -> Bool {
        Op.wideLoops?.run(x, y, z, n) ?? false
    }
}

/// A ``FloatBinaryOp`` at one element type.
enum FloatFunction<Op: FloatBinaryOp, T: FloatElement & ArithmeticElement>: ElementFunction2 {
    @inline(__always) static func call(_ a: T, _ b: T) -> T { Op.apply(a, b) }
    @inline(__always)
    static func callWide(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ z: UnsafeMutablePointer<T>,
                         _ n: Int) -> Bool {
        Op.wideLoops?.run(x, y, z, n) ?? false
    }
}

/// A ``CompareOp`` at one element type.
enum CompareFunction<Op: CompareOp, T: ArithmeticElement>: ElementFunction2 {
    @inline(__always) static func call(_ a: T, _ b: T) -> Bool { Op.apply(a, b) }
}

enum AddOp: ArithmeticBinaryOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> T { T.plus(a, b) }
    static var wideLoops: WideBinaryLoops? { WideBinaryLoops(float: st_add_f32, double: st_add_f64) }
}
enum SubOp: ArithmeticBinaryOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> T { T.minus(a, b) }
    static var wideLoops: WideBinaryLoops? { WideBinaryLoops(float: st_sub_f32, double: st_sub_f64) }
}
enum MulOp: ArithmeticBinaryOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> T { T.times(a, b) }
    static var wideLoops: WideBinaryLoops? { WideBinaryLoops(float: st_mul_f32, double: st_mul_f64) }
}
/// NaN-propagating maximum, as `torch.maximum`.
enum MaximumOp: ArithmeticBinaryOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> T {
        if a.isNaNValue { return a }
        if b.isNaNValue { return b }
        return T.less(a, b) ? b : a
    }
}
/// NaN-propagating minimum, as `torch.minimum`.
enum MinimumOp: ArithmeticBinaryOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> T {
        if a.isNaNValue { return a }
        if b.isNaNValue { return b }
        return T.less(b, a) ? b : a
    }
}

enum DivOp: FloatBinaryOp {
    @inline(__always) static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T { a / b }
    static var wideLoops: WideBinaryLoops? { WideBinaryLoops(float: st_div_f32, double: st_div_f64) }
}
enum Atan2Op: FloatBinaryOp {
    @inline(__always) static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T { T.atan2(a, b) }
}
enum PowFloatOp: FloatBinaryOp {
    @inline(__always) static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T {
        // PyTorch computes squares and square roots exactly rather than through pow.
        if b == 2 { return a * a }
        if b == 0.5 { return a.squareRoot() }
        return T.pow(a, b)
    }
}
enum FmodFloatOp: FloatBinaryOp {
    @inline(__always) static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T { T.fmod(a, b) }
}
/// Python's modulo: the result has the divisor's sign.
enum RemainderFloatOp: FloatBinaryOp {
    @inline(__always) static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T {
        var m = T.fmod(a, b)
        if m != 0 && ((b < 0) != (m < 0)) { m += b }
        return m
    }
}
/// Floor division as PyTorch's `div_floor`: exact for values that `floor(a / b)` rounds wrong.
enum FloorDivideFloatOp: FloatBinaryOp {
    @inline(__always) static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T {
        if b == 0 { return a / b }
        let mod = T.fmod(a, b)
        var div = (a - mod) / b
        if mod != 0 && ((b < 0) != (mod < 0)) { div -= 1 }
        if div == 0 { return (a / b).sign == .minus ? -0.0 : 0.0 }
        var floored = div.rounded(.down)
        if div - floored > 0.5 { floored += 1 }
        return floored
    }
}
enum TruncDivideFloatOp: FloatBinaryOp {
    @inline(__always) static func apply<T: FloatElement & ArithmeticElement>(_ a: T, _ b: T) -> T { (a / b).rounded(.towardZero) }
}

enum EqualOp: CompareOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> Bool { a == b }
}
enum NotEqualOp: CompareOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> Bool { a != b }
}
enum LessOp: CompareOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> Bool { T.less(a, b) }
}
enum LessEqualOp: CompareOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> Bool { T.less(a, b) || a == b }
}
enum GreaterOp: CompareOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> Bool { T.less(b, a) }
}
enum GreaterEqualOp: CompareOp {
    @inline(__always) static func apply<T: ArithmeticElement>(_ a: T, _ b: T) -> Bool { T.less(b, a) || a == b }
}

/// Integer kernels that can fail (division by zero) or need integer semantics.
enum IntegerBinary {
    case floorDivide, truncDivide, remainder, fmod, pow
}

/// Runs an ``IntegerBinary`` op over broadcast integer (or bool) operands.
struct IntegerBinaryKernel: DTypeVisitor {
    let a: Tensor, b: Tensor, out: Tensor
    let op: IntegerBinary

    func visit<T: ArithmeticElement>(_: T.Type) {
        switch T.dtype {
        case .int64: run(Int64.self)
        case .int32: run(Int32.self)
        case .uint8: run(UInt8.self)
        case .int8: run(Int8.self)
        case .int16: run(Int16.self)
        default: run(Int64.self)
        }
    }

    private func run<I: IntegerElement>(_: I.Type) {
        let op = self.op
        if op != .pow {
            // Division by zero is an error for integers, as in PyTorch.
            var zero = false
            mapUnary(b, into: Tensor(uninitializedShape: b.shape, dtype: .bool, zeroed: false)) { (y: I) -> Bool in
                if y == 0 { zero = true }
                return false
            }
            if zero { torchFatal("RuntimeError: ZeroDivisionError") }
        }
        mapBinary(a, b, into: out) { (x: I, y: I) -> I in
            switch op {
            case .truncDivide:
                return I.isSigned && y == -1 ? 0 &- x : x / y
            case .floorDivide:
                if I.isSigned && y == -1 { return 0 &- x }
                let q = x / y
                return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q
            case .remainder:
                if I.isSigned && y == -1 { return 0 }
                let r = x % y
                return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r
            case .fmod:
                return I.isSigned && y == -1 ? 0 : x % y
            case .pow:
                if y < 0 {
                    // Only 1 and -1 survive a negative exponent; PyTorch checks up front.
                    if x == 1 { return 1 }
                    if I.isSigned && x == I(truncatingIfNeeded: -1) { return (y & 1) == 0 ? 1 : x }
                    return 0
                }
                var result: I = 1, base = x, e = y
                while e > 0 {
                    if e & 1 == 1 { result = result &* base }
                    base = base &* base
                    e >>= 1
                }
                return result
            }
        }
    }
}
