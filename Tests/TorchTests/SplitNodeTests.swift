import Testing
@testable import Torch

/// `split` and `chunk` record one node for all their pieces, as PyTorch does
/// (`SplitBackward0`, `SplitWithSizesBackward0`); its backward concatenates the pieces'
/// gradients, with zeros for pieces that got none.
@Suite struct SplitNodeTests {
    @Test func piecesShareOneNodeNamedAsPyTorch() {
        let y = Tensor.randn([4, 3]).requiresGrad_() * 1.0
        let halves = y.chunk(2), sized = y.split([1, 3]), even = y.split(3)
        #expect(halves[0].gradFn?.name == "SplitBackward0" && halves[0].gradFn === halves[1].gradFn)
        #expect(sized[0].gradFn?.name == "SplitWithSizesBackward0" && sized[1].outputNumber == 1)
        #expect(even[1].gradFn?.name == "SplitBackward0")
    }

    @Test func gradientHasZerosWherePiecesGotNone() {
        // PyTorch: x.chunk(2)[0].sum().backward() on a 4×3 x gives ones on rows 0–1, zeros below.
        let x = Tensor.randn([4, 3]).requiresGrad_()
        x.chunk(2)[0].sum().backward()
        #expect(x.grad!.toArray(Double.self) == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        let z = Tensor.randn([2, 5]).requiresGrad_()
        z.split([2, 1, 2], dim: 1)[1].sum().backward()
        #expect(z.grad!.toArray(Double.self) == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0])
    }

    @Test func derivativesCheckNumerically() {
        let x = Tensor.randn([6, 4], dtype: .float64, generator: Generator().manualSeed(9))
        let f = { (t: [Tensor]) -> Tensor in
            let g = t[0].chunk(3, dim: 0), s = t[0].split([1, 3], dim: 1)
            return (g[0] * g[2].exp()).sum() + (s[1].sum(dim: 1, keepdim: true) * s[0]).sum()
        }
        #expect(gradcheck(f, inputs: [x.requiresGrad_()]).passed)
        #expect(gradgradcheck(f, inputs: [x]).passed)
    }
}
