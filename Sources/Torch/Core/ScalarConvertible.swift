/// A Swift number that can stand where an op takes a ``Scalar``. SwiftTorch only: PyTorch has no
/// counterpart (Swift protocol glue; any Python number is accepted).
///
/// `Scalar` is expressible by literals, so `x * 2.0` always worked; a number held in a
/// variable has a concrete Swift type (`let lr: Double`) and Swift never converts it
/// implicitly. Every op that takes a `Scalar` therefore also takes `some ScalarConvertible`,
/// and every standard Swift number type conforms. The conversion keeps only the number's
/// category, as a Python number does in PyTorch: a Swift integer is an integral Python
/// number (`floatTensor * n` stays `float32`), a Swift float is a Python float
/// (`intTensor * x` is `float32`, never `float64`), a `Bool` is a Python `bool`.
public protocol ScalarConvertible: Sendable {
    /// The number as a ``Scalar`` of its category (boolean, integer or floating).
    var scalarValue: Scalar { get }
}

extension Scalar: ScalarConvertible {
    /// The scalar itself.
    public var scalarValue: Scalar { self }
}

extension TensorScalar {
    /// The element value as a ``Scalar`` of its category.
    public var scalarValue: Scalar { Scalar(self) }
}

/// An unsigned value too large for PyTorch's 64-bit integer scalar fails as a Python int
/// that does not fit an `int64_t` does.
private func checkedInt64<T: BinaryInteger>(_ value: T) -> Int64 {
    guard let v = Int64(exactly: value) else {
        torchFatal("RuntimeError: Overflow when unpacking long")
    }
    return v
}

extension Int8: ScalarConvertible {
    /// The value as an integer ``Scalar``.
    public var scalarValue: Scalar { .int(Int64(self)) }
}

extension Int16: ScalarConvertible {
    /// The value as an integer ``Scalar``.
    public var scalarValue: Scalar { .int(Int64(self)) }
}

extension UInt16: ScalarConvertible {
    /// The value as an integer ``Scalar``.
    public var scalarValue: Scalar { .int(Int64(self)) }
}

extension UInt32: ScalarConvertible {
    /// The value as an integer ``Scalar``.
    public var scalarValue: Scalar { .int(Int64(self)) }
}

extension UInt64: ScalarConvertible {
    /// The value as an integer ``Scalar``; values above `Int64.max` fail as in PyTorch.
    public var scalarValue: Scalar { .int(checkedInt64(self)) }
}

extension UInt: ScalarConvertible {
    /// The value as an integer ``Scalar``; values above `Int64.max` fail as in PyTorch.
    public var scalarValue: Scalar { .int(checkedInt64(self)) }
}

// Float16 does not exist on Intel Macs; everywhere else it is a standard Swift number.
#if !(os(macOS) && arch(x86_64))
extension Float16: ScalarConvertible {
    /// The value as a floating ``Scalar`` (exactly: every half fits a double).
    public var scalarValue: Scalar { .double(Double(self)) }
}
#endif

extension ScalarConvertible where Self == Double {
    /// `.infinity` where a hyper-parameter takes any Swift number (`x.norm(p: .infinity)`,
    /// `clipGradNorm_(ps, maxNorm: 1, normType: .infinity)`): a `Double` infinity, PyTorch's
    /// `float('inf')`. A negative one is spelled `-Double.infinity`.
    public static var infinity: Double { Double.infinity }
}
