/// What every dropout layer shares: the probability `p`, checked as PyTorch checks it, and
/// the `p=…, inplace=False` repr. Subclasses give the function in ``Module/forward(_:)`` (PyTorch's
/// `torch.nn.modules.dropout._DropoutNd`).
open class DropoutLayer: Module {
    /// The probability of zeroing an element (or a channel).
    public let p: Double
    /// Creates the layer.
    public init(p: some ScalarConvertible = 0.5) {
        let p = p.scalarValue.doubleValue
        guard (0...1).contains(p) else { torchFatal("ValueError: dropout probability has to be between 0 and 1, but got \(p)") }
        self.p = p
        super.init()
    }
    /// Creates the layer with `p` given by position, as `nn.Dropout(0.2)`.
    public convenience init(_ p: some ScalarConvertible) { self.init(p: p) }
    /// `nn.Dropout()`, `nn.Dropout2d()`: PyTorch's default probability, 0.5.
    public override convenience init() { self.init(p: 0.5) }
    /// `p=…, inplace=False`.
    public override var extraRepresentation: String { "p=\(formatPythonFloat(p)), inplace=False" }
}

/// `nn.Dropout`: in training mode zeroes each element with probability `p` and scales the
/// rest by 1/(1-p); in eval mode returns its input (`torch.nn.Dropout`).
public final class Dropout: DropoutLayer {
    /// The input with dropout applied in training mode.
    public override func forward(_ x: Tensor) -> Tensor { dropout(x, p: p, training: isTraining) }
}

/// `nn.Dropout1d`: zeroes whole channels of `(N, C, L)` or `(C, L)` inputs (`torch.nn.Dropout1d`).
public final class Dropout1d: DropoutLayer {
    /// The input with channel dropout applied in training mode.
    public override func forward(_ x: Tensor) -> Tensor { dropout1d(x, p: p, training: isTraining) }
}

/// `nn.Dropout2d`: zeroes whole channels of `(N, C, H, W)` inputs (`torch.nn.Dropout2d`).
public final class Dropout2d: DropoutLayer {
    /// The input with channel dropout applied in training mode.
    public override func forward(_ x: Tensor) -> Tensor { dropout2d(x, p: p, training: isTraining) }
}

/// `nn.Dropout3d`: zeroes whole channels of `(N, C, D, H, W)` or `(C, D, H, W)` inputs
/// (`torch.nn.Dropout3d`).
public final class Dropout3d: DropoutLayer {
    /// The input with channel dropout applied in training mode.
    public override func forward(_ x: Tensor) -> Tensor { dropout3d(x, p: p, training: isTraining) }
}

/// `nn.Embedding`: a lookup table of `numEmbeddings` vectors (`torch.nn.Embedding`).
public final class Embedding: Module {
    /// Table size.
    public let numEmbeddings: Int
    /// Vector size.
    public let embeddingDim: Int
    /// A row that stays zero and gets no gradient.
    public let paddingIdx: Int?
    /// The table, `[numEmbeddings, embeddingDim]`, initialised from N(0, 1).
    @Parameter public var weight: Tensor
    /// Creates the layer with PyTorch's initialisation.
    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil, dtype: DType = .float32) {
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        let pad = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        self.paddingIdx = pad
        let w = normal_(Tensor.empty([numEmbeddings, embeddingDim], dtype: dtype))
        if let pad { noGrad { _ = w.select(0, pad).fill_(0) } }
        self.weight = w
        super.init()
    }
    /// The rows named by `indices`.
    public override func forward(_ indices: Tensor) -> Tensor { embedding(indices, weight, paddingIdx: paddingIdx) }
    /// PyTorch's repr fields.
    public override var extraRepresentation: String {
        "\(numEmbeddings), \(embeddingDim)" + (paddingIdx.map { ", padding_idx=\($0)" } ?? "")
    }
}

/// `nn.EmbeddingBag`: sums, means or maxima of bags of embeddings, without materialising
/// the per-index rows for the caller (a bag-of-words layer) (`torch.nn.EmbeddingBag`).
public final class EmbeddingBag: Module {
    /// Table size.
    public let numEmbeddings: Int
    /// Vector size.
    public let embeddingDim: Int
    /// How a bag is reduced.
    public let mode: EmbeddingBagMode
    /// Whether the last offset marks the end of the last bag.
    public let includeLastOffset: Bool
    /// The table, `[numEmbeddings, embeddingDim]`, initialised from N(0, 1) as PyTorch does.
    @Parameter public var weight: Tensor
    /// Creates the layer (`nn.EmbeddingBag(n, d, mode="mean")`).
    public init(_ numEmbeddings: Int, _ embeddingDim: Int, mode: EmbeddingBagMode = .mean,
                includeLastOffset: Bool = false, dtype: DType = .float32) {
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.mode = mode
        self.includeLastOffset = includeLastOffset
        weight = normal_(Tensor.empty([numEmbeddings, embeddingDim], dtype: dtype))
        super.init()
    }
    /// The reduced bags: `input` `(B, N)`, or 1-D with `offsets` (`bag(input, offsets)`).
    public func callAsFunction(_ input: Tensor, offsets: Tensor? = nil, perSampleWeights: Tensor? = nil) -> Tensor {
        embeddingBag(input, weight, offsets: offsets, mode: mode, perSampleWeights: perSampleWeights,
                     includeLastOffset: includeLastOffset)
    }
    /// Bags given as the rows of a 2-D input.
    public override func forward(_ input: Tensor) -> Tensor { self(input, offsets: nil) }
    /// PyTorch's repr fields.
    public override var extraRepresentation: String { "\(numEmbeddings), \(embeddingDim), mode='\(mode.rawValue)'" }
}
