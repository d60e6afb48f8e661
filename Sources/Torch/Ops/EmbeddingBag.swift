/// `F.embedding_bag`: each bag's embeddings reduced to one vector (sum, mean or max),
/// composed of a gather and a segment reduction, so the gradient reaches `weight` (and the
/// per-sample weights) through them.

/// How ``embeddingBag(_:_:offsets:mode:perSampleWeights:includeLastOffset:)`` reduces a bag (the
/// `mode` strings of `torch.nn.functional.embedding_bag`).
public enum EmbeddingBagMode: String, Sendable {
    /// The sum of the bag's rows.
    case sum
    /// Their mean (an empty bag gives zeros).
    case mean
    /// Their elementwise maximum (an empty bag gives zeros).
    case max
}

/// The bags of `input` reduced over rows of `weight` (`F.embedding_bag`): a 2-D `input`
/// `(B, N)` is `B` bags of `N` indices; a 1-D `input` is cut into bags at `offsets` (the start
/// of each bag; with `includeLastOffset` the last offset is the end). Returns `(B, D)`.
/// `perSampleWeights` (same shape as `input`) scales each row, with `mode: .sum` only
/// (`torch.nn.functional.embedding_bag`).
public func embeddingBag(_ input: Tensor, _ weight: Tensor, offsets: Tensor? = nil, mode: EmbeddingBagMode = .mean,
                         perSampleWeights: Tensor? = nil, includeLastOffset: Bool = false) -> Tensor {
    guard !input.dtype.isFloatingPoint, input.dtype != .bool else {
        torchFatal("RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got \(input.dtype) instead")
    }
    guard weight.dim == 2 else { torchFatal("RuntimeError: weight has to be a 2D Tensor, but got Tensor of dimension \(weight.dim)") }
    let starts: [Int], ends: [Int]
    let flat: Tensor
    switch input.dim {
    case 2:
        guard offsets == nil else {
            torchFatal("ValueError: offsets has to be None if input is 2D, but got offsets of type Tensor")
        }
        let (bags, length) = (input.shape[0], input.shape[1])
        starts = (0..<bags).map { $0 * length }
        ends = starts.map { $0 + length }
        flat = input.reshape([-1])
    case 1:
        guard let offsets, offsets.dim == 1 else { torchFatal("ValueError: offsets has to be a 1D Tensor but got None") }
        let o = offsets.toArray(Int64.self).map(Int.init)
        guard o.first == 0 || o.isEmpty else {
            torchFatal("RuntimeError: offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got \(o[0])")
        }
        // Bag b spans offsets[b] ..< offsets[b + 1]; the last ends at the input's end, or at
        // the last offset when it is included as an end.
        starts = includeLastOffset ? Array(o.dropLast()) : o
        ends = Array(o.dropFirst()) + (includeLastOffset ? [] : [input.numel])
        flat = input
    default:
        torchFatal("ValueError: input has to be 1D or 2D Tensor, but got Tensor of dimension \(input.dim)")
    }
    if perSampleWeights != nil && mode != .sum {
        torchFatal("NotImplementedError: embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='\(mode.rawValue)'). Please open a feature request on GitHub.")
    }
    let total = flat.numel
    var rows = embedding(flat, weight)   // (total, D)
    if let perSampleWeights { rows = rows * perSampleWeights.reshape([-1, 1]) }
    let bagCount = starts.count, width = weight.shape[1]
    switch mode {
    case .sum, .mean:
        var bagOf = [Int64](repeating: 0, count: total)
        for (b, (s, e)) in zip(starts, ends).enumerated() where s < e { for i in s..<e { bagOf[i] = Int64(b) } }
        var sums = Tensor.zeros([bagCount, width], dtype: weight.dtype).indexAdd(0, Tensor(bagOf), rows)
        if mode == .mean {
            let counts = zip(starts, ends).map { Double(Swift.max($1 - $0, 1)) }
            sums = sums / Tensor(counts, dtype: weight.dtype).reshape([-1, 1])
        }
        return sums
    case .max:
        let bags = zip(starts, ends).map { s, e in
            e > s ? rows.narrow(0, s, e - s).amax(dim: 0) : Tensor.zeros([width], dtype: weight.dtype)
        }
        return stack(bags)
    }
}
