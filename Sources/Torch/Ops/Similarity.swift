/// Vector normalisation and cosine similarity (`F.normalize`, `F.cosine_similarity`),
/// composed from recorded ops exactly as PyTorch composes them.

/// `x / max(‖x‖ₚ, eps)` along `dim` (`F.normalize`, `torch.nn.functional.normalize`).
public func normalize(_ x: Tensor, p: some ScalarConvertible = 2, dim: Int = 1,
                      eps: some ScalarConvertible = 1e-12) -> Tensor {
    let p = p.scalarValue.doubleValue
    let eps = eps.scalarValue.doubleValue
    let norm = x.norm(p: p, dims: [dim], keepdim: true)
    return x / clampMin(norm, .double(eps)).expand(x.shape)
}

/// The cosine of the angle between `a` and `b` along `dim` (`F.cosine_similarity`), after
/// broadcasting; each norm is clamped below by `eps` (`torch.nn.functional.cosine_similarity`).
public func cosineSimilarity(_ a: Tensor, _ b: Tensor, dim: Int = 1, eps: some ScalarConvertible = 1e-8) -> Tensor {
    let eps = eps.scalarValue.doubleValue
    let shape = broadcastShapes(a.shape, b.shape, op: "cosine_similarity")
    let x = a.expand(shape), y = b.expand(shape)
    let nx = clampMin(x.norm(p: 2, dims: [dim], keepdim: true), .double(eps))
    let ny = clampMin(y.norm(p: 2, dims: [dim], keepdim: true), .double(eps))
    return ((x / nx) * (y / ny)).sum(dim: dim)
}
