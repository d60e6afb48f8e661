import Testing
@testable import Torch

/// `max_pool3d`, `avg_pool3d` and adaptive max pooling's indices against PyTorch
/// (`scripts/record-nn-more.py`): values, indices (ties, NaN) and input gradients.
@Suite struct Pooling3DTests {
    /// `f(x)` against the recording: shape, values, indices when returned, and the gradient
    /// of `Σ values·w`.
    func check(_ name: String, _ input: Tensor, _ f: (Tensor) -> (Tensor, Tensor?)) {
        let r = NNMore.entry(name)
        let x = input.clone().requiresGrad_()
        let (values, indices) = f(x)
        #expect(values.shape == NNMore.ints(r["shape"]), "\(name) shape")
        #expect(NNMore.close(values, NNMore.values(r["value"])), "\(name) value")
        if let indices { #expect(indices.toArray(Int64.self).map(Int.init) == NNMore.ints(r["indices"]), "\(name) indices") }
        NNMore.weightedBackward(values)
        #expect(NNMore.close(x.grad!, NNMore.values(r["grad"])), "\(name) grad")
    }

    let volume = NNMore.pattern([2, 2, 5, 6, 4], 0.37, 2.3)

    @Test func maxPool3dMatchesPyTorch() {
        check("max_pool3d", volume) {
            let (v, i) = maxPool3dWithIndices($0, [2, 3, 2], stride: [2, 1, 2], padding: [1, 1, 0], dilation: [1, 1, 2],
                                              ceilMode: true)
            return (v, i)
        }
        check("max_pool3d_unbatched", volume[0]) { (MaxPool3d(2)($0), nil) }
        let nan = Double.nan
        check("max_pool3d_nan", Tensor(shape: [1, 1, 2, 2, 2], scalars: [1.0, 3, 3, 2, nan, 0, nan, 5]).float()) {
            let (v, i) = MaxPool3d(2, returnIndices: true).forwardWithIndices($0)
            return (v, i)
        }
        check("max_pool3d_ties", Tensor(shape: [1, 1, 2, 2, 2], scalars: [1.0, 3, 3, 2, 4, 4, 4, 4]).float()) {
            let (v, i) = maxPool3dWithIndices($0, [1, 2, 2])
            return (v, i)
        }
    }

    @Test func avgPool3dMatchesPyTorch() {
        check("avg_pool3d_ceil", volume) {
            (avgPool3d($0, 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false), nil)
        }
        check("avg_pool3d_divisor", volume) { (avgPool3d($0, [2, 3, 2], padding: [1, 1, 1], divisorOverride: 5), nil) }
        check("avg_pool3d_pad", volume[1]) { (AvgPool3d([2, 2, 3], stride: [1, 2, 1], padding: [1, 0, 1])($0), nil) }
    }

    @Test func adaptiveMaxPoolIndicesMatchPyTorch() {
        let grid = Tensor(shape: [1, 1, 3, 5], scalars: [3.0, 1, 3, 2, 2, 0, 3, 1, 2, 1, 1, 1, 1, 1, 1]).float()
        // Ties: the first maximum takes the whole gradient, as in PyTorch.
        check("adaptive_max_pool2d_ties", grid) {
            let (v, i) = adaptiveMaxPool2dWithIndices($0, [2, 3])
            return (v, i)
        }
        check("adaptive_max_pool2d_indices", NNMore.pattern([2, 3, 7, 5], 0.713, 2.9)) {
            let (v, i) = AdaptiveMaxPool2d([3, 2], returnIndices: true).forwardWithIndices($0)
            return (v, i)
        }
        let nan = Double.nan
        check("adaptive_max_pool1d_indices", Tensor(shape: [1, 10], scalars: [1.0, nan, 2, nan, 7, 7, 0, 3, 1, 4]).float()) {
            let (v, i) = AdaptiveMaxPool1d(4, returnIndices: true).forwardWithIndices($0)
            return (v, i)
        }
    }

    @Test func reprsMatchPyTorch() {
        let reprs = [MaxPool3d([2], stride: [1, 2, 1], padding: [1]).description, MaxPool3d([2, 1, 2], ceilMode: true).description,
                     AvgPool3d(3, stride: 2, ceilMode: true, countIncludePad: false, divisorOverride: 5).description,
                     AvgPool3d([2, 3, 1]).description]
        #expect(reprs == (NNMore.record["pool3d_repr"] as! [String]))
    }

    @Test func pooling3dGradcheckAndDoubleBackward() {
        let x = NNMore.pattern([1, 2, 3, 4, 3], 0.37, 1.9, dtype: .float64).requiresGrad_()
        #expect(gradcheck({ maxPool3d($0[0], [2, 2, 2], stride: [1, 2, 1], padding: [1, 0, 1]) }, inputs: [x]).passed)
        #expect(gradcheck({ avgPool3d($0[0], 2, stride: 1, padding: 1, countIncludePad: false) }, inputs: [x]).passed)
        #expect(gradcheck({ adaptiveMaxPool2d($0[0].flatten(0, 1), [2, 2]) }, inputs: [x]).passed)
        #expect(gradgradcheck({ avgPool3d($0[0], [2, 2, 1], ceilMode: true) }, inputs: [x]).passed)
        #expect(gradgradcheck({ maxPool3d($0[0], 2, padding: 1) }, inputs: [x]).passed)
    }
}
