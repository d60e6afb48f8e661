import Testing
@testable import Torch

/// Expected strings were printed by PyTorch 2.15 for the same tensors.
@Suite(.serialized) struct PrintingTests {
    @Test func seedTensors() {
        #expect(Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).description == "tensor([[1., 2., 3.],\n        [4., 5., 6.]])")
        #expect(Tensor([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]).description
            == "tensor([[[ 1.,  2.,  3.],\n         [ 4.,  5.,  6.]],\n\n        [[ 7.,  8.,  9.],\n         [10., 11., 12.]]])")
        #expect(Tensor(4.0).description == "tensor(4.)")
    }

    @Test func nonFiniteAndMagnitudes() {
        #expect(Tensor([Double.nan, .infinity, -.infinity, 1.5]).description == "tensor([   nan,    inf,   -inf, 1.5000])")
        #expect(Tensor([1e10, 1.0, -3.0]).description == "tensor([ 1.0000e+10,  1.0000e+00, -3.0000e+00])")
        #expect(Tensor([1e-6, 1.0]).description == "tensor([1.0000e-06, 1.0000e+00])")
    }

    @Test func integersBooleansAndDtypeSuffixes() {
        #expect(Tensor([1, -200, 30000]).description == "tensor([    1,  -200, 30000])")
        #expect(Tensor([[true, false], [false, true]]).description == "tensor([[ True, False],\n        [False,  True]])")
        #expect(Tensor([[1.5, 2.0]], dtype: .float64).description == "tensor([[1.5000, 2.0000]], dtype=torch.float64)")
        #expect(Tensor([1, 2], dtype: .int32).description == "tensor([1, 2], dtype=torch.int32)")
        #expect(DType.float64.description == "torch.float64")
    }

    @Test func emptyTensors() {
        #expect(Tensor(shape: [0], scalars: [Float]()).description == "tensor([])")
        #expect(Tensor.zeros(0, 3).description == "tensor([], size=(0, 3))")
        #expect(Tensor.zeros([2, 0], dtype: .int64).description == "tensor([], size=(2, 0), dtype=torch.int64)")
    }

    @Test func summarisation() {
        #expect(Tensor.arange(0, 2000).description == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])")
        let m = Tensor(shape: [100, 100], scalars: (0..<10000).map(Float.init))
        let rows = [0, 1, 2, 97, 98, 99].map { r -> String in
            let v = { (c: Int) in formatC("%.*e", 4, Double(r * 100 + c)) }
            return "[\(v(0)), \(v(1)), \(v(2)),  ..., \(v(97)), \(v(98)),\n         \(v(99))]"
        }
        let expected = "tensor([" + rows[0..<3].joined(separator: ",\n        ") + ",\n        ...,\n        "
            + rows[3...].joined(separator: ",\n        ") + "])"
        #expect(m.description == expected)
        #expect(m.description.hasPrefix("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01],"))
    }

    @Test func wrappingAtLineWidth() {
        let t = Tensor(shape: [30], scalars: (0..<30).map { Float($0) / 7 })
        #expect(t.description == "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n        3.8571, 4.0000, 4.1429])")
        let d = Tensor(shape: [1, 12], scalars: (0..<12).map { Double($0) / 3 })
        #expect(d.description == "tensor([[0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,\n         3.0000, 3.3333, 3.6667]], dtype=torch.float64)")
    }

    @Test func requiresGradSuffix() {
        #expect(Tensor([1.0, 2.0], requiresGrad: true).description == "tensor([1., 2.], requires_grad=True)")
    }

    @Test func precisionOption() {
        let saved = printOptions()
        defer { setPrintOptions(saved) }
        setPrintOptions(precision: 10)
        #expect(Tensor(0.1874370575, dtype: .float64).description == "tensor(0.1874370575, dtype=torch.float64)")
        #expect(Tensor(Float(1.0 / 3.0)).description == "tensor(0.3333333433)")
    }

    @Test func pythonCompatibleFloatFormatting() {
        #expect(formatC("%.*f", 4, 0.00005) == "0.0001")  // the binary value is just above the tie
        #expect(formatC("%.*f", 0, 2.5) == "2")
        #expect(formatC("%.*e", 4, 123456.0) == "1.2346e+05")
        #expect(formatC("%.*f", 4, -.nan) == "nan")
    }
}
