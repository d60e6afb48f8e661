/// Gradient clipping (`torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`).

/// Scales all gradients together so their joint `normType`-norm is at most `maxNorm`
/// (`.infinity` for the max-norm); returns the norm before clipping
/// (`torch.nn.utils.clip_grad_norm_`).
///
/// Parameters without a gradient are skipped. With `errorIfNonfinite` a NaN or infinite
/// total norm stops the program, as PyTorch raises.
@discardableResult
public func clipGradNorm_(_ parameters: [Tensor], maxNorm: some ScalarConvertible, normType: some ScalarConvertible = 2,
                          errorIfNonfinite: Bool = false) -> Tensor {
    let maxNorm = maxNorm.scalarValue.doubleValue
    let normType = normType.scalarValue.doubleValue
    let grads = parameters.compactMap(\.grad)
    guard !grads.isEmpty else { return Tensor(0.0) }
    return noGrad {
        let norms = grads.map { $0.norm(p: normType) }
        let total = normType.isInfinite ? stack(norms).max() : stack(norms).norm(p: normType)
        if errorIfNonfinite && !total.item().isFinite {
            torchFatal("RuntimeError: The total norm of order \(normType) for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
        }
        let coefficient = Swift.min(maxNorm / (total.item() + 1e-6), 1)
        for g in grads { g.mul_(.double(coefficient)) }
        return total
    }
}

/// Clamps every gradient element to `[-clipValue, clipValue]` (`torch.nn.utils.clip_grad_value_`).
public func clipGradValue_(_ parameters: [Tensor], clipValue: some ScalarConvertible) {
    let clipValue = clipValue.scalarValue.doubleValue
    noGrad {
        for g in parameters.compactMap(\.grad) { g.clamp_(min: .double(-clipValue), max: .double(clipValue)) }
    }
}
