import CTorchDNNL

/// float32 batch normalisation on oneDNN's batch-normalisation primitive — training forward
/// (batch statistics), inference forward (running statistics) and backward — on plain
/// `(N, C, *)` buffers, which the primitive reads as `(N, C, H·W…, 1)`.
///
/// `batchNorm` does not call these (issue 18, Performance II, measured): on plain NCHW
/// oneDNN 2.6 runs its generic `ncsp_bnorm`, not a JIT kernel, and `batchnorm2d_fwd_bwd`
/// (`[32, 64, 32, 32]`, release build) takes 12.7 ms on `BatchNormKernels.swift`, 13.3 ms
/// with this backward, 14.0 ms with this forward too. Its forward statistics are also summed
/// in float32 where PyTorch's CPU kernel sums in double: the ported float32 DCGAN then drifts
/// 2.7e-4 from PyTorch in six steps (PortedExampleTests allows 1e-4). They stay, tested
/// against the kernels (DNNLNormalizationPoolingTests), for a blocked-layout pipeline where
/// oneDNN's JIT batch norm would run.

/// Everything a batch-normalisation primitive is built for.
struct DNNLBatchNormKey: Hashable, Sendable {
    var batch: Int, channels: Int, inner: Int
    var hasScale: Bool, hasShift: Bool
    /// The float32 epsilon's bits (oneDNN takes a float).
    var epsBits: UInt32
    var step: Int32

    /// The key for a dense float32 `x` of shape `(N, C, *)`.
    init(_ x: Tensor, hasScale: Bool, hasShift: Bool, eps: Double, step: Int32) {
        batch = x.shape[0]
        channels = x.shape[1]
        inner = x.numel / Swift.max(batch * channels, 1)
        (self.hasScale, self.hasShift, epsBits, self.step) = (hasScale, hasShift, Float(eps).bitPattern, step)
    }

    fileprivate var geometry: tdc_bnorm_geometry {
        tdc_bnorm_geometry(batch: Int64(batch), channels: Int64(channels), height: Int64(inner), width: 1,
                           has_scale: hasScale ? 1 : 0, has_shift: hasShift ? 1 : 0, eps: Float(bitPattern: epsBits))
    }
}

/// Idle batch-normalisation primitives by geometry and step.
private let batchNormCache = DNNLPrimitiveCache<DNNLBatchNormKey> { tdc_primitive_destroy($0) }

/// Runs the primitive for `key` on `buffers` (its step's slots, `CTorchDNNL.h`); `false`
/// when oneDNN does not take the geometry.
private func runBatchNorm(_ key: DNNLBatchNormKey, _ buffers: [UnsafeMutableRawPointer?], _ what: String) -> Bool {
    setLibraryThreads(forWork: key.batch * key.channels * key.inner, family: .reduction)
    let ran: Void? = batchNormCache.withPrimitive(key, make: { key in
        var geometry = key.geometry
        var message = [CChar](repeating: 0, count: 256)
        return tdc_bnorm_create(&geometry, key.step, &message)
    }) { primitive in
        runDNNLPrimitive(primitive, buffers, what)
    }
    return ran != nil
}

/// A dense float32 copy's pointer of a per-channel tensor (`nil` in, `nil` out).
private func channelPointer(_ t: Tensor?) -> (Tensor, UnsafeMutableRawPointer)? {
    guard let t else { return nil }
    let dense = t.dtype == .float32 ? t.denseForKernel : t.convertedForKernel(to: .float32)
    return (dense, UnsafeMutableRawPointer(dense.pointer(as: Float.self)))
}

/// Training-mode batch normalisation of dense float32 `x` `(N, C, *)` into `out` with the
/// batch's statistics, or `nil` when oneDNN does not take it. Returns what
/// ``batchNormTrainingForward(_:into:weight:bias:eps:)`` does: the per-channel mean, the
/// biased variance (both as oneDNN computed them, in float32) and `1/√(variance + eps)` from
/// them, so that the backward and the running statistics see the statistics used.
func dnnlBatchNormTrainingForward(_ x: Tensor, into out: Tensor, weight: Tensor?, bias: Tensor?, eps: Double)
    -> (mean: [Double], invstd: [Double], variance: [Double])? {
    let key = DNNLBatchNormKey(x, hasScale: weight != nil, hasShift: bias != nil, eps: eps, step: Int32(TDC_BNORM_TRAINING))
    var mean = [Float](repeating: 0, count: key.channels), variance = mean
    let scale = channelPointer(weight), shift = channelPointer(bias)
    let ran = mean.withUnsafeMutableBytes { meanBytes in
        variance.withUnsafeMutableBytes { varianceBytes in
            runBatchNorm(key, [UnsafeMutableRawPointer(x.pointer(as: Float.self)), scale?.1, shift?.1,
                               UnsafeMutableRawPointer(out.pointer(as: Float.self)), meanBytes.baseAddress,
                               varianceBytes.baseAddress], "batch_norm (oneDNN forward)")
        }
    }
    withExtendedLifetime((scale?.0, shift?.0)) {}
    guard ran else { return nil }
    let biased = variance.map { Double($0) }
    return (mean.map { Double($0) }, biased.map { 1 / ($0 + eps).squareRoot() }, biased)
}

/// Inference batch normalisation of dense float32 `x` with the running `mean` and
/// `variance` into `out`; `false` when oneDNN does not take it.
func dnnlBatchNormInference(_ x: Tensor, into out: Tensor, mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?,
                            eps: Double) -> Bool {
    let key = DNNLBatchNormKey(x, hasScale: weight != nil, hasShift: bias != nil, eps: eps, step: Int32(TDC_BNORM_INFERENCE))
    let m = channelPointer(mean)!, v = channelPointer(variance)!, scale = channelPointer(weight), shift = channelPointer(bias)
    let ran = runBatchNorm(key, [UnsafeMutableRawPointer(x.pointer(as: Float.self)), m.1, v.1, scale?.1, shift?.1,
                                 UnsafeMutableRawPointer(out.pointer(as: Float.self))], "batch_norm (oneDNN inference)")
    withExtendedLifetime((m.0, v.0, scale?.0, shift?.0)) {}
    return ran
}

/// The gradients of training-mode batch normalisation on oneDNN for dense float32 `gy` and
/// `x`, with the forward's `mean` and biased `variance` (as
/// ``batchNormTrainingForward(_:into:weight:bias:eps:)`` returned them; oneDNN takes them
/// in float32 and forms `1/√(variance + eps)` itself):
/// `gx`, and per channel `Σ gy·x̂` (the weight's gradient, when `weight` is given) and
/// `Σ gy` (the bias's, when `hasBias`) — or `nil` when oneDNN does not take it.
func dnnlBatchNormBackward(_ gy: Tensor, _ x: Tensor, mean: [Double], variance: [Double], weight: Tensor?, hasBias: Bool,
                           eps: Double) -> (gx: Tensor, weightGradient: [Double], biasGradient: [Double])? {
    let key = DNNLBatchNormKey(x, hasScale: weight != nil, hasShift: hasBias, eps: eps, step: Int32(TDC_BNORM_BACKWARD))
    var m = mean.map { Float($0) }, v = variance.map { Float($0) }
    // oneDNN wants the shift beside the scale though the gradients never read it: zeros.
    var gw = [Float](repeating: 0, count: key.channels), gb = gw, shift = gw
    let gx = Tensor(uninitializedShape: x.shape, dtype: .float32, zeroed: false)
    let scale = channelPointer(weight)
    let src = UnsafeMutableRawPointer(x.pointer(as: Float.self)), diffDst = UnsafeMutableRawPointer(gy.pointer(as: Float.self))
    let diffSrc = UnsafeMutableRawPointer(gx.pointer(as: Float.self))
    let ran = m.withUnsafeMutableBytes { mBytes -> Bool in
        v.withUnsafeMutableBytes { vBytes -> Bool in
            gw.withUnsafeMutableBytes { gwBytes -> Bool in
                gb.withUnsafeMutableBytes { gbBytes -> Bool in
                    shift.withUnsafeMutableBytes { shiftBytes -> Bool in
                        let slots: [UnsafeMutableRawPointer?] = [
                            src, mBytes.baseAddress, vBytes.baseAddress, diffDst, scale?.1, hasBias ? shiftBytes.baseAddress : nil,
                            diffSrc, weight != nil ? gwBytes.baseAddress : nil, hasBias ? gbBytes.baseAddress : nil,
                        ]
                        return runBatchNorm(key, slots, "batch_norm backward (oneDNN)")
                    }
                }
            }
        }
    }
    withExtendedLifetime(scale?.0) {}
    return ran ? (gx, gw.map { Double($0) }, gb.map { Double($0) }) : nil
}
