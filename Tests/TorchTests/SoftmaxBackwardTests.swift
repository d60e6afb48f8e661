import Testing
@testable import Torch

/// A plain backward through `softmax`/`logSoftmax` along the last dim runs one fused pass
/// per row. It must give the composed formula's values exactly (same sum, same `exp`, same
/// order), and derivatives must still check numerically, first and second order (a
/// backward that records keeps the composed form).
@Suite struct SoftmaxBackwardTests {
    @Test(arguments: [DType.float32, .float64]) func fusedRowsEqualTheComposedFormula(_ dtype: DType) {
        let gen = Generator().manualSeed(3)
        for shape in [[7, 33], [2, 3, 1000], [5, 1]] {
            let x = (Tensor.randn(shape, dtype: .float64, generator: gen) * 4).to(dtype).requiresGrad_()
            let g = Tensor.randn(shape, dtype: .float64, generator: gen).to(dtype)
            for log in [true, false] {
                x.grad = nil
                let y = log ? x.logSoftmax(dim: -1) : x.softmax(dim: -1)
                y.backward(gradient: g)
                let yv = y.detach()
                let want = noGrad {
                    log ? g - exp(yv) * g.sum(dim: -1, keepdim: true) : yv * (g - (g * yv).sum(dim: -1, keepdim: true))
                }
                #expect(x.grad!.toArray(Double.self) == want.toArray(Double.self), "\(dtype) \(shape) log \(log)")
            }
        }
    }

    @Test func derivativesCheckNumerically() {
        let gen = Generator().manualSeed(4)
        let x = Tensor.randn([3, 5], dtype: .float64, generator: gen).requiresGrad_()
        for f in [{ (t: [Tensor]) in t[0].logSoftmax(dim: -1) }, { (t: [Tensor]) in t[0].softmax(dim: -1) },
                  { (t: [Tensor]) in t[0].logSoftmax(dim: 0) }] {
            #expect(gradcheck(f, inputs: [x]).passed)
            #expect(gradgradcheck(f, inputs: [x]).passed)
        }
    }
}
