/// Iterating a tensor over its first dim, as Python does: `for row in x`, `zip(x, y)`,
/// `Array(x)`, `x.map { ... }`.

extension Tensor: Sequence {
    /// Walks the slices along dim 0 (what `torch.Tensor.__iter__` returns).
    public struct Iterator: IteratorProtocol {
        private let slices: [Tensor]
        private var position = 0

        fileprivate init(_ slices: [Tensor]) { self.slices = slices }

        /// The next slice, or `nil` after the last.
        public mutating func next() -> Tensor? {
            guard position < slices.count else { return nil }
            defer { position += 1 }
            return slices[position]
        }
    }

    /// An iterator over the slices along dim 0, made with `unbind(0)` as Python's
    /// `Tensor.__iter__` does (so each row is a view and records `UnbindBackward0`).
    /// Fails for a 0-d tensor, which has no dim to walk (`torch.Tensor.__iter__`).
    public func makeIterator() -> Iterator {
        guard dim > 0 else { torchFatal("TypeError: iteration over a 0-d tensor") }
        return Iterator(unbind(0))
    }

    /// The number of rows, `shape[0]` (0 for a 0-d tensor, which cannot be iterated). SwiftTorch
    /// only: a Swift `Sequence` requirement with no PyTorch counterpart.
    public var underestimatedCount: Int { dim > 0 ? shape[0] : 0 }

    /// The number of rows, `shape[0]`: Python's `len(x)`. A 0-d tensor has none to count,
    /// and fails as `len()` does (`torch.Tensor.__len__`).
    public var count: Int {
        guard dim > 0 else { torchFatal("TypeError: len() of a 0-d tensor") }
        return shape[0]
    }
}
