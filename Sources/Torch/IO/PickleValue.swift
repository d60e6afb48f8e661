/// A Python value read from (or written to) a PyTorch file: what `torch.load` returns,
/// restricted to the types `torch.load(weights_only=True)` can build.
///
/// A checkpoint `{"model": state_dict, "optimizer": ..., "epoch": 3}` reads as
/// ```swift
/// let checkpoint = try loadPyTorch(from: "checkpoint.pt")
/// let epoch = checkpoint["epoch"]?.int                      // 3
/// let weights = checkpoint["model"]?.stateDict               // [String: Tensor]
/// let buffer = checkpoint["optimizer"]?["state"]?[0]?["momentum_buffer"]?.tensor
/// ```
public enum PickleValue: Sendable {
    /// Python's `None`.
    case none
    /// A `bool`.
    case bool(Bool)
    /// An `int` that fits in 64 bits.
    case int(Int)
    /// A `float`.
    case double(Double)
    /// A `str`; also how dtype and device objects (`torch.float32`, `torch.device("cpu")`)
    /// read back: as their names.
    case string(String)
    /// A `bytes` or `bytearray`.
    case bytes([UInt8])
    /// A `list` (and a `set`, in the order the file lists it).
    case list([PickleValue])
    /// A `tuple` (and a `torch.Size`).
    case tuple([PickleValue])
    /// A `dict` or `OrderedDict`, its entries in the file's order (keys may be any
    /// value: an optimizer's `state` is keyed by parameter index).
    case dict([(key: PickleValue, value: PickleValue)])
    /// A tensor (or a parameter); tensors that shared a storage in Python share one here.
    case tensor(Tensor)
}

extension PickleValue {
    /// The value under a string key of a dictionary (`value["model"]`), or `nil`.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let pairs) = self else { return nil }
        return pairs.last { if case .string(key) = $0.key { true } else { false } }?.value
    }

    /// Element `index` of a list or tuple, or the value under the integer key `index` of a
    /// dictionary (an optimizer's `state[0]`); `nil` when there is none.
    public subscript(index: Int) -> PickleValue? {
        switch self {
        case .list(let items), .tuple(let items):
            return items.indices.contains(index) ? items[index] : nil
        case .dict(let pairs):
            return pairs.last { if case .int(index) = $0.key { true } else { false } }?.value
        default:
            return nil
        }
    }

    /// The tensor, when this is one.
    public var tensor: Tensor? { if case .tensor(let t) = self { t } else { nil } }
    /// The integer, when this is an `int` (or a `bool`, as Python counts it).
    public var int: Int? {
        switch self {
        case .int(let n): n
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }
    /// The number, when this is a `float` or an `int`.
    public var double: Double? {
        switch self {
        case .double(let x): x
        case .int(let n): Double(n)
        default: nil
        }
    }
    /// The flag, when this is a `bool`.
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The text, when this is a `str`.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// Whether this is `None`.
    public var isNone: Bool { if case .none = self { true } else { false } }
    /// The elements, when this is a list or a tuple.
    public var array: [PickleValue]? {
        switch self {
        case .list(let items), .tuple(let items): items
        default: nil
        }
    }
    /// The entries, when this is a dictionary whose keys are all strings.
    public var dictionary: [String: PickleValue]? {
        guard case .dict(let pairs) = self else { return nil }
        var out: [String: PickleValue] = [:]
        for (key, value) in pairs {
            guard case .string(let name) = key else { return nil }
            out[name] = value
        }
        return out
    }

    /// The tensors of a state dict, ready for `Module.loadStateDict(_:strict:)`.
    ///
    /// The `state_dict` or `model` entry of a checkpoint, when that is a dictionary of
    /// tensors; otherwise this value itself, when it is a string-keyed dictionary of
    /// tensors. Nested dictionaries are flattened under dotted names (`"encoder.0.weight"`).
    /// `nil` when neither holds only tensors and dictionaries.
    public var stateDict: [String: Tensor]? {
        // A real state dict is flat ("model.0.weight" keys), so a "model" entry holding a
        // dictionary means a checkpoint: prefer it to flattening the whole checkpoint.
        for key in ["state_dict", "model"] {
            if let flat = self[key]?.flattenedTensors(prefix: "", depth: 0) { return flat }
        }
        return flattenedTensors(prefix: "", depth: 0)
    }

    private func flattenedTensors(prefix: String, depth: Int) -> [String: Tensor]? {
        guard case .dict(let pairs) = self, depth < 64 else { return nil }
        var out: [String: Tensor] = [:]
        for (key, value) in pairs {
            guard case .string(let name) = key else { return nil }
            let full = prefix.isEmpty ? name : prefix + "." + name
            switch value {
            case .tensor(let t): out[full] = t
            case .dict:
                guard let inner = value.flattenedTensors(prefix: full, depth: depth + 1) else { return nil }
                out.merge(inner) { _, new in new }
            default: return nil
            }
        }
        return out
    }
}

extension PickleValue: CustomStringConvertible {
    /// A Python-like rendering; tensors show as `tensor(float32, [2, 3])`.
    public var description: String {
        switch self {
        case .none: "None"
        case .bool(let b): b ? "True" : "False"
        case .int(let n): "\(n)"
        case .double(let x): "\(x)"
        case .string(let s): "'\(s)'"
        case .bytes(let b): "b<\(b.count) bytes>"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .tuple(let items): "(" + items.map(\.description).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case .dict(let pairs): "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .tensor(let t): "tensor(\(t.dtype), \(t.shape))"
        }
    }
}
