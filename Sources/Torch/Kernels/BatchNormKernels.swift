/// Batch normalisation in training mode as PyTorch's CPU kernels run it: the per-channel
/// statistics in one reduction pass each, accumulated in double (PyTorch's `acc_type` for
/// float on CPU), the output through the evaluation transform (`ChannelAffineKernels.swift`)
/// with the batch's statistics, and the backward as one reduction pass and one map pass
/// over the saved input, where composing it from tensor ops made a dozen passes and kept
/// the normalised input alive between forward and backward.

/// Per-channel mean and biased variance of a dense float32/float64 `x` of shape
/// `[N, C, *]` (two passes over each channel: the mean, then the squared deviations).
func batchNormStatistics(_ x: Tensor) -> (mean: [Double], variance: [Double]) {
    switch x.dtype {
    case .float32: return batchNormStatistics(Float.self, x)
    default: return batchNormStatistics(Double.self, x)
    }
}

private func batchNormStatistics<T: TensorScalar & BinaryFloatingPoint>(_: T.Type, _ x: Tensor) -> (mean: [Double], variance: [Double]) {
    let batch = x.shape[0], channels = x.shape[1]
    let inner = x.numel / Swift.max(batch * channels, 1), count = Double(batch * inner)
    let src = x.pointer(as: T.self)
    var mean = [Double](repeating: 0, count: channels), variance = mean
    mean.withUnsafeMutableBufferPointer { m in
        variance.withUnsafeMutableBufferPointer { v in
            let m = m.baseAddress!, v = v.baseAddress!
            let parts = Swift.max(1, Swift.min(parallelPartCount(elements: x.numel, family: .reduction), channels))
            parallelFor(parts) { p in
                for c in (channels * p / parts)..<(channels * (p + 1) / parts) {
                    var sum = 0.0
                    for n in 0..<batch {
                        let plane = src + (n * channels + c) * inner
                        for i in 0..<inner { sum += Double(plane[i]) }
                    }
                    let mu = sum / count
                    var squares = 0.0
                    for n in 0..<batch {
                        let plane = src + (n * channels + c) * inner
                        for i in 0..<inner {
                            let d = Double(plane[i]) - mu
                            squares += d * d
                        }
                    }
                    m[c] = mu
                    v[c] = squares / count
                }
            }
        }
    }
    return (mean, variance)
}

/// The gradients of training-mode batch normalisation for dense `gy` and `x` of shape
/// `[N, C, *]`: `gx` (when `inputGradient`), and per channel `Σ gy·x̂` (the weight's
/// gradient) and `Σ gy` (the bias's). With `x̂ = (x − mean)·invstd` and `w` the weight (1
/// without one), `gx = (gy − Σgy/M − x̂·Σ(gy·x̂)/M)·invstd·w` over the `M` elements of a
/// channel.
func batchNormBackward(_ gy: Tensor, _ x: Tensor, mean: [Double], invstd: [Double], weight: [Double]?,
                       inputGradient: Bool) -> (gx: Tensor?, weightGradient: [Double], biasGradient: [Double]) {
    switch x.dtype {
    case .float32: return batchNormBackward(Float.self, gy, x, mean, invstd, weight, inputGradient)
    default: return batchNormBackward(Double.self, gy, x, mean, invstd, weight, inputGradient)
    }
}

private func batchNormBackward<T: TensorScalar & BinaryFloatingPoint>(
    _: T.Type, _ gy: Tensor, _ x: Tensor, _ mean: [Double], _ invstd: [Double], _ weight: [Double]?, _ inputGradient: Bool
) -> (gx: Tensor?, weightGradient: [Double], biasGradient: [Double]) {
    let batch = x.shape[0], channels = x.shape[1]
    let inner = x.numel / Swift.max(batch * channels, 1), count = Double(batch * inner)
    let src = x.pointer(as: T.self), grad = gy.pointer(as: T.self)
    let gx = inputGradient ? Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false) : nil
    let dst = gx?.pointer(as: T.self)
    var dot = [Double](repeating: 0, count: channels), sum = dot
    dot.withUnsafeMutableBufferPointer { dotBuffer in
        sum.withUnsafeMutableBufferPointer { sumBuffer in
            let dotOut = dotBuffer.baseAddress!, sumOut = sumBuffer.baseAddress!
            let parts = Swift.max(1, Swift.min(parallelPartCount(elements: x.numel, family: .reduction), channels))
            parallelFor(parts) { p in
                for c in (channels * p / parts)..<(channels * (p + 1) / parts) {
                    let mu = mean[c]
                    var s = 0.0, d = 0.0
                    for n in 0..<batch {
                        let offset = (n * channels + c) * inner
                        for i in 0..<inner {
                            let g = Double(grad[offset + i])
                            s += g
                            d += g * (Double(src[offset + i]) - mu)
                        }
                    }
                    sumOut[c] = s
                    dotOut[c] = d * invstd[c]
                    guard let dst else { continue }
                    // gx = (gy − Σgy/M − x̂·Σ(gy·x̂)/M)·invstd·w, written as gy·a + x·b + k.
                    let scale = invstd[c] * (weight?[c] ?? 1)
                    let a = scale
                    let b = -scale * invstd[c] * dotOut[c] / count
                    let k = -scale * s / count - b * mu
                    let ta = T(a), tb = T(b), tk = T(k)
                    for n in 0..<batch {
                        let offset = (n * channels + c) * inner
                        for i in 0..<inner { dst[offset + i] = grad[offset + i] * ta + src[offset + i] * tb + tk }
                    }
                }
            }
        }
    }
    return (gx, dot, sum)
}
