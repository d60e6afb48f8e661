/// The state shared by ``BatchNorm1d`` and ``BatchNorm2d`` (PyTorch's
/// `torch.nn.modules.batchnorm._BatchNorm`).
public class BatchNormLayer: Module {
    /// Channels (`C` of `(N, C, ...)`).
    public let numFeatures: Int
    /// Added to the variance for stability.
    public let eps: Double
    /// Weight of the newest batch in the running statistics; `nil` for a cumulative average.
    public let momentum: Double?
    /// Whether the layer has a learnable scale and shift.
    public let affine: Bool
    /// Whether running statistics are kept (and used in eval mode).
    public let trackRunningStats: Bool
    /// The scale γ (ones), or `nil` without `affine`.
    @Parameter public var weight: Tensor?
    /// The shift β (zeros), or `nil` without `affine`.
    @Parameter public var bias: Tensor?
    /// Running mean (zeros at start).
    @Buffer public var runningMean: Tensor?
    /// Running variance (ones at start).
    @Buffer public var runningVar: Tensor?
    /// Batches seen in training (int64), for the cumulative average.
    @Buffer public var numBatchesTracked: Tensor?
    private let expectedRanks: [Int]

    init(_ numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, bias: Bool, trackRunningStats: Bool,
         dtype: DType, ranks: [Int]) {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        self.expectedRanks = ranks
        self.weight = affine ? Tensor.ones([numFeatures], dtype: dtype) : nil
        self.bias = affine && bias ? Tensor.zeros([numFeatures], dtype: dtype) : nil
        self.runningMean = trackRunningStats ? Tensor.zeros([numFeatures], dtype: dtype) : nil
        self.runningVar = trackRunningStats ? Tensor.ones([numFeatures], dtype: dtype) : nil
        self.numBatchesTracked = trackRunningStats ? Tensor(0) : nil
        super.init()
    }

    /// Normalises with batch statistics in training mode (updating the running ones) and
    /// with the running statistics in eval mode, as PyTorch's `_BatchNorm.forward`.
    public override func forward(_ x: Tensor) -> Tensor {
        guard expectedRanks.contains(x.dim) else {
            torchFatal("ValueError: expected \(expectedRanks.map { "\($0)D" }.joined(separator: " or ")) input (got \(x.dim)D input)")
        }
        var factor = momentum ?? 0
        if isTraining && trackRunningStats, let count = numBatchesTracked {
            noGrad { count.add_(Tensor(1)) }
            if momentum == nil { factor = 1 / count.item() }
        }
        let useBatchStats = isTraining || runningMean == nil
        return batchNorm(x, runningMean: !isTraining || trackRunningStats ? runningMean : nil,
                         runningVar: !isTraining || trackRunningStats ? runningVar : nil,
                         weight: weight, bias: bias, training: useBatchStats, momentum: factor, eps: eps)
    }

    /// PyTorch's repr fields.
    public override var extraRepresentation: String {
        let m = momentum.map(formatPythonFloat) ?? "None"
        return "\(numFeatures), eps=\(formatPythonFloat(eps)), momentum=\(m), affine=\(affine ? "True" : "False"), "
            + "bias=\(affine && bias == nil ? "False" : "True"), track_running_stats=\(trackRunningStats ? "True" : "False")"
    }
}

/// `nn.BatchNorm1d` over `(N, C)` or `(N, C, L)` (`torch.nn.BatchNorm1d`).
public final class BatchNorm1d: BatchNormLayer {
    /// Creates the layer with PyTorch's defaults.
    public init(_ numFeatures: Int, eps: some ScalarConvertible = 1e-5, momentum: (any ScalarConvertible)? = 0.1,
                affine: Bool = true, bias: Bool = true, trackRunningStats: Bool = true, dtype: DType = .float32) {
        let eps = eps.scalarValue.doubleValue
        let momentum = momentum?.scalarValue.doubleValue
        super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                   trackRunningStats: trackRunningStats, dtype: dtype, ranks: [2, 3])
    }
}

/// `nn.BatchNorm2d` over `(N, C, H, W)` (`torch.nn.BatchNorm2d`).
public final class BatchNorm2d: BatchNormLayer {
    /// Creates the layer with PyTorch's defaults.
    public init(_ numFeatures: Int, eps: some ScalarConvertible = 1e-5, momentum: (any ScalarConvertible)? = 0.1,
                affine: Bool = true, bias: Bool = true, trackRunningStats: Bool = true, dtype: DType = .float32) {
        let eps = eps.scalarValue.doubleValue
        let momentum = momentum?.scalarValue.doubleValue
        super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                   trackRunningStats: trackRunningStats, dtype: dtype, ranks: [4])
    }
}

/// `nn.LayerNorm` over the trailing `normalizedShape` dimensions (`torch.nn.LayerNorm`).
public final class LayerNorm: Module {
    /// The trailing dimensions normalised.
    public let normalizedShape: [Int]
    /// Added to the variance for stability.
    public let eps: Double
    /// The scale (ones), or `nil` without `elementwiseAffine`.
    @Parameter public var weight: Tensor?
    /// The shift (zeros), or `nil`.
    @Parameter public var bias: Tensor?
    /// Creates the layer for one trailing dimension.
    public convenience init(_ size: Int, eps: some ScalarConvertible = 1e-5, elementwiseAffine: Bool = true,
                            bias: Bool = true, dtype: DType = .float32) {
        self.init([size], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias, dtype: dtype)
    }
    /// Creates the layer with PyTorch's defaults.
    public init(_ normalizedShape: [Int], eps: some ScalarConvertible = 1e-5, elementwiseAffine: Bool = true,
                bias: Bool = true, dtype: DType = .float32) {
        let eps = eps.scalarValue.doubleValue
        self.normalizedShape = normalizedShape
        self.eps = eps
        self.weight = elementwiseAffine ? Tensor.ones(normalizedShape, dtype: dtype) : nil
        self.bias = elementwiseAffine && bias ? Tensor.zeros(normalizedShape, dtype: dtype) : nil
        super.init()
    }
    /// The normalised tensor.
    public override func forward(_ x: Tensor) -> Tensor {
        layerNorm(x, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
    /// PyTorch's repr fields.
    public override var extraRepresentation: String {
        "\(pythonTuple(normalizedShape)), eps=\(formatPythonFloat(eps)), elementwise_affine=\(weight == nil ? "False" : "True"), bias=\(bias == nil ? "False" : "True")"
    }
}

/// `nn.GroupNorm`: normalises channel groups per sample (`torch.nn.GroupNorm`).
public final class GroupNorm: Module {
    /// Groups the channels are split into.
    public let numGroups: Int
    /// Channels.
    public let numChannels: Int
    /// Added to the variance for stability.
    public let eps: Double
    /// Per-channel scale (ones), or `nil` without `affine`.
    @Parameter public var weight: Tensor?
    /// Per-channel shift (zeros), or `nil`.
    @Parameter public var bias: Tensor?
    /// Creates the layer with PyTorch's defaults.
    public init(_ numGroups: Int, _ numChannels: Int, eps: some ScalarConvertible = 1e-5, affine: Bool = true,
                bias: Bool = true, dtype: DType = .float32) {
        let eps = eps.scalarValue.doubleValue
        guard numChannels % numGroups == 0 else { torchFatal("ValueError: num_channels must be divisible by num_groups") }
        self.numGroups = numGroups
        self.numChannels = numChannels
        self.eps = eps
        self.weight = affine ? Tensor.ones([numChannels], dtype: dtype) : nil
        self.bias = affine && bias ? Tensor.zeros([numChannels], dtype: dtype) : nil
        super.init()
    }
    /// The normalised tensor.
    public override func forward(_ x: Tensor) -> Tensor { groupNorm(x, numGroups: numGroups, weight: weight, bias: bias, eps: eps) }
    /// PyTorch's repr fields.
    public override var extraRepresentation: String {
        "\(numGroups), \(numChannels), eps=\(formatPythonFloat(eps)), affine=\(weight == nil ? "False" : "True"), bias=\(bias == nil ? "False" : "True")"
    }
}
