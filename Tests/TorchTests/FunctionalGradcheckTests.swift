import Testing
@testable import Torch

/// Finite-difference checks (float64) of the functional ops and losses added with `nn`,
/// beyond the layers LayerTests covers: every differentiable op has a gradcheck.
@Suite struct FunctionalGradcheckTests {
    func x(_ shape: [Int], seed: Int = 0) -> Tensor {
        Tensor.randn(shape, dtype: .float64, generator: Generator().manualSeed(seed)).requiresGrad_()
    }

    func check(_ name: String, _ inputs: [Tensor], _ f: @escaping ([Tensor]) -> Tensor) {
        let result = gradcheck(f, inputs: inputs)
        #expect(result.passed, "\(name): \(result)")
    }

    @Test func functionalOps() {
        check("pad constant", [x([2, 3])]) { pad($0[0], [1, -1, 2, 0], value: 0.5) }
        check("pad reflect", [x([1, 2, 5])]) { pad($0[0], [2, 1], mode: .reflect) }
        check("pad replicate", [x([1, 1, 3, 3])]) { pad($0[0], [1, 1, 2, 0], mode: .replicate) }
        check("interpolate nearest", [x([1, 1, 2, 3])]) { interpolate($0[0], size: [3, 5]) }
        check("interpolate bilinear", [x([1, 1, 3, 3])]) { interpolate($0[0], size: [4, 5], mode: .bilinear, alignCorners: false) }
        check("interpolate linear", [x([1, 2, 4])]) { interpolate($0[0], scaleFactor: [1.5], mode: .linear, alignCorners: true) }
        check("pixel shuffle", [x([1, 4, 2, 3])]) { pixelShuffle($0[0], upscaleFactor: 2) }
        check("pixel unshuffle", [x([1, 1, 4, 2])]) { pixelUnshuffle($0[0], downscaleFactor: 2) }
        check("normalize", [x([3, 4])]) { normalize($0[0], p: 2, dim: 1) }
        check("cosine similarity", [x([3, 4]), x([3, 4], seed: 1)]) { cosineSimilarity($0[0], $0[1]) }
        check("layer norm", [x([2, 3, 4]), x([4], seed: 1), x([4], seed: 2)]) {
            layerNorm($0[0], normalizedShape: [4], weight: $0[1], bias: $0[2])
        }
        check("group norm", [x([2, 4, 3]), x([4], seed: 1), x([4], seed: 2)]) {
            groupNorm($0[0], numGroups: 2, weight: $0[1], bias: $0[2])
        }
        check("batch norm eval", [x([4, 3])]) {
            batchNorm($0[0], runningMean: Tensor.zeros([3], dtype: .float64), runningVar: Tensor.ones([3], dtype: .float64))
        }
        check("linear", [x([2, 3]), x([4, 3], seed: 1), x([4], seed: 2)]) { linear($0[0], $0[1], $0[2]) }
        check("conv1d grouped", [x([1, 4, 6]), x([4, 2, 3], seed: 1)]) { conv1d($0[0], $0[1], groups: 2) }
        check("conv transpose", [x([1, 2, 3, 3]), x([2, 1, 3, 3], seed: 1)]) {
            convTranspose2d($0[0], $0[1], stride: [2], padding: [1], outputPadding: [1])
        }
        check("avg pool no pad count", [x([1, 1, 5, 5])]) {
            avgPool2d($0[0], [3], stride: [2], padding: [1], countIncludePad: false)
        }
    }

    @Test func losses() {
        let target = Tensor([2, 0, 1, 1])
        check("cross entropy", [x([4, 3])]) { crossEntropy($0[0], target, labelSmoothing: 0.1) }
        check("cross entropy weighted ignore", [x([4, 3])]) {
            crossEntropy($0[0], target, weight: Tensor([1.0, 2.0, 0.5], dtype: .float64), ignoreIndex: 0)
        }
        check("cross entropy probabilities", [x([4, 3]), x([4, 3], seed: 1)]) { crossEntropy($0[0], $0[1].softmax(dim: 1)) }
        check("nll", [x([4, 3])]) { nllLoss($0[0], target, reduction: .sum) }
        check("mse", [x([4, 3]), x([4, 3], seed: 1)]) { mseLoss($0[0], $0[1]) }
        check("l1", [x([4, 3]), x([4, 3], seed: 1)]) { l1Loss($0[0], $0[1], reduction: .none) }
        check("smooth l1", [x([4, 3]), x([4, 3], seed: 1)]) { smoothL1Loss($0[0], $0[1], beta: 0.5) }
        check("huber", [x([4, 3]), x([4, 3], seed: 1)]) { huberLoss($0[0], $0[1], delta: 0.7) }
        check("bce", [x([4, 3]), x([4, 3], seed: 1)]) { binaryCrossEntropy(sigmoid($0[0]), sigmoid($0[1])) }
        check("bce with logits", [x([4, 3]), x([4, 3], seed: 1)]) {
            binaryCrossEntropyWithLogits($0[0], sigmoid($0[1]), posWeight: Tensor([1.0, 2.0, 3.0], dtype: .float64))
        }
        check("kl div", [x([4, 3]), x([4, 3], seed: 1)]) {
            klDiv($0[0].logSoftmax(dim: 1), $0[1].softmax(dim: 1), reduction: .batchMean)
        }
        check("margin ranking", [x([4]), x([4], seed: 1)]) {
            marginRankingLoss($0[0], $0[1], Tensor([1.0, -1.0, 1.0, -1.0], dtype: .float64), margin: 0.1)
        }
        check("cosine embedding", [x([4, 3]), x([4, 3], seed: 1)]) {
            cosineEmbeddingLoss($0[0], $0[1], Tensor([1.0, -1.0, 1.0, -1.0], dtype: .float64), margin: 0.2)
        }
    }
}
