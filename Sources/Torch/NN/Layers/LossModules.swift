/// `nn.MSELoss`: mean squared error (`torch.nn.MSELoss`).
public final class MSELoss: Module {
    /// How per-element losses combine.
    public let reduction: Reduction
    /// Creates the loss.
    public init(reduction: Reduction = .mean) { self.reduction = reduction; super.init() }
    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor { mseLoss(input, target, reduction: reduction) }
}

/// `nn.L1Loss`: mean absolute error (`torch.nn.L1Loss`).
public final class L1Loss: Module {
    /// How per-element losses combine.
    public let reduction: Reduction
    /// Creates the loss.
    public init(reduction: Reduction = .mean) { self.reduction = reduction; super.init() }
    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor { l1Loss(input, target, reduction: reduction) }
}

/// `nn.SmoothL1Loss`: quadratic below `beta`, linear above (`torch.nn.SmoothL1Loss`).
public final class SmoothL1Loss: Module {
    /// How per-element losses combine.
    public let reduction: Reduction
    /// The switch point.
    public let beta: Double
    /// Creates the loss.
    public init(reduction: Reduction = .mean, beta: some ScalarConvertible = 1) {
        let beta = beta.scalarValue.doubleValue
        self.reduction = reduction; self.beta = beta; super.init()
    }
    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        smoothL1Loss(input, target, reduction: reduction, beta: beta)
    }
}

/// `nn.HuberLoss`: quadratic below `delta`, linear (scaled by `delta`) above
/// (`torch.nn.HuberLoss`).
public final class HuberLoss: Module {
    /// How per-element losses combine.
    public let reduction: Reduction
    /// The switch point.
    public let delta: Double
    /// Creates the loss.
    public init(reduction: Reduction = .mean, delta: some ScalarConvertible = 1) {
        let delta = delta.scalarValue.doubleValue
        self.reduction = reduction; self.delta = delta; super.init()
    }
    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        huberLoss(input, target, reduction: reduction, delta: delta)
    }
}

/// `nn.CrossEntropyLoss`: log-softmax and negative log-likelihood of raw logits, against
/// class indices or class probabilities (`torch.nn.CrossEntropyLoss`).
public final class CrossEntropyLoss: Module {
    /// Per-class weights (a buffer, as in PyTorch), or `nil`.
    @Buffer public var weight: Tensor?
    /// A class index whose samples contribute nothing.
    public let ignoreIndex: Int
    /// How per-sample losses combine.
    public let reduction: Reduction
    /// Mixes the target with the uniform distribution by this amount.
    public let labelSmoothing: Double
    /// Creates the loss.
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean,
                labelSmoothing: some ScalarConvertible = 0) {
        let labelSmoothing = labelSmoothing.scalarValue.doubleValue
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        self.labelSmoothing = labelSmoothing
        super.init()
    }
    /// The loss of logits `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        crossEntropy(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing)
    }
}

/// `nn.NLLLoss`: negative log-likelihood of log-probabilities (`torch.nn.NLLLoss`).
public final class NLLLoss: Module {
    /// Per-class weights, or `nil`.
    @Buffer public var weight: Tensor?
    /// A class index whose samples contribute nothing.
    public let ignoreIndex: Int
    /// How per-sample losses combine.
    public let reduction: Reduction
    /// Creates the loss.
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        super.init()
    }
    /// The loss of log-probabilities `input` against class indices `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        nllLoss(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
}

/// `nn.BCELoss`: binary cross-entropy of probabilities (`torch.nn.BCELoss`).
public final class BCELoss: Module {
    /// Per-element weights, or `nil`.
    @Buffer public var weight: Tensor?
    /// How per-element losses combine.
    public let reduction: Reduction
    /// Creates the loss.
    public init(weight: Tensor? = nil, reduction: Reduction = .mean) { self.weight = weight; self.reduction = reduction; super.init() }
    /// The loss of probabilities `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        binaryCrossEntropy(input, target, weight: weight, reduction: reduction)
    }
}

/// `nn.BCEWithLogitsLoss`: binary cross-entropy of raw logits, in the stable form
/// (`torch.nn.BCEWithLogitsLoss`).
public final class BCEWithLogitsLoss: Module {
    /// Per-element weights, or `nil`.
    @Buffer public var weight: Tensor?
    /// Weight of positive examples per class, or `nil`.
    @Buffer public var posWeight: Tensor?
    /// How per-element losses combine.
    public let reduction: Reduction
    /// Creates the loss.
    public init(weight: Tensor? = nil, reduction: Reduction = .mean, posWeight: Tensor? = nil) {
        self.weight = weight
        self.posWeight = posWeight
        self.reduction = reduction
        super.init()
    }
    /// The loss of logits `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        binaryCrossEntropyWithLogits(input, target, weight: weight, reduction: reduction, posWeight: posWeight)
    }
}

/// `nn.KLDivLoss`: Kullback–Leibler divergence of log-probabilities `input` from `target`
/// (`torch.nn.KLDivLoss`).
public final class KLDivLoss: Module {
    /// How per-element losses combine (`.batchMean` gives the true KL divergence).
    public let reduction: Reduction
    /// Whether `target` holds log-probabilities.
    public let logTarget: Bool
    /// Creates the loss.
    public init(reduction: Reduction = .mean, logTarget: Bool = false) { self.reduction = reduction; self.logTarget = logTarget; super.init() }
    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        klDiv(input, target, reduction: reduction, logTarget: logTarget)
    }
}

/// `nn.MarginRankingLoss`: max(0, -y·(x₁ - x₂) + margin) (`torch.nn.MarginRankingLoss`).
public final class MarginRankingLoss: Module {
    /// The margin.
    public let margin: Double
    /// How per-element losses combine.
    public let reduction: Reduction
    /// Creates the loss.
    public init(margin: some ScalarConvertible = 0, reduction: Reduction = .mean) {
        let margin = margin.scalarValue.doubleValue
        self.margin = margin; self.reduction = reduction; super.init()
    }
    /// The loss for the pair `(input1, input2)` with labels `target` (±1).
    public func callAsFunction(_ input1: Tensor, _ input2: Tensor, _ target: Tensor) -> Tensor {
        marginRankingLoss(input1, input2, target, margin: margin, reduction: reduction)
    }
}

/// `nn.CosineEmbeddingLoss`: pulls pairs labelled 1 together and pushes pairs labelled -1
/// below `margin` in cosine similarity (`torch.nn.CosineEmbeddingLoss`).
public final class CosineEmbeddingLoss: Module {
    /// The margin for dissimilar pairs.
    public let margin: Double
    /// How per-pair losses combine.
    public let reduction: Reduction
    /// Creates the loss.
    public init(margin: some ScalarConvertible = 0, reduction: Reduction = .mean) {
        let margin = margin.scalarValue.doubleValue
        self.margin = margin; self.reduction = reduction; super.init()
    }
    /// The loss for the pair `(input1, input2)` with labels `target` (±1).
    public func callAsFunction(_ input1: Tensor, _ input2: Tensor, _ target: Tensor) -> Tensor {
        cosineEmbeddingLoss(input1, input2, target, margin: margin, reduction: reduction)
    }
}
