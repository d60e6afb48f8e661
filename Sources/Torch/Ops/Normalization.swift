/// Batch, layer and group normalisation (`F.batch_norm`, `F.layer_norm`, `F.group_norm`)
/// with PyTorch's single backward nodes (`NativeBatchNormBackward0`, ...). Statistics use
/// the biased variance; BatchNorm's running variance gets the unbiased one, as in PyTorch.

/// The backward of normalising each row of `xhat` (rows × m) with `invstd` per row, given
/// the gradient `gxhat` with respect to the normalised values.
private func normalizedRowsBackward(_ gxhat: Tensor, _ xhat: Tensor, _ invstd: Tensor, dims: [Int]) -> Tensor {
    let meanG = gxhat.mean(dims: dims, keepdim: true)
    let meanGX = (gxhat * xhat).mean(dims: dims, keepdim: true)
    return (gxhat - meanG - xhat * meanGX) * invstd
}

/// `(x - mean) / sqrt(var + eps)` over `dims` (biased variance), with the mean and
/// `1 / sqrt(var + eps)`, in ops: the forward passes run it without recording, and a
/// derivative being differentiated (`createGraph`) runs it recorded, so that second
/// derivatives see how the statistics depend on `x`.
private func normalized(_ x: Tensor, dims: [Int], eps: Double) -> (xhat: Tensor, mean: Tensor, invstd: Tensor) {
    let mean = x.mean(dims: dims, keepdim: true)
    let centered = x - mean
    let invstd = 1 / sqrt((centered * centered).mean(dims: dims, keepdim: true) + eps)
    return (centered * invstd, mean, invstd)
}

/// A float32 copy of a 16-bit float tensor (normalisation statistics are kept in float32);
/// any other tensor as it is.
private func widenedForStatistics(_ t: Tensor) -> Tensor {
    t.dtype.isReducedPrecisionFloat ? t.to(.float32) : t
}

/// Shape `[1, C, 1, ...]` for per-channel parameters of an input of rank `rank`.
private func channelShape(_ channels: Int, rank: Int) -> [Int] {
    var s = [Int](repeating: 1, count: rank)
    if rank > 1 { s[1] = channels } else { s[0] = channels }
    return s
}

/// Batch normalisation over every dimension but the channel one (dim 1)
/// (`torch.nn.functional.batch_norm`).
///
/// In training mode (or without running statistics) the batch's statistics normalise and,
/// when `runningMean`/`runningVar` are given, update them in place:
/// `running = (1 - momentum)·running + momentum·batch`. In eval mode the running
/// statistics normalise.
public func batchNorm(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil,
                      bias: Tensor? = nil, training: Bool = false, momentum: some ScalarConvertible = 0.1,
                      eps: some ScalarConvertible = 1e-5) -> Tensor {
    let momentum = momentum.scalarValue.doubleValue
    let eps = eps.scalarValue.doubleValue
    guard x.dim >= 2 else { torchFatal("ValueError: Expected 2D or higher input to batch_norm (got \(x.dim)D input)") }
    if x.dtype.isReducedPrecisionFloat {
        // Statistics in float32, output rounded once (recorded conversions carry the
        // gradients back in the input's dtype); the running statistics keep their dtype.
        return batchNorm(x.to(.float32), runningMean: runningMean, runningVar: runningVar,
                         weight: weight.map(widenedForStatistics), bias: bias.map(widenedForStatistics),
                         training: training, momentum: momentum, eps: eps).to(x.dtype)
    }
    let channels = x.shape[1]
    let dims = [0] + Array(2..<x.dim)
    let count = x.numel / Swift.max(channels, 1)
    if training && count <= 1 {
        torchFatal("ValueError: Expected more than 1 value per channel when training, got input size \(Size(x.shape))")
    }
    let shape = channelShape(channels, rank: x.dim)
    let useBatch = training || runningMean == nil || runningVar == nil
    if !useBatch, x.dtype == .float32 || x.dtype == .float64, !needsGrad(x),
       !([weight, bias].contains { $0.map { needsGrad($0) } ?? false }) {
        // Inference: one fused pass, nothing saved (the common case of a model in eval mode).
        let input = x.isContiguous ? x : x.contiguous()
        let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
        batchNormInference(input, into: out, mean: runningMean!, variance: runningVar!, weight: weight, bias: bias, eps: eps)
        return out
    }
    if useBatch, x.dtype == .float32 || x.dtype == .float64,
       [weight, bias].allSatisfy({ $0 == nil || $0!.dtype == x.dtype }) {
        return batchNormWithBatchStatistics(x, runningMean: training ? runningMean : nil, runningVar: training ? runningVar : nil,
                                            weight: weight, bias: bias, momentum: momentum, eps: eps)
    }
    let (out, xhat, invstd) = noGrad { () -> (Tensor, Tensor, Tensor) in
        let mean: Tensor, variance: Tensor
        if useBatch {
            mean = x.mean(dims: dims, keepdim: true)
            variance = ((x - mean) * (x - mean)).mean(dims: dims, keepdim: true)
            if training, let runningMean, let runningVar {
                runningMean.mul_(.double(1 - momentum)).add_(mean.reshape([channels]) * momentum)
                let unbiased = variance.reshape([channels]) * (Double(count) / Double(count - 1))
                runningVar.mul_(.double(1 - momentum)).add_(unbiased * momentum)
            }
        } else {
            mean = runningMean!.reshape(shape).to(x.dtype)
            variance = runningVar!.reshape(shape).to(x.dtype)
        }
        let invstd = 1 / sqrt(variance + eps)
        let xhat = (x - mean) * invstd
        var y = xhat
        if let weight { y = y * weight.reshape(shape) }
        if let bias { y = y + bias.reshape(shape) }
        // Without weight and bias the output is `xhat` itself: the backward keeps a detached
        // alias, or the node would hold its own output and never be freed unless run.
        return (y, xhat.detach(), invstd)
    }
    let inputs = [x] + [weight, bias].compactMap { $0 }
    if needsGrad(x) || inputs.dropFirst().contains(where: { needsGrad($0) }) {
        // Saved: the input and weight (read), the running mean in evaluation (read), and
        // which inputs want gradients; `xhat` and `invstd` are this op's own intermediates.
        let sx = SavedTensor(x), sw = weight.map(SavedTensor.init), needs = BatchNormNeeds(x, weight, bias)
        let sMean = useBatch ? nil : runningMean.map(SavedTensor.init)
        record("NativeBatchNormBackward0", inputs: inputs, outputs: [out], savedShapes: inputs.map(\.shape)) { g in
            let gy = g[0]!, x = sx.unpack()
            var (xhat, invstd) = (xhat, invstd)
            if isGradEnabled() {
                if useBatch {
                    (xhat, _, invstd) = normalized(x, dims: dims, eps: eps)
                } else {
                    xhat = (x - sMean!.unpack().reshape(shape).to(x.dtype)) * invstd
                }
            }
            return batchNormBackwardInOps(gy, x, xhat: xhat, invstd: invstd, weight: sw?.unpack(), needs: needs, useBatch: useBatch)
        }
    }
    return out
}

/// Which of a normalisation's inputs want gradients (`weight`/`bias` `nil` when absent),
/// saved instead of the tensors: the bias is never read.
private struct BatchNormNeeds {
    let input: Bool, weight: Bool?, bias: Bool?
    init(_ x: Tensor, _ weight: Tensor?, _ bias: Tensor?) {
        (input, self.weight, self.bias) = (x.requiresGrad, weight?.requiresGrad, bias?.requiresGrad)
    }
}

/// Batch normalisation's gradients from tensor ops (recorded when a derivative is itself
/// differentiated): `gx`, then the weight's and the bias's gradients for those present.
private func batchNormBackwardInOps(_ gy: Tensor, _ x: Tensor, xhat: Tensor, invstd: Tensor, weight: Tensor?,
                                    needs: BatchNormNeeds, useBatch: Bool) -> [Tensor?] {
    let dims = [0] + Array(2..<x.dim)
    let scale = weight.map { $0.reshape(channelShape(x.shape[1], rank: x.dim)) }
    let gxhat = scale.map { gy * $0 } ?? gy
    let gx = useBatch ? normalizedRowsBackward(gxhat, xhat, invstd, dims: dims) : gxhat * invstd
    var grads: [Tensor?] = [needs.input ? gx : nil]
    if let wants = needs.weight { grads.append(wants ? (gy * xhat).sum(dims: dims) : nil) }
    if let wants = needs.bias { grads.append(wants ? gy.sum(dims: dims) : nil) }
    return grads
}

/// Batch normalisation with the batch's own statistics (training, or no running
/// statistics) for float32/float64, on the fused kernels of `BatchNormKernels.swift`:
/// statistics accumulated in double, the output as `x·α + β` per channel, and a backward
/// that keeps only the input and the per-channel mean and `1/σ` (not the normalised input).
/// `runningMean`/`runningVar`, when given, are updated with `momentum` (the unbiased
/// variance, as PyTorch).
private func batchNormWithBatchStatistics(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor?,
                                          bias: Tensor?, momentum: Double, eps: Double) -> Tensor {
    let input = x.isContiguous ? x : noGrad { x.contiguous() }
    let channels = x.shape[1], count = x.numel / Swift.max(channels, 1)
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
    // On the kernels, not oneDNN (`Kernels/DNNLBatchNorm.swift` says why).
    let (mean, invstd, variance) = noGrad {
        batchNormTrainingForward(input, into: out, weight: weight?.detach(), bias: bias?.detach(), eps: eps)
    }
    if let runningMean, let runningVar {
        noGrad {
            let unbiased = variance.map { $0 * Double(count) / Double(count - 1) }
            runningMean.mul_(.double(1 - momentum)).add_(Tensor(shape: [channels], scalars: mean).to(runningMean.dtype) * momentum)
            runningVar.mul_(.double(1 - momentum)).add_(Tensor(shape: [channels], scalars: unbiased).to(runningVar.dtype) * momentum)
        }
    }
    let inputs = [x] + [weight, bias].compactMap { $0 }
    guard inputs.contains(where: { needsGrad($0) }) else { return out }
    // Saved: the input (checked by version; a non-contiguous input's dense copy is what the
    // kernel reads), the weight, per-channel statistics as values, and which inputs want
    // gradients — not the bias, which the formula never reads.
    let savedInput = SavedTensor(x), denseCopy = x.isContiguous ? nil : input
    let savedWeight = weight.map { SavedTensor($0) }, needs = BatchNormNeeds(x, weight, bias)
    let weightType = weight?.dtype, biasType = bias?.dtype
    record("NativeBatchNormBackward0", inputs: inputs, outputs: [out], savedShapes: inputs.map(\.shape)) { g in
        let gy = g[0]!, x = savedInput.unpack()
        if isGradEnabled() {
            // A derivative being differentiated: the same formula in recorded ops.
            let (xhat, _, invstdTensor) = normalized(x, dims: [0] + Array(2..<x.dim), eps: eps)
            return batchNormBackwardInOps(gy, x, xhat: xhat, invstd: invstdTensor, weight: savedWeight?.unpack(),
                                          needs: needs, useBatch: true)
        }
        let weightValues = savedWeight.map { $0.unpack().to(.float64).contiguous().toArray(Double.self) }
        let dense = gy.dtype == x.dtype ? gy.denseForKernel : gy.convertedForKernel(to: x.dtype)
        let (gx, gw, gb) = batchNormBackward(dense, denseCopy ?? x, mean: mean, invstd: invstd, weight: weightValues,
                                             inputGradient: needs.input)
        var grads: [Tensor?] = [gx]
        if let wants = needs.weight, let weightType { grads.append(wants ? Tensor(shape: [channels], scalars: gw).to(weightType) : nil) }
        if let wants = needs.bias, let biasType { grads.append(wants ? Tensor(shape: [channels], scalars: gb).to(biasType) : nil) }
        return grads
    }
    return out
}

/// Layer normalisation over the trailing `normalizedShape` dimensions, with optional
/// elementwise `weight` and `bias` of that shape (`torch.nn.functional.layer_norm`).
public func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: some ScalarConvertible = 1e-5) -> Tensor {
    let eps = eps.scalarValue.doubleValue
    let k = normalizedShape.count
    guard k <= x.dim, Array(x.shape.suffix(k)) == normalizedShape else {
        torchFatal("RuntimeError: Given normalized_shape=\(normalizedShape), expected input with shape [*, \(normalizedShape.map(String.init).joined(separator: ", "))], but got input of size\(Size(x.shape))")
    }
    let dims = Array((x.dim - k)..<x.dim)
    // A 16-bit input is normalised in float32 and rounded once, as PyTorch's CPU kernel
    // does: statistics rounded to bfloat16 along the way would be off by whole percents.
    let (out, xhat, invstd) = noGrad { () -> (Tensor, Tensor, Tensor) in
        let (xhat, _, invstd) = normalized(widenedForStatistics(x), dims: dims, eps: eps)
        var y = xhat
        if let weight { y = y * widenedForStatistics(weight) }
        if let bias { y = y + widenedForStatistics(bias) }
        // Without weight and bias the output is `xhat` itself: the backward keeps a detached
        // alias, or the node would hold its own output and never be freed unless run.
        return (y.to(x.dtype), xhat.detach(), invstd)
    }
    let inputs = [x] + [weight, bias].compactMap { $0 }
    if needsGrad(x) || inputs.dropFirst().contains(where: { needsGrad($0) }) {
        let leading = Array(0..<(x.dim - k))
        let sx = SavedTensor(x), sw = weight.map(SavedTensor.init), needs = BatchNormNeeds(x, weight, bias)
        let inputType = x.dtype, weightType = weight?.dtype, biasType = bias?.dtype
        record("NativeLayerNormBackward0", inputs: inputs, outputs: [out], savedShapes: inputs.map(\.shape)) { g in
            var gy = g[0]!
            let x = sx.unpack(), weight = sw?.unpack()
            var (xhat, invstd) = (xhat, invstd)
            if isGradEnabled() {
                (xhat, _, invstd) = normalized(x, dims: dims, eps: eps)
            } else {
                gy = widenedForStatistics(gy)
            }
            let w = weight.map { isGradEnabled() ? $0 : widenedForStatistics($0) }
            let gxhat = w.map { gy * $0 } ?? gy
            var grads: [Tensor?] = [needs.input ? normalizedRowsBackward(gxhat, xhat, invstd, dims: dims).to(inputType) : nil]
            func sumLeading(_ t: Tensor) -> Tensor { leading.isEmpty ? t : t.sum(dims: leading) }
            if let wants = needs.weight, let weightType { grads.append(wants ? sumLeading(gy * xhat).to(weightType) : nil) }
            if let wants = needs.bias, let biasType { grads.append(wants ? sumLeading(gy).to(biasType) : nil) }
            return grads
        }
    }
    return out
}

/// Group normalisation: the channels of `(N, C, ...)` input split into `numGroups` groups,
/// each normalised per sample; `weight` and `bias` are per channel
/// (`torch.nn.functional.group_norm`).
public func groupNorm(_ x: Tensor, numGroups: Int, weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: some ScalarConvertible = 1e-5) -> Tensor {
    let eps = eps.scalarValue.doubleValue
    guard x.dim >= 2, numGroups > 0, x.shape[1] % numGroups == 0 else {
        torchFatal("RuntimeError: Expected number of channels in input to be divisible by num_groups, but got input of shape \(Size(x.shape)) and num_groups=\(numGroups)")
    }
    if x.dtype.isReducedPrecisionFloat {
        return groupNorm(x.to(.float32), numGroups: numGroups, weight: weight.map(widenedForStatistics),
                         bias: bias.map(widenedForStatistics), eps: eps).to(x.dtype)
    }
    let n = x.shape[0], channels = x.shape[1]
    let grouped = [n, numGroups, -1]
    let shape = channelShape(channels, rank: x.dim)
    let (out, xhat, mean, invstd) = noGrad { () -> (Tensor, Tensor, Tensor, Tensor) in
        let (xhatGrouped, mean, invstd) = normalized(x.reshape(grouped), dims: [2], eps: eps)
        let xhat = xhatGrouped.reshape(x.shape)
        var y = xhat
        if let weight { y = y * weight.reshape(shape) }
        if let bias { y = y + bias.reshape(shape) }
        // Without weight and bias the output is `xhat` itself: the backward keeps a detached
        // alias, or the node would hold its own output and never be freed unless run.
        return (y, xhat.detach(), mean, invstd)
    }
    let inputs = [x] + [weight, bias].compactMap { $0 }
    if needsGrad(x) || inputs.dropFirst().contains(where: { needsGrad($0) }) {
        let reduceDims = [0] + Array(2..<x.dim)
        let sx = SavedTensor(x), sw = weight.map(SavedTensor.init), needs = BatchNormNeeds(x, weight, bias)
        record("NativeGroupNormBackward0", inputs: inputs, outputs: [out], savedShapes: inputs.map(\.shape)) { g in
            let gy = g[0]!, x = sx.unpack(), weight = sw?.unpack()
            var grads: [Tensor?] = []
            if isGradEnabled() {
                // Differentiating this derivative: the composite form, statistics recorded.
                let (xhatGrouped, _, invstd) = normalized(x.reshape(grouped), dims: [2], eps: eps)
                let gxhat = (weight.map { gy * $0.reshape(shape) } ?? gy).reshape(grouped)
                let gx = normalizedRowsBackward(gxhat, xhatGrouped, invstd, dims: [2]).reshape(x.shape)
                grads.append(needs.input ? gx : nil)
                let xhat = xhatGrouped.reshape(x.shape)
                if let wants = needs.weight { grads.append(wants ? (gy * xhat).sum(dims: reduceDims) : nil) }
                if let wants = needs.bias { grads.append(wants ? gy.sum(dims: reduceDims) : nil) }
                return grads
            }
            grads.append(needs.input ? groupNormInputGradient(gy, x, weight, mean, invstd, numGroups: numGroups) : nil)
            if let wants = needs.weight { grads.append(wants ? (gy * xhat).sum(dims: reduceDims) : nil) }
            if let wants = needs.bias { grads.append(wants ? gy.sum(dims: reduceDims) : nil) }
            return grads
        }
    }
    return out
}

/// GroupNorm's input gradient in PyTorch's CPU form — per-channel sums of `dy·x` and `dy`,
/// combined per group into `dx = c1·dy + c2·x + c3` — so results agree with PyTorch's
/// rounding even for nearly constant groups, where the textbook form differs visibly.
private func groupNormInputGradient(_ dy: Tensor, _ x: Tensor, _ weight: Tensor?, _ mean: Tensor, _ invstd: Tensor,
                                    numGroups: Int) -> Tensor {
    let n = x.shape[0], channels = x.shape[1], perGroup = channels / numGroups
    let dy3 = dy.reshape([n, channels, -1]), x3 = x.reshape([n, channels, -1])
    let spatial = dy3.shape[2]
    let gamma = weight ?? Tensor.ones([channels], dtype: x.dtype)
    let ds = (dy3 * x3).sum(dim: 2) * gamma, db = dy3.sum(dim: 2) * gamma          // (N, C)
    let dsGroup = ds.reshape([n, numGroups, perGroup]).sum(dim: 2, keepdim: true)     // (N, G, 1)
    let dbGroup = db.reshape([n, numGroups, perGroup]).sum(dim: 2, keepdim: true)
    let s = 1 / Double(perGroup * spatial)
    let c2 = (dbGroup * mean - dsGroup) * invstd * invstd * invstd * s
    let c3 = -c2 * mean - dbGroup * invstd * s
    let c1 = invstd * gamma.reshape([1, numGroups, perGroup])                         // (N, G, Cg)
    let dx = c1.unsqueeze(-1) * dy3.reshape([n, numGroups, perGroup, spatial])
        + c2.unsqueeze(-1) * x3.reshape([n, numGroups, perGroup, spatial]) + c3.unsqueeze(-1)
    return dx.reshape(x.shape)
}
