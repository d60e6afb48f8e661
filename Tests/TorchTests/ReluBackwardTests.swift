import Testing
@testable import Torch

/// ReLU's backward takes a flat select loop on contiguous float tensors. Values recorded
/// from PyTorch 2.15 (`torch.relu(x).backward(torch.arange(1., 7.))`): zero where the
/// output is ≤ 0 (0 and -0 included), the gradient where it is positive or NaN; long
/// enough inputs split across threads give the same answer.
@Suite struct ReluBackwardTests {
    @Test(arguments: [DType.float32, .float64]) func gradientsMatchPyTorch(_ dtype: DType) {
        let x = Tensor([-1, 0, 2, Double.nan, -0.0, 3]).to(dtype).requiresGrad_()
        relu(x).backward(gradient: Tensor.arange(1, 7).to(dtype))
        #expect(x.grad!.toArray(Double.self) == [0, 0, 3, 4, 0, 6])
    }

    @Test func longInputsSelectElementwise() {
        let gen = Generator().manualSeed(8)
        let x = Tensor.randn([300_001], generator: gen).requiresGrad_()
        let g = Tensor.randn([300_001], generator: gen)
        relu(x).backward(gradient: g)
        let want = noGrad { `where`(x.detach() .> 0.0, g, Tensor(0.0, dtype: .float32)) }
        #expect(x.grad!.toArray(Float.self) == want.toArray(Float.self))
    }
}
