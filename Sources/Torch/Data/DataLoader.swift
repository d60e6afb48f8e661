import Foundation

/// Batches of a dataset, in order or shuffled (`torch.utils.data.DataLoader`): a `Sequence`
/// whose elements are collated batches, e.g. `for (xb, yb) in loader`.
///
/// Shuffling draws exactly what PyTorch draws — a base seed, then (without a `generator`)
/// a sampler seed from the default generator, then `randperm` — so the same seed visits
/// samples in PyTorch's order. `numWorkers > 0` builds batches ahead on background threads.
public struct DataLoader<D: Dataset, Batch>: Sequence {
    /// The dataset (`torch.utils.data.DataLoader.dataset`).
    public let dataset: D
    /// Samples per batch (`torch.utils.data.DataLoader.batch_size`).
    public let batchSize: Int
    /// Whether each pass visits the samples in a new random order
    /// (`torch.utils.data.DataLoader.shuffle`).
    public let shuffle: Bool
    /// Whether a last, smaller batch is dropped (`torch.utils.data.DataLoader.drop_last`).
    public let dropLast: Bool
    /// The generator shuffling draws from (`nil`: the default generator)
    /// (`torch.utils.data.DataLoader.generator`).
    public let generator: Torch.Generator?
    /// Explicit sample order (overrides `shuffle`), like PyTorch's `sampler`
    /// (`torch.utils.data.DataLoader.sampler`).
    public let sampler: (() -> [Int])?
    /// Background threads building batches ahead (0: on the caller's thread)
    /// (`torch.utils.data.DataLoader.num_workers`).
    public let numWorkers: Int
    private let collate: (D, [Int]) -> Batch

    /// Creates a loader with a custom `collate` that builds a batch from sample positions
    /// (`torch.utils.data.DataLoader`).
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, generator: Torch.Generator? = nil,
                sampler: (() -> [Int])? = nil, numWorkers: Int = 0, collate: @escaping (D, [Int]) -> Batch) {
        guard batchSize > 0 else { torchFatal("ValueError: batch_size should be a positive integer value, but got batch_size=\(batchSize)") }
        if shuffle && sampler != nil { torchFatal("ValueError: sampler option is mutually exclusive with shuffle") }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
        self.sampler = sampler
        self.numWorkers = numWorkers
        self.collate = collate
    }

    /// The number of batches per pass (`torch.utils.data.DataLoader.__len__`).
    public var count: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The order of one pass, drawing from the generators as PyTorch's iterator does.
    func order() -> [Int] {
        let base = generator ?? currentDefaultGenerator
        _ = Tensor.empty([], dtype: .int64).random_(generator: base)   // PyTorch's per-iterator base seed
        if let sampler { return sampler() }
        guard shuffle else { return Array(0..<dataset.count) }
        let samplerGenerator: Torch.Generator
        if let generator {
            samplerGenerator = generator
        } else {
            let seed = Tensor.empty([], dtype: .int64).random_().item(as: Int.self)
            samplerGenerator = Torch.Generator().manualSeed(seed)
        }
        return Tensor.randperm(dataset.count, generator: samplerGenerator).toArray(Int64.self).map(Int.init)
    }

    /// A pass over the batches (`torch.utils.data.DataLoader.__iter__`).
    public func makeIterator() -> Iterator {
        let indices = order()
        var chunks: [[Int]] = stride(from: 0, to: indices.count, by: batchSize).map {
            Array(indices[$0..<Swift.min($0 + batchSize, indices.count)])
        }
        if dropLast, let last = chunks.last, last.count < batchSize { chunks.removeLast() }
        return Iterator(dataset: dataset, chunks: chunks, collate: collate, workers: numWorkers)
    }

    /// Yields the batches of one pass (what `torch.utils.data.DataLoader.__iter__` returns).
    public final class Iterator: IteratorProtocol {
        private let dataset: D
        private let chunks: [[Int]]
        private let collate: (D, [Int]) -> Batch
        private var position = 0
        private let prefetcher: Prefetcher<Batch>?

        init(dataset: D, chunks: [[Int]], collate: @escaping (D, [Int]) -> Batch, workers: Int) {
            self.dataset = dataset
            self.chunks = chunks
            self.collate = collate
            // The worker thread draws (random transforms) from the generator the iterating task
            // sees, so `withDefaultGenerator` reaches it as it reaches the task itself.
            let generator = UncheckedSendable(currentDefaultGenerator)
            prefetcher = workers > 0 ? Prefetcher(count: chunks.count, depth: 2 * workers) { i in
                withDefaultGenerator(generator.value) { collate(dataset, chunks[i]) }
            } : nil
        }

        /// The next batch, or `nil` at the end of the pass.
        public func next() -> Batch? {
            guard position < chunks.count else { return nil }
            defer { position += 1 }
            if let prefetcher { return prefetcher.take(position) }
            return collate(dataset, chunks[position])
        }
    }
}

/// Builds items `0..<count` in order on a background thread, at most `depth` ahead of the
/// consumer.
final class Prefetcher<Item>: @unchecked Sendable {
    private let lock = NSCondition()
    private var ready: [Int: Item] = [:]
    private var consumed = 0
    private var cancelled = false

    init(count: Int, depth: Int, make: @escaping (Int) -> Item) {
        let box = UncheckedSendable(make)
        let thread = Thread { [self] in
            for i in 0..<count {
                lock.lock()
                while i - consumed >= depth && !cancelled { lock.wait() }
                let stop = cancelled
                lock.unlock()
                if stop { return }
                let item = box.value(i)
                lock.lock()
                ready[i] = item
                lock.broadcast()
                lock.unlock()
            }
        }
        thread.start()
    }

    /// Waits for item `i` and hands it over.
    func take(_ i: Int) -> Item {
        lock.lock()
        defer { lock.unlock() }
        while ready[i] == nil { lock.wait() }
        consumed = i + 1
        lock.broadcast()
        return ready.removeValue(forKey: i)!
    }

    deinit {
        lock.lock()
        cancelled = true
        lock.broadcast()
        lock.unlock()
    }
}

/// Carries a value the caller knows is safe to hand to one background thread.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension DataLoader where D.Element == (Tensor, Tensor), Batch == (Tensor, Tensor) {
    /// A loader of `(inputs, targets)` batches: PyTorch's default collate (stacking the
    /// samples), or one `indexSelect` per tensor for a ``TensorPairSource`` such as
    /// ``TensorDataset`` (`torch.utils.data.DataLoader`).
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, generator: Torch.Generator? = nil,
                sampler: (() -> [Int])? = nil, numWorkers: Int = 0) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator,
                  sampler: sampler, numWorkers: numWorkers) { d, idx in
            if let source = d as? TensorPairSource {
                return source.batch(Tensor(shape: [idx.count], scalars: idx.map(Int64.init)))
            }
            return defaultCollate(idx.map { d[$0] })
        }
    }
}

extension DataLoader where D.Element == (Tensor, Tensor, Tensor), Batch == (Tensor, Tensor, Tensor) {
    /// A loader of three-tensor samples (`(image_1, image_2, target)`), each position
    /// stacked as PyTorch's default collate stacks a tuple's elements
    /// (`torch.utils.data.DataLoader`).
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, generator: Torch.Generator? = nil,
                sampler: (() -> [Int])? = nil, numWorkers: Int = 0) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator,
                  sampler: sampler, numWorkers: numWorkers) { d, idx in
            let samples = idx.map { d[$0] }
            return (stack(samples.map(\.0)), stack(samples.map(\.1)), stack(samples.map(\.2)))
        }
    }
}

extension DataLoader where D.Element == Tensor, Batch == Tensor {
    /// A loader of stacked single-tensor samples (`torch.utils.data.DataLoader`).
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, generator: Torch.Generator? = nil,
                sampler: (() -> [Int])? = nil, numWorkers: Int = 0) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator,
                  sampler: sampler, numWorkers: numWorkers) { d, idx in defaultCollate(idx.map { d[$0] }) }
    }
}
