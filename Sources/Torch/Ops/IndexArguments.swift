/// Subscripts that take Swift values held in variables: `W[i]`, `x[i, j]`, `x[i, .all]`,
/// `x[.all, a..<b]`, `x[i, 2...]`, `x[..<n, idx]` with `let i: Int`, ranges, index tensors,
/// and `.all`, `.newAxis`, `.ellipsis` mixed in.
///
/// ``TensorIndex`` is expressible by an integer literal, so `x[0, 1]` always compiled, but
/// an `Int` variable is not a `TensorIndex` and Swift never converts implicitly. The
/// subscript here takes `any TensorIndexConvertible` instead; integers, the four Swift
/// range forms, tensors and `TensorIndex` itself conform, and the spellings `.all`,
/// `.int(i)`, `.r(1..<3)`, `.slice(...)`, `.newAxis`, `.ellipsis` and `.tensor(t)` are
/// provided on the protocol so they still read the same inside a mixed subscript.

/// A value usable as one item of a tensor subscript. SwiftTorch only: Swift protocol glue for
/// subscripts; PyTorch has no counterpart.
public protocol TensorIndexConvertible {
    /// The subscript item this value means (`i` is `.int(i)`, `1..<3` is `.r(1..<3)`).
    var tensorIndex: TensorIndex { get }
}

/// A ``TensorIndex`` carried as a ``TensorIndexConvertible``: what `.all`, `.newAxis`,
/// `.r(...)` and the other spellings produce inside a subscript that mixes them with
/// variables. (Written on the protocol, they cannot return `TensorIndex` itself: its enum
/// cases of the same names would make every `.all` ambiguous.) SwiftTorch only: Swift protocol glue
/// for subscripts; PyTorch has no counterpart.
public struct AnyTensorIndex: TensorIndexConvertible {
    /// The wrapped item.
    public let tensorIndex: TensorIndex
    /// Wraps `index`.
    public init(_ index: TensorIndex) { tensorIndex = index }
}

extension TensorIndexConvertible where Self == AnyTensorIndex {
    /// Every element of the dim (`:`).
    public static var all: AnyTensorIndex { AnyTensorIndex(.all) }
    /// A new size-1 dim (`None`).
    public static var newAxis: AnyTensorIndex { AnyTensorIndex(.newAxis) }
    /// As many `.all` as needed (`...`).
    public static var ellipsis: AnyTensorIndex { AnyTensorIndex(.ellipsis) }
    /// One position (negative counts from the end).
    public static func int(_ i: Int) -> AnyTensorIndex { AnyTensorIndex(.int(i)) }
    /// `start..<end` by `step`, `nil` ends meaning the whole range.
    public static func range(_ start: Int?, _ end: Int?, step: Int) -> AnyTensorIndex {
        AnyTensorIndex(.range(start, end, step: step))
    }
    /// `start..<end` by `step` (`x[i, .slice(0, nil, step: 2)]`).
    public static func slice(_ start: Int?, _ end: Int?, step: Int = 1) -> AnyTensorIndex {
        AnyTensorIndex(.range(start, end, step: step))
    }
    /// A Swift range as a slice.
    public static func r(_ range: Range<Int>) -> AnyTensorIndex { AnyTensorIndex(range.tensorIndex) }
    /// A Swift closed range as a slice.
    public static func r(_ range: ClosedRange<Int>) -> AnyTensorIndex { AnyTensorIndex(range.tensorIndex) }
    /// `start...` as a slice.
    public static func r(_ range: PartialRangeFrom<Int>) -> AnyTensorIndex { AnyTensorIndex(range.tensorIndex) }
    /// `..<end` as a slice.
    public static func r(_ range: PartialRangeUpTo<Int>) -> AnyTensorIndex { AnyTensorIndex(range.tensorIndex) }
    /// `...end` as a slice.
    public static func r(_ range: PartialRangeThrough<Int>) -> AnyTensorIndex { AnyTensorIndex(range.tensorIndex) }
    /// An integer or boolean tensor (advanced indexing).
    public static func tensor(_ t: Tensor) -> AnyTensorIndex { AnyTensorIndex(.tensor(t)) }
}

extension TensorIndex: TensorIndexConvertible {
    /// The item itself.
    public var tensorIndex: TensorIndex { self }

    /// `...end` as a slice (`x[.all, .r(...2)]`).
    public static func r(_ range: PartialRangeThrough<Int>) -> TensorIndex { range.tensorIndex }
}

extension Int: TensorIndexConvertible {
    /// One position (`.int(self)`).
    public var tensorIndex: TensorIndex { .int(self) }
}

extension Int64: TensorIndexConvertible {
    /// One position (`.int(self)`).
    public var tensorIndex: TensorIndex { .int(Int(self)) }
}

extension Int32: TensorIndexConvertible {
    /// One position (`.int(self)`).
    public var tensorIndex: TensorIndex { .int(Int(self)) }
}

extension Range<Int>: TensorIndexConvertible {
    /// The slice `lowerBound..<upperBound`.
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound, step: 1) }
}

extension ClosedRange<Int>: TensorIndexConvertible {
    /// The slice `lowerBound..<upperBound + 1`.
    ///
    /// A closed range ending at `-1` means "through the last element", so its exclusive end
    /// is open rather than `0` (which would make the slice empty).
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension PartialRangeFrom<Int>: TensorIndexConvertible {
    /// The slice `lowerBound...` (`x[2:]`).
    public var tensorIndex: TensorIndex { .range(lowerBound, nil, step: 1) }
}

extension PartialRangeUpTo<Int>: TensorIndexConvertible {
    /// The slice `..<upperBound` (`x[:n]`).
    public var tensorIndex: TensorIndex { .range(nil, upperBound, step: 1) }
}

extension PartialRangeThrough<Int>: TensorIndexConvertible {
    /// The slice `...upperBound` (`x[:n+1]`; `...(-1)` is the whole dim).
    public var tensorIndex: TensorIndex { .range(nil, upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension Array: TensorIndexConvertible where Element == Int {
    /// Advanced indexing by these positions, as Python's list index: `x[.all, [-1], .all]`
    /// is `x[:, [-1], :]` (the dim is kept, with one entry per position).
    public var tensorIndex: TensorIndex { .tensor(Tensor(map { Int64($0) })) }
}

extension Tensor: TensorIndexConvertible {
    /// Advanced indexing by this integer or boolean tensor. SwiftTorch only: Swift protocol glue
    /// for subscripts; PyTorch has no counterpart.
    public var tensorIndex: TensorIndex { .tensor(self) }
}

extension Tensor {
    /// Reads (a view or a copy) or writes `x[items]` where items may be Swift variables:
    /// `W[i]`, `x[i, .all]`, `x[.all, a..<b]`, `x[i, j] = v` (`torch.Tensor.__getitem__`,
    /// `torch.Tensor.__setitem__`).
    public subscript(_ items: any TensorIndexConvertible...) -> Tensor {
        get { index(items.map(\.tensorIndex)) }
        set { indexPut_(items.map(\.tensorIndex), newValue) }
    }

    /// `x[...]`: the whole tensor as a view, read or assigned (`x[...] = y` copies `y`,
    /// broadcast, into every element), as Python's `x[...]` and `x[:]` (`torch.Tensor.__getitem__`,
    /// `torch.Tensor.__setitem__`).
    public subscript(_: UnboundedRange) -> Tensor {
        get { index([TensorIndex.ellipsis]) }
        set { indexPut_([TensorIndex.ellipsis], newValue) }
    }

    /// `x[...b]`: rows through `b` of the first dim (`torch.Tensor.__getitem__`,
    /// `torch.Tensor.__setitem__`).
    public subscript(_ range: PartialRangeThrough<Int>) -> Tensor {
        get { index([range.tensorIndex]) }
        set { indexPut_([range.tensorIndex], newValue) }
    }

    /// `x[items]` for items that may be Swift variables (`x.index([i, .all])`,
    /// `torch.Tensor.__getitem__`).
    public func index(_ items: [any TensorIndexConvertible]) -> Tensor {
        index(items.map(\.tensorIndex))
    }

    /// Writes `value` into `x[items]` in place, items possibly Swift variables
    /// (`torch.Tensor.__setitem__`).
    public func indexPut_(_ items: [any TensorIndexConvertible], _ value: Tensor) {
        indexPut_(items.map(\.tensorIndex), value)
    }

    /// Writes a Swift number into `x[items]` in place (`x.indexPut_([i, j], v)`,
    /// `torch.Tensor.__setitem__`).
    public func indexPut_(_ items: [any TensorIndexConvertible], _ value: some ScalarConvertible) {
        let v: Scalar = value.scalarValue
        indexPut_(items.map(\.tensorIndex), v)
    }
}
