/// A Swift type that can be the element type of a tensor's storage or be read out of one.
/// SwiftTorch only: PyTorch has no counterpart (Swift protocol glue for element types; PyTorch
/// names them by `torch.dtype`).
///
/// `Float`, `Double`, `Int`, `Int64`, `Int32`, `UInt8` and `Bool` conform; each names the
/// ``DType`` it is stored as (`Int` is stored as `int64`). Conversions between them follow
/// PyTorch's casts: float to integer truncates toward zero, anything non-zero is `true`.
public protocol TensorScalar: ScalarConvertible, Sendable, Equatable {
    /// The dtype a tensor built from this type gets.
    static var dtype: DType { get }
    /// Converts from a `Double` with PyTorch's cast rules.
    init(castingDouble value: Double)
    /// Converts from an `Int64` with PyTorch's cast rules (integers wrap).
    init(castingInt64 value: Int64)
    /// The value as a `Double` (exact for every type but large 64-bit integers).
    var doubleValue: Double { get }
    /// The value as an `Int64` (floats truncate toward zero).
    var int64Value: Int64 { get }
}

/// Float to 64-bit integer as C does on x86 for in-range values; out-of-range and NaN give
/// `Int64.min`, which is what PyTorch's CPU kernels produce there.
@inline(__always)
func truncatingToInt64(_ v: Double) -> Int64 {
    if v.isNaN || v >= 9.223372036854775807e18 || v < -9.223372036854775808e18 { return Int64.min }
    return Int64(v)
}

extension Float: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .float32 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = Float(value) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = Float(value) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { truncatingToInt64(Double(self)) }
}

extension Double: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .float64 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = value }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = Double(value) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { self }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { truncatingToInt64(self) }
}

extension Int64: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .int64 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = truncatingToInt64(value) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = value }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { self }
}

extension Int: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .int64 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = Int(truncatingToInt64(value)) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = Int(value) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { Int64(self) }
}

extension Int32: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .int32 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = Int32(truncatingIfNeeded: truncatingToInt64(value)) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = Int32(truncatingIfNeeded: value) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { Int64(self) }
}

extension UInt8: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .uint8 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = UInt8(truncatingIfNeeded: truncatingToInt64(value)) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = UInt8(truncatingIfNeeded: value) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { Int64(self) }
}

extension Int16: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .int16 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = Int16(truncatingIfNeeded: truncatingToInt64(value)) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = Int16(truncatingIfNeeded: value) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { Int64(self) }
}

extension Int8: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .int8 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = Int8(truncatingIfNeeded: truncatingToInt64(value)) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = Int8(truncatingIfNeeded: value) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { Int64(self) }
}

// A double becomes a half through float32, as `static_cast<c10::Half>(double)` does in
// PyTorch (two roundings; the corpus's conversion cases pin the result down).
extension Float16: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .float16 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = Float16(Float(value)) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = Float16(Float(value)) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(self) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { truncatingToInt64(Double(self)) }
}

extension BFloat16: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .bfloat16 }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = BFloat16(Float(value)) }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = BFloat16(Float(value)) }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { Double(floatValue) }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { truncatingToInt64(Double(floatValue)) }
}

extension Bool: TensorScalar {
    /// The dtype this type is stored as.
    public static var dtype: DType { .bool }
    /// Converts from a `Double` with PyTorch's cast rules.
    @inline(__always) public init(castingDouble value: Double) { self = value != 0 }
    /// Converts from an `Int64` with PyTorch's cast rules.
    @inline(__always) public init(castingInt64 value: Int64) { self = value != 0 }
    /// The value as a `Double`.
    @inline(__always) public var doubleValue: Double { self ? 1 : 0 }
    /// The value as an `Int64`.
    @inline(__always) public var int64Value: Int64 { self ? 1 : 0 }
}

/// Casts between two element types with PyTorch's rules, going through `Int64` whenever
/// the source is not floating so that large integers stay exact.
@inline(__always)
func castScalar<S: TensorScalar, D: TensorScalar>(_ s: S, to: D.Type) -> D {
    if S.self == D.self { return unsafeBitCast(s, to: D.self) }
    if S.dtype.isFloatingPoint {
        if D.self == Bool.self { return D(castingDouble: s.doubleValue) }
        return D(castingDouble: s.doubleValue)
    }
    return D(castingInt64: s.int64Value)
}
