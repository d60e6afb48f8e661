import Foundation
import Testing
@testable import Torch

/// Shared reading of `Fixtures/nn_more.json` (`scripts/record-nn-more.py`).
enum NNMore {
    /// The whole recording (read on each call: `[String: Any]` is not `Sendable`, so no
    /// static cache).
    static var record: [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/nn_more.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static func entry(_ name: String) -> [String: Any] { record[name] as! [String: Any] }
    /// Numbers, with `"nan"`, `"inf"` and `"-inf"` strings for what JSON cannot hold.
    static func values(_ any: Any?) -> [Double] {
        (any as! [Any]).map { v in
            if let n = v as? NSNumber { return n.doubleValue }
            switch v as! String {
            case "nan": return .nan
            case "inf": return .infinity
            default: return -.infinity
            }
        }
    }
    static func ints(_ any: Any?) -> [Int] { (any as! [NSNumber]).map(\.intValue) }

    /// Elementwise `|got - want| <= tolerance·(1 + |want|)`, NaN matching NaN.
    static func close(_ t: Tensor, _ want: [Double], tolerance: Double = 1e-5) -> Bool {
        let got = t.toArray(Double.self)
        return got.count == want.count && zip(got, want).allSatisfy {
            ($0.isNaN && $1.isNaN) || $0 == $1 || abs($0 - $1) <= tolerance * (1 + abs($1))
        }
    }

    /// `(arange(n)·a mod b) - b/2` in float64, then `dtype`: the recording script's inputs.
    static func pattern(_ shape: [Int], _ a: Double, _ b: Double, dtype: DType = .float32) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { (Double($0) * a).truncatingRemainder(dividingBy: b) - b / 2 })
            .to(dtype)
    }

    /// `Σ y·w` backward, `w` the script's fixed pattern.
    static func weightedBackward(_ y: Tensor) {
        (y * pattern(y.shape, 0.61, 1.9, dtype: y.dtype)).sum().backward()
    }
}

/// `nn.Transformer`, `TransformerDecoder` and `TransformerDecoderLayer` against PyTorch:
/// seeded weights and keys, outputs and gradients under every kind of mask.
@Suite struct TransformerTests {
    func seeded<R>(_ body: () -> R) -> R { withDefaultGenerator(Generator().manualSeed(0), body) }

    /// The keys and seeded weights, then `run`'s output and the gradients of the inputs and
    /// of the named parameters.
    func check(_ name: String, _ model: Module, grads: [String], tolerance: Double = 2e-5,
               run: () -> (Tensor, [Tensor])) {
        let r = NNMore.entry(name)
        #expect(model.stateDictKeys() == (r["keys"] as! [String]), "\(name) keys")
        let state = model.stateDict()
        for (key, want) in r["state"] as! [String: Any] {
            #expect(NNMore.close(state[key]!, NNMore.values(want), tolerance: 1e-6), "\(name) \(key)")
        }
        let (y, inputs) = run()
        #expect(y.shape == NNMore.ints(r["shape"]), "\(name) shape")
        #expect(NNMore.close(y, NNMore.values(r["value"]), tolerance: tolerance), "\(name) value")
        NNMore.weightedBackward(y)
        for (i, (x, want)) in zip(inputs, r["input_grads"] as! [Any]).enumerated() {
            #expect(NNMore.close(x.grad!, NNMore.values(want), tolerance: tolerance), "\(name) input \(i) grad")
        }
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter) })
        let recorded = r["param_grads"] as! [String: Any]
        for key in grads {
            #expect(NNMore.close(parameters[key]!.grad!, NNMore.values(recorded[key]), tolerance: tolerance),
                    "\(name) \(key) grad")
        }
    }

    @Test func postNormTransformerMatchesPyTorch() {
        let model = seeded {
            Transformer(dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16, dropout: 0)
        }
        check("transformer_post", model, grads: ["encoder.layers.0.self_attn.in_proj_weight",
                                                  "decoder.layers.1.multihead_attn.in_proj_weight",
                                                  "decoder.layers.0.linear1.weight", "decoder.norm.weight"]) {
            let src = NNMore.pattern([5, 2, 8], 0.37, 2.1).requiresGrad_()
            let tgt = NNMore.pattern([4, 2, 8], 0.53, 1.7).requiresGrad_()
            let padding = Tensor([[false, false, false, false, false], [false, false, false, true, true]])
            let y = model(src, tgt, tgtMask: Transformer.generateSquareSubsequentMask(4), srcKeyPaddingMask: padding,
                          memoryKeyPaddingMask: padding)
            return (y, [src, tgt])
        }
    }

    @Test func preNormGeluBatchFirstTransformerMatchesPyTorch() {
        let model = seeded {
            Transformer(dModel: 8, nhead: 4, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 12, dropout: 0.1,
                        activation: "gelu", batchFirst: true, normFirst: true)
        }
        model.eval()
        check("transformer_pre", model, grads: ["encoder.layers.0.linear2.weight",
                                                 "decoder.layers.0.self_attn.in_proj_bias"]) {
            let src = NNMore.pattern([2, 5, 8], 0.41, 1.9).requiresGrad_()
            let tgt = NNMore.pattern([2, 3, 8], 0.29, 2.3).requiresGrad_()
            let tgtMask = Tensor([[false, true, true], [false, false, true], [false, false, false]])
            let tgtPadding = Tensor([[0.0, 0.0, -0.5], [0.0, 0.0, 0.0]] as [[Float]])
            let y = model(src, tgt, tgtMask: tgtMask, memoryMask: NNMore.pattern([3, 5], 0.7, 1.1),
                          tgtKeyPaddingMask: tgtPadding, tgtIsCausal: true)
            return (y, [src, tgt])
        }
    }

    @Test func unbatchedDecoderLayerMatchesPyTorch() {
        let layer = seeded { TransformerDecoderLayer(8, 2, 16, 0.0) }
        check("decoder_layer", layer, grads: ["linear2.bias", "norm3.weight"]) {
            let tgt = NNMore.pattern([4, 8], 0.31, 1.3).requiresGrad_()
            let memory = NNMore.pattern([6, 8], 0.23, 1.7).requiresGrad_()
            let y = layer(tgt, memory, tgtMask: Transformer.generateSquareSubsequentMask(4),
                          memoryMask: Tensor.ones([4, 6], dtype: .bool).triu(3), tgtIsCausal: true)
            return (y, [tgt, memory])
        }
        #expect(layer.description.contains("(multihead_attn): MultiheadAttention("))
        #expect(layer.description.contains("(norm3): LayerNorm((8,), eps=1e-05, elementwise_affine=True, bias=True)"))
    }

    /// `memoryIsCausal: true` with a mask that is not causal: PyTorch trusts the hint.
    @Test func causalHintReplacesTheMaskAsInPyTorch() {
        let decoder = seeded { TransformerDecoder(TransformerDecoderLayer(8, 2, 16, 0.0), numLayers: 2, norm: LayerNorm(8)) }
        check("decoder_causal_memory", decoder, grads: ["layers.1.norm2.bias"]) {
            let tgt = NNMore.pattern([4, 1, 8], 0.47, 1.5).requiresGrad_()
            let memory = NNMore.pattern([6, 1, 8], 0.19, 2.2).requiresGrad_()
            return (decoder(tgt, memory, memoryMask: Tensor.zeros(4, 6), memoryIsCausal: true), [tgt, memory])
        }
    }

    @Test func squareSubsequentMaskAndCausalDetection() {
        let mask = Transformer.generateSquareSubsequentMask(3)
        #expect(mask.toArray(Double.self).map { "\($0 == -.infinity ? "-inf" : String($0))" }
                == (NNMore.record["square_subsequent_mask"] as! [String]))
        #expect(detectCausalMask(mask, isCausal: nil, size: 3))
        #expect(detectCausalMask(Tensor.ones([3, 3], dtype: .bool).triu(1), isCausal: nil, size: 3))
        #expect(!detectCausalMask(Tensor.zeros(3, 3), isCausal: nil, size: 3))
        #expect(!detectCausalMask(mask, isCausal: nil, size: 4))
        #expect(!detectCausalMask(mask, isCausal: false, size: 3))
    }

    @Test func gradcheckThroughADecoderLayer() {
        let layer = seeded { TransformerDecoderLayer(4, 2, 6, 0.0, normFirst: true, dtype: .float64) }
        let tgt = NNMore.pattern([3, 1, 4], 0.37, 1.3, dtype: .float64).requiresGrad_()
        let memory = NNMore.pattern([2, 1, 4], 0.29, 1.1, dtype: .float64).requiresGrad_()
        let mask = Transformer.generateSquareSubsequentMask(3, dtype: .float64)
        #expect(gradcheck({ xs in layer(xs[0], xs[1], tgtMask: mask) }, inputs: [tgt, memory] + layer.parameters()).passed)
    }
}
