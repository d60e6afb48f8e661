/// The loss functions of `torch.nn.functional`, with PyTorch's formulas, reductions,
/// defaults and backward graphs: a dedicated node where PyTorch has one (`MseLossBackward0`,
/// `NllLossBackward0`, `BinaryCrossEntropyWithLogitsBackward0`, ...), the same composition
/// of ops where PyTorch composes them (label smoothing, KL divergence, ranking losses).

/// How per-element losses combine (PyTorch's `reduction` argument) (the `reduction` strings of the
/// `torch.nn.functional` losses).
public enum Reduction: String, Sendable {
    /// One loss per element (or sample).
    case none
    /// The mean (for class-weighted losses, the weighted mean).
    case mean
    /// The sum.
    case sum
    /// The sum divided by the batch size: `klDiv`'s mathematically correct reduction.
    case batchMean = "batchmean"
}

/// Applies `reduction` to per-element losses (PyTorch's `apply_loss_reduction`).
func reduce(_ loss: Tensor, _ reduction: Reduction) -> Tensor {
    switch reduction {
    case .none: loss
    case .mean: loss.mean()
    case .sum: loss.sum()
    case .batchMean: torchFatal("ValueError: batchmean is only valid for kl_div")
    }
}

/// The reduction's factor on an incoming gradient, for hand-written backward nodes.
private func reductionScale(_ reduction: Reduction, count: Int) -> Double {
    reduction == .mean ? 1 / Double(Swift.max(count, 1)) : 1
}

/// `a / n` recorded as C++'s `div(Tensor, Scalar)` (`DivBackward1`), where PyTorch's own
/// loss code divides by a number.
private func divideByNumber(_ a: Tensor, _ n: Double) -> Tensor {
    let out = noGrad { a / n }
    if needsGrad(a) { record("DivBackward1", input: a, outputs: [out]) { g in [g[0]! / n] } }
    return out
}

/// Two operands broadcast to one shape (as they are when it already agrees), as PyTorch
/// broadcasts a pointwise loss's operands or a distribution's parameters; `op` names the
/// caller in the shape error.
func broadcastPair(_ input: Tensor, _ target: Tensor, op: String) -> (Tensor, Tensor) {
    if input.shape == target.shape { return (input, target) }
    let shape = broadcastShapes(input.shape, target.shape, op: op)
    return (input.expand(shape), target.expand(shape))
}

/// A pointwise loss with a hand-written derivative: `value(d)` and `slope(d)` of the
/// difference `d = input - target`; `gradient(input) = g · slope`, `gradient(target) = -that`.
private func pointwiseLoss(_ name: String, _ input: Tensor, _ target: Tensor, _ reduction: Reduction, op: String,
                           value: (Tensor) -> Tensor, slope: @escaping (Tensor) -> Tensor) -> Tensor {
    let (x, t) = broadcastPair(input, target, op: op)
    let out = noGrad { reduce(value(x - t), reduction) }
    if needsGrad(input, target) {
        let sx = SavedTensor(x), st = SavedTensor(t)
        let scale = reductionScale(reduction, count: x.numel)
        let ii = InputSummary(input), it = InputSummary(target)
        record(name, inputs: (input, target), outputs: [out]) { g in
            let d = sx.unpack() - st.unpack()
            let gx = g[0]! * slope(d) * scale
            return [ii.requiresGrad ? gradient(gx, for: ii) : nil,
                    it.requiresGrad ? gradient(-gx, for: it) : nil]
        }
    }
    return out
}

/// Mean squared error (`F.mse_loss`, `torch.nn.functional.mse_loss`).
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    return pointwiseLoss("MseLossBackward0", input, target, reduction, op: "mse_loss",
                  value: { $0 * $0 }, slope: { $0 * 2 })
}

/// Mean absolute error (`F.l1_loss`), composed as PyTorch does: `abs(input - target)` reduced
/// (`torch.nn.functional.l1_loss`).
public func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    let (x, t) = broadcastPair(input, target, op: "l1_loss")
    return reduce(abs(x - t), reduction)
}

/// Smooth L1 (`F.smooth_l1_loss`): `0.5 d²/β` below `beta`, `|d| - β/2` above
/// (`torch.nn.functional.smooth_l1_loss`).
public func smoothL1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean,
                         beta: some ScalarConvertible = 1) -> Tensor {
    let beta = beta.scalarValue.doubleValue
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    guard beta >= 0 else { torchFatal("RuntimeError: smooth_l1_loss does not support negative values for beta.") }
    if beta == 0 { return l1Loss(input, target, reduction: reduction) }
    return pointwiseLoss("SmoothL1LossBackward0", input, target, reduction, op: "smooth_l1_loss", value: { d in
        let a = abs(d)
        return `where`(a .< beta, d * d * (0.5 / beta), a - 0.5 * beta)
    }, slope: { d in
        `where`(abs(d) .< beta, d / beta, sign(d))
    })
}

/// Huber loss (`F.huber_loss`): `0.5 d²` below `delta`, `delta (|d| - delta/2)` above
/// (`torch.nn.functional.huber_loss`).
public func huberLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean,
                      delta: some ScalarConvertible = 1) -> Tensor {
    let delta = delta.scalarValue.doubleValue
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    guard delta > 0 else { torchFatal("RuntimeError: huber_loss does not support non-positive values for delta.") }
    return pointwiseLoss("HuberLossBackward0", input, target, reduction, op: "huber_loss", value: { d in
        let a = abs(d)
        return `where`(a .< delta, d * d * 0.5, (a - 0.5 * delta) * delta)
    }, slope: { d in
        `where`(abs(d) .< delta, d, sign(d) * delta)
    })
}

/// Negative log-likelihood of log-probabilities (`F.nll_loss`, `torch.nn.functional.nll_loss`).
///
/// `input` is `(C)`, `(N, C)` or `(N, C, d₁, ...)`; `target` holds class indices shaped
/// like `input` without the class dimension. Samples whose target is `ignoreIndex` add
/// nothing; `weight` weighs classes, and `.mean` divides by the total weight used.
public func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: Reduction = .mean) -> Tensor {
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    let classDim = input.dim == 1 ? 0 : 1
    guard input.dim >= 1 else { torchFatal("ValueError: Expected 1 or more dimensions (got 0)") }
    guard !target.dtype.isFloatingPoint, target.dtype != .bool else {
        torchFatal("RuntimeError: expected scalar type Long but found \(target.dtype.scalarTypeName)")
    }
    var expectedTarget = input.shape
    expectedTarget.remove(at: classDim)
    guard target.shape == expectedTarget else {
        if input.dim >= 2 && target.dim >= 1 && target.shape[0] != input.shape[0] {
            torchFatal("ValueError: Expected input batch_size (\(input.shape[0])) to match target batch_size (\(target.shape[0])).")
        }
        torchFatal("RuntimeError: nll_loss: expected target of shape \(Size(expectedTarget)), got \(Size(target.shape))")
    }
    let classes = input.shape[classDim]
    if let weight, weight.shape != [classes] {
        torchFatal("RuntimeError: weight tensor should be defined either for all \(classes) classes or no classes but got weight tensor of shape: \(Size(weight.shape))")
    }
    let targets = target.to(.int64)
    let kept = targets .!= Tensor(Int64(ignoreIndex))
    let safe = `where`(kept, targets, Tensor(Int64(0)))
    let values = safe.toArray(Int64.self), keptValues = kept.toArray(Bool.self)
    for (v, k) in zip(values, keptValues) where k && (v < 0 || v >= classes) {
        torchFatal("IndexError: Target \(v) is out of bounds.")
    }
    let name = input.dim >= 3 ? "NllLoss2DBackward0" : "NllLossBackward0"
    let (out, weights, total) = noGrad { () -> (Tensor, Tensor, Tensor) in
        var w = kept.to(input.dtype)
        if let weight { w = w * weight.to(input.dtype).indexSelect(0, safe.flatten()).reshape(targets.shape) }
        let picked = input.gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim)
        let losses = -(picked * w)
        let total = w.sum()
        switch reduction {
        case .none: return (losses, w, total)
        case .sum: return (losses.sum(), w, total)
        case .mean: return (losses.sum() / total, w, total)
        case .batchMean: torchFatal("ValueError: batchmean is only valid for kl_div")
        }
    }
    if needsGrad(input) {
        let inputShape = input.shape, inputType = input.dtype
        record(name, input: input, outputs: [out], savedShapes: [input.shape]) { g in
            var scaled = g[0]! * weights
            if reduction == .mean { scaled = scaled / total }
            // Ignored samples get exactly zero, even when every sample is ignored (0/0).
            scaled = `where`(kept, scaled, Tensor.zerosLike(scaled))
            let grad = Tensor.zeros(inputShape, dtype: inputType)
                .scatterAdd(classDim, safe.unsqueeze(classDim), (-scaled).unsqueeze(classDim))
            return [grad]
        }
    }
    return out
}

/// Cross-entropy of raw logits (`F.cross_entropy`): log-softmax over the class dimension,
/// then ``nllLoss(_:_:weight:ignoreIndex:reduction:)`` for class-index targets, or the
/// negative expected log-probability for class-probability targets (same shape as input).
/// `labelSmoothing` mixes the target with the uniform distribution over classes
/// (`torch.nn.functional.cross_entropy`).
public func crossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: Reduction = .mean, labelSmoothing: some ScalarConvertible = 0) -> Tensor {
    let labelSmoothing = labelSmoothing.scalarValue.doubleValue
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    guard (0...1).contains(labelSmoothing) else {
        torchFatal("RuntimeError: label_smoothing must be between 0.0 and 1.0. Got: \(labelSmoothing)")
    }
    let classDim = input.dim == 1 ? 0 : 1
    let classes = input.shape[classDim]
    let logp = input.logSoftmax(dim: classDim)
    var weightShape = [Int](repeating: 1, count: input.dim)
    weightShape[classDim] = classes
    if target.dtype.isFloatingPoint {
        guard target.shape == input.shape else {
            torchFatal("RuntimeError: Expected target size \(Size(input.shape)), got \(Size(target.shape))")
        }
        let t = labelSmoothing > 0 ? target * (1 - labelSmoothing) + labelSmoothing / Double(classes) : target
        var product = logp * t
        if let weight { product = product * weight.reshape(weightShape) }
        switch reduction {
        case .none: return -product.sum(dim: classDim)
        case .sum: return -product.sum()
        case .mean: return divideByNumber(-product.sum(), Double(input.numel) / Double(classes))
        case .batchMean: torchFatal("ValueError: batchmean is only valid for kl_div")
        }
    }
    let nll = nllLoss(logp, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    guard labelSmoothing > 0 else { return nll }
    let ignored = target.to(.int64) .== Tensor(Int64(ignoreIndex))
    var smooth = weight.map { -(logp * $0.reshape(weightShape)).sum(dim: classDim) } ?? -logp.sum(dim: classDim)
    smooth = smooth.maskedFill(ignored, 0)
    let reduced: Tensor
    switch reduction {
    case .none: reduced = smooth
    case .sum: reduced = smooth.sum()
    case .mean:
        if let weight {
            let used = target.to(.int64).maskedSelect(logicalNot(ignored))
            reduced = smooth.sum() / weight.gather(0, used.flatten()).sum()
        } else {
            reduced = smooth.sum() / logicalNot(ignored).sum()
        }
    case .batchMean: torchFatal("ValueError: batchmean is only valid for kl_div")
    }
    return (1 - labelSmoothing) * nll + reduced * (labelSmoothing / Double(classes))
}

/// Binary cross-entropy of probabilities (`F.binary_cross_entropy`); each log is clamped
/// at -100 as in PyTorch, so a probability of exactly 0 or 1 gives a finite loss
/// (`torch.nn.functional.binary_cross_entropy`).
public func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                               reduction: Reduction = .mean) -> Tensor {
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    guard input.shape == target.shape else {
        torchFatal("ValueError: Using a target size (\(Size(target.shape))) that is different to the input size (\(Size(input.shape))) is deprecated. Please ensure they have the same size.")
    }
    let out = noGrad { () -> Tensor in
        var loss = binaryCrossEntropyElements(input, target) ?? {
            // Other dtypes and layouts: the same formula from ops, with the same range check.
            if !logicalAnd(input .>= 0.0, input .<= 1.0).all().item(as: Bool.self) { failBinaryCrossEntropyRange() }
            return (target - 1) * clamp(log1p(-input), min: -100) - target * clamp(log(input), min: -100)
        }()
        if let weight { loss = loss * weight }
        return reduce(loss, reduction)
    }
    if needsGrad(input, target) {
        let sx = SavedTensor(input), st = SavedTensor(target), sw = weight.map(SavedTensor.init)
        let scale = reductionScale(reduction, count: input.numel)
        let inputNeeds = input.requiresGrad, targetNeeds = target.requiresGrad
        record("BinaryCrossEntropyBackward0", inputs: (input, target), outputs: [out]) { g in
            let x = sx.unpack(), t = st.unpack()
            var common = g[0]! * scale
            if let sw { common = common * sw.unpack() }
            // A first derivative takes the fused loop; under createGraph the ops record.
            let fused = inputNeeds && !isGradEnabled() ? binaryCrossEntropyInputGradient(common, x, t) : nil
            let gx = inputNeeds ? fused ?? common * (x - t) / clamp((1 - x) * x, min: 1e-12) : nil
            let gt = targetNeeds ? common * (clamp(log(1 - x), min: -100) - clamp(log(x), min: -100)) : nil
            return [gx, gt]
        }
    }
    return out
}

/// Binary cross-entropy of raw logits (`F.binary_cross_entropy_with_logits`) in the stable
/// form `(1 - t)·x + (1 + (p - 1)·t)·(log(1 + e^(-|x|)) + max(-x, 0))`, where `p` is
/// `posWeight` (per class, broadcast over the last dimension) or 1
/// (`torch.nn.functional.binary_cross_entropy_with_logits`).
public func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                         reduction: Reduction = .mean, posWeight: Tensor? = nil) -> Tensor {
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    guard input.shape == target.shape else {
        torchFatal("ValueError: Target size (\(Size(target.shape))) must be the same as input size (\(Size(input.shape)))")
    }
    func softplusOfNegative(_ x: Tensor) -> Tensor { log1p(exp(-abs(x))) + clamp(-x, min: 0) }
    let out = noGrad { () -> Tensor in
        let logWeight = posWeight.map { ($0 - 1) * target + 1 }
        let sp = softplusOfNegative(input)
        var loss = (1 - target) * input + (logWeight.map { $0 * sp } ?? sp)
        if let weight { loss = loss * weight }
        return reduce(loss, reduction)
    }
    if needsGrad(input, target) {
        let sx = SavedTensor(input), st = SavedTensor(target)
        let sw = weight.map(SavedTensor.init), sp = posWeight.map(SavedTensor.init)
        let scale = reductionScale(reduction, count: input.numel)
        let inputNeeds = input.requiresGrad, targetNeeds = target.requiresGrad
        record("BinaryCrossEntropyWithLogitsBackward0", inputs: (input, target), outputs: [out]) { g in
            let x = sx.unpack(), t = st.unpack(), posWeight = sp?.unpack()
            var common = g[0]! * scale
            if let sw { common = common * sw.unpack() }
            var gx: Tensor? = nil, gt: Tensor? = nil
            if inputNeeds {
                let logWeight = posWeight.map { ($0 - 1) * t + 1 }
                let s = sigmoid(-x)
                gx = common * ((1 - t) - (logWeight.map { $0 * s } ?? s))
            }
            if targetNeeds {
                var d = -x
                if let posWeight { d = d + (posWeight - 1) * softplusOfNegative(x) }
                gt = common * d
            }
            return [gx, gt]
        }
    }
    return out
}

/// Kullback–Leibler divergence (`F.kl_div`) of log-probabilities `input` from `target`
/// (probabilities, or log-probabilities with `logTarget`), composed as PyTorch does.
/// `.batchMean` divides the sum by the batch size; `.mean` (PyTorch's default) divides by
/// the element count (`torch.nn.functional.kl_div`).
public func klDiv(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, logTarget: Bool = false) -> Tensor {
    let (input, target) = (autocastToFloat32(input), autocastToFloat32(target))
    let pointwise: Tensor
    if logTarget {
        pointwise = exp(target) * (target - input)
    } else {
        let tLogT = `where`(target .== 0, Tensor.zerosLike(target), target * log(target))
        pointwise = tLogT - target * input
    }
    switch reduction {
    case .batchMean:
        return input.dim == 0 ? pointwise.sum() : pointwise.sum() / Tensor(Double(input.shape[0]), dtype: pointwise.dtype)
    default:
        return reduce(pointwise, reduction)
    }
}

/// `max(0, -y·(x₁ - x₂) + margin)` (`F.margin_ranking_loss`), `y` ∈ {1, -1}
/// (`torch.nn.functional.margin_ranking_loss`).
public func marginRankingLoss(_ input1: Tensor, _ input2: Tensor, _ target: Tensor, margin: some ScalarConvertible = 0,
                              reduction: Reduction = .mean) -> Tensor {
    let margin = margin.scalarValue.doubleValue
    return reduce(clampMin(-target * (input1 - input2) + margin, .double(0)), reduction)
}

/// `1 - cos(x₁, x₂)` for pairs labelled 1 and `max(0, cos(x₁, x₂) - margin)` for pairs
/// labelled -1 (`F.cosine_embedding_loss`), cosine over the last dimension
/// (`torch.nn.functional.cosine_embedding_loss`).
public func cosineEmbeddingLoss(_ input1: Tensor, _ input2: Tensor, _ target: Tensor,
                                margin: some ScalarConvertible = 0, reduction: Reduction = .mean) -> Tensor {
    let margin = margin.scalarValue.doubleValue
    let dim = input1.dim - 1
    let eps = 1e-12
    let dotProduct = (input1 * input2).sum(dim: dim)
    let magnitude1 = (input1 * input1).sum(dim: dim) + eps
    let magnitude2 = (input2 * input2).sum(dim: dim) + eps
    let cosine = dotProduct / sqrt(magnitude1 * magnitude2)
    let zeros = Tensor.zerosLike(cosine)
    let positive = `where`(target .== 1, 1 - cosine, zeros)
    let negative = `where`(target .== -1, clampMin(cosine - margin, .double(0)), zeros)
    return reduce(positive + negative, reduction)
}
