/// A brain float (`torch.bfloat16`): the upper half of a float32 — the same sign and 8-bit
/// exponent, a 7-bit stored significand.
///
/// Swift has no such type, so SwiftTorch defines it as PyTorch's `c10::BFloat16` does:
/// a float32 is rounded to nearest, ties to even, NaN stays NaN (quiet), and arithmetic
/// runs in float32 and rounds once. Written by hand because no maintained Swift package
/// provides it.
@frozen
public struct BFloat16: Sendable, Hashable {
    /// The 16 stored bits (the upper 16 bits of the equivalent float32).
    public var bitPattern: UInt16

    /// The value with these stored bits.
    @inline(__always)
    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// `value` rounded to the nearest bfloat16, ties to even. NaN becomes `0xFFFF`, the
    /// NaN PyTorch's vectorised CPU conversion writes (its scalar one writes `0x7FC0`; the
    /// corpus records the vector kernel's).
    @inline(__always)
    public init(_ value: Float) {
        if value.isNaN {
            bitPattern = 0xFFFF
            return
        }
        let bits = value.bitPattern
        let bias = ((bits >> 16) & 1) &+ 0x7FFF
        bitPattern = UInt16(truncatingIfNeeded: (bits &+ bias) >> 16)
    }

    /// `value` through float32 first, as PyTorch converts a double to bfloat16.
    @inline(__always)
    public init(_ value: Double) { self.init(Float(value)) }

    /// The exact float32 value.
    @inline(__always)
    public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }
}

extension Float {
    /// The exact value of a bfloat16.
    @inline(__always)
    public init(_ value: BFloat16) { self = value.floatValue }
}

extension Double {
    /// The exact value of a bfloat16.
    @inline(__always)
    public init(_ value: BFloat16) { self = Double(value.floatValue) }
}

extension BFloat16: CustomStringConvertible, CustomDebugStringConvertible {
    /// The shortest decimal that reads back as this value, as for `Float`.
    public var description: String { floatValue.description }
    /// Same as `description`.
    public var debugDescription: String { floatValue.debugDescription }
}

extension BFloat16: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// A literal rounded to the nearest bfloat16.
    public init(floatLiteral value: Float) { self.init(value) }
    /// An integer literal rounded to the nearest bfloat16.
    public init(integerLiteral value: Int) { self.init(Float(value)) }
}

extension BFloat16: Comparable {
    /// Ordered as float32 (NaN compares false).
    @inline(__always)
    public static func < (a: BFloat16, b: BFloat16) -> Bool { a.floatValue < b.floatValue }
    /// Equal as float32 (`-0 == 0`, NaN unequal to itself).
    @inline(__always)
    public static func == (a: BFloat16, b: BFloat16) -> Bool { a.floatValue == b.floatValue }
    /// Hashes the value so that `0` and `-0` hash alike.
    public func hash(into hasher: inout Hasher) { hasher.combine(floatValue) }
}

extension BFloat16: BinaryFloatingPoint {
    /// Positive zero.
    public static var zero: BFloat16 { BFloat16(bitPattern: 0) }
    /// The exponent's type.
    public typealias Exponent = Int
    /// The stored significand bits' type.
    public typealias RawSignificand = UInt16
    /// The stored exponent bits' type.
    public typealias RawExponent = UInt
    /// The magnitude's type (itself).
    public typealias Magnitude = BFloat16
    /// The distance type of `Strideable` (itself).
    public typealias Stride = BFloat16

    /// 8 exponent bits, as float32.
    public static var exponentBitCount: Int { 8 }
    /// 7 stored significand bits.
    public static var significandBitCount: Int { 7 }

    /// A quiet NaN, `0x7FC0`.
    public static var nan: BFloat16 { BFloat16(bitPattern: 0x7FC0) }
    /// A signalling NaN.
    public static var signalingNaN: BFloat16 { BFloat16(bitPattern: 0x7FA0) }
    /// Positive infinity.
    public static var infinity: BFloat16 { BFloat16(bitPattern: 0x7F80) }
    /// The largest finite value, about 3.39e38.
    public static var greatestFiniteMagnitude: BFloat16 { BFloat16(bitPattern: 0x7F7F) }
    /// π rounded to bfloat16.
    public static var pi: BFloat16 { BFloat16(bitPattern: 0x4049) }
    /// The smallest positive normal value (float32's).
    public static var leastNormalMagnitude: BFloat16 { BFloat16(bitPattern: 0x0080) }
    /// The smallest positive subnormal value.
    public static var leastNonzeroMagnitude: BFloat16 { BFloat16(bitPattern: 0x0001) }

    /// The value with these sign, exponent and significand bits.
    public init(sign: FloatingPointSign, exponentBitPattern: UInt, significandBitPattern: UInt16) {
        let s: UInt16 = sign == .minus ? 0x8000 : 0
        bitPattern = s | UInt16(truncatingIfNeeded: (exponentBitPattern & 0xFF) << 7) | (significandBitPattern & 0x7F)
    }

    /// `significand · 2^exponent` with `sign`.
    public init(sign: FloatingPointSign, exponent: Int, significand: BFloat16) {
        self.init(Float(sign: sign, exponent: exponent, significand: significand.floatValue))
    }

    /// The integer rounded to the nearest bfloat16.
    public init<Source: BinaryInteger>(_ value: Source) { self.init(Float(value)) }

    /// The half value, rounded (through float32) to bfloat16.
    public init(_ value: Float16) { self.init(Float(value)) }
    #if !(os(Windows) || os(Android) || os(WASI)) && (arch(i386) || arch(x86_64))
    /// The value rounded (through float32) to bfloat16.
    public init(_ value: Float80) { self.init(Float(value)) }
    #endif

    /// The 8 stored exponent bits.
    public var exponentBitPattern: UInt { UInt((bitPattern >> 7) & 0xFF) }
    /// The 7 stored significand bits.
    public var significandBitPattern: UInt16 { bitPattern & 0x7F }
    /// The sign bit.
    public var sign: FloatingPointSign { bitPattern & 0x8000 != 0 ? .minus : .plus }
    /// The unbiased exponent.
    public var exponent: Int { floatValue.exponent }
    /// The significand in [1, 2).
    public var significand: BFloat16 { BFloat16(floatValue.significand) }
    /// The absolute value.
    public var magnitude: BFloat16 { BFloat16(bitPattern: bitPattern & 0x7FFF) }
    /// The gap to the next larger value.
    public var ulp: BFloat16 { nextUp - self }
    /// The power of two at the bottom of this value's binade.
    public var binade: BFloat16 { BFloat16(floatValue.binade) }
    /// Significand bits that are set, after the leading one.
    public var significandWidth: Int {
        let w = floatValue.significandWidth
        return w < 0 ? w : Swift.min(w, 7)
    }
    /// The next larger representable value.
    public var nextUp: BFloat16 {
        if isNaN || self == .infinity { return self }
        if bitPattern == 0x8000 { return BFloat16(bitPattern: 1) }
        return sign == .minus ? BFloat16(bitPattern: bitPattern - 1) : BFloat16(bitPattern: bitPattern + 1)
    }

    /// Whether the value is normal.
    public var isNormal: Bool { floatValue.isNormal }
    /// Whether the value is finite.
    public var isFinite: Bool { floatValue.isFinite }
    /// Whether the value is ±0.
    public var isZero: Bool { bitPattern & 0x7FFF == 0 }
    /// Whether the value is subnormal.
    public var isSubnormal: Bool { floatValue.isSubnormal }
    /// Whether the value is ±∞.
    public var isInfinite: Bool { floatValue.isInfinite }
    /// Whether the value is NaN.
    public var isNaN: Bool { floatValue.isNaN }
    /// Whether the value is a signalling NaN.
    public var isSignalingNaN: Bool { floatValue.isSignalingNaN }
    /// Always `true`: every encoding is canonical.
    public var isCanonical: Bool { true }

    /// `+` computed in float32 and rounded to nearest even.
    @inline(__always) public static func + (a: BFloat16, b: BFloat16) -> BFloat16 { BFloat16(a.floatValue + b.floatValue) }
    /// `-` computed in float32 and rounded to nearest even.
    @inline(__always) public static func - (a: BFloat16, b: BFloat16) -> BFloat16 { BFloat16(a.floatValue - b.floatValue) }
    /// `*` computed in float32 and rounded to nearest even.
    @inline(__always) public static func * (a: BFloat16, b: BFloat16) -> BFloat16 { BFloat16(a.floatValue * b.floatValue) }
    /// `/` computed in float32 and rounded to nearest even.
    @inline(__always) public static func / (a: BFloat16, b: BFloat16) -> BFloat16 { BFloat16(a.floatValue / b.floatValue) }
    /// `+=` computed in float32 and rounded to nearest even.
    @inline(__always) public static func += (a: inout BFloat16, b: BFloat16) { a = a + b }
    /// `-=` computed in float32 and rounded to nearest even.
    @inline(__always) public static func -= (a: inout BFloat16, b: BFloat16) { a = a - b }
    /// `*=` computed in float32 and rounded to nearest even.
    @inline(__always) public static func *= (a: inout BFloat16, b: BFloat16) { a = a * b }
    /// `/=` computed in float32 and rounded to nearest even.
    @inline(__always) public static func /= (a: inout BFloat16, b: BFloat16) { a = a / b }
    /// `-` computed in float32 and rounded to nearest even.
    @inline(__always) public static prefix func - (a: BFloat16) -> BFloat16 { BFloat16(bitPattern: a.bitPattern ^ 0x8000) }
    /// Flips the sign bit.
    public mutating func negate() { bitPattern ^= 0x8000 }

    /// The IEEE remainder, computed in float32 and rounded.
    public mutating func formRemainder(dividingBy other: BFloat16) {
        self = BFloat16(floatValue.remainder(dividingBy: other.floatValue))
    }
    /// The truncating remainder, computed in float32 and rounded.
    public mutating func formTruncatingRemainder(dividingBy other: BFloat16) {
        self = BFloat16(floatValue.truncatingRemainder(dividingBy: other.floatValue))
    }
    /// The square root, computed in float32 and rounded.
    public mutating func formSquareRoot() { self = BFloat16(floatValue.squareRoot()) }
    /// Adds `lhs · rhs`, computed in float32 and rounded once.
    public mutating func addProduct(_ lhs: BFloat16, _ rhs: BFloat16) {
        self = BFloat16(floatValue.addingProduct(lhs.floatValue, rhs.floatValue))
    }
    /// Rounds to an integral value by `rule`.
    public mutating func round(_ rule: FloatingPointRoundingRule) { self = BFloat16(floatValue.rounded(rule)) }

    /// IEEE equality.
    public func isEqual(to other: BFloat16) -> Bool { floatValue == other.floatValue }
    /// IEEE less-than.
    public func isLess(than other: BFloat16) -> Bool { floatValue < other.floatValue }
    /// IEEE less-than-or-equal.
    public func isLessThanOrEqual(to other: BFloat16) -> Bool { floatValue <= other.floatValue }
    /// IEEE less-than-or-equal.
    public func isLessThanOrEqualTo(_ other: BFloat16) -> Bool { floatValue <= other.floatValue }
    /// IEEE total order.
    public func isTotallyOrdered(belowOrEqualTo other: BFloat16) -> Bool {
        floatValue.isTotallyOrdered(belowOrEqualTo: other.floatValue)
    }

    /// `other - self`.
    public func distance(to other: BFloat16) -> BFloat16 { other - self }
    /// `self + n`.
    public func advanced(by n: BFloat16) -> BFloat16 { self + n }
}

extension BFloat16 {
    /// `value` if a bfloat16 holds it exactly, else `nil`.
    public init?<Source: BinaryInteger>(exactly value: Source) {
        guard let f = Float(exactly: value) else { return nil }
        self.init(f)
        if Float(self) != f { return nil }
    }
}
