import Testing
import Torch

/// A graph that is built but never run backward (a validation pass with grad mode on) must
/// be freed with its last tensor. Normalisation without weight and bias returns the
/// normalised input itself, which its backward needs: the node keeps a detached alias, not
/// its own output (found by LeakSanitizer through gradcheck).
@Suite struct UnrunGraphReleaseTests {
    @Test func normalizationOutputsWithoutAffineAreFreed() {
        let norms: [(String, (Tensor) -> Tensor)] = [
            ("batch norm", { batchNorm($0, runningMean: Tensor.zeros([3], dtype: .float64), runningVar: Tensor.ones([3], dtype: .float64)) }),
            ("batch norm training", { batchNorm($0, runningMean: nil, runningVar: nil, training: true) }),
            ("layer norm", { layerNorm($0, normalizedShape: [3]) }),
            ("group norm", { groupNorm($0, numGroups: 1) }),
        ]
        for (name, norm) in norms {
            weak var output: Tensor?
            do {
                let x = Tensor.randn([4, 3], dtype: .float64, generator: Generator().manualSeed(0)).requiresGrad_()
                let y = norm(x)
                output = y
                #expect(y.gradFn != nil, "\(name)")
            }
            #expect(output == nil, "\(name): the unrun graph keeps its output alive")
        }
    }
}
