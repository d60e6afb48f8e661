/// A tensor's shape, as `torch.Size`: prints `torch.Size([2, 3])`, compares equal to an
/// array literal, and can be indexed and iterated.
public struct Size: RandomAccessCollection, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByArrayLiteral {
    /// The dimensions.
    public let dims: [Int]
    /// Wraps a list of dimensions.
    public init(_ dims: [Int]) { self.dims = dims }
    /// `Size([2, 3])` from a literal.
    public init(arrayLiteral elements: Int...) { self.dims = elements }
    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of dimensions.
    public var endIndex: Int { dims.count }
    /// The size of dimension `i`.
    public subscript(i: Int) -> Int { dims[i] }
    /// The number of elements a tensor of this shape holds.
    public func numel() -> Int { dims.reduce(1, *) }
    /// `torch.Size([2, 3])`.
    public var description: String { "torch.Size([\(dims.map(String.init).joined(separator: ", "))])" }
    /// Compares with a plain array of dimensions.
    public static func == (lhs: Size, rhs: [Int]) -> Bool { lhs.dims == rhs }
    /// Compares with a plain array of dimensions.
    public static func == (lhs: [Int], rhs: Size) -> Bool { lhs == rhs.dims }
}

/// A shape in parentheses, `(2, 3)`, as PyTorch's messages and torchviz write it; with
/// `pythonTuple`, a one-element shape is `(3,)`, Python's tuple spelling (printing, `.npy`
/// headers). The one shape formatter besides ``Size``'s `torch.Size([2, 3])`.
func parenthesized(_ shape: [Int], pythonTuple: Bool = false) -> String {
    pythonTuple && shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
