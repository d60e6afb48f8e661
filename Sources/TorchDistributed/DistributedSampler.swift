/// `torch.utils.data.distributed.DistributedSampler`: each rank's share of a dataset.

import Torch

/// The sample indices one rank visits per epoch (`torch.utils.data.distributed.DistributedSampler`),
/// assigned exactly as PyTorch assigns them, so a job visits the same samples in the same
/// order as its PyTorch twin.
///
/// With `shuffle`, a generator seeded `seed + epoch` draws `randperm(count)`; without, the
/// order is `0..<count`. Unless `dropLast`, the list is padded to a multiple of
/// `numReplicas` by repeating its start; with `dropLast` its tail is cut instead. Rank `r`
/// then takes every `numReplicas`-th index starting at `r` (`indices[r::numReplicas]`).
/// Call ``setEpoch(_:)`` before each epoch, or every epoch repeats one order.
///
/// ```swift
/// let sampler = DistributedSampler(dataset, shuffle: true, seed: 0)
/// let loader = DataLoader(dataset, batchSize: 32, sampler: sampler.sampler)
/// for epoch in 0..<epochs {
///     sampler.setEpoch(epoch)
///     for (x, y) in loader { ... }
/// }
/// ```
public final class DistributedSampler: Sequence {
    /// The dataset size.
    public let datasetCount: Int
    /// The number of ranks sharing the dataset (`num_replicas`).
    public let numReplicas: Int
    /// This rank.
    public let rank: Int
    /// Whether each epoch draws a new order.
    public let shuffle: Bool
    /// The base seed; epoch `e` shuffles with `seed + e`.
    public let seed: Int
    /// Whether the tail is dropped instead of padding (`drop_last`).
    public let dropLast: Bool
    /// Indices per rank and epoch (`num_samples`, `len(sampler)`).
    public let count: Int
    /// Indices over all ranks per epoch, `count * numReplicas`.
    public let totalSize: Int
    /// The current epoch, set by ``setEpoch(_:)``; read on the thread that iterates.
    public private(set) var epoch = 0

    /// A sampler over `count` samples. `numReplicas` and `rank` default to the default
    /// process group's world size and rank.
    public init(count datasetCount: Int, numReplicas: Int? = nil, rank: Int? = nil, shuffle: Bool = true,
                seed: Int = 0, dropLast: Bool = false) {
        let numReplicas = numReplicas ?? getWorldSize()
        let rank = rank ?? getRank()
        guard numReplicas > 0 else {
            torchFatal("ValueError: num_replicas should be a positive integer, got \(numReplicas)")
        }
        guard rank >= 0 && rank < numReplicas else {
            torchFatal("ValueError: Invalid rank \(rank), rank should be in the interval [0, \(numReplicas - 1)]")
        }
        self.datasetCount = datasetCount
        self.numReplicas = numReplicas
        self.rank = rank
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
        // PyTorch: with drop_last and an uneven split, the tail is cut so every rank gets
        // the same number of samples; otherwise the list is padded up.
        if dropLast && datasetCount % numReplicas != 0 {
            count = (datasetCount - numReplicas + numReplicas - 1) / numReplicas
        } else {
            count = (datasetCount + numReplicas - 1) / numReplicas
        }
        totalSize = count * numReplicas
    }

    /// A sampler over `dataset`'s samples.
    public convenience init<D: Dataset>(_ dataset: D, numReplicas: Int? = nil, rank: Int? = nil, shuffle: Bool = true,
                                        seed: Int = 0, dropLast: Bool = false) {
        self.init(count: dataset.count, numReplicas: numReplicas, rank: rank, shuffle: shuffle, seed: seed, dropLast: dropLast)
    }

    /// Sets the epoch, which seeds the next shuffle (`sampler.set_epoch(epoch)`).
    public func setEpoch(_ epoch: Int) { self.epoch = epoch }

    /// This rank's indices for the current epoch (`list(iter(sampler))`).
    public func indices() -> [Int] {
        var all: [Int]
        if shuffle {
            let generator = Torch.Generator().manualSeed(seed + epoch)
            all = Tensor.randperm(datasetCount, generator: generator).toArray(Int64.self).map(Int.init)
        } else {
            all = Array(0..<datasetCount)
        }
        if dropLast {
            all.removeLast(all.count - totalSize)
        } else if !all.isEmpty {
            // Pad by repeating the list from its start, as often as needed.
            let start = all
            while all.count < totalSize { all += start.prefix(totalSize - all.count) }
        }
        return Array(stride(from: rank, to: totalSize, by: numReplicas).map { all[$0] })
    }

    /// The order for a `DataLoader`'s `sampler:` argument: this rank's indices of the
    /// epoch current when the loader starts a pass.
    public var sampler: () -> [Int] { { [self] in indices() } }

    /// Iterates over ``indices()``.
    public func makeIterator() -> IndexingIterator<[Int]> { indices().makeIterator() }
}
