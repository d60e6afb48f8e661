/// A Swift number given to a tensor op (`x + 2`, `full([2], 3.5)`, `fill_(true)`). SwiftTorch only:
/// PyTorch takes a Python number here (C++ `c10::Scalar`), so it needs no counterpart.
///
/// Like a Python number in PyTorch it carries only its category — boolean, integer or
/// floating — into type promotion: `intTensor + 2.5` is `float32`, not `float64`.
public enum Scalar: Sendable, Equatable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    /// A boolean.
    case bool(Bool)
    /// An integer.
    case int(Int64)
    /// A floating-point number.
    case double(Double)

    /// From an integer literal.
    public init(integerLiteral value: Int) { self = .int(Int64(value)) }
    /// From a float literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// From a boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// Wraps any tensor element value by its category.
    public init<T: TensorScalar>(_ value: T) {
        switch T.dtype {
        case .bool: self = .bool(value.int64Value != 0)
        case let dtype where dtype.isFloatingPoint: self = .double(value.doubleValue)
        default: self = .int(value.int64Value)
        }
    }

    /// The value as a `Double`.
    public var doubleValue: Double {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }

    /// The value as an `Int64` (floats truncate toward zero).
    public var int64Value: Int64 {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return i
        case .double(let d): return truncatingToInt64(d)
        }
    }

    /// The dtype a tensor made from this number alone gets: `bool`, `int64`, or the default
    /// floating dtype.
    public var defaultDType: DType {
        switch self {
        case .bool: return .bool
        case .int: return .int64
        case .double: return defaultDtype()
        }
    }

    /// The number as Python prints it.
    public var description: String {
        switch self {
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        }
    }
}
