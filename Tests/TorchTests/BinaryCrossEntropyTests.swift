import Testing
@testable import Torch

/// `binaryCrossEntropy` runs one fused pass forward (PyTorch's CPU formula
/// `(t - 1)·max(log1p(-x), -100) - t·max(log x, -100)`) and one backward. Values recorded
/// from PyTorch 2.15 (`F.binary_cross_entropy(x, t, reduction='none')`); the fused input
/// gradient must equal the composed formula exactly; derivatives check numerically.
@Suite struct BinaryCrossEntropyTests {
    static let x: [[Double]] = [[0.25, 0.5, 0.75], [1e-30, 0.999, 0.1]]
    static let t: [[Double]] = [[0, 1, 0.3], [1, 0, 0.6]]

    @Test func elementsMatchPyTorch() {
        // PyTorch 2.15, float32 then float64.
        let want32: [Double] = [0.28768205642700195, 0.6931471824645996, 1.0567107200622559,
                                69.07755279541016, 6.907768249511719, 1.4236953258514404]
        let want64: [Double] = [0.2876820724517809, 0.6931471805599453, 1.0567106614229786,
                                69.07755278665029, 6.907768153668287, 1.423695306167051]
        for (dtype, want, tolerance) in [(DType.float32, want32, 1e-6), (.float64, want64, 1e-14)] {
            let x = Tensor(Self.x).to(dtype), t = Tensor(Self.t).to(dtype)
            // Contiguous operands take the fused loop, transposed ones the composed ops.
            for (xi, ti, order) in [(x, t, [0, 1, 2, 3, 4, 5]), (x.t().contiguous().t(), t.t().contiguous().t(), [0, 1, 2, 3, 4, 5])] {
                let got = binaryCrossEntropy(xi, ti, reduction: .none).flatten().toArray(Double.self)
                for (i, w) in zip(order, want) {
                    #expect(abs(got[i] - w) <= tolerance * abs(w), "\(dtype) element \(i): \(got[i]) vs \(w)")
                }
            }
        }
    }

    @Test func endpointsGivePyTorchsSignedZerosAndTheClamp() {
        // PyTorch: bce([0, 1], [0, 1]) is [0., -0.]; bce([0, 1], [1, 0]) is [100., 100.].
        for dtype in [DType.float32, .float64] {
            let x = Tensor([0.0, 1.0]).to(dtype)
            let same = binaryCrossEntropy(x, Tensor([0.0, 1.0]).to(dtype), reduction: .none).toArray(Double.self)
            #expect(same == [0, 0] && same[0].sign == .plus && same[1].sign == .minus)
            #expect(binaryCrossEntropy(x, Tensor([1.0, 0.0]).to(dtype), reduction: .none).toArray(Double.self) == [100, 100])
        }
    }

    @Test(arguments: [DType.float32, .float64]) func fusedInputGradientEqualsTheComposedFormula(_ dtype: DType) {
        let gen = Generator().manualSeed(5)
        let weight = Tensor.rand([3, 40], dtype: dtype, generator: gen)
        for reduction in [Reduction.none, .mean, .sum] {
            for w in [nil, weight] {
                let x = Tensor.rand([3, 40], dtype: dtype, generator: gen).requiresGrad_()
                let t = Tensor.rand([3, 40], dtype: dtype, generator: gen)
                let g = reduction == .none ? Tensor.randn([3, 40], dtype: dtype, generator: gen) : Tensor(1.5).to(dtype)
                binaryCrossEntropy(x, t, weight: w, reduction: reduction).backward(gradient: g)
                let want = noGrad { () -> Tensor in
                    var common = g * (reduction == .mean ? 1.0 / 120 : 1.0)
                    if let w { common = common * w }
                    let xv = x.detach()
                    return common * (xv - t) / clamp((1 - xv) * xv, min: 1e-12)
                }
                #expect(x.grad!.toArray(Double.self) == want.toArray(Double.self), "\(reduction) weight \(w != nil)")
            }
        }
    }

    @Test func derivativesCheckNumerically() {
        let gen = Generator().manualSeed(6)
        let x = Tensor.rand([4, 3], dtype: .float64, generator: gen) * 0.8 + 0.1
        let t = Tensor.rand([4, 3], dtype: .float64, generator: gen)
        for reduction in [Reduction.none, .mean, .sum] {
            let f = { (v: [Tensor]) in binaryCrossEntropy(v[0], v[1], reduction: reduction) }
            #expect(gradcheck(f, inputs: [x.requiresGrad_(), t.requiresGrad_()]).passed)
            #expect(gradgradcheck(f, inputs: [x, t]).passed)
        }
    }

    @Test func inputOutsideZeroOneFails() async {
        await #expect(processExitsWith: .failure) {
            _ = binaryCrossEntropy(Tensor([0.3, 1.5]), Tensor([0.0, 1.0]))
        }
        await #expect(processExitsWith: .failure) {
            _ = binaryCrossEntropy(Tensor([0.3, Double.nan]), Tensor([0.0, 1.0]))
        }
        await #expect(processExitsWith: .failure) {
            _ = binaryCrossEntropy(Tensor([[0.3, -0.5]]).t(), Tensor([[0.0, 1.0]]).t())
        }
    }
}
