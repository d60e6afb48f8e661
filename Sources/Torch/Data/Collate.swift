/// PyTorch's `default_collate` for the sample shapes SwiftTorch's datasets produce, and
/// `DataLoader(..., collate_fn=f)` with a function of the samples.

/// Stacks tensor samples into one batch along a new first dimension (`default_collate` of a
/// list of tensors) (`torch.utils.data.default_collate`).
public func defaultCollate(_ samples: [Tensor]) -> Tensor { stack(samples) }

/// Stacks `(input, target)` samples into an `(inputs, targets)` batch (`default_collate` of
/// a list of pairs) (`torch.utils.data.default_collate`).
public func defaultCollate(_ samples: [(Tensor, Tensor)]) -> (Tensor, Tensor) {
    (stack(samples.map(\.0)), stack(samples.map(\.1)))
}

/// Gathers numbers into a 1-D tensor (`default_collate` of Python numbers: integers become
/// int64, floats float64, as PyTorch's does) (`torch.utils.data.default_collate`).
public func defaultCollate<N: TensorScalar & TensorLiteral>(_ samples: [N]) -> Tensor {
    let dtype: DType = N.dtype.isFloatingPoint ? .float64 : (N.dtype == .bool ? .bool : .int64)
    return Tensor(samples, dtype: dtype)
}

extension DataLoader {
    /// A loader whose batches `collateFn` builds from the samples of each batch, in order
    /// (`DataLoader(ds, batch_size=..., collate_fn=f)`), e.g. padding sequences of
    /// different lengths: `collateFn: { padSequence($0, batchFirst: true) }`
    /// (`torch.utils.data.DataLoader`).
    public init(_ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
                generator: Torch.Generator? = nil, sampler: (() -> [Int])? = nil, numWorkers: Int = 0,
                collateFn: @escaping ([D.Element]) -> Batch) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator,
                  sampler: sampler, numWorkers: numWorkers) { d, indices in collateFn(indices.map { d[$0] }) }
    }
}
