/// Datasets that are streams rather than indexable collections (`torch.utils.data.IterableDataset`):
/// records read from a file or generated on the fly. `IterableDataLoader` batches
/// consecutive elements, as PyTorch's `DataLoader` does for an iterable dataset.
///
/// ```swift
/// struct Counter: IterableDataset {
///     func makeIterator() -> AnyIterator<Tensor> {
///         var i = 0
///         return AnyIterator { i < 10 ? { defer { i += 1 }; return Tensor(Double(i)) }() : nil }
///     }
/// }
/// for batch in IterableDataLoader(Counter(), batchSize: 4) { print(batch) }   // 4, 4, 2 elements
/// ```
public protocol IterableDataset: Sequence {}

/// Batches of an ``IterableDataset``'s consecutive elements (PyTorch's `DataLoader` over an
/// iterable dataset: no shuffling and no sampler, because there is nothing to index)
/// (`torch.utils.data.DataLoader` over a `torch.utils.data.IterableDataset`).
public struct IterableDataLoader<D: IterableDataset, Batch>: Sequence {
    /// The stream.
    public let dataset: D
    /// Elements per batch.
    public let batchSize: Int
    /// Whether a last, smaller batch is dropped.
    public let dropLast: Bool
    private let collate: ([D.Element]) -> Batch

    /// A loader whose batches `collateFn` builds from each run of `batchSize` elements.
    public init(_ dataset: D, batchSize: Int = 1, dropLast: Bool = false, collateFn: @escaping ([D.Element]) -> Batch) {
        guard batchSize > 0 else { torchFatal("ValueError: batch_size should be a positive integer value, but got batch_size=\(batchSize)") }
        self.dataset = dataset
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.collate = collateFn
    }

    /// One pass: PyTorch's iterator draws a base seed from the default generator first (for
    /// its workers); so does this one, keeping a seeded program's later draws PyTorch's.
    public func makeIterator() -> AnyIterator<Batch> {
        _ = Tensor.empty([], dtype: .int64).random_()
        var source = dataset.makeIterator()
        let (size, dropLast, collate) = (batchSize, dropLast, collate)
        return AnyIterator {
            var items: [D.Element] = []
            while items.count < size, let next = source.next() { items.append(next) }
            if items.isEmpty || (dropLast && items.count < size) { return nil }
            return collate(items)
        }
    }
}

extension IterableDataLoader where D.Element == Tensor, Batch == Tensor {
    /// A loader of stacked tensor elements (the default collate).
    public init(_ dataset: D, batchSize: Int = 1, dropLast: Bool = false) {
        self.init(dataset, batchSize: batchSize, dropLast: dropLast, collateFn: defaultCollate)
    }
}

extension IterableDataLoader where D.Element == (Tensor, Tensor), Batch == (Tensor, Tensor) {
    /// A loader of stacked `(input, target)` elements (the default collate).
    public init(_ dataset: D, batchSize: Int = 1, dropLast: Bool = false) {
        self.init(dataset, batchSize: batchSize, dropLast: dropLast, collateFn: defaultCollate)
    }
}
