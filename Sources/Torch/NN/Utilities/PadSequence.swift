/// `torch.nn.utils.rnn.pad_sequence`: variable-length sequences `(Lᵢ, *)` stacked into one
/// tensor padded to the longest, `(maxL, N, *)` or `(N, maxL, *)` with `batchFirst`, the
/// padding on the right (or left with `paddingSide: "left"`).
public func padSequence(_ sequences: [Tensor], batchFirst: Bool = false, paddingValue: some ScalarConvertible = 0,
                        paddingSide: String = "right") -> Tensor {
    let paddingValue = paddingValue.scalarValue.doubleValue
    guard let first = sequences.first else { torchFatal("RuntimeError: received an empty list of sequences") }
    guard paddingSide == "right" || paddingSide == "left" else {
        torchFatal("ValueError: Expected padding_side to be one of left or right, but got \(paddingSide).")
    }
    let longest = sequences.map { $0.shape[0] }.max()!
    let trailing = Array(first.shape.dropFirst())
    let padded = sequences.map { s -> Tensor in
        let missing = longest - s.shape[0]
        guard missing > 0 else { return s }
        let filler = Tensor.full([missing] + trailing, .double(paddingValue), dtype: s.dtype)
        return paddingSide == "right" ? cat([s, filler], dim: 0) : cat([filler, s], dim: 0)
    }
    return stack(padded, dim: batchFirst ? 0 : 1)
}
