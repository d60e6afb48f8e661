/// Scaled dot-product attention (`F.scaled_dot_product_attention`), as PyTorch's reference
/// ("math") formulation defines it: `softmax(q·kᵀ·scale + bias)·v`, where the bias is
/// `-inf` outside a causal or boolean mask, or an additive float mask. Composed of recorded
/// ops, so every input gets its gradient (and its second derivative)
/// (`torch.nn.functional.scaled_dot_product_attention`).
///
/// 16-bit float inputs follow PyTorch's CPU flash-attention kernel: scores, softmax
/// statistics and products accumulate in float32, but the unnormalised weights
/// `exp(s - max)` are rounded to the input dtype before they multiply `value`, and the
/// result is divided by the float32 row sum and rounded once.
///
/// - Parameters:
///   - query: `(..., L, E)`.
///   - key: `(..., S, E)`.
///   - value: `(..., S, Ev)`.
///   - attnMask: `(L, S)` or broadcastable: boolean (`true` = attend) or additive float.
///   - dropoutP: dropout probability on the attention weights (always applied when > 0,
///     as PyTorch does; pass 0 in evaluation).
///   - isCausal: mask out keys after each query (`attnMask` must then be `nil`).
///   - scale: defaults to `1 / sqrt(E)`.
/// - Returns: `(..., L, Ev)`.
public func scaledDotProductAttention(_ query: Tensor, _ key: Tensor, _ value: Tensor, attnMask: Tensor? = nil,
                                      dropoutP: some ScalarConvertible = 0, isCausal: Bool = false,
                                      scale: (any ScalarConvertible)? = nil) -> Tensor {
    let dropoutP = dropoutP.scalarValue.doubleValue
    let scale = scale?.scalarValue.doubleValue
    guard query.dim >= 2, key.dim >= 2, value.dim >= 2 else {
        torchFatal("RuntimeError: scaled_dot_product_attention: query, key and value must have at least 2 dimensions")
    }
    if isCausal && attnMask != nil {
        torchFatal("RuntimeError: _scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    }
    let (query, key, value) = (autocastToLowerPrecision(query), autocastToLowerPrecision(key), autocastToLowerPrecision(value))
    return withoutAutocast {
        attention(query, key, value, attnMask: attnMask, dropoutP: dropoutP, isCausal: isCausal, scale: scale)
    }
}

/// The attention itself, in the dtypes its inputs have.
private func attention(_ query: Tensor, _ key: Tensor, _ value: Tensor, attnMask: Tensor?,
                       dropoutP: Double, isCausal: Bool, scale: Double?) -> Tensor {
    let dtype = query.dtype
    let l = query.shape[query.dim - 2], s = key.shape[key.dim - 2]
    let factor = scale ?? 1 / Double(query.shape[query.dim - 1]).squareRoot()
    /// `q·kᵀ·scale` with the causal mask or `mask` applied (`-inf` where not attended).
    func maskedScores(_ q: Tensor, _ k: Tensor, _ mask: Tensor?) -> Tensor {
        var scores = matmul(q, k.transpose(-2, -1)) * factor
        if isCausal { scores = `where`(Tensor.ones([l, s], dtype: .bool).tril(0), scores, -Double.infinity) }
        if let mask { scores = mask.dtype == .bool ? `where`(mask, scores, -Double.infinity) : scores + mask }
        return scores
    }
    if dtype.isReducedPrecisionFloat {
        let (q, k, v) = (query.to(.float32), key.to(.float32), value.to(.float32))
        let mask = attnMask.map { $0.dtype == .bool ? $0 : $0.to(.float32) }
        // With dropout: the reference formulation in float32, rounded once.
        guard dropoutP == 0 else {
            return attention(q, k, v, attnMask: mask, dropoutP: dropoutP, isCausal: isCausal, scale: scale).to(dtype)
        }
        let scores = maskedScores(q, k, mask)
        let e = exp(scores - scores.amax(dims: [-1], keepdim: true).detach())
        let weighted = matmul(e.to(dtype).to(.float32), v)
        return (weighted / e.sum(dims: [-1], keepdim: true)).to(dtype)
    }
    var weights = maskedScores(query, key, attnMask).softmax(dim: -1)
    if dropoutP > 0 { weights = dropout(weights, p: dropoutP, training: true) }
    return matmul(weights, value)
}
