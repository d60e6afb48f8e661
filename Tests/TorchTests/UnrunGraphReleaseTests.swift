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

    /// A chain of 200,000 recorded ops — adds (no saved tensors) alternating with multiplies
    /// (which save their non-leaf input) — is freed with its last tensor without
    /// recursing once per node (a recursive release overflowed the stack), and a backward
    /// through a chain of the same length still gives the exact gradient.
    @Test func longChainsAreFreedWithoutDeepRecursion() {
        weak var first: Tensor?
        do {
            let x = Tensor([1.0], dtype: .float64).requiresGrad_()
            let w = Tensor([1.0], dtype: .float64).requiresGrad_()
            var y = x + 0
            first = y
            for _ in 0..<100_000 { y = (y + 1) * w }
            #expect(y.item() == 100_001)
        }
        #expect(first == nil)

        let x = Tensor([2.0], dtype: .float64).requiresGrad_()
        var y = x
        for _ in 0..<200_000 { y = y + 1 }
        y.backward()
        #expect(x.grad?.item() == 1)
    }
}
