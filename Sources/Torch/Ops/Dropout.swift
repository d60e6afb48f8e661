/// Dropout (`F.dropout`, `F.dropout2d`): in training mode each element (or channel) is
/// zeroed with probability `p` and the rest scaled by 1/(1-p), with a mask drawn from the
/// default generator; otherwise, or with `p` 0, the input itself is returned, as PyTorch does.

private func checkProbability(_ p: Double) {
    guard (0...1).contains(p) else { torchFatal("ValueError: dropout probability has to be between 0 and 1, but got \(p)") }
}

/// Elementwise dropout (`torch.nn.functional.dropout`).
public func dropout(_ x: Tensor, p: some ScalarConvertible = 0.5, training: Bool = true) -> Tensor {
    let p = p.scalarValue.doubleValue
    checkProbability(p)
    guard training, p > 0, x.numel > 0 else { return x }
    if p == 1 { return x * 0 }
    let keep = noGrad { Tensor.emptyLike(x).bernoulli_(p: 1 - p).div_(.double(1 - p)) }
    return x * keep
}

/// Zeroes whole channels: the mask has one value per `(sample, channel)`, i.e. shape
/// `(N, C, 1, ...)` for the input as given (PyTorch's `feature_dropout`).
private func featureDropout(_ x: Tensor, p: Double, training: Bool) -> Tensor {
    checkProbability(p)
    guard training, p > 0, x.numel > 0 else { return x }
    guard x.dim >= 2 else {
        torchFatal("RuntimeError: Feature dropout requires at least 2 dimensions in the input")
    }
    if p == 1 { return x * 0 }
    let maskShape = Array(x.shape.prefix(2)) + [Int](repeating: 1, count: x.dim - 2)
    let keep = noGrad { Tensor.empty(maskShape, dtype: x.dtype).bernoulli_(p: 1 - p).div_(.double(1 - p)) }
    return x * keep
}

/// Channel dropout for `(N, C, L)` or `(C, L)` input (`F.dropout1d`,
/// `torch.nn.functional.dropout1d`).
public func dropout1d(_ x: Tensor, p: some ScalarConvertible = 0.5, training: Bool = true) -> Tensor {
    let p = p.scalarValue.doubleValue
    guard x.dim == 2 || x.dim == 3 else {
        torchFatal("RuntimeError: dropout1d: Expected 2D or 3D input, but received a \(x.dim)D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    }
    if x.dim == 2 { return featureDropout(x.unsqueeze(0), p: p, training: training).squeeze(0) }
    return featureDropout(x, p: p, training: training)
}

/// Channel dropout for `(N, C, H, W)` input (`F.dropout2d`), with PyTorch 2.15's rules for
/// other ranks: a 3-D input is read as `(N, C, L)` (channel-wise 1-D dropout), and any
/// other rank warns and drops `(N, C)` entries (elementwise for a 2-D input)
/// (`torch.nn.functional.dropout2d`).
public func dropout2d(_ x: Tensor, p: some ScalarConvertible = 0.5, training: Bool = true) -> Tensor {
    let p = p.scalarValue.doubleValue
    if x.dim != 3 && x.dim != 4 {
        torchWarnOnce("dropout2d: Received a \(x.dim)-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).")
    }
    if x.dim == 3 {
        torchWarnOnce("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.")
    }
    return featureDropout(x, p: p, training: training)
}

/// Channel dropout for `(N, C, D, H, W)` or `(C, D, H, W)` input (`F.dropout3d`,
/// `torch.nn.functional.dropout3d`).
public func dropout3d(_ x: Tensor, p: some ScalarConvertible = 0.5, training: Bool = true) -> Tensor {
    let p = p.scalarValue.doubleValue
    if x.dim != 4 && x.dim != 5 {
        torchWarnOnce("dropout3d: Received a \(x.dim)-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).")
    }
    // Anything but 5-D is taken as unbatched, as PyTorch does.
    if x.dim != 5 { return featureDropout(x.unsqueeze(0), p: p, training: training).squeeze(0) }
    return featureDropout(x, p: p, training: training)
}
