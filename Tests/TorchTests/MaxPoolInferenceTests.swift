import Testing
@testable import Torch

/// Max pooling without gradient runs a values-only kernel; it must give exactly what the
/// kernel that also records indices gives (the one autograd uses), NaN included.
@Suite struct MaxPoolInferenceTests {
    struct Case: CustomStringConvertible {
        var shape: [Int], kernel: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1], ceil = false
        var description: String { "\(shape) k\(kernel) s\(stride ?? kernel) p\(padding) d\(dilation) ceil \(ceil)" }
    }

    static let cases: [Case] = [
        Case(shape: [2, 3, 112, 112], kernel: [3], stride: [2], padding: [1]),       // ResNet's stem
        Case(shape: [1, 2, 9, 7], kernel: [2]),
        Case(shape: [1, 2, 9, 7], kernel: [3, 2], stride: [2, 1], padding: [1, 1], ceil: true),
        Case(shape: [2, 10, 11], kernel: [3], stride: [1], padding: [1], dilation: [2]),
        Case(shape: [1, 1, 13, 13], kernel: [5], stride: [3], padding: [2], ceil: true),
        Case(shape: [1, 4, 6, 6], kernel: [2], stride: [2], dilation: [2]),
    ]

    @Test(arguments: cases) func valuesEqualTheIndexedKernel(_ c: Case) {
        for dtype in [DType.float32, .float64] {
            let x = Tensor.randn(c.shape, dtype: dtype, generator: Generator().manualSeed(11))
            // A few NaNs, which must win their windows.
            x.view([-1])[[3, 40, 41]] = Tensor(Double.nan).to(dtype)
            let values = maxPool2d(x, c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceil)
            let indexed = maxPool2dWithIndices(x, c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation,
                                               ceilMode: c.ceil).values
            #expect(values.shape == indexed.shape, "\(c)")
            let a = values.to(.float64).flatten().toArray(Double.self), b = indexed.to(.float64).flatten().toArray(Double.self)
            #expect(zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(c) \(dtype)")
            #expect(a.contains { $0.isNaN }, "\(c): the NaNs must reach the output")
        }
    }
}
