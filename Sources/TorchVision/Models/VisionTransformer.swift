import Foundation
import Torch

/// torchvision's ViT `EncoderBlock`: pre-norm self-attention and MLP, each residual.
final class EncoderBlock: Module {
    // `ln_1`/`ln_2`: torchvision's names, which the state-dict keys carry.
    let ln_1: LayerNorm
    let selfAttention: MultiheadAttention
    let dropout: Dropout
    let ln_2: LayerNorm
    let mlp: Sequential

    init(heads: Int, hidden: Int, mlpDim: Int, dropout p: Double, attentionDropout: Double) {
        ln_1 = LayerNorm(hidden, eps: 1e-6)
        selfAttention = MultiheadAttention(hidden, heads, dropout: attentionDropout, batchFirst: true)
        dropout = Dropout(p: p)
        ln_2 = LayerNorm(hidden, eps: 1e-6)
        mlp = Sequential(Linear(hidden, mlpDim), GELU(), Dropout(p: p), Linear(mlpDim, hidden), Dropout(p: p))
        super.init()
        // torchvision's MLPBlock: Xavier-uniform weights, N(0, 1e-6²) biases.
        noGrad {
            for case let linear as Linear in mlp.modules() {
                xavierUniform_(linear.weight)
                if let b = linear.bias { normal_(b, std: 1e-6) }
            }
        }
    }

    override func forward(_ input: Tensor) -> Tensor {
        let normed = ln_1(input)
        let x = dropout(selfAttention(normed, normed, normed, needWeights: false).output) + input
        return x + mlp(ln_2(x))
    }
}

/// torchvision's ViT `Encoder`: learned position embedding, the blocks, a final norm.
final class Encoder: Module {
    @Parameter var posEmbedding: Tensor
    let dropout: Dropout
    let layers: Sequential
    let ln: LayerNorm

    init(sequenceLength: Int, layers count: Int, heads: Int, hidden: Int, mlpDim: Int, dropout p: Double, attentionDropout: Double) {
        posEmbedding = Tensor.empty([1, sequenceLength, hidden]).normal_(std: 0.02).requiresGrad_()
        dropout = Dropout(p: p)
        layers = Sequential(named: (0..<count).map {
            ("encoder_layer_\($0)", EncoderBlock(heads: heads, hidden: hidden, mlpDim: mlpDim, dropout: p, attentionDropout: attentionDropout))
        })
        ln = LayerNorm(hidden, eps: 1e-6)
        super.init()
    }

    override func forward(_ input: Tensor) -> Tensor { ln(layers(dropout(input + posEmbedding))) }
}

/// torchvision's `VisionTransformer`: 16×16 patches projected by a strided convolution,
/// a class token, the encoder, and a linear head on the class token.
public final class VisionTransformer: Module {
    let imageSize: Int, patchSize: Int, hidden: Int
    let convProj: Conv2d
    @Parameter var classToken: Tensor
    let encoder: Encoder
    let heads: Sequential

    init(imageSize: Int = 224, patchSize: Int, layers: Int, heads headCount: Int, hidden: Int, mlpDim: Int, numClasses: Int,
         dropout: Double = 0, attentionDropout: Double = 0) {
        self.imageSize = imageSize
        self.patchSize = patchSize
        self.hidden = hidden
        convProj = Conv2d(3, hidden, kernelSize: patchSize, stride: patchSize)
        classToken = Tensor.zeros([1, 1, hidden], requiresGrad: true)
        let patches = (imageSize / patchSize) * (imageSize / patchSize)
        encoder = Encoder(sequenceLength: patches + 1, layers: layers, heads: headCount, hidden: hidden, mlpDim: mlpDim,
                          dropout: dropout, attentionDropout: attentionDropout)
        let head = Linear(hidden, numClasses)
        heads = Sequential(["head": head])
        super.init()
        noGrad {
            let fanIn = Double(3 * patchSize * patchSize)
            truncNormal_(convProj.weight, std: (1 / fanIn).squareRoot())
            if let b = convProj.bias { zeros_(b) }
            zeros_(head.weight)
            if let b = head.bias { zeros_(b) }
        }
    }

    /// Logits for `(N, 3, imageSize, imageSize)` images.
    public override func forward(_ x: Tensor) -> Tensor {
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        guard h == imageSize, w == imageSize else {
            torchFatal("AssertionError: Wrong image height/width! Expected \(imageSize) but got \(h) x \(w)")
        }
        let patches = convProj(x).reshape([n, hidden, (h / patchSize) * (w / patchSize)]).permute(0, 2, 1)
        let tokens = cat([classToken.expand(n, -1, -1), patches], dim: 1)
        return heads(encoder(tokens)[0..., 0])
    }
}

/// ViT-B/16 (`torchvision.models.vit_b_16`): 12 layers, 12 heads, width 768, MLP 3072.
public func vitB16(numClasses: Int = 1000) -> VisionTransformer {
    VisionTransformer(patchSize: 16, layers: 12, heads: 12, hidden: 768, mlpDim: 3072, numClasses: numClasses)
}
