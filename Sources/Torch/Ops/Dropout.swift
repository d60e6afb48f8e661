/// Dropout (`F.dropout`, `F.dropout2d`): in training mode each element (or channel) is
/// zeroed with probability `p` and the rest scaled by 1/(1-p), with a mask drawn from the
/// default generator; otherwise, or with `p` 0, the input itself is returned, as PyTorch does.

private func checkProbability(_ p: Double) {
    guard (0...1).contains(p) else { torchFatal("ValueError: dropout probability has to be between 0 and 1, but got \(p)") }
}

/// Elementwise dropout.
public func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
    checkProbability(p)
    guard training, p > 0, x.numel > 0 else { return x }
    if p == 1 { return x * 0 }
    let keep = noGrad { Tensor.emptyLike(x).bernoulli_(p: 1 - p).div_(.double(1 - p)) }
    return x * keep
}

/// Channel dropout for `(N, C, H, W)` or `(C, H, W)` input: whole feature maps are zeroed.
public func dropout2d(_ x: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
    checkProbability(p)
    guard training, p > 0, x.numel > 0 else { return x }
    guard x.dim == 3 || x.dim == 4 else {
        torchFatal("RuntimeError: dropout2d: Received a \(x.dim)-D input, expected a 3-D or 4-D input")
    }
    var maskShape = Array(x.shape.prefix(x.dim - 2))
    maskShape += [1, 1]
    let keep = noGrad { Tensor.empty(maskShape, dtype: x.dtype).bernoulli_(p: 1 - p).div_(.double(1 - p)) }
    return x * keep
}
