/// The element type of a tensor, chosen at run time as in PyTorch.
///
/// `description` prints PyTorch's name (`torch.float32`), so `print(x.dtype)` reads the same
/// in both languages.
public enum DType: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Boolean, one byte per element.
    case bool
    /// Unsigned 8-bit integer (`torch.uint8`).
    case uint8
    /// Signed 8-bit integer (`torch.int8`; `Tensor.char()`).
    case int8
    /// Signed 16-bit integer (`torch.int16`, PyTorch's `short`).
    case int16
    /// Signed 32-bit integer (`torch.int32`).
    case int32
    /// Signed 64-bit integer (`torch.int64`, PyTorch's `long`).
    case int64
    /// 32-bit IEEE float, the default floating dtype.
    case float32
    /// 64-bit IEEE float (`torch.float64`, PyTorch's `double`).
    case float64
    /// 16-bit IEEE half-precision float (`torch.float16`, PyTorch's `half`), stored as
    /// Swift's `Float16`. Math runs in float32 and is rounded once per op, as PyTorch's CPU
    /// kernels do.
    case float16
    /// Brain float: float32's exponent with an 8-bit significand (`torch.bfloat16`), stored
    /// as ``BFloat16``. Math runs in float32 and is rounded once per op.
    case bfloat16

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .int16, .float16, .bfloat16: return 2
        case .int32, .float32: return 4
        case .int64, .float64: return 8
        }
    }

    /// `true` for `float16`, `bfloat16`, `float32` and `float64`.
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64: return true
        default: return false
        }
    }

    /// The significand width of a floating dtype with its implicit bit
    /// (`std::numeric_limits<scalar_t>::digits`: 24 for float32), `nil` for the others.
    var significandDigits: Int? {
        switch self {
        case .float32: return 24
        case .float64: return 53
        case .float16: return 11
        case .bfloat16: return 8
        default: return nil
        }
    }

    /// The smallest and largest value of an integer or bool dtype (int64's range for the
    /// others).
    var integerRange: (min: Int64, max: Int64) {
        switch self {
        case .bool: return (0, 1)
        case .uint8: return (0, 255)
        case .int8: return (Int64(Int8.min), Int64(Int8.max))
        case .int16: return (Int64(Int16.min), Int64(Int16.max))
        case .int32: return (Int64(Int32.min), Int64(Int32.max))
        default: return (Int64.min, Int64.max)
        }
    }

    /// PyTorch's legacy tensor type name (`x.type()`): `torch.FloatTensor` for float32.
    var legacyTensorTypeName: String {
        switch self {
        case .bool: return "torch.BoolTensor"
        case .uint8: return "torch.ByteTensor"
        case .int8: return "torch.CharTensor"
        case .int16: return "torch.ShortTensor"
        case .float16: return "torch.HalfTensor"
        case .bfloat16: return "torch.BFloat16Tensor"
        case .int32: return "torch.IntTensor"
        case .int64: return "torch.LongTensor"
        case .float32: return "torch.FloatTensor"
        case .float64: return "torch.DoubleTensor"
        }
    }

    /// `true` for the 16-bit floats, which kernels compute in float32 and round once.
    public var isReducedPrecisionFloat: Bool { self == .float16 || self == .bfloat16 }

    /// `true` for the integer dtypes (not `bool`).
    public var isInteger: Bool {
        switch self {
        case .uint8, .int8, .int16, .int32, .int64: return true
        default: return false
        }
    }

    /// `true` for the dtypes that hold negative numbers.
    public var isSigned: Bool { self != .bool && self != .uint8 }

    /// PyTorch's short name, as written in the conformance corpus (`"float32"`).
    public var name: String {
        switch self {
        case .bool: return "bool"
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float32: return "float32"
        case .float64: return "float64"
        case .float16: return "float16"
        case .bfloat16: return "bfloat16"
        }
    }

    /// Parses PyTorch's short name (`"float32"`, `"long"`, `"double"`, ...); `nil` if unknown.
    public init?(name: String) {
        let bare = name.hasPrefix("torch.") ? String(name.dropFirst(6)) : name
        switch bare {
        case "bool": self = .bool
        case "uint8": self = .uint8
        case "int8": self = .int8
        case "int16", "short": self = .int16
        case "float16", "half": self = .float16
        case "bfloat16": self = .bfloat16
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
        case .int8: return "Char"
        case .int16: return "Short"
        case .int32: return "Int"
        case .int64: return "Long"
        case .float32: return "Float"
        case .float64: return "Double"
        case .float16: return "Half"
        case .bfloat16: return "BFloat16"
        }
    }

    /// The C++ element type, as matmul's dtype-mismatch error prints it (`float`, `long int`).
    var cppName: String {
        switch self {
        case .bool: return "bool"
        case .uint8: return "unsigned char"
        case .int8: return "signed char"
        case .int16: return "short int"
        case .int32: return "int"
        case .int64: return "long int"
        case .float32: return "float"
        case .float64: return "double"
        case .float16: return "c10::Half"
        case .bfloat16: return "c10::BFloat16"
        }
    }
}

extension DType {
    /// The largest finite value of a floating dtype (float64's for the others), as a Double.
    var greatestFiniteValue: Double {
        switch self {
        case .float32: return Double(Float.greatestFiniteMagnitude)
        case .float16: return Double(Float16.greatestFiniteMagnitude)
        case .bfloat16: return Double(BFloat16.greatestFiniteMagnitude)
        default: return Double.greatestFiniteMagnitude
        }
    }

    /// The gap between 1 and the next larger value of a floating dtype (float64's for the
    /// others), as a Double: `torch.finfo(dtype).eps`.
    var machineEpsilon: Double {
        switch self {
        case .float32: return Double(Float.ulpOfOne)
        case .float16: return Double(Float16.ulpOfOne)
        case .bfloat16: return Double(BFloat16.ulpOfOne)
        default: return Double.ulpOfOne
        }
    }

    /// The smallest positive normal value of a floating dtype (float64's for the others), as
    /// a Double: `torch.finfo(dtype).tiny`. bfloat16 has float32's exponent range.
    var smallestNormal: Double {
        switch self {
        case .float32, .bfloat16: return Double(Float.leastNormalMagnitude)
        case .float16: return Double(Float16.leastNormalMagnitude)
        default: return Double.leastNormalMagnitude
        }
    }
}
