/// `nn.Linear`: y = x Wᵀ + b over the last dimension (`torch.nn.Linear`).
///
/// Initialised as PyTorch does (Kaiming-uniform with a = √5 for the weight, U(±1/√in) for
/// the bias), drawing from the generator in the same order, so after `manualSeed(0)` the
/// weights equal PyTorch's.
public final class Linear: Module {
    /// Input features.
    public let inFeatures: Int
    /// Output features.
    public let outFeatures: Int
    /// The weight, shape `[outFeatures, inFeatures]`.
    @Parameter public var weight: Tensor
    /// The bias, shape `[outFeatures]`, or `nil` when built with `bias: false`.
    @Parameter public var bias: Tensor?

    /// Creates the layer, as `nn.Linear(in_features, out_features, bias=True)`.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float32) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let w = Tensor.empty([outFeatures, inFeatures], dtype: dtype)
        kaimingUniform_(w, a: 5.0.squareRoot())
        self.weight = w
        self.bias = bias ? uniformFanInBias([outFeatures], fanIn: inFeatures, dtype: dtype) : nil
        super.init()
    }

    /// `x Wᵀ + b`.
    public override func forward(_ x: Tensor) -> Tensor { linear(x, weight, bias) }

    /// `in_features=…, out_features=…, bias=…`, as PyTorch prints it.
    public override var extraRepresentation: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias == nil ? "False" : "True")"
    }
}

/// A bias drawn from U(-1/√fanIn, 1/√fanIn), PyTorch's default for Linear and Conv layers.
func uniformFanInBias(_ shape: [Int], fanIn: Int, dtype: DType) -> Tensor {
    let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
    return uniform_(Tensor.empty(shape, dtype: dtype), a: -bound, b: bound)
}

/// `nn.Bilinear`: yₖ = x₁ᵀ Aₖ x₂ + bₖ (`torch.nn.Bilinear`).
public final class Bilinear: Module {
    /// Features of the first input.
    public let in1Features: Int
    /// Features of the second input.
    public let in2Features: Int
    /// Output features.
    public let outFeatures: Int
    /// The weight, shape `[out, in1, in2]`.
    @Parameter public var weight: Tensor
    /// The bias, shape `[out]`, or `nil`.
    @Parameter public var bias: Tensor?

    /// Creates the layer with PyTorch's initialisation (U(±1/√in1) for weight and bias).
    public init(_ in1Features: Int, _ in2Features: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float32) {
        self.in1Features = in1Features
        self.in2Features = in2Features
        self.outFeatures = outFeatures
        let bound = 1 / Double(in1Features).squareRoot()
        self.weight = uniform_(Tensor.empty([outFeatures, in1Features, in2Features], dtype: dtype), a: -bound, b: bound)
        self.bias = bias ? uniform_(Tensor.empty([outFeatures], dtype: dtype), a: -bound, b: bound) : nil
        super.init()
    }

    /// Applies the layer to a pair of inputs.
    public func callAsFunction(_ x1: Tensor, _ x2: Tensor) -> Tensor {
        let y = einsum("...i,kij,...j->...k", x1, weight, x2)
        return bias.map { y + $0 } ?? y
    }

    /// `in1_features=…, in2_features=…, out_features=…, bias=…`.
    public override var extraRepresentation: String {
        "in1_features=\(in1Features), in2_features=\(in2Features), out_features=\(outFeatures), bias=\(bias == nil ? "False" : "True")"
    }
}

/// `nn.Identity`: returns its input (`torch.nn.Identity`).
public final class Identity: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// The input itself.
    public override func forward(_ x: Tensor) -> Tensor { x }
}

/// `nn.Flatten`: flattens dimensions `startDim...endDim` (default: all but the batch)
/// (`torch.nn.Flatten`).
public final class Flatten: Module {
    /// First dimension flattened.
    public let startDim: Int
    /// Last dimension flattened.
    public let endDim: Int
    /// Creates the layer, as `nn.Flatten(start_dim=1, end_dim=-1)`.
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }
    /// The flattened view.
    public override func forward(_ x: Tensor) -> Tensor { x.flatten(startDim: startDim, endDim: endDim) }
    /// `start_dim=…, end_dim=…`.
    public override var extraRepresentation: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}

/// `nn.Unflatten`: splits dimension `dim` into `unflattenedSize` (`torch.nn.Unflatten`).
public final class Unflatten: Module {
    /// The dimension split.
    public let dim: Int
    /// The sizes it becomes.
    public let unflattenedSize: [Int]
    /// Creates the layer.
    public init(dim: Int, unflattenedSize: [Int]) {
        self.dim = dim
        self.unflattenedSize = unflattenedSize
        super.init()
    }
    /// The reshaped view.
    public override func forward(_ x: Tensor) -> Tensor {
        let d = dim < 0 ? dim + x.dim : dim
        return x.reshape(Array(x.shape[..<d]) + unflattenedSize + Array(x.shape[(d + 1)...]))
    }
    /// `dim=…, unflattened_size=(…)`.
    public override var extraRepresentation: String {
        "dim=\(dim), unflattened_size=(\(unflattenedSize.map(String.init).joined(separator: ", "))\(unflattenedSize.count == 1 ? "," : ""))"
    }
}
