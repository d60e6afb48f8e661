/// Batch norm in evaluation mode as one pass, as PyTorch's CPU kernel does it
/// (`batch_norm_cpu_collect_linear_and_constant_terms` then `input * alpha + beta`): per
/// channel `alpha = weight / sqrt(var + eps)`, `beta = bias − mean · alpha`, computed in the
/// element type, then `out = x · alpha[c] + beta[c]` over contiguous `(N, C, inner)` memory.
/// Four broadcast passes and three temporaries become one pass.
func batchNormInference(_ x: Tensor, into out: Tensor, mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?,
                        eps: Double) {
    switch x.dtype {
    case .float32: batchNormInference(Float.self, x, out, mean, variance, weight, bias, eps)
    case .float64: batchNormInference(Double.self, x, out, mean, variance, weight, bias, eps)
    default: torchFatal("RuntimeError: batchNormInference supports float32 and float64, got \(x.dtype.name)")
    }
}

private func batchNormInference<T: TensorScalar & BinaryFloatingPoint>(
    _: T.Type, _ x: Tensor, _ out: Tensor, _ mean: Tensor, _ variance: Tensor, _ weight: Tensor?, _ bias: Tensor?, _ eps: Double
) {
    let channels = x.shape[1], batch = x.shape[0]
    let inner = x.numel / Swift.max(batch * channels, 1)
    func values(_ t: Tensor?) -> [T]? {
        guard let t else { return nil }
        let dense = t.dtype == T.dtype ? t.denseForKernel : t.convertedForKernel(to: T.dtype)
        return [T](UnsafeBufferPointer(start: dense.pointer(as: T.self), count: channels))
    }
    let m = values(mean)!, v = values(variance)!, w = values(weight), b = values(bias)
    var alpha = [T](repeating: 0, count: channels), beta = [T](repeating: 0, count: channels)
    for c in 0..<channels {
        let invstd = 1 / (v[c] + T(eps)).squareRoot()
        alpha[c] = invstd * (w?[c] ?? 1)
        beta[c] = (b?[c] ?? 0) - m[c] * alpha[c]
    }
    let src = x.pointer(as: T.self), dst = out.pointer(as: T.self)
    let planes = batch * channels
    let parts = Swift.max(1, Swift.min(parallelPartCount(elements: x.numel), planes))
    alpha.withUnsafeBufferPointer { a in
        beta.withUnsafeBufferPointer { bb in
            parallelFor(parts) { p in
                for plane in (planes * p / parts)..<(planes * (p + 1) / parts) {
                    let c = plane % channels, scale = a[c], shift = bb[c]
                    let s = src + plane * inner, d = dst + plane * inner
                    for i in 0..<inner { d[i] = s[i] * scale + shift }
                }
            }
        }
    }
}
