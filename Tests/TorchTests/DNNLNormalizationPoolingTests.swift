import Testing
@testable import Torch

/// float32 2-D pooling runs on oneDNN's primitives; the same calls in float64 run on the
/// kernels of `PoolingKernels.swift`. The two must agree — outputs, gradients, max-pool
/// indices exactly — over odd sizes, strides, padding, ceil mode, both average divisors,
/// batch 1 and channel 1. oneDNN's batch norm (not routed from `batchNorm`) is checked against
/// `BatchNormKernels.swift` directly, and `batchNorm` in float32 against float64 as before.
@Suite struct DNNLNormalizationPoolingTests {
    /// The largest difference between `got` (float32) and `want` (float64), relative to
    /// `want`'s magnitude (at least 1).
    static func relativeError(_ got: Tensor, _ want: Tensor) -> Double {
        noGrad {
            let error = (got.to(.float64) - want).abs().max().item(as: Double.self)
            return error / Swift.max(want.abs().max().item(as: Double.self), 1)
        }
    }

    // MARK: Batch normalisation

    struct NormCase: CustomStringConvertible, Sendable {
        var shape: [Int], weight = true, bias = true
        var description: String { "\(shape) weight \(weight) bias \(bias)" }
    }

    static let normCases: [NormCase] = [
        NormCase(shape: [2, 3, 5, 7]),
        NormCase(shape: [1, 4, 3, 3]),                      // batch 1
        NormCase(shape: [4, 1, 6, 5]),                      // channel 1
        NormCase(shape: [3, 6, 9, 11], weight: false, bias: false),
        NormCase(shape: [2, 5, 4, 4], weight: true, bias: false),
        NormCase(shape: [2, 5, 4, 4], weight: false, bias: true),
        NormCase(shape: [7, 5]),                            // BatchNorm1d on (N, C)
        NormCase(shape: [3, 4, 13]),                        // BatchNorm1d on (N, C, L)
    ]

    /// Output, gradients (input, weight, bias) and running statistics of one training step
    /// in `dtype`, from float64 data rounded to `dtype`.
    static func trainingStep(_ c: NormCase, dtype: DType) -> [(String, Tensor)] {
        let gen = Generator().manualSeed(21)
        let x = (Tensor.randn(c.shape, dtype: .float64, generator: gen) * 3 + 1).to(dtype).requiresGrad_()
        let channels = c.shape[1]
        let w = c.weight ? Tensor.randn([channels], dtype: .float64, generator: gen).to(dtype).requiresGrad_() : nil
        let b = c.bias ? Tensor.randn([channels], dtype: .float64, generator: gen).to(dtype).requiresGrad_() : nil
        let runningMean = Tensor.randn([channels], dtype: .float64, generator: gen).to(dtype)
        let runningVar = (Tensor.rand([channels], dtype: .float64, generator: gen) + 0.5).to(dtype)
        let y = batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: w, bias: b, training: true,
                          momentum: 0.3, eps: 1e-5)
        let gy = Tensor.randn(y.shape, dtype: .float64, generator: gen).to(dtype)
        y.backward(gradient: gy)
        var results = [("output", y.detach()), ("input grad", x.grad!), ("running mean", runningMean),
                       ("running var", runningVar)]
        if let w { results.append(("weight grad", w.grad!)) }
        if let b { results.append(("bias grad", b.grad!)) }
        return results
    }

    @Test(arguments: normCases) func batchNormTrainingMatchesTheKernelsInFloat64(_ c: NormCase) {
        let got = Self.trainingStep(c, dtype: .float32), want = Self.trainingStep(c, dtype: .float64)
        for ((name, g), (_, e)) in zip(got, want) {
            #expect(g.shape == e.shape, "\(c): \(name)")
            let error = Self.relativeError(g, e)
            #expect(error <= 1e-5, "\(c): \(name) differs by \(error)")
        }
    }

    @Test(arguments: normCases) func batchNormInferenceMatchesTheKernelsInFloat64(_ c: NormCase) {
        func run(_ dtype: DType) -> Tensor {
            let gen = Generator().manualSeed(4)
            let x = Tensor.randn(c.shape, dtype: .float64, generator: gen).to(dtype)
            let channels = c.shape[1]
            let w = c.weight ? Tensor.randn([channels], dtype: .float64, generator: gen).to(dtype) : nil
            let b = c.bias ? Tensor.randn([channels], dtype: .float64, generator: gen).to(dtype) : nil
            let mean = Tensor.randn([channels], dtype: .float64, generator: gen).to(dtype)
            let variance = (Tensor.rand([channels], dtype: .float64, generator: gen) + 0.5).to(dtype)
            return batchNorm(x, runningMean: mean, runningVar: variance, weight: w, bias: b, training: false)
        }
        let error = Self.relativeError(run(.float32), run(.float64))
        #expect(error <= 1e-5, "\(c): output differs by \(error)")
    }

    /// oneDNN's batch-norm primitives (not routed from `batchNorm`, see
    /// `Kernels/DNNLBatchNorm.swift`) take every case above and agree with the kernels:
    /// training forward, backward from the kernel's statistics, and inference.
    @Test(arguments: normCases) func oneDNNBatchNormMatchesTheKernels(_ c: NormCase) {
        let gen = Generator().manualSeed(6)
        let x = Tensor.randn(c.shape, generator: gen) * 2 + 1, gy = Tensor.randn(c.shape, generator: gen)
        let channels = c.shape[1]
        let w = c.weight ? Tensor.randn([channels], generator: gen) : nil, b = c.bias ? Tensor.randn([channels], generator: gen) : nil
        let got = Tensor(uninitializedShape: c.shape, dtype: .float32, zeroed: false)
        let want = Tensor(uninitializedShape: c.shape, dtype: .float32, zeroed: false)
        let stats = dnnlBatchNormTrainingForward(x, into: got, weight: w, bias: b, eps: 1e-5)
        let kernelStats = batchNormTrainingForward(x, into: want, weight: w, bias: b, eps: 1e-5)
        #expect(stats != nil, "\(c)")
        #expect(Self.relativeError(got, want.to(.float64)) <= 1e-5, "\(c): forward")
        if let stats {
            for (g, e) in zip(stats.mean + stats.variance, kernelStats.mean + kernelStats.variance) {
                #expect(abs(g - e) <= 1e-5 * Swift.max(abs(e), 1), "\(c): statistics")
            }
        }
        let back = dnnlBatchNormBackward(gy, x, mean: kernelStats.mean, variance: kernelStats.variance, weight: w,
                                         hasBias: b != nil, eps: 1e-5)
        let weightValues = w.map { $0.toArray(Float.self).map { Double($0) } }
        let kernelBack = batchNormBackward(gy, x, mean: kernelStats.mean, invstd: kernelStats.invstd, weight: weightValues,
                                           inputGradient: true)
        #expect(back != nil, "\(c)")
        if let back {
            #expect(Self.relativeError(back.gx, kernelBack.gx!.to(.float64)) <= 1e-5, "\(c): input grad")
            let scale = Swift.max(kernelBack.weightGradient.map(abs).max() ?? 1, kernelBack.biasGradient.map(abs).max() ?? 1, 1)
            if w != nil {
                #expect(zip(back.weightGradient, kernelBack.weightGradient).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "\(c)")
            }
            if b != nil {
                #expect(zip(back.biasGradient, kernelBack.biasGradient).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "\(c)")
            }
        }
        let mean = Tensor.randn([channels], generator: gen), variance = Tensor.rand([channels], generator: gen) + 0.5
        #expect(dnnlBatchNormInference(x, into: got, mean: mean, variance: variance, weight: w, bias: b, eps: 1e-5), "\(c)")
        batchNormInference(x, into: want, mean: mean, variance: variance, weight: w, bias: b, eps: 1e-5)
        #expect(Self.relativeError(got, want.to(.float64)) <= 1e-5, "\(c): inference")
    }

    /// A second derivative through a float32 batch norm (recorded formula, not oneDNN) still
    /// matches float64.
    @Test func batchNormDoubleBackwardMatchesFloat64() {
        func run(_ dtype: DType) -> Tensor {
            let gen = Generator().manualSeed(8)
            let x = Tensor.randn([3, 2, 4, 5], dtype: .float64, generator: gen).to(dtype).requiresGrad_()
            let w = Tensor.randn([2], dtype: .float64, generator: gen).to(dtype).requiresGrad_()
            let y = batchNorm(x, runningMean: nil, runningVar: nil, weight: w, bias: nil, training: true)
            let gx = gradients(of: [(y * y * y).sum()], wrt: [x], createGraph: true)[0]!
            return gradients(of: [(gx * gx).sum()], wrt: [x])[0]!
        }
        let error = Self.relativeError(run(.float32), run(.float64))
        #expect(error <= 1e-4, "second derivative differs by \(error)")
    }

    // MARK: Pooling

    struct PoolCase: CustomStringConvertible, Sendable {
        var shape: [Int], kernel: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1], ceil = false
        var description: String { "\(shape) k\(kernel) s\(stride ?? kernel) p\(padding) d\(dilation) ceil \(ceil)" }
    }

    static let poolCases: [PoolCase] = [
        PoolCase(shape: [2, 3, 9, 9], kernel: [3], stride: [2], padding: [1]),
        PoolCase(shape: [1, 1, 7, 5], kernel: [2]),
        PoolCase(shape: [2, 4, 10, 11], kernel: [3], stride: [2], padding: [1], ceil: true),
        PoolCase(shape: [1, 2, 9, 7], kernel: [3, 2], stride: [2, 1], padding: [1, 1], ceil: true),
        PoolCase(shape: [3, 5, 13, 13], kernel: [5], stride: [3], padding: [2], ceil: true),
        PoolCase(shape: [2, 16, 8, 8], kernel: [2], stride: [2]),
        PoolCase(shape: [4, 6, 6], kernel: [3], stride: [1], padding: [1]),                // unbatched
        PoolCase(shape: [1, 3, 12, 10], kernel: [3], stride: [2], padding: [1], dilation: [2]),
    ]

    /// Max pooling values, indices and input gradient in `dtype` for float32 data (exact in
/// float64, so both dtypes pool the same numbers); `relu` makes ties (zeros).
    static func maxPool(_ c: PoolCase, dtype: DType, relu: Bool) -> (Tensor, Tensor, Tensor) {
        let gen = Generator().manualSeed(13)
        // float32 data, exact in float64 too: the two runs see the same numbers.
        var base = Tensor.randn(c.shape, generator: gen)
        if relu { base = Torch.relu(base) }
        let x = base.to(dtype).requiresGrad_()
        let (y, indices) = maxPool2dWithIndices(x, c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation,
                                                ceilMode: c.ceil)
        y.backward(gradient: Tensor.randn(y.shape, generator: gen).to(dtype))
        return (y.detach(), indices, x.grad!)
    }

    @Test(arguments: poolCases) func maxPoolEqualsTheKernelsExactly(_ c: PoolCase) {
        for relu in [false, true] {
            let (y, i, gx) = Self.maxPool(c, dtype: .float32, relu: relu)
            let (ey, ei, egx) = Self.maxPool(c, dtype: .float64, relu: relu)
            #expect(y.to(.float64).toArray(Double.self) == ey.toArray(Double.self), "\(c) relu \(relu): values")
            #expect(i.toArray(Int64.self) == ei.toArray(Int64.self), "\(c) relu \(relu): indices")
            // Same routing (the indices are equal); where windows overlap, two gradients meet
            // in one sum, rounded in float32 on one side only.
            let error = Self.relativeError(gx, egx)
            #expect(error <= 1e-6, "\(c) relu \(relu): input grad differs by \(error)")
            // Without gradient: the values-only path.
            let x = Tensor.randn(c.shape, generator: Generator().manualSeed(13))
            let values = maxPool2d(x, c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceil)
            let want = maxPool2d(x.to(.float64), c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation,
                                 ceilMode: c.ceil)
            #expect(values.to(.float64).toArray(Double.self) == want.toArray(Double.self), "\(c): inference values")
        }
    }

    /// The oneDNN kernel takes the max-pool cases, with and without indices.
    @Test(arguments: poolCases) func oneDNNTakesTheMaxPoolCases(_ c: PoolCase) {
        let x = Tensor.randn(c.shape)
        let want = maxPool2dWithIndices(x, c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceil)
        let x4 = x.dim == 4 ? x : x.unsqueeze(0)
        let k = pair(c.kernel, ""), s = pair(c.stride ?? c.kernel, ""), p = pair(c.padding, ""), d = pair(c.dilation, "")
        let (h, w) = (x4.shape[2], x4.shape[3])
        let g = PoolingGeometry(planes: x4.shape[0] * x4.shape[1], height: h, width: w, kernelH: k[0], kernelW: k[1],
                                strideH: s[0], strideW: s[1], padH: p[0], padW: p[1], dilationH: d[0], dilationW: d[1],
                                outH: want.values.shape[want.values.dim - 2], outW: want.values.shape[want.values.dim - 1])
        let out = Tensor(uninitializedShape: want.values.shape, dtype: .float32, zeroed: false)
        let indices = Tensor(uninitializedShape: want.values.shape, dtype: .int64, zeroed: false)
        #expect(dnnlMaxPool(x4, g, batch: x4.shape[0], channels: x4.shape[1], into: out, indices: indices))
        #expect(indices.toArray(Int64.self) == want.indices.toArray(Int64.self))
        #expect(dnnlMaxPool(x4, g, batch: x4.shape[0], channels: x4.shape[1], into: out, indices: nil))
        #expect(out.toArray(Float.self) == want.values.toArray(Float.self))
    }

    @Test func maxPoolWithNaNOrInfinityFallsBackAndKeepsPyTorchsAnswer() {
        for special in [Double.nan, -Double.infinity] {
            let x = Tensor.randn([1, 2, 6, 6], generator: Generator().manualSeed(2))
            x.view([-1])[[0, 1, 7, 30]] = Tensor(special).to(.float32)
            let (y, i) = maxPool2dWithIndices(x, [2])
            let (ey, ei) = maxPool2dWithIndices(x.to(.float64), [2])
            let a = y.to(.float64).toArray(Double.self), b = ey.toArray(Double.self)
            #expect(zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(special)")
            #expect(i.toArray(Int64.self) == ei.toArray(Int64.self), "\(special)")
        }
    }

    /// Average pooling output and input gradient in `dtype`.
    static func avgPool(_ c: PoolCase, includePad: Bool, divisor: Int?, dtype: DType) -> (Tensor, Tensor) {
        let gen = Generator().manualSeed(17)
        let x = Tensor.randn(c.shape, dtype: .float64, generator: gen).to(dtype).requiresGrad_()
        let y = avgPool2d(x, c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceil, countIncludePad: includePad,
                          divisorOverride: divisor)
        y.backward(gradient: Tensor.randn(y.shape, dtype: .float64, generator: gen).to(dtype))
        return (y.detach(), x.grad!)
    }

    @Test(arguments: poolCases.filter { $0.dilation == [1] }) func avgPoolMatchesTheKernelsInFloat64(_ c: PoolCase) {
        for (includePad, divisor) in [(true, nil), (false, nil), (true, 3)] as [(Bool, Int?)] {
            let (y, gx) = Self.avgPool(c, includePad: includePad, divisor: divisor, dtype: .float32)
            let (ey, egx) = Self.avgPool(c, includePad: includePad, divisor: divisor, dtype: .float64)
            #expect(y.shape == ey.shape && gx.shape == egx.shape, "\(c)")
            for (name, error) in [("output", Self.relativeError(y, ey)), ("input grad", Self.relativeError(gx, egx))] {
                #expect(error <= 1e-5, "\(c) include pad \(includePad) divisor \(String(describing: divisor)): \(name) differs by \(error)")
            }
        }
    }

    /// oneDNN takes the average cases whose divisors agree with PyTorch's, and declines the
    /// ceil-mode window running past the padding when padding counts.
    @Test func oneDNNTakesTheAverageCasesItDividesAlike() {
        func runs(_ shape: [Int], k: Int, s: Int, p: Int, ceil: Bool, includePad: Bool) -> Bool {
            let x = Tensor.randn(shape)
            let outH = pooledSize(shape[2], kernel: k, stride: s, padding: p, dilation: 1, ceilMode: ceil)
            let outW = pooledSize(shape[3], kernel: k, stride: s, padding: p, dilation: 1, ceilMode: ceil)
            let g = PoolingGeometry(planes: shape[0] * shape[1], height: shape[2], width: shape[3], kernelH: k, kernelW: k,
                                    strideH: s, strideW: s, padH: p, padW: p, outH: outH, outW: outW)
            let out = Tensor(uninitializedShape: [shape[0], shape[1], outH, outW], dtype: .float32, zeroed: false)
            return dnnlAvgPool(x, g, batch: shape[0], channels: shape[1], into: out, countIncludePad: includePad,
                               divisorOverride: nil, backward: false)
        }
        #expect(runs([2, 3, 9, 9], k: 3, s: 2, p: 1, ceil: false, includePad: true))
        #expect(runs([2, 3, 9, 9], k: 3, s: 2, p: 1, ceil: false, includePad: false))
        #expect(runs([2, 4, 10, 11], k: 3, s: 2, p: 1, ceil: true, includePad: false))
        // 10 + 1 padding: ceil mode's last window (start 9) runs one past the padding.
        #expect(!runs([2, 4, 10, 10], k: 3, s: 2, p: 0, ceil: true, includePad: true))
    }

    // MARK: Concurrency

    /// Read-only inputs handed to several tasks.
    struct SharedInputs: Sendable { let x: Tensor, w: Tensor, b: Tensor }

    /// One forward and backward through batch norm, max pooling and average pooling.
    static func pipeline(_ inputs: SharedInputs) -> [Float] {
        let x = inputs.x.detach().requiresGrad_(), w = inputs.w.detach().requiresGrad_()
        let runningMean = Tensor.zeros([8]), runningVar = Tensor.ones([8])
        let y = batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: w, bias: inputs.b, training: true)
        let pooled = maxPool2d(y, 3, stride: 2, padding: 1) + avgPool2d(y, 3, stride: 2, padding: 1, countIncludePad: false)
        (pooled * pooled).sum().backward()
        let inference = maxPool2d(inputs.x, 2) + avgPool2d(inputs.x, 2)
        return [pooled, x.grad!, w.grad!, runningMean, runningVar, inference].flatMap { $0.detach().flatten().toArray(Float.self) }
    }

    /// Eight tasks running the same geometries at once (each checks out its own primitives
    /// and scratch) give what one task gives alone.
    @Test func concurrentCallsGiveTheSequentialResults() async {
        let gen = Generator().manualSeed(5)
        let shared = SharedInputs(x: Tensor.randn([2, 8, 11, 12], generator: gen), w: Tensor.randn([8], generator: gen),
                                  b: Tensor.randn([8], generator: gen))
        let want = Self.pipeline(shared)
        let results = await concurrentResults(8) {
            var last: [Float] = []
            for _ in 0..<10 { last = Self.pipeline(shared) }
            return last
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == want })
    }
}
