import Torch

/// What a replayed op returned. SwiftTorch only: PyTorch has no counterpart (conformance-runner
/// plumbing).
public enum OpValue {
    /// One tensor.
    case tensor(Tensor)
    /// A tuple or list of tensors (`max` with `dim`, `split`, `chunk`).
    case tensors([Tensor])
    /// A Python number (`item()`).
    case scalar(Scalar)
    /// A string (`repr`).
    case string(String)
}

/// An argument of a replayed call, decoded from the corpus. SwiftTorch only: PyTorch has no
/// counterpart (conformance-runner plumbing).
public enum OpArgument {
    /// A tensor input.
    case tensor(Tensor)
    /// A Python number or bool.
    case scalar(Scalar)
    /// A Python list (shapes, dims, lists of tensors).
    case list([OpArgument])
    /// A string (`equation`, `reduction`, `mode`).
    case string(String)
    /// Python's `None`.
    case none
    /// A slice `start:stop:step` written in an expression's subscript.
    case slice(Int?, Int?, Int)

    /// Decodes a recorded argument.
    public init(_ json: JSON) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .scalar(.bool(b))
        case .int(let i): self = .scalar(.int(i))
        case .double(let d): self = .scalar(.double(d))
        case .string(let s):
            switch s {
            case "nan": self = .scalar(.double(.nan))
            case "inf": self = .scalar(.double(.infinity))
            case "-inf": self = .scalar(.double(-.infinity))
            default: self = .string(s)
            }
        case .array(let a): self = .list(a.map(OpArgument.init))
        case .object:
            if let t = decodeTensor(json) { self = .tensor(t) } else { self = .none }
        }
    }

    /// The tensor, if this is one.
    public var tensor: Tensor? { if case .tensor(let t) = self { return t } else { return nil } }
    /// The number, if this is one.
    public var scalar: Scalar? { if case .scalar(let s) = self { return s } else { return nil } }
    /// The list items, if this is a list.
    public var list: [OpArgument]? { if case .list(let l) = self { return l } else { return nil } }
    /// A list of integers (a shape or dims); a single integer becomes a one-element list.
    public var ints: [Int]? {
        switch self {
        case .list(let l): return l.compactMap { $0.scalar.map { Int($0.int64Value) } }
        case .scalar(let s): return [Int(s.int64Value)]
        default: return nil
        }
    }
    /// An integer, if this is one.
    public var int: Int? { if case .scalar(let s) = self { return Int(s.int64Value) } else { return nil } }
    /// A float, if this is a number.
    public var double: Double? { scalar?.doubleValue }
    /// A string, if this is one.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The tensors of a list of tensors.
    public var tensors: [Tensor]? { list?.compactMap(\.tensor) }
}

/// A call to replay: the decoded positional and keyword arguments of one case (or of one
/// call inside an `expr` expression). SwiftTorch only: PyTorch has no counterpart
/// (conformance-runner plumbing).
public struct OpCall {
    /// The case id, for messages.
    public let id: String
    /// Positional arguments, decoded.
    public let args: [OpArgument]
    /// Keyword arguments, decoded.
    public let kwargs: [String: OpArgument]
    /// The positional arguments as recorded (for ops that need the raw JSON, like `tensor`).
    public let rawInputs: [JSON]
    /// The keyword arguments as recorded (index items for `getitem`/`setitem`).
    public let rawKwargs: [String: JSON]

    /// Decodes the case's arguments. Input tensors are fresh, so ops may not alias them.
    public init(_ testCase: ConformanceCase) {
        self.id = testCase.id
        self.args = testCase.inputs.map(OpArgument.init)
        self.kwargs = testCase.kwargs.mapValues(OpArgument.init)
        self.rawInputs = testCase.inputs
        self.rawKwargs = testCase.kwargs
    }

    /// A call built from already decoded arguments.
    public init(id: String, args: [OpArgument], kwargs: [String: OpArgument] = [:]) {
        self.id = id
        self.args = args
        self.kwargs = kwargs
        self.rawInputs = []
        self.rawKwargs = [:]
    }

    /// Positional argument `i`, or `.none` past the end.
    public subscript(i: Int) -> OpArgument { i < args.count ? args[i] : .none }
    /// Keyword argument `name`, or `.none`.
    public subscript(kw name: String) -> OpArgument { kwargs[name] ?? .none }
    /// Positional tensor `i` (traps with the case id when it is not a tensor).
    public func tensor(_ i: Int) -> Tensor {
        guard let t = self[i].tensor else { fatalError("\(id): input \(i) is not a tensor") }
        return t
    }
    /// The `dtype` keyword, when given.
    public var dtype: DType? { kwargs["dtype"]?.string.flatMap(DType.init(name:)) }
}

/// How one op of the corpus is replayed through the Swift API. SwiftTorch only: PyTorch has no
/// counterpart (conformance-runner plumbing).
public typealias OpImplementation = @Sendable (OpCall) throws -> OpValue

/// The single table mapping every corpus op name to the Swift API. Each op family
/// contributes a dictionary from its own file (`creationOps`, `elementwiseOps`, ...). SwiftTorch
/// only: PyTorch has no counterpart (conformance-runner plumbing).
public let opTable: [String: OpImplementation] = {
    var table: [String: OpImplementation] = [:]
    for family in opFamilies {
        table.merge(family) { _, new in new }
    }
    return table
}()
