/// A collection of samples addressed by position (`torch.utils.data.Dataset`).
public protocol Dataset {
    /// One sample, e.g. `(image, label)`.
    associatedtype Element
    /// The number of samples.
    var count: Int { get }
    /// The sample at `index` (0 ..< count).
    subscript(index: Int) -> Element { get }
}

/// A dataset whose samples can be gathered many at a time as one tensor pair, so a
/// ``DataLoader`` builds a batch with one `indexSelect` per tensor instead of stacking
/// samples one by one. SwiftTorch only: PyTorch has no counterpart (the nearest is a dataset's
/// optional `__getitems__`, used by `torch.utils.data.DataLoader`).
public protocol TensorPairSource {
    /// The samples at `indices`, batched along a new first dimension.
    func batch(_ indices: Tensor) -> (Tensor, Tensor)
}

/// Input and target tensors sliced along their first dimension (`TensorDataset(x, y)`,
/// `torch.utils.data.TensorDataset`).
public struct TensorDataset: Dataset, TensorPairSource {
    /// The inputs; sample `i` is `inputs[i]`.
    public let inputs: Tensor
    /// The targets; sample `i` is `targets[i]`.
    public let targets: Tensor

    /// Pairs `inputs` and `targets`, which must have the same first dimension.
    public init(_ inputs: Tensor, _ targets: Tensor) {
        guard inputs.dim > 0, targets.dim > 0, inputs.shape[0] == targets.shape[0] else {
            torchFatal("AssertionError: Size mismatch between tensors")
        }
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of samples.
    public var count: Int { inputs.shape[0] }
    /// Sample `index` as `(input, target)`.
    public subscript(index: Int) -> (Tensor, Tensor) { (inputs.select(0, index), targets.select(0, index)) }
    /// The samples at `indices`.
    public func batch(_ indices: Tensor) -> (Tensor, Tensor) { (inputs.indexSelect(0, indices), targets.indexSelect(0, indices)) }
}

/// The samples of `base` at `indices` (`torch.utils.data.Subset`).
public struct Subset<Base: Dataset>: Dataset {
    /// The underlying dataset.
    public let base: Base
    /// The positions in `base`, in order.
    public let indices: [Int]
    /// Creates the view.
    public init(_ base: Base, indices: [Int]) {
        self.base = base
        self.indices = indices
    }
    /// The number of samples.
    public var count: Int { indices.count }
    /// Sample `index` of the subset.
    public subscript(index: Int) -> Base.Element { base[indices[index]] }
}

extension Subset: TensorPairSource where Base: TensorPairSource {
    /// The samples at `indices` of the subset.
    public func batch(_ indices: Tensor) -> (Tensor, Tensor) {
        let mapped = Tensor(shape: [indices.numel], scalars: indices.toArray(Int64.self).map { Int64(self.indices[Int($0)]) })
        return base.batch(mapped)
    }
}

/// Several datasets one after another (`ConcatDataset`, `torch.utils.data.ConcatDataset`).
public struct ConcatDataset<Base: Dataset>: Dataset {
    /// The parts, in order.
    public let parts: [Base]
    private let ends: [Int]
    /// Joins `parts`.
    public init(_ parts: [Base]) {
        self.parts = parts
        var total = 0
        ends = parts.map { total += $0.count; return total }
    }
    /// The total number of samples.
    public var count: Int { ends.last ?? 0 }
    /// Sample `index` across the parts.
    public subscript(index: Int) -> Base.Element {
        let part = ends.firstIndex { index < $0 }!
        return parts[part][index - (part == 0 ? 0 : ends[part - 1])]
    }
}

/// Splits `dataset` into non-overlapping random subsets of the given lengths
/// (`torch.utils.data.random_split`), from a permutation drawn with `generator`, so the
/// same seed gives PyTorch's split.
public func randomSplit<D: Dataset>(_ dataset: D, lengths: [Int], generator: Generator? = nil) -> [Subset<D>] {
    guard lengths.reduce(0, +) == dataset.count else {
        torchFatal("ValueError: Sum of input lengths does not equal the length of the input dataset!")
    }
    let permutation = Tensor.randperm(dataset.count, generator: generator).toArray(Int64.self).map(Int.init)
    var start = 0
    return lengths.map { n in
        defer { start += n }
        return Subset(dataset, indices: Array(permutation[start..<(start + n)]))
    }
}
