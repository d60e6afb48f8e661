import Foundation
import Torch

// karpathy/nanoGPT's model.py, ported line by line (MIT licence, © 2022 Andrej Karpathy).
// Property names are nanoGPT's in Swift's camel case (`cAttn` is `c_attn`); `ln_1` and `ln_2`
// keep their underscores because snake-casing cannot put one before a digit, and the
// state-dict keys must be nanoGPT's so its checkpoints load.

/// The nanoGPT model and its parts, as `model.py` defines them.
public enum NanoGPT {
    /// `GPTConfig`: the model's sizes.
    public struct Config: Sendable {
        /// Longest context.
        public var blockSize = 1024
        /// Token count (GPT-2's 50257 padded to a multiple of 64).
        public var vocabSize = 50304
        /// Transformer blocks.
        public var nLayer = 12
        /// Attention heads per block.
        public var nHead = 12
        /// Model width.
        public var nEmbd = 768
        /// Dropout everywhere (model.py's default is none).
        public var dropout = 0.0
        /// Biases in the linear layers and layer norms.
        public var bias = true
        /// The GPT-2 124M configuration.
        public init() {}
    }

    /// `LayerNorm` with an optional bias (PyTorch's had none to switch off when nanoGPT was written).
    public final class LayerNorm: Module {
        /// The scale, ones at start.
        @Parameter public var weight: Tensor
        /// The shift, zeros at start, or `nil`.
        @Parameter public var bias: Tensor?
        /// Creates the norm over the last `ndim` features.
        public init(_ ndim: Int, bias: Bool) {
            weight = Tensor.ones([ndim])
            self.bias = bias ? Tensor.zeros([ndim]) : nil
            super.init()
        }
        /// `F.layer_norm(input, weight.shape, weight, bias, 1e-5)`.
        public override func forward(_ input: Tensor) -> Tensor {
            layerNorm(input, normalizedShape: weight.shape, weight: weight, bias: bias, eps: 1e-5)
        }
    }

    /// Multi-head causal self-attention through `scaledDotProductAttention`.
    public final class CausalSelfAttention: Module {
        /// Query, key and value projections for all heads at once.
        public let cAttn: Linear
        /// Output projection.
        public let cProj: Linear
        /// Dropout on the attention weights (passed to the fused attention).
        public let attnDropout: Dropout
        /// Dropout on the output.
        public let residDropout: Dropout
        let nHead: Int, nEmbd: Int, dropout: Double

        /// Creates the layer for `config`.
        public init(_ config: Config) {
            precondition(config.nEmbd % config.nHead == 0)
            cAttn = Linear(config.nEmbd, 3 * config.nEmbd, bias: config.bias)
            cProj = Linear(config.nEmbd, config.nEmbd, bias: config.bias)
            attnDropout = Dropout(config.dropout)
            residDropout = Dropout(config.dropout)
            nHead = config.nHead
            nEmbd = config.nEmbd
            dropout = config.dropout
            super.init()
        }

        /// Attention over `(B, T, C)`, each position seeing itself and those before it.
        public override func forward(_ x: Tensor) -> Tensor {
            let (b, t, c) = (x.size(0), x.size(1), x.size(2))
            let qkv = cAttn(x).split(nEmbd, dim: 2)
            let k = qkv[1].view(b, t, nHead, c / nHead).transpose(1, 2)
            let q = qkv[0].view(b, t, nHead, c / nHead).transpose(1, 2)
            let v = qkv[2].view(b, t, nHead, c / nHead).transpose(1, 2)
            var y = scaledDotProductAttention(q, k, v, attnMask: nil, dropoutP: isTraining ? dropout : 0, isCausal: true)
            y = y.transpose(1, 2).contiguous().view(b, t, c)
            return residDropout(cProj(y))
        }
    }

    /// The feed-forward part of a block: widen four times, GELU, project back.
    public final class MLP: Module {
        /// Widening projection.
        public let cFc: Linear
        /// The non-linearity.
        public let gelu = GELU()
        /// Narrowing projection.
        public let cProj: Linear
        /// Dropout on the output.
        public let dropout: Dropout
        /// Creates the layer for `config`.
        public init(_ config: Config) {
            cFc = Linear(config.nEmbd, 4 * config.nEmbd, bias: config.bias)
            cProj = Linear(4 * config.nEmbd, config.nEmbd, bias: config.bias)
            dropout = Dropout(config.dropout)
            super.init()
        }
        /// `dropout(c_proj(gelu(c_fc(x))))`.
        public override func forward(_ x: Tensor) -> Tensor { dropout(cProj(gelu(cFc(x)))) }
    }

    /// A pre-norm transformer block.
    public final class Block: Module {
        /// Norm before attention.
        public let ln_1: LayerNorm
        /// Self-attention.
        public let attn: CausalSelfAttention
        /// Norm before the MLP.
        public let ln_2: LayerNorm
        /// Feed-forward part.
        public let mlp: MLP
        /// Creates the block for `config`.
        public init(_ config: Config) {
            ln_1 = LayerNorm(config.nEmbd, bias: config.bias)
            attn = CausalSelfAttention(config)
            ln_2 = LayerNorm(config.nEmbd, bias: config.bias)
            mlp = MLP(config)
            super.init()
        }
        /// Two residual branches.
        public override func forward(_ x: Tensor) -> Tensor {
            var x = x + attn(ln_1(x))
            x = x + mlp(ln_2(x))
            return x
        }
    }

    /// The `transformer` ModuleDict of model.py, as a module with named parts (same keys).
    public final class Trunk: Module {
        /// Token embeddings (tied to the output head).
        public let wte: Embedding
        /// Position embeddings.
        public let wpe: Embedding
        /// Dropout on the summed embeddings.
        public let drop: Dropout
        /// The blocks.
        public let h: ModuleList
        /// Final norm.
        public let lnF: LayerNorm
        init(_ config: Config) {
            wte = Embedding(config.vocabSize, config.nEmbd)
            wpe = Embedding(config.blockSize, config.nEmbd)
            drop = Dropout(config.dropout)
            h = ModuleList((0..<config.nLayer).map { _ in Block(config) })
            lnF = LayerNorm(config.nEmbd, bias: config.bias)
            super.init()
        }
    }

    /// The language model.
    public final class GPT: Module {
        /// The sizes it was built with.
        public let config: Config
        /// Embeddings, blocks and final norm.
        public let transformer: Trunk
        /// Logits over the vocabulary; its weight is the token embedding's.
        public let lmHead: Linear

        /// Builds the model and initialises it as model.py does (normal(0, 0.02) everywhere,
        /// the residual projections scaled by 1/√(2·nLayer)).
        public init(_ config: Config) {
            self.config = config
            transformer = Trunk(config)
            lmHead = Linear(config.nEmbd, config.vocabSize, bias: false)
            // Weight tying: one tensor for the input embedding and the output projection.
            transformer.wte.weight = lmHead.weight
            super.init()
            apply(Self.initWeights)
            for (name, p) in namedParameters() where name.hasSuffix("c_proj.weight") {
                normal_(p, mean: 0, std: 0.02 / (2 * Double(config.nLayer)).squareRoot())
            }
        }

        /// Parameters, without the position embeddings (model.py's `get_num_params`).
        public func getNumParams() -> Int {
            parameters().reduce(0) { $0 + $1.numel } - transformer.wpe.weight.numel
        }

        private static func initWeights(_ module: Module) {
            if let linear = module as? Linear {
                normal_(linear.weight, mean: 0, std: 0.02)
                if let bias = linear.bias { zeros_(bias) }
            } else if let embedding = module as? Embedding {
                normal_(embedding.weight, mean: 0, std: 0.02)
            }
        }

        /// Logits for every position and the cross-entropy loss against `targets`; without
        /// targets, logits for the last position only and no loss.
        public func callAsFunction(_ idx: Tensor, _ targets: Tensor? = nil) -> (logits: Tensor, loss: Tensor?) {
            let t = idx.size(1)
            let pos = Tensor.arange(0, t, dtype: .int64)
            let tokEmb = transformer.wte(idx)
            let posEmb = transformer.wpe(pos)
            var x = transformer.drop(tokEmb + posEmb)
            for block in transformer.h { x = block(x) }
            x = transformer.lnF(x)
            if let targets {
                let logits = lmHead(x)
                let loss = crossEntropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignoreIndex: -1)
                return (logits, loss)
            }
            return (lmHead(x[.all, [-1], .all]), nil)
        }

        /// AdamW over two groups: weight decay for matrices and embeddings, none for biases
        /// and norms. Returns the optimizer and the two lines model.py prints.
        public func configureOptimizers(weightDecay: Double, learningRate: Double,
                                        betas: (Double, Double)) -> (AdamW, [String]) {
            let params = namedParameters().filter { $0.parameter.requiresGrad }
            let decay = params.filter { $0.parameter.dim >= 2 }.map(\.parameter)
            let noDecay = params.filter { $0.parameter.dim < 2 }.map(\.parameter)
            let groups = [ParamGroup(decay, ["weight_decay": weightDecay]), ParamGroup(noDecay, ["weight_decay": 0])]
            let count = { (ps: [Tensor]) in ps.reduce(0) { $0 + $1.numel } }
            let lines = [
                "num decayed parameter tensors: \(decay.count), with \(grouped(count(decay))) parameters",
                "num non-decayed parameter tensors: \(noDecay.count), with \(grouped(count(noDecay))) parameters",
            ]
            return (AdamW(groups, lr: learningRate, betas: betas), lines)
        }

        /// Extends `idx` by `maxNewTokens` sampled tokens, cropping the context to the block
        /// size, dividing logits by `temperature` and keeping only the `topK` best.
        public func generate(_ idx: Tensor, maxNewTokens: Int, temperature: Double = 1, topK: Int? = nil) -> Tensor {
            noGrad {
                var idx = idx
                for _ in 0..<maxNewTokens {
                    let idxCond = idx.size(1) <= config.blockSize ? idx : idx[.all, (-config.blockSize)...]
                    var logits = self(idxCond).logits
                    logits = logits[.all, -1, .all] / temperature
                    if let topK {
                        let v = logits.topk(min(topK, logits.size(-1))).values
                        logits[logits .< v[.all, [-1]]] = Tensor(-Double.infinity)
                    }
                    let probs = softmax(logits, dim: -1)
                    let idxNext = multinomial(probs, numSamples: 1)
                    idx = cat([idx, idxNext], dim: 1)
                }
                return idx
            }
        }
    }
}

/// `n` with thousands separators, as Python's `f"{n:,}"`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}
