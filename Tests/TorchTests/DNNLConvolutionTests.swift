import Testing
@testable import Torch

/// float32 convolutions run on oneDNN's primitives; the same convolution in float64 runs
/// on the im2col path. The two must agree (to float32 rounding) in the output and in every
/// gradient, over the geometries real models use: strides, padding, dilation, groups
/// (depthwise included), 1×1 kernels, bias or none, batch 1 and more, 1-D and unbatched.
@Suite struct DNNLConvolutionTests {
    struct Case: CustomStringConvertible {
        var input: [Int], weight: [Int], stride: [Int] = [1], padding: [Int] = [0], dilation: [Int] = [1]
        var groups = 1, bias = true
        var description: String { "input \(input) weight \(weight) stride \(stride) padding \(padding) dilation \(dilation) groups \(groups) bias \(bias)" }
    }

    static let cases: [Case] = [
        Case(input: [2, 3, 9, 9], weight: [4, 3, 3, 3], padding: [1]),
        Case(input: [1, 3, 17, 15], weight: [8, 3, 7, 7], stride: [2], padding: [3], bias: false),
        Case(input: [3, 8, 10, 10], weight: [8, 1, 3, 3], padding: [1], groups: 8),             // depthwise
        Case(input: [2, 6, 7, 9], weight: [4, 3, 3, 2], stride: [2, 1], padding: [1, 0], groups: 2),
        Case(input: [2, 4, 12, 12], weight: [5, 4, 3, 3], padding: [2], dilation: [2]),
        Case(input: [4, 16, 5, 5], weight: [32, 16, 1, 1], bias: false),                      // 1×1
        Case(input: [2, 4, 8, 8], weight: [6, 4, 1, 1], stride: [2]),                          // strided 1×1 shortcut
        Case(input: [1, 2, 6, 6], weight: [3, 2, 4, 4], stride: [3], padding: [1]),             // floor-division size
    ]

    func run(_ c: Case, dtype: DType) -> [Tensor] {
        let gen = Generator().manualSeed(7)
        let x = Tensor.randn(c.input, dtype: .float64, generator: gen).to(dtype).requiresGrad_()
        let w = Tensor.randn(c.weight, dtype: .float64, generator: gen).to(dtype).requiresGrad_()
        let b = c.bias ? Tensor.randn([c.weight[0]], dtype: .float64, generator: gen).to(dtype).requiresGrad_() : nil
        let y = conv2d(x, w, b, stride: c.stride, padding: .explicit(c.padding), dilation: c.dilation, groups: c.groups)
        let gy = Tensor.randn(y.shape, dtype: .float64, generator: gen).to(dtype)
        y.backward(gradient: gy)
        return [y, x.grad!, w.grad!] + (b.map { [$0.grad!] } ?? [])
    }

    @Test(arguments: cases) func matchesTheIm2colPathInFloat64(_ c: Case) {
        let got = run(c, dtype: .float32), want = run(c, dtype: .float64)
        for (name, (g, e)) in zip(["output", "input grad", "weight grad", "bias grad"], zip(got, want)) {
            #expect(g.shape == e.shape, "\(c): \(name)")
            let error = noGrad { (g.to(.float64) - e).abs().max().item(as: Double.self) }
            let scale = noGrad { e.abs().max().item(as: Double.self) }
            #expect(error <= 1e-5 * Swift.max(scale, 1), "\(c): \(name) differs by \(error)")
        }
    }

    @Test func oneDimensionalAndUnbatchedInputsGoThroughToo() {
        let gen = Generator().manualSeed(3)
        let x = Tensor.randn([5, 13], generator: gen), w = Tensor.randn([2, 5, 3], generator: gen)
        let y = conv1d(x, w, stride: 2, padding: 1)
        let want = conv1d(x.to(.float64), w.to(.float64), stride: 2, padding: 1)
        #expect(y.shape == [2, 7])
        #expect(noGrad { (y.to(.float64) - want).abs().max().item(as: Double.self) } < 1e-5)
    }

    /// Eight tasks running the same geometries at once (each checks out its own primitives
    /// and scratch) give what one task gives alone.
    @Test func concurrentCallsGiveTheSequentialResults() async {
        let gen = Generator().manualSeed(5)
        let x = Tensor.randn([2, 8, 12, 12], generator: gen), w = Tensor.randn([8, 8, 3, 3], generator: gen)
        let b = Tensor.randn([8], generator: gen)
        let want = conv2d(x, w, b, padding: 1).toArray(Float.self)
        let shared = SharedInputs(x: x, w: w, b: b)
        let results = await concurrentResults(8) {
            var last: [Float] = []
            for _ in 0..<20 { last = conv2d(shared.x, shared.w, shared.b, padding: 1).toArray(Float.self) }
            return last
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == want })
    }

    /// Read-only inputs handed to several tasks.
    struct SharedInputs: Sendable { let x: Tensor, w: Tensor, b: Tensor }
}
