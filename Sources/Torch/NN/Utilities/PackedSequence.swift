/// `torch.nn.utils.rnn.PackedSequence`: a batch of variable-length sequences with the padding
/// taken out, time step after time step.
///
/// `data` holds, for each step `t`, the `batchSizes[t]` sequences still running at `t`
/// (sequences sorted longest first), one after another: `(Σ batchSizes, *)`. ``RNN``,
/// ``LSTM`` and ``GRU`` take one and run each sequence only for its own length.
/// `sortedIndices[i]` is the original batch position of the `i`-th longest sequence (`nil`
/// when the batch came sorted, `enforceSorted: true`) and `unsortedIndices` its inverse.
public struct PackedSequence: CustomStringConvertible {
    /// The packed steps, `(Σ batchSizes, *)`.
    public let data: Tensor
    /// How many sequences run at each step, an int64 tensor `(maxLength,)`, non-increasing.
    public let batchSizes: Tensor
    /// Original batch position of each sorted sequence, or `nil` when already sorted.
    public let sortedIndices: Tensor?
    /// Sorted position of each original sequence (the inverse permutation), or `nil`.
    public let unsortedIndices: Tensor?

    /// Wraps packed data, as `PackedSequence(data, batch_sizes, sorted_indices)`: the
    /// unsorted indices default to the inverse of `sortedIndices`.
    public init(data: Tensor, batchSizes: Tensor, sortedIndices: Tensor? = nil, unsortedIndices: Tensor? = nil) {
        self.data = data
        self.batchSizes = batchSizes
        self.sortedIndices = sortedIndices
        self.unsortedIndices = unsortedIndices ?? sortedIndices.map(invertPermutation)
    }

    /// `batchSizes` as Swift integers.
    var steps: [Int] { batchSizes.toArray(Int64.self).map(Int.init) }

    /// The same sequence with `data` replaced (the bookkeeping kept), as PyTorch's
    /// `packed._replace(data=...)` and the RNN modules' output.
    public func withData(_ newData: Tensor) -> PackedSequence {
        PackedSequence(data: newData, batchSizes: batchSizes, sortedIndices: sortedIndices, unsortedIndices: unsortedIndices)
    }

    /// PyTorch's repr: `PackedSequence(data=tensor(...), batch_sizes=tensor(...), sorted_indices=None, ...)`.
    public var description: String {
        "PackedSequence(data=\(data), batch_sizes=\(batchSizes), sorted_indices=\(sortedIndices.map { "\($0)" } ?? "None"), "
            + "unsorted_indices=\(unsortedIndices.map { "\($0)" } ?? "None"))"
    }
}

/// The inverse of a permutation of `0..<n` (`torch.nn.utils.rnn.invert_permutation`).
public func invertPermutation(_ permutation: Tensor) -> Tensor {
    let p = permutation.toArray(Int64.self)
    var inverse = [Int64](repeating: 0, count: p.count)
    for (i, v) in p.enumerated() { inverse[Int(v)] = Int64(i) }
    return Tensor(shape: [p.count], scalars: inverse)
}

/// Packs a padded batch (`torch.nn.utils.rnn.pack_padded_sequence`).
///
/// - Parameters:
///   - input: `(T, B, *)` (`(B, T, *)` with `batchFirst`), padded after each sequence's end.
///   - lengths: each sequence's length, in batch order.
///   - batchFirst: whether `input` is batch-major.
///   - enforceSorted: `true` requires `lengths` non-increasing (PyTorch's error otherwise);
///     `false` sorts the batch first and records the permutation.
/// - Returns: the ``PackedSequence``; gradients flow back to `input` (zero at the padding).
public func packPaddedSequence(_ input: Tensor, _ lengths: [Int], batchFirst: Bool = false,
                               enforceSorted: Bool = true) -> PackedSequence {
    var lengths = lengths
    var input = input
    var sortedIndices: Tensor?
    if !enforceSorted {
        // A stable descending sort, as torch.sort on a CPU int64 tensor: equal lengths keep
        // their batch order.
        let order = lengths.indices.sorted { lengths[$0] > lengths[$1] || (lengths[$0] == lengths[$1] && $0 < $1) }
        lengths = order.map { lengths[$0] }
        let indices = Tensor(shape: [order.count], scalars: order.map(Int64.init))
        input = input.indexSelect(batchFirst ? 0 : 1, indices)
        sortedIndices = indices
    }
    let timeMajor = batchFirst ? input.transpose(0, 1) : input
    guard timeMajor.numel > 0 else { torchFatal("RuntimeError: Cannot pack empty tensors.") }
    let batch = timeMajor.shape[1]
    guard lengths.count == batch else {
        torchFatal("RuntimeError: Expected `len(lengths)` to be equal to batch_size, but got \(lengths.count) (batch_size=\(batch))")
    }
    guard lengths[batch - 1] > 0 else {
        torchFatal("RuntimeError: Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0")
    }
    for i in 0..<(batch - 1) where lengths[i + 1] > lengths[i] {
        torchFatal("RuntimeError: `lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can "
                   + "pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement "
                   + "if you do not need ONNX exportability.")
    }
    // PyTorch reads past the tensor for a length beyond its time dimension; stop instead.
    guard lengths[0] <= timeMajor.shape[0] else {
        torchFatal("RuntimeError: a length (\(lengths[0])) exceeds the padded sequence length \(timeMajor.shape[0])")
    }
    let steps = (0..<lengths[0]).map { t in lengths.count { $0 > t } }
    let data = cat(steps.enumerated().map { t, running in timeMajor.select(0, t).narrow(0, 0, running) }, dim: 0)
    return PackedSequence(data: data, batchSizes: Tensor(shape: [steps.count], scalars: steps.map(Int64.init)),
                          sortedIndices: sortedIndices)
}

/// `packPaddedSequence(_:_:batchFirst:enforceSorted:)` with the lengths in a tensor
/// (`torch.nn.utils.rnn.pack_padded_sequence`).
public func packPaddedSequence(_ input: Tensor, _ lengths: Tensor, batchFirst: Bool = false,
                               enforceSorted: Bool = true) -> PackedSequence {
    packPaddedSequence(input, lengths.to(.int64).toArray(Int64.self).map(Int.init), batchFirst: batchFirst,
                       enforceSorted: enforceSorted)
}

/// Unpacks to a padded batch (`torch.nn.utils.rnn.pad_packed_sequence`), the inverse of
/// `packPaddedSequence(_:_:batchFirst:enforceSorted:)`.
///
/// - Parameters:
///   - sequence: the packed batch.
///   - batchFirst: return `(B, T, *)` instead of `(T, B, *)`.
///   - paddingValue: the value after each sequence's end.
///   - totalLength: pad to this many steps (at least the longest sequence).
/// - Returns: the padded batch in the original batch order and the lengths (int64).
public func padPackedSequence(_ sequence: PackedSequence, batchFirst: Bool = false,
                              paddingValue: some ScalarConvertible = 0,
                              totalLength: Int? = nil) -> (output: Tensor, lengths: Tensor) {
    let padding = paddingValue.scalarValue.doubleValue
    let steps = sequence.steps
    var maxLength = steps.count
    if let totalLength {
        guard totalLength >= maxLength else {
            torchFatal("ValueError: Expected total_length to be at least the length of the longest sequence in input, "
                       + "but got total_length=\(totalLength) and max sequence length being \(maxLength)")
        }
        maxLength = totalLength
    }
    let data = sequence.data
    let batch = steps.first ?? 0
    let trailing = Array(data.shape.dropFirst())
    func filler(_ rows: Int) -> Tensor { Tensor.full([rows] + trailing, .double(padding), dtype: data.dtype) }
    var rows: [Tensor] = []
    var offset = 0
    for running in steps {
        let slice = data.narrow(0, offset, running)
        rows.append(running < batch ? cat([slice, filler(batch - running)], dim: 0) : slice)
        offset += running
    }
    for _ in steps.count..<maxLength { rows.append(filler(batch)) }
    var output = stack(rows, dim: 0)
    if batchFirst { output = output.transpose(0, 1) }
    var lengths = (0..<batch).map { b in Int64(steps.count { $0 > b }) }
    if let unsorted = sequence.unsortedIndices {
        output = output.indexSelect(batchFirst ? 0 : 1, unsorted)
        lengths = unsorted.toArray(Int64.self).map { lengths[Int($0)] }
    }
    return (output, Tensor(shape: [lengths.count], scalars: lengths))
}

/// Packs a list of sequences `(Lᵢ, *)` (`torch.nn.utils.rnn.pack_sequence`): pads them with
/// ``padSequence(_:batchFirst:paddingValue:paddingSide:)`` and packs by their lengths.
public func packSequence(_ sequences: [Tensor], enforceSorted: Bool = true) -> PackedSequence {
    packPaddedSequence(padSequence(sequences), sequences.map { $0.shape[0] }, enforceSorted: enforceSorted)
}

/// Splits a packed batch back into its sequences, in the original order
/// (`torch.nn.utils.rnn.unpack_sequence`).
public func unpackSequence(_ packed: PackedSequence) -> [Tensor] {
    let (padded, lengths) = padPackedSequence(packed, batchFirst: true)
    return unpadSequence(padded, lengths, batchFirst: true)
}

/// Cuts a padded batch into its sequences (`torch.nn.utils.rnn.unpad_sequence`): sequence `i`
/// is the first `lengths[i]` steps of batch entry `i`.
public func unpadSequence(_ paddedSequences: Tensor, _ lengths: Tensor, batchFirst: Bool = false) -> [Tensor] {
    let batchMajor = batchFirst ? paddedSequences : paddedSequences.transpose(0, 1)
    return lengths.toArray(Int64.self).enumerated().map { i, length in batchMajor.select(0, i).narrow(0, 0, Int(length)) }
}
