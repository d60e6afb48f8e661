/// The index samplers of `torch.utils.data`: each yields dataset positions drawing from the
/// generators exactly as PyTorch's does, so a seeded run visits the same samples. Pass one
/// to a loader with `DataLoader(ds, batchSize: 8, sampler: s.sampler)`.

/// An order of dataset positions for one pass (`torch.utils.data.Sampler`).
public protocol Sampler: AnyObject {
    /// The positions of one pass (a new draw for the random samplers).
    func indices() -> [Int]
}

extension Sampler {
    /// The closure `DataLoader(sampler:)` takes.
    public var sampler: () -> [Int] { { [self] in self.indices() } }
}

/// `SequentialSampler`: `0, 1, …, count - 1` (`torch.utils.data.SequentialSampler`).
public final class SequentialSampler: Sampler {
    /// The dataset size.
    public let count: Int
    /// Creates the sampler.
    public init(count: Int) { self.count = count }
    /// `0..<count`.
    public func indices() -> [Int] { Array(0..<count) }
}

/// `RandomSampler`: a random permutation per pass (or `numSamples` draws with
/// replacement). Without a generator it seeds a private one from the default generator, as
/// PyTorch does (`torch.utils.data.RandomSampler`).
public final class RandomSampler: Sampler {
    /// The dataset size.
    public let count: Int
    /// Whether positions may repeat.
    public let replacement: Bool
    /// Positions per pass (`count` by default).
    public let numSamples: Int
    /// The generator to draw from (`nil`: one seeded from the default generator per pass).
    public let generator: Generator?

    /// Creates the sampler.
    public init(count: Int, replacement: Bool = false, numSamples: Int? = nil, generator: Generator? = nil) {
        guard (numSamples ?? count) > 0 else { torchFatal("ValueError: num_samples should be a positive integer value, but got num_samples=\(numSamples ?? count)") }
        self.count = count
        self.replacement = replacement
        self.numSamples = numSamples ?? count
        self.generator = generator
    }

    /// One pass.
    public func indices() -> [Int] {
        let g: Generator
        if let generator {
            g = generator
        } else {
            g = Generator().manualSeed(Tensor.empty([], dtype: .int64).random_().item(as: Int.self))
        }
        var out: [Int] = []
        if replacement {
            // PyTorch draws in blocks of 32.
            for _ in 0..<(numSamples / 32) { out += Tensor.randint(count, [32], generator: g).toArray(Int64.self).map(Int.init) }
            out += Tensor.randint(count, [numSamples % 32], generator: g).toArray(Int64.self).map(Int.init)
        } else {
            for _ in 0..<(numSamples / count) { out += Tensor.randperm(count, generator: g).toArray(Int64.self).map(Int.init) }
            out += Tensor.randperm(count, generator: g).toArray(Int64.self).prefix(numSamples % count).map(Int.init)
        }
        return out
    }
}

/// `SubsetRandomSampler`: the given positions in a random order per pass
/// (`torch.utils.data.SubsetRandomSampler`).
public final class SubsetRandomSampler: Sampler {
    /// The positions to visit.
    public let subset: [Int]
    /// The generator (`nil`: the default generator).
    public let generator: Generator?
    /// Creates the sampler.
    public init(_ indices: [Int], generator: Generator? = nil) {
        subset = indices
        self.generator = generator
    }
    /// One pass.
    public func indices() -> [Int] {
        Tensor.randperm(subset.count, generator: generator).toArray(Int64.self).map { subset[Int($0)] }
    }
}

/// `WeightedRandomSampler`: `numSamples` positions drawn with probability proportional to
/// `weights` (`torch.multinomial`).
public final class WeightedRandomSampler: Sampler {
    /// One weight per dataset position.
    public let weights: Tensor
    /// Positions per pass.
    public let numSamples: Int
    /// Whether positions may repeat.
    public let replacement: Bool
    /// The generator (`nil`: the default generator).
    public let generator: Generator?
    /// Creates the sampler.
    public init(_ weights: [some ScalarConvertible], numSamples: Int, replacement: Bool = true,
                generator: Generator? = nil) {
        let weights = weights.map(\.scalarValue.doubleValue)
        self.weights = Tensor(weights, dtype: .float64)
        self.numSamples = numSamples
        self.replacement = replacement
        self.generator = generator
    }
    /// One pass.
    public func indices() -> [Int] {
        weights.multinomial(numSamples: numSamples, replacement: replacement, generator: generator).toArray(Int64.self).map(Int.init)
    }
}

/// `BatchSampler`: a sampler's positions in batches of `batchSize`
/// (`torch.utils.data.BatchSampler`).
public final class BatchSampler {
    /// The positions' source.
    public let base: Sampler
    /// Positions per batch.
    public let batchSize: Int
    /// Whether a last, shorter batch is dropped.
    public let dropLast: Bool
    /// Creates the batch sampler.
    public init(_ sampler: Sampler, batchSize: Int, dropLast: Bool) {
        base = sampler
        self.batchSize = batchSize
        self.dropLast = dropLast
    }
    /// The batches of one pass.
    public func batches() -> [[Int]] {
        let all = base.indices()
        var out = stride(from: 0, to: all.count, by: batchSize).map { Array(all[$0..<Swift.min($0 + batchSize, all.count)]) }
        if dropLast, let last = out.last, last.count < batchSize { out.removeLast() }
        return out
    }
}
