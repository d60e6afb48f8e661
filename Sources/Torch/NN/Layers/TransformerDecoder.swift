/// `nn.TransformerDecoderLayer`: self-attention over the target, attention over the encoder's
/// output (`memory`) and a feed-forward block, each with a residual connection, dropout and
/// LayerNorm (after the block, or before with `normFirst`) (`torch.nn.TransformerDecoderLayer`).
///
/// The sub-modules are declared in PyTorch's registration order, so `stateDict()` keys and
/// the seeded initial weights are PyTorch's.
public final class TransformerDecoderLayer: Module {
    /// Self-attention over the target.
    public let selfAttn: MultiheadAttention
    /// Attention of the target over `memory`.
    public let multiheadAttn: MultiheadAttention
    /// Feed-forward expansion.
    public let linear1: Linear
    /// Dropout inside the feed-forward block.
    public let dropout: Dropout
    /// Feed-forward projection back to the model width.
    public let linear2: Linear
    /// Normalisation around the self-attention block.
    public let norm1: LayerNorm
    /// Normalisation around the memory-attention block.
    public let norm2: LayerNorm
    /// Normalisation around the feed-forward block.
    public let norm3: LayerNorm
    /// Dropout on the self-attention output.
    public let dropout1: Dropout
    /// Dropout on the memory-attention output.
    public let dropout2: Dropout
    /// Dropout on the feed-forward output.
    public let dropout3: Dropout
    /// Normalise before each block instead of after.
    public let normFirst: Bool
    /// `"relu"` or `"gelu"`.
    public let activation: String
    private let configuration: (dModel: Int, nhead: Int, dimFeedforward: Int, dropout: Double,
                                layerNormEps: Double, batchFirst: Bool, bias: Bool, dtype: DType)

    /// Creates the layer with the model width and head count by position, as
    /// `nn.TransformerDecoderLayer(512, 8, dim_feedforward=1024)`.
    public convenience init(_ dModel: Int, _ nhead: Int, dimFeedforward: Int = 2048,
                            dropout: some ScalarConvertible = 0.1, activation: String = "relu",
                            layerNormEps: some ScalarConvertible = 1e-5, batchFirst: Bool = false,
                            normFirst: Bool = false, bias: Bool = true, dtype: DType = .float32) {
        self.init(dModel: dModel, nhead: nhead, dimFeedforward: dimFeedforward, dropout: dropout, activation: activation,
                  layerNormEps: layerNormEps, batchFirst: batchFirst, normFirst: normFirst, bias: bias, dtype: dtype)
    }

    /// Creates the layer with the first four arguments by position, as
    /// `nn.TransformerDecoderLayer(ninp, nhead, nhid, dropout)`.
    public convenience init(_ dModel: Int, _ nhead: Int, _ dimFeedforward: Int, _ dropout: some ScalarConvertible = 0.1,
                            activation: String = "relu", layerNormEps: some ScalarConvertible = 1e-5,
                            batchFirst: Bool = false, normFirst: Bool = false, bias: Bool = true,
                            dtype: DType = .float32) {
        self.init(dModel: dModel, nhead: nhead, dimFeedforward: dimFeedforward, dropout: dropout, activation: activation,
                  layerNormEps: layerNormEps, batchFirst: batchFirst, normFirst: normFirst, bias: bias, dtype: dtype)
    }

    /// Creates the layer with PyTorch's arguments and defaults.
    public init(dModel: Int, nhead: Int, dimFeedforward: Int = 2048, dropout: some ScalarConvertible = 0.1,
                activation: String = "relu", layerNormEps: some ScalarConvertible = 1e-5, batchFirst: Bool = false,
                normFirst: Bool = false, bias: Bool = true, dtype: DType = .float32) {
        let dropout = dropout.scalarValue.doubleValue
        let layerNormEps = layerNormEps.scalarValue.doubleValue
        guard activation == "relu" || activation == "gelu" else {
            torchFatal("RuntimeError: activation should be relu/gelu, not \(activation)")
        }
        // PyTorch's construction order, which is also its draw order for the weights.
        selfAttn = MultiheadAttention(dModel, nhead, dropout: dropout, bias: bias, batchFirst: batchFirst, dtype: dtype)
        multiheadAttn = MultiheadAttention(dModel, nhead, dropout: dropout, bias: bias, batchFirst: batchFirst, dtype: dtype)
        linear1 = Linear(dModel, dimFeedforward, bias: bias, dtype: dtype)
        self.dropout = Dropout(p: dropout)
        linear2 = Linear(dimFeedforward, dModel, bias: bias, dtype: dtype)
        norm1 = LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype)
        norm2 = LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype)
        norm3 = LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype)
        dropout1 = Dropout(p: dropout)
        dropout2 = Dropout(p: dropout)
        dropout3 = Dropout(p: dropout)
        self.normFirst = normFirst
        self.activation = activation
        configuration = (dModel, nhead, dimFeedforward, dropout, layerNormEps, batchFirst, bias, dtype)
        super.init()
    }

    /// A layer with the same settings and equal (copied) weights, as `copy.deepcopy`.
    public func copy() -> TransformerDecoderLayer {
        let c = configuration
        // Built under a throwaway generator so copying draws nothing from the caller's stream.
        let layer = withDefaultGenerator(Generator()) {
            TransformerDecoderLayer(dModel: c.dModel, nhead: c.nhead, dimFeedforward: c.dimFeedforward, dropout: c.dropout,
                                    activation: activation, layerNormEps: c.layerNormEps, batchFirst: c.batchFirst,
                                    normFirst: normFirst, bias: c.bias, dtype: c.dtype)
        }
        // Same architecture, so the keys and shapes match and this cannot throw.
        try! layer.loadStateDict(stateDict())
        layer.train(isTraining)
        return layer
    }

    /// The layer applied to `tgt` attending to `memory`.
    ///
    /// - Parameters:
    ///   - tgt: `(T, N, E)` (`(N, T, E)` with `batchFirst`, `(T, E)` unbatched).
    ///   - memory: the encoder's output, `(S, N, E)` laid out like `tgt`.
    ///   - tgtMask: `(T, T)` or `(N·heads, T, T)`; `true` forbids a position, a float is added.
    ///   - memoryMask: `(T, S)` or `(N·heads, T, S)`.
    ///   - tgtKeyPaddingMask: `(N, T)`; `true` marks target positions to ignore as keys.
    ///   - memoryKeyPaddingMask: `(N, S)`; `true` marks memory positions to ignore.
    ///   - tgtIsCausal: the hint that `tgtMask` is the causal mask.
    ///   - memoryIsCausal: the hint that `memoryMask` is the causal mask.
    /// - Returns: a tensor shaped like `tgt`.
    public func callAsFunction(_ tgt: Tensor, _ memory: Tensor, tgtMask: Tensor? = nil, memoryMask: Tensor? = nil,
                               tgtKeyPaddingMask: Tensor? = nil, memoryKeyPaddingMask: Tensor? = nil,
                               tgtIsCausal: Bool = false, memoryIsCausal: Bool = false) -> Tensor {
        func selfAttend(_ x: Tensor) -> Tensor {
            dropout1(selfAttn(x, x, x, keyPaddingMask: tgtKeyPaddingMask, needWeights: false, attnMask: tgtMask,
                              isCausal: tgtIsCausal).output)
        }
        func attendMemory(_ x: Tensor) -> Tensor {
            dropout2(multiheadAttn(x, memory, memory, keyPaddingMask: memoryKeyPaddingMask, needWeights: false,
                                   attnMask: memoryMask, isCausal: memoryIsCausal).output)
        }
        func feedForward(_ x: Tensor) -> Tensor {
            let hidden = linear1(x)
            return dropout3(linear2(dropout(activation == "relu" ? relu(hidden) : gelu(hidden))))
        }
        if normFirst {
            var x = tgt + selfAttend(norm1(tgt))
            x = x + attendMemory(norm2(x))
            return x + feedForward(norm3(x))
        }
        var x = norm1(tgt + selfAttend(tgt))
        x = norm2(x + attendMemory(x))
        return norm3(x + feedForward(x))
    }

    /// A decoder layer needs `memory`: call it as `layer(tgt, memory)`.
    public override func forward(_ tgt: Tensor) -> Tensor {
        torchFatal("TypeError: TransformerDecoderLayer.forward() missing 1 required positional argument: 'memory'")
    }
}

/// `nn.TransformerDecoder`: `numLayers` copies of one decoder layer (equal initial weights,
/// as PyTorch's deep copies) and an optional final norm (`torch.nn.TransformerDecoder`).
public final class TransformerDecoder: Module {
    /// The stacked layers (`layers.0`, `layers.1`, ...).
    public let layers: ModuleList
    /// A norm applied after the last layer, or `nil`.
    public let norm: LayerNorm?

    /// Creates the decoder from a template layer.
    public init(_ decoderLayer: TransformerDecoderLayer, numLayers: Int, norm: LayerNorm? = nil) {
        layers = ModuleList((0..<numLayers).map { _ in decoderLayer.copy() })
        self.norm = norm
        super.init()
    }

    /// Runs every layer in turn on `tgt` and `memory`, then the norm.
    ///
    /// `tgtIsCausal: nil` (PyTorch's default) treats `tgtMask` as causal when it equals
    /// ``Transformer/generateSquareSubsequentMask(_:dtype:)`` of the target length; the other
    /// arguments are those of ``TransformerDecoderLayer``.
    public func callAsFunction(_ tgt: Tensor, _ memory: Tensor, tgtMask: Tensor? = nil, memoryMask: Tensor? = nil,
                               tgtKeyPaddingMask: Tensor? = nil, memoryKeyPaddingMask: Tensor? = nil,
                               tgtIsCausal: Bool? = nil, memoryIsCausal: Bool = false) -> Tensor {
        let batchFirst = (layers.first as? TransformerDecoderLayer)?.selfAttn.batchFirst ?? false
        let causal = detectCausalMask(tgtMask, isCausal: tgtIsCausal, size: sequenceLength(tgt, batchFirst: batchFirst))
        var x = tgt
        for case let layer as TransformerDecoderLayer in layers {
            x = layer(x, memory, tgtMask: tgtMask, memoryMask: memoryMask, tgtKeyPaddingMask: tgtKeyPaddingMask,
                      memoryKeyPaddingMask: memoryKeyPaddingMask, tgtIsCausal: causal, memoryIsCausal: memoryIsCausal)
        }
        return norm.map { $0(x) } ?? x
    }

    /// A decoder needs `memory`: call it as `decoder(tgt, memory)`.
    public override func forward(_ tgt: Tensor) -> Tensor {
        torchFatal("TypeError: TransformerDecoder.forward() missing 1 required positional argument: 'memory'")
    }
}

/// `nn.Transformer`: an encoder stack (with a final LayerNorm) over `src` and a decoder stack
/// (with its own final LayerNorm) over `tgt` attending to the encoder's output
/// (`torch.nn.Transformer`).
///
/// Built as PyTorch builds it — encoder layer, encoder norm, encoder (copies), decoder layer,
/// decoder norm, decoder (copies) — and then every parameter with more than one dimension is
/// redrawn with `xavierUniform_` in `parameters()` order (PyTorch's `_reset_parameters`), so
/// after the same seed the weights, `stateDict()` keys and outputs are PyTorch's.
public final class Transformer: Module {
    /// The encoder stack (`encoder.layers.N...`, `encoder.norm`).
    public let encoder: TransformerEncoder
    /// The decoder stack (`decoder.layers.N...`, `decoder.norm`).
    public let decoder: TransformerDecoder
    /// Model width.
    public let dModel: Int
    /// Attention heads.
    public let nhead: Int
    /// Whether inputs are `(N, L, E)` instead of `(L, N, E)`.
    public let batchFirst: Bool

    /// Creates the model with PyTorch's arguments and defaults (`nn.Transformer()` is
    /// `Transformer()`); `customEncoder`/`customDecoder` replace the stacks built here, and
    /// take part in the Xavier re-initialisation as in PyTorch.
    public init(dModel: Int = 512, nhead: Int = 8, numEncoderLayers: Int = 6, numDecoderLayers: Int = 6,
                dimFeedforward: Int = 2048, dropout: some ScalarConvertible = 0.1, activation: String = "relu",
                customEncoder: TransformerEncoder? = nil, customDecoder: TransformerDecoder? = nil,
                layerNormEps: some ScalarConvertible = 1e-5, batchFirst: Bool = false, normFirst: Bool = false,
                bias: Bool = true, dtype: DType = .float32) {
        let dropout = dropout.scalarValue.doubleValue
        let layerNormEps = layerNormEps.scalarValue.doubleValue
        if let customEncoder {
            encoder = customEncoder
        } else {
            let layer = TransformerEncoderLayer(dModel: dModel, nhead: nhead, dimFeedforward: dimFeedforward,
                                                dropout: dropout, activation: activation, layerNormEps: layerNormEps,
                                                batchFirst: batchFirst, normFirst: normFirst, bias: bias, dtype: dtype)
            let norm = LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype)
            encoder = TransformerEncoder(layer, numLayers: numEncoderLayers, norm: norm)
        }
        if let customDecoder {
            decoder = customDecoder
        } else {
            let layer = TransformerDecoderLayer(dModel: dModel, nhead: nhead, dimFeedforward: dimFeedforward,
                                                dropout: dropout, activation: activation, layerNormEps: layerNormEps,
                                                batchFirst: batchFirst, normFirst: normFirst, bias: bias, dtype: dtype)
            let norm = LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype)
            decoder = TransformerDecoder(layer, numLayers: numDecoderLayers, norm: norm)
        }
        self.dModel = dModel
        self.nhead = nhead
        self.batchFirst = batchFirst
        super.init()
        for p in parameters() where p.dim > 1 { _ = xavierUniform_(p) }
    }

    /// The model applied to `src` (encoder) and `tgt` (decoder).
    ///
    /// - Parameters:
    ///   - src: `(S, N, E)` (`(N, S, E)` with `batchFirst`, `(S, E)` unbatched).
    ///   - tgt: `(T, N, E)`, laid out like `src`.
    ///   - srcMask: `(S, S)` or `(N·heads, S, S)` for the encoder's self-attention.
    ///   - tgtMask: `(T, T)` or `(N·heads, T, T)` for the decoder's self-attention.
    ///   - memoryMask: `(T, S)` or `(N·heads, T, S)` for the decoder's attention to memory.
    ///   - srcKeyPaddingMask: `(N, S)`.
    ///   - tgtKeyPaddingMask: `(N, T)`.
    ///   - memoryKeyPaddingMask: `(N, S)`.
    ///   - srcIsCausal: the hint that `srcMask` is causal (`nil`: detected from the mask).
    ///   - tgtIsCausal: the hint that `tgtMask` is causal (`nil`: detected from the mask).
    ///   - memoryIsCausal: the hint that `memoryMask` is causal.
    /// - Returns: `(T, N, E)`, laid out like `tgt`.
    public func callAsFunction(_ src: Tensor, _ tgt: Tensor, srcMask: Tensor? = nil, tgtMask: Tensor? = nil,
                               memoryMask: Tensor? = nil, srcKeyPaddingMask: Tensor? = nil,
                               tgtKeyPaddingMask: Tensor? = nil, memoryKeyPaddingMask: Tensor? = nil,
                               srcIsCausal: Bool? = nil, tgtIsCausal: Bool? = nil,
                               memoryIsCausal: Bool = false) -> Tensor {
        let isBatched = src.dim == 3
        if isBatched && src.shape[batchFirst ? 0 : 1] != tgt.shape[batchFirst ? 0 : 1] {
            torchFatal("RuntimeError: the batch number of src and tgt must be equal")
        }
        if src.shape.last != dModel || tgt.shape.last != dModel {
            torchFatal("RuntimeError: the feature number of src and tgt must be equal to d_model")
        }
        let memory = encoder(src, mask: srcMask, srcKeyPaddingMask: srcKeyPaddingMask, isCausal: srcIsCausal)
        return decoder(tgt, memory, tgtMask: tgtMask, memoryMask: memoryMask, tgtKeyPaddingMask: tgtKeyPaddingMask,
                       memoryKeyPaddingMask: memoryKeyPaddingMask, tgtIsCausal: tgtIsCausal,
                       memoryIsCausal: memoryIsCausal)
    }

    /// A transformer needs `src` and `tgt`: call it as `model(src, tgt)`.
    public override func forward(_ src: Tensor) -> Tensor {
        torchFatal("TypeError: Transformer.forward() missing 1 required positional argument: 'tgt'")
    }

    /// The square causal mask `(sz, sz)`: `-inf` above the diagonal, `0` on and below it
    /// (`nn.Transformer.generate_square_subsequent_mask`).
    public static func generateSquareSubsequentMask(_ sz: Int, dtype: DType = .float32) -> Tensor {
        Tensor.full([sz, sz], .double(-Double.infinity), dtype: dtype).triu(1)
    }
}
