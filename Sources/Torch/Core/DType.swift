/// The element type of a tensor, chosen at run time as in PyTorch.
///
/// `description` prints PyTorch's name (`torch.float32`), so `print(x.dtype)` reads the same
/// in both languages.
public enum DType: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Boolean, one byte per element.
    case bool
    /// Unsigned 8-bit integer (`torch.uint8`).
    case uint8
    /// Signed 32-bit integer (`torch.int32`).
    case int32
    /// Signed 64-bit integer (`torch.int64`, PyTorch's `long`).
    case int64
    /// 32-bit IEEE float, the default floating dtype.
    case float32
    /// 64-bit IEEE float (`torch.float64`, PyTorch's `double`).
    case float64

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .bool, .uint8: return 1
        case .int32, .float32: return 4
        case .int64, .float64: return 8
        }
    }

    /// `true` for `float32` and `float64`.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// `true` for the integer dtypes (not `bool`).
    public var isInteger: Bool { self == .uint8 || self == .int32 || self == .int64 }

    /// PyTorch's short name, as written in the conformance corpus (`"float32"`).
    public var name: String {
        switch self {
        case .bool: return "bool"
        case .uint8: return "uint8"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float32: return "float32"
        case .float64: return "float64"
        }
    }

    /// Parses PyTorch's short name (`"float32"`, `"long"`, `"double"`, ...); `nil` if unknown.
    public init?(name: String) {
        let bare = name.hasPrefix("torch.") ? String(name.dropFirst(6)) : name
        switch bare {
        case "bool": self = .bool
        case "uint8": self = .uint8
        case "int32", "int": self = .int32
        case "int64", "long": self = .int64
        case "float32", "float": self = .float32
        case "float64", "double": self = .float64
        default: return nil
        }
    }

    /// `torch.float32` and so on, as PyTorch prints a dtype.
    public var description: String { "torch." + name }

    /// The type-promotion category: bool < integer < floating.
    var category: Int {
        if self == .bool { return 0 }
        return isFloatingPoint ? 2 : 1
    }
}

extension DType {
    /// PyTorch's `ScalarType` name, as its kernel and dispatch errors print a dtype
    /// (`'Float'`, `'Long'`, `"normal_kernel_cpu" not implemented for 'Long'`).
    var scalarTypeName: String {
        switch self {
        case .bool: return "Bool"
        case .uint8: return "Byte"
        case .int32: return "Int"
        case .int64: return "Long"
        case .float32: return "Float"
        case .float64: return "Double"
        }
    }

    /// The C++ element type, as matmul's dtype-mismatch error prints it (`float`, `long int`).
    var cppName: String {
        switch self {
        case .bool: return "bool"
        case .uint8: return "unsigned char"
        case .int32: return "int"
        case .int64: return "long int"
        case .float32: return "float"
        case .float64: return "double"
        }
    }
}
