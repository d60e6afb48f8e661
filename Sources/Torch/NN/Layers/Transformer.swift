/// `nn.MultiheadAttention`: scaled dot-product attention over `numHeads` heads with packed
/// input projections (`in_proj_weight`, `in_proj_bias`) and an output projection
/// (`out_proj`), initialised and named as in PyTorch (`torch.nn.MultiheadAttention`).
public final class MultiheadAttention: Module {
    /// Model width (query features).
    public let embedDim: Int
    /// Attention heads; `embedDim` must divide evenly.
    public let numHeads: Int
    /// Dropout on the attention weights in training mode.
    public let dropoutProbability: Double
    /// Whether inputs are `(N, L, E)` instead of `(L, N, E)`.
    public let batchFirst: Bool
    /// The stacked query, key and value projections, `[3·E, E]`.
    @Parameter public var inProjWeight: Tensor
    /// Their biases, `[3·E]` (zeros at start), or `nil`.
    @Parameter public var inProjBias: Tensor?
    /// The output projection.
    public let outProj: Linear

    /// Creates the layer with PyTorch's arguments (`bias` applies to every projection).
    public init(_ embedDim: Int, _ numHeads: Int, dropout: some ScalarConvertible = 0, bias: Bool = true,
                batchFirst: Bool = false, dtype: DType = .float32) {
        let dropout = dropout.scalarValue.doubleValue
        guard embedDim % numHeads == 0 else { torchFatal("AssertionError: embed_dim must be divisible by num_heads") }
        self.embedDim = embedDim
        self.numHeads = numHeads
        self.dropoutProbability = dropout
        self.batchFirst = batchFirst
        // PyTorch builds out_proj (drawing its Linear initialisation) before it draws the
        // in-projection's Xavier values; the same order keeps seeded weights equal.
        let out = Linear(embedDim, embedDim, bias: bias, dtype: dtype)
        self.outProj = out
        self.inProjWeight = xavierUniform_(Tensor.empty([3 * embedDim, embedDim], dtype: dtype))
        self.inProjBias = bias ? Tensor.zeros([3 * embedDim], dtype: dtype) : nil
        if let b = out.bias { noGrad { _ = b.zero_() } }
        super.init()
    }

    /// Attention of `query` over `key`/`value`.
    ///
    /// - Parameters:
    ///   - query: `(L, N, E)` (`(N, L, E)` with `batchFirst`, `(L, E)` unbatched).
    ///   - key: `(S, N, E)`, laid out like `query`.
    ///   - value: `(S, N, E)`, laid out like `query`.
    ///   - keyPaddingMask: `(N, S)`; `true` (or a float added to the scores) marks keys to ignore.
    ///   - attnMask: `(L, S)` or `(N·heads, L, S)`; `true` forbids a position, a float is added.
    ///   - needWeights: also return the attention weights.
    ///   - averageAttnWeights: average the returned weights over heads.
    ///   - isCausal: a hint that `attnMask` is the causal mask. PyTorch then requires a mask
    ///     (`RuntimeError` without one) and, with no `keyPaddingMask` and `needWeights`
    ///     false, applies the top-left causal mask in its place.
    /// - Returns: the output shaped like `query`, and the weights `(N, L, S)` (or
    ///   `(N, heads, L, S)`) when asked for.
    public func callAsFunction(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: Tensor? = nil,
                               needWeights: Bool = true, attnMask: Tensor? = nil,
                               averageAttnWeights: Bool = true, isCausal: Bool = false) -> (output: Tensor, weights: Tensor?) {
        if isCausal && attnMask == nil {
            torchFatal("RuntimeError: Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                       + "method `generate_square_subsequent_mask` to create this mask.")
        }
        let unbatched = query.dim == 2
        func layout(_ t: Tensor) -> Tensor { unbatched ? t.unsqueeze(1) : (batchFirst ? t.transpose(0, 1) : t) }
        let q = layout(query), k = layout(key), v = layout(value)
        let (tgtLen, batch, e) = (q.shape[0], q.shape[1], q.shape[2])
        let srcLen = k.shape[0]
        guard e == embedDim else {
            torchFatal("AssertionError: was expecting embedding dimension of \(embedDim), but got \(e)")
        }
        let headDim = embedDim / numHeads
        let w = inProjWeight.chunk(3), b = inProjBias?.chunk(3)
        func heads(_ t: Tensor, _ len: Int) -> Tensor {
            // (len, N, E) -> (N·heads, len, headDim)
            t.reshape([len, batch * numHeads, headDim]).transpose(0, 1)
        }
        let qh = heads(linear(q, w[0], b?[0]), tgtLen) * (1 / Double(headDim).squareRoot())
        let kh = heads(linear(k, w[1], b?[1]), srcLen)
        let vh = heads(linear(v, w[2], b?[2]), srcLen)
        var scores = bmm(qh, kh.transpose(1, 2))
        if isCausal && keyPaddingMask == nil && !needWeights {
            // PyTorch trusts the hint here and hands scaled_dot_product_attention is_causal
            // instead of the mask: positions above the top-left diagonal are forbidden.
            let forbidden = Tensor.ones([tgtLen, srcLen], dtype: .bool).triu(1)
            scores = scores + additiveMask(forbidden, like: scores)
        } else if let attnMask {
            scores = scores + additiveMask(attnMask, like: scores)
        }
        if let keyPaddingMask {
            let m = unbatched ? keyPaddingMask.unsqueeze(0) : keyPaddingMask
            let expanded = m.reshape([batch, 1, 1, srcLen]).expand([batch, numHeads, 1, srcLen])
                .reshape([batch * numHeads, 1, srcLen])
            scores = scores + additiveMask(expanded, like: scores)
        }
        var attention = scores.softmax(dim: -1)
        if dropoutProbability > 0 { attention = dropout(attention, p: dropoutProbability, training: isTraining) }
        let context = bmm(attention, vh).transpose(0, 1).reshape([tgtLen * batch, embedDim])
        var output = outProj(context).reshape([tgtLen, batch, embedDim])
        output = unbatched ? output.squeeze(1) : (batchFirst ? output.transpose(0, 1) : output)
        guard needWeights else { return (output, nil) }
        var weights = attention.reshape([batch, numHeads, tgtLen, srcLen])
        if averageAttnWeights { weights = weights.mean(dim: 1) }
        return (output, unbatched ? weights.squeeze(0) : weights)
    }

    /// Self-attention of `x` (for use inside ``Sequential``).
    public override func forward(_ x: Tensor) -> Tensor { self(x, x, x, needWeights: false).output }

    private func additiveMask(_ mask: Tensor, like scores: Tensor) -> Tensor {
        guard mask.dtype == .bool else { return mask.to(scores.dtype) }
        return Tensor.zeros(mask.shape, dtype: scores.dtype).maskedFill(mask, .double(-Double.infinity))
    }
}

/// `nn.TransformerEncoderLayer`: self-attention and a feed-forward block, each with a
/// residual connection, dropout and LayerNorm (after the block, or before with `normFirst`)
/// (`torch.nn.TransformerEncoderLayer`).
public final class TransformerEncoderLayer: Module {
    /// The self-attention block.
    public let selfAttn: MultiheadAttention
    /// Feed-forward expansion.
    public let linear1: Linear
    /// Dropout inside the feed-forward block.
    public let dropout: Dropout
    /// Feed-forward projection back to the model width.
    public let linear2: Linear
    /// Normalisation around the attention block.
    public let norm1: LayerNorm
    /// Normalisation around the feed-forward block.
    public let norm2: LayerNorm
    /// Dropout on the attention output.
    public let dropout1: Dropout
    /// Dropout on the feed-forward output.
    public let dropout2: Dropout
    /// Normalise before each block instead of after.
    public let normFirst: Bool
    /// `"relu"` or `"gelu"`.
    public let activation: String
    private let configuration: (dModel: Int, nhead: Int, dimFeedforward: Int, dropout: Double,
                                layerNormEps: Double, batchFirst: Bool, bias: Bool, dtype: DType)

    /// Creates the layer with the model width and head count by position, as
    /// `nn.TransformerEncoderLayer(512, 8, dim_feedforward=1024)`.
    public convenience init(_ dModel: Int, _ nhead: Int, dimFeedforward: Int = 2048,
                            dropout: some ScalarConvertible = 0.1, activation: String = "relu",
                            layerNormEps: some ScalarConvertible = 1e-5, batchFirst: Bool = false,
                            normFirst: Bool = false, bias: Bool = true, dtype: DType = .float32) {
        self.init(dModel: dModel, nhead: nhead, dimFeedforward: dimFeedforward, dropout: dropout, activation: activation,
                  layerNormEps: layerNormEps, batchFirst: batchFirst, normFirst: normFirst, bias: bias, dtype: dtype)
    }

    /// Creates the layer with the first four arguments by position, as
    /// `nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)`.
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
        selfAttn = MultiheadAttention(dModel, nhead, dropout: dropout, bias: bias, batchFirst: batchFirst, dtype: dtype)
        linear1 = Linear(dModel, dimFeedforward, bias: bias, dtype: dtype)
        self.dropout = Dropout(p: dropout)
        linear2 = Linear(dimFeedforward, dModel, bias: bias, dtype: dtype)
        norm1 = LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype)
        norm2 = LayerNorm([dModel], eps: layerNormEps, bias: bias, dtype: dtype)
        dropout1 = Dropout(p: dropout)
        dropout2 = Dropout(p: dropout)
        self.normFirst = normFirst
        self.activation = activation
        configuration = (dModel, nhead, dimFeedforward, dropout, layerNormEps, batchFirst, bias, dtype)
        super.init()
    }

    /// A layer with the same settings and equal (copied) weights, as `copy.deepcopy`.
    public func copy() -> TransformerEncoderLayer {
        let c = configuration
        // Built under a throwaway generator so copying draws nothing from the caller's stream.
        let layer = withDefaultGenerator(Generator()) {
            TransformerEncoderLayer(dModel: c.dModel, nhead: c.nhead, dimFeedforward: c.dimFeedforward, dropout: c.dropout,
                                    activation: activation, layerNormEps: c.layerNormEps, batchFirst: c.batchFirst,
                                    normFirst: normFirst, bias: c.bias, dtype: c.dtype)
        }
        // Same architecture, so the keys and shapes match and this cannot throw.
        try! layer.loadStateDict(stateDict())
        layer.train(isTraining)
        return layer
    }

    /// The layer applied to `src` with optional masks; `isCausal` is the hint that `srcMask`
    /// is the causal mask (see ``MultiheadAttention/callAsFunction(_:_:_:keyPaddingMask:needWeights:attnMask:averageAttnWeights:isCausal:)``).
    public func callAsFunction(_ src: Tensor, srcMask: Tensor? = nil, srcKeyPaddingMask: Tensor? = nil,
                               isCausal: Bool = false) -> Tensor {
        func attend(_ x: Tensor) -> Tensor {
            dropout1(selfAttn(x, x, x, keyPaddingMask: srcKeyPaddingMask, needWeights: false, attnMask: srcMask,
                              isCausal: isCausal).output)
        }
        func feedForward(_ x: Tensor) -> Tensor {
            let hidden = linear1(x)
            return dropout2(linear2(dropout(activation == "relu" ? relu(hidden) : gelu(hidden))))
        }
        if normFirst {
            let x = src + attend(norm1(src))
            return x + feedForward(norm2(x))
        }
        let x = norm1(src + attend(src))
        return norm2(x + feedForward(x))
    }

    /// The layer without masks.
    public override func forward(_ src: Tensor) -> Tensor { self(src, srcMask: nil, srcKeyPaddingMask: nil) }
}

/// `nn.TransformerEncoder`: `numLayers` copies of one encoder layer (equal initial
/// weights, as PyTorch's deep copies) and an optional final norm (`torch.nn.TransformerEncoder`).
public final class TransformerEncoder: Module {
    /// The stacked layers (`layers.0`, `layers.1`, ...).
    public let layers: ModuleList
    /// A norm applied after the last layer, or `nil`.
    public let norm: LayerNorm?

    /// Creates the encoder from a template layer.
    public init(_ encoderLayer: TransformerEncoderLayer, numLayers: Int, norm: LayerNorm? = nil) {
        layers = ModuleList((0..<numLayers).map { _ in encoderLayer.copy() })
        self.norm = norm
        super.init()
    }

    /// Runs every layer in turn, then the norm. `isCausal` is the hint that `mask` is causal;
    /// `nil` (PyTorch's default) means: causal when `mask` equals
    /// ``Transformer/generateSquareSubsequentMask(_:dtype:)`` of the sequence length.
    public func callAsFunction(_ src: Tensor, mask: Tensor? = nil, srcKeyPaddingMask: Tensor? = nil,
                               isCausal: Bool? = nil) -> Tensor {
        var x = src
        let batchFirst = (layers.first as? TransformerEncoderLayer)?.selfAttn.batchFirst ?? false
        let causal = detectCausalMask(mask, isCausal: isCausal, size: sequenceLength(src, batchFirst: batchFirst))
        for case let layer as TransformerEncoderLayer in layers {
            x = layer(x, srcMask: mask, srcKeyPaddingMask: srcKeyPaddingMask, isCausal: causal)
        }
        return norm.map { $0(x) } ?? x
    }

    /// The encoder without masks.
    public override func forward(_ src: Tensor) -> Tensor { self(src, mask: nil, srcKeyPaddingMask: nil) }
}

/// The sequence length of a transformer input: `(S, E)` unbatched, `(S, N, E)`, or
/// `(N, S, E)` with `batchFirst`.
func sequenceLength(_ x: Tensor, batchFirst: Bool) -> Int {
    x.dim == 2 ? x.shape[0] : x.shape[batchFirst ? 1 : 0]
}

/// PyTorch's `_detect_is_causal_mask`: an explicit hint wins; with none, a `(size, size)`
/// mask counts as causal when it equals `generateSquareSubsequentMask(size)` made in its
/// own dtype: `-inf` above the diagonal for a float mask, `true` there for a boolean one
/// (PyTorch's `full(-inf, dtype=bool)` is all `true`).
func detectCausalMask(_ mask: Tensor?, isCausal: Bool?, size: Int) -> Bool {
    if let isCausal { return isCausal }
    guard let mask, mask.shape == [size, size] else { return false }
    let causal = mask.dtype == .bool ? Tensor.ones([size, size], dtype: .bool).triu(1)
        : Transformer.generateSquareSubsequentMask(size, dtype: mask.dtype)
    return (mask .== causal).all().item() != 0
}
