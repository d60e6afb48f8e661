/// Batch normalisation in training mode as PyTorch's CPU kernels run it: per channel, the
/// statistics in one reduction pass each (accumulated in double, PyTorch's `acc_type` for
/// float on CPU) and the output in one more, and the backward as one reduction pass and one
/// map pass over the saved input, where composing it from tensor ops made a dozen passes and
/// kept the normalised input alive between forward and backward.

/// Training-mode batch normalisation forward for a dense float32/float64 `x` of shape
/// `[N, C, *]` into `out`, rounding where PyTorch's CPU kernel rounds (so that float32
/// training follows PyTorch's numbers): the channel sum accumulated in double and the mean
/// rounded to the element type; the squared deviations computed in the element type and
/// summed in double, that sum rounded too; `1/σ = 1/√(Σ/M + eps)` in double, rounded; then
/// `y = x·α + β` with `α = w/σ` and `β = b − mean·α` in the element type. Returns the
/// per-channel mean, `1/σ` and biased variance (as rounded).
func batchNormTrainingForward(_ x: Tensor, into out: Tensor, weight: Tensor?, bias: Tensor?, eps: Double)
    -> (mean: [Double], invstd: [Double], variance: [Double]) {
    switch x.dtype {
    case .float32: return batchNormTrainingForward(Float.self, x, out, weight, bias, eps)
    default: return batchNormTrainingForward(Double.self, x, out, weight, bias, eps)
    }
}

private func batchNormTrainingForward<T: TensorScalar & BinaryFloatingPoint>(
    _: T.Type, _ x: Tensor, _ out: Tensor, _ weight: Tensor?, _ bias: Tensor?, _ eps: Double
) -> (mean: [Double], invstd: [Double], variance: [Double]) {
    let batch = x.shape[0], channels = x.shape[1]
    let inner = x.numel / Swift.max(batch * channels, 1), count = Double(batch * inner)
    let src = x.pointer(as: T.self), dst = out.pointer(as: T.self)
    func channelValues(_ t: Tensor?) -> [T]? {
        guard let dense = t?.denseForKernel else { return nil }
        return withExtendedLifetime(dense) { [T](UnsafeBufferPointer(start: dense.pointer(as: T.self), count: channels)) }
    }
    let w = channelValues(weight), b = channelValues(bias)
    var mean = [Double](repeating: 0, count: channels), invstd = mean, variance = mean
    mean.withUnsafeMutableBufferPointer { meanOut in
        invstd.withUnsafeMutableBufferPointer { invstdOut in
            variance.withUnsafeMutableBufferPointer { varianceOut in
                let meanOut = meanOut.baseAddress!, invstdOut = invstdOut.baseAddress!, varianceOut = varianceOut.baseAddress!
                let parts = Swift.max(1, Swift.min(parallelPartCount(elements: x.numel, family: .reduction), channels))
                parallelFor(parts) { p in
                    for c in (channels * p / parts)..<(channels * (p + 1) / parts) {
                        var sum = 0.0
                        for n in 0..<batch {
                            let plane = src + (n * channels + c) * inner
                            for i in 0..<inner { sum += Double(plane[i]) }
                        }
                        let mu = T(sum / count)
                        var squares = 0.0
                        for n in 0..<batch {
                            let plane = src + (n * channels + c) * inner
                            for i in 0..<inner {
                                let d = plane[i] - mu
                                squares += Double(d * d)
                            }
                        }
                        let biased = Double(T(squares)) / count
                        let inverse = T(1 / (biased + eps).squareRoot())
                        let alpha = inverse * (w?[c] ?? 1)
                        let beta = (b?[c] ?? 0) - mu * alpha
                        for n in 0..<batch {
                            let offset = (n * channels + c) * inner
                            for i in 0..<inner { dst[offset + i] = src[offset + i] * alpha + beta }
                        }
                        meanOut[c] = Double(mu)
                        invstdOut[c] = Double(inverse)
                        varianceOut[c] = biased
                    }
                }
            }
        }
    }
    return (mean, invstd, variance)
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
                    // PyTorch's order, in the element type:
                    // gx = (gy − Σgy/M − (x − mean)·k)·invstd·w with k = Σ(gy·(x − mean))·invstd²/M.
                    let tMean = T(mu), tInvstd = T(invstd[c]), tWeight = T(weight?[c] ?? 1)
                    let k = T(d) * tInvstd * tInvstd / T(count)
                    let gradMean = T(s) / T(count)
                    for n in 0..<batch {
                        let offset = (n * channels + c) * inner
                        for i in 0..<inner {
                            let dx = (src[offset + i] - tMean) * k
                            dst[offset + i] = (grad[offset + i] - gradMean - dx) * tInvstd * tWeight
                        }
                    }
                }
            }
        }
    }
    return (gx, dot, sum)
}
