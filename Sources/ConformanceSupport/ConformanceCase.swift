import Torch

/// One recorded PyTorch call: the op, its inputs, and what PyTorch returned (FORMAT.md). SwiftTorch
/// only: PyTorch has no counterpart (conformance-runner plumbing).
public struct ConformanceCase: Sendable {
    /// `group/variant/n`.
    public let id: String
    /// PyTorch's op name, e.g. `add`, `Tensor.view`, `nn.functional.conv2d`.
    public let op: String
    /// Positional arguments as recorded.
    public let inputs: [JSON]
    /// Keyword arguments as recorded (PyTorch's names).
    public let kwargs: [String: JSON]
    /// The result: a tensor, a list, a number, a string, or `{"error": ...}`.
    public let out: JSON
    /// `out.grad_fn.name()` when an input required grad.
    public let gradFn: String?
    /// The upstream gradient for differentiable cases.
    public let gradOut: JSON?
    /// The expected input gradients (`null` for inputs without one).
    public let grads: [JSON]?
    /// Relative tolerance.
    public let rtol: Double
    /// Absolute tolerance.
    public let atol: Double
    /// The corpus file (without `.jsonl`) the case came from.
    public let file: String

    /// The substring of PyTorch's error message, when the case records an error.
    public var expectedError: String? { out["error"]?.string }

    /// dtype names in the case (tensors anywhere in inputs, kwargs, out, grads, or a
    /// `kwargs.dtype`) that SwiftTorch does not know: such a case is skipped with that
    /// reason instead of stopping the replay.
    public var unknownDTypes: [String] {
        var names: [String] = []
        func visit(_ j: JSON) {
            switch j {
            case .object(let o):
                if let d = o["dtype"]?.string, DType(name: d) == nil { names.append(d) }
                o.values.forEach(visit)
            case .array(let a):
                a.forEach(visit)
            default:
                break
            }
        }
        inputs.forEach(visit)
        visit(.object(kwargs))
        visit(out)
        gradOut.map(visit)
        grads?.forEach(visit)
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// Decodes one line of a corpus file.
    public init(json: JSON, file: String) throws {
        guard let id = json["id"]?.string, let op = json["op"]?.string, let out = json["out"] else {
            throw JSONParseError(description: "case without id/op/out")
        }
        self.id = id
        self.op = op
        self.inputs = json["inputs"]?.array ?? []
        self.kwargs = json["kwargs"]?.object ?? [:]
        self.out = out
        self.gradFn = json["grad_fn"]?.string
        self.gradOut = json["grad_out"]
        self.grads = json["grads"]?.array
        self.rtol = json["rtol"]?.number ?? 0
        self.atol = json["atol"]?.number ?? 0
        self.file = file
    }
}

/// Reads a recorded tensor (`{"dtype", "shape", "data", "strides"?, "offset"?}`). SwiftTorch only:
/// PyTorch has no counterpart (conformance-runner plumbing).
///
/// With `strides`, `data` is the whole storage and the tensor is the strided view of it.
public func decodeTensor(_ json: JSON) -> Tensor? {
    guard let dtypeName = json["dtype"]?.string, let dtype = DType(name: dtypeName),
          let shape = json["shape"]?.array?.compactMap(\.int),
          let data = json["data"]?.array else { return nil }
    let values: [Scalar] = data.map { v in
        switch v {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        default: return .double(v.number ?? .nan)
        }
    }
    if let strides = json["strides"]?.array?.compactMap(\.int) {
        let base = Tensor(shape: [values.count], values: values, dtype: dtype)
        return base.asStrided(shape, strides, offset: json["offset"]?.int ?? 0)
    }
    return Tensor(shape: shape, values: values, dtype: dtype)
}

/// `true` when `json` is a recorded tensor. SwiftTorch only: PyTorch has no counterpart
/// (conformance-runner plumbing).
public func isTensorJSON(_ json: JSON) -> Bool {
    json["dtype"] != nil && json["shape"] != nil && json["data"] != nil
}
