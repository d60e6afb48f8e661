/// The arithmetic element protocols: one generic kernel per op, specialised for every dtype
/// by `DTypeDispatch.swift`.

/// An element type with PyTorch's arithmetic: floats as IEEE, integers wrapping on
/// overflow (as C++ does in PyTorch's kernels), booleans as logic (`+` is or, `*` is and).
protocol ArithmeticElement: TensorScalar {
    static var zero: Self { get }
    static var one: Self { get }
    static func plus(_ a: Self, _ b: Self) -> Self
    static func minus(_ a: Self, _ b: Self) -> Self
    static func times(_ a: Self, _ b: Self) -> Self
    /// `a < b` (`false < true` for booleans).
    static func less(_ a: Self, _ b: Self) -> Bool
    /// `true` when the value is NaN (never for integers).
    var isNaNValue: Bool { get }
}

extension ArithmeticElement where Self: BinaryFloatingPoint {
    @inline(__always) static var zero: Self { 0 }
    @inline(__always) static var one: Self { 1 }
    @inline(__always) static func plus(_ a: Self, _ b: Self) -> Self { a + b }
    @inline(__always) static func minus(_ a: Self, _ b: Self) -> Self { a - b }
    @inline(__always) static func times(_ a: Self, _ b: Self) -> Self { a * b }
    @inline(__always) static func less(_ a: Self, _ b: Self) -> Bool { a < b }
    @inline(__always) var isNaNValue: Bool { isNaN }
}

extension ArithmeticElement where Self: FixedWidthInteger {
    @inline(__always) static var zero: Self { 0 }
    @inline(__always) static var one: Self { 1 }
    @inline(__always) static func plus(_ a: Self, _ b: Self) -> Self { a &+ b }
    @inline(__always) static func minus(_ a: Self, _ b: Self) -> Self { a &- b }
    @inline(__always) static func times(_ a: Self, _ b: Self) -> Self { a &* b }
    @inline(__always) static func less(_ a: Self, _ b: Self) -> Bool { a < b }
    @inline(__always) var isNaNValue: Bool { false }
}

extension Float: ArithmeticElement {}
extension Double: ArithmeticElement {}
extension Int64: ArithmeticElement {}
extension Int32: ArithmeticElement {}
extension UInt8: ArithmeticElement {}
extension Int8: ArithmeticElement {}
extension Int16: ArithmeticElement {}
// Swift's half arithmetic computes in float32 and rounds once (x86 has no half ALU), and
// BFloat16's operators do the same: PyTorch's CPU semantics for both.
extension Float16: ArithmeticElement {}
extension BFloat16: ArithmeticElement {}

extension Bool: ArithmeticElement {
    @inline(__always) static var zero: Bool { false }
    @inline(__always) static var one: Bool { true }
    @inline(__always) static func plus(_ a: Bool, _ b: Bool) -> Bool { a || b }
    @inline(__always) static func minus(_ a: Bool, _ b: Bool) -> Bool { a != b }
    @inline(__always) static func times(_ a: Bool, _ b: Bool) -> Bool { a && b }
    @inline(__always) static func less(_ a: Bool, _ b: Bool) -> Bool { !a && b }
    @inline(__always) var isNaNValue: Bool { false }
}

/// An integer element type (for floor division, remainder and integer powers).
protocol IntegerElement: ArithmeticElement, FixedWidthInteger {}
extension Int64: IntegerElement {}
extension Int32: IntegerElement {}
extension UInt8: IntegerElement {}
extension Int8: IntegerElement {}
extension Int16: IntegerElement {}
