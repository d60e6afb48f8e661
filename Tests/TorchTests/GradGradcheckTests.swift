import Testing
@testable import Torch

/// Second derivatives of every differentiable op, checked against finite differences of
/// the first derivative (float64), as `torch.autograd.gradgradcheck`.
@Suite struct GradGradcheckTests {
    func x(_ shape: [Int], seed: Int = 0, positive: Bool = false) -> Tensor {
        let t = Tensor.randn(shape, dtype: .float64, generator: Generator().manualSeed(seed))
        return (positive ? noGrad { t.abs() + 0.5 } : t).requiresGrad_()
    }

    func check(_ name: String, _ inputs: [Tensor], _ f: @escaping ([Tensor]) -> Tensor) {
        let result = gradgradcheck(f, inputs: inputs)
        #expect(result.passed, "\(name): \(result)")
    }

    @Test func catchesAFirstDerivativeThatIsNotDifferentiable() {
        // A hook that detaches the gradient makes the first derivative a constant in the
        // gradient: the check must notice.
        let result = gradgradcheck({ xs in
            let y = xs[0] * xs[0]
            y.registerHook { $0.detach() }
            return y
        }, inputs: [x([3])])
        #expect(!result.passed)
    }

    @Test func elementwise() {
        let unary: [(String, (Tensor) -> Tensor)] = [
            ("exp", exp), ("sin", sin), ("cos", cos), ("tanh", tanh), ("sigmoid", sigmoid), ("atan", atan),
            ("asinh", asinh), ("erf", erf), ("expm1", expm1), ("square", square), ("neg", { -$0 }),
            ("abs", abs), ("relu", relu), ("gelu", { gelu($0) }), ("gelu tanh", { gelu($0, approximate: "tanh") }),
            ("silu", silu), ("elu", { elu($0) }), ("softplus", { softplus($0) }), ("leaky relu", { leakyRelu($0, negativeSlope: 0.1) }),
            ("mish", mish), ("hardtanh", { hardtanh($0) }), ("logsigmoid", logsigmoid),
        ]
        for (name, f) in unary { check(name, [x([5])]) { f($0[0]) } }
        let positive: [(String, (Tensor) -> Tensor)] = [
            ("log", log), ("sqrt", sqrt), ("rsqrt", rsqrt), ("reciprocal", reciprocal), ("log2", log2), ("log1p", log1p),
        ]
        for (name, f) in positive { check(name, [x([5], positive: true)]) { f($0[0]) } }
        check("add", [x([2, 3]), x([3], seed: 1)]) { $0[0] + $0[1] * 2.0 }
        check("mul", [x([2, 3]), x([3], seed: 1)]) { $0[0] * $0[1] }
        check("div", [x([2, 3]), x([3], seed: 1, positive: true)]) { $0[0] / $0[1] }
        check("pow scalar", [x([4], positive: true)]) { $0[0].pow(2.5) }
        check("pow tensor", [x([4], positive: true), x([4], seed: 1)]) { pow($0[0], $0[1]) }
        check("atan2", [x([4]), x([4], seed: 1)]) { atan2($0[0], $0[1]) }
        check("maximum", [x([4]), x([4], seed: 1)]) { maximum($0[0], $0[1]) }
        check("clamp", [x([6])]) { clamp($0[0] * 3.0, min: -1.0, max: 1.0) * $0[0] }
    }

    @Test func reductions() {
        check("sum", [x([2, 3])]) { ($0[0] * $0[0]).sum(dim: 1) }
        check("mean", [x([2, 3])]) { ($0[0] * $0[0]).mean(dims: [0]) }
        check("prod", [x([4])]) { $0[0].prod() }
        check("prod dim", [x([3, 3])]) { $0[0].prod(dim: 1) }
        check("std", [x([2, 4])]) { $0[0].std(dim: 1) }
        check("var", [x([2, 4])]) { $0[0].var(dim: 1) }
        check("norm", [x([2, 3])]) { $0[0].norm(p: 2, dim: 1) }
        check("logsumexp", [x([2, 3])]) { $0[0].logsumexp(dim: 1) }
        check("amax", [x([2, 3])]) { $0[0].amax(dim: 1) * $0[0].amax(dim: 1) }
        check("max dim", [x([3, 2])]) { $0[0].max(dim: 0).values.pow(3) }
        check("cumsum", [x([4])]) { $0[0].cumsum(dim: 0).pow(2) }
        check("cumprod", [x([4])]) { $0[0].cumprod(dim: 0) }
        check("softmax", [x([2, 3])]) { $0[0].softmax(dim: 1) }
        check("log softmax", [x([2, 3])]) { $0[0].logSoftmax(dim: 1) }
    }

    @Test func linearAlgebra() {
        check("matmul", [x([2, 3]), x([3, 2], seed: 1)]) { matmul($0[0], $0[1]).pow(2) }
        check("bmm", [x([2, 2, 3]), x([2, 3, 2], seed: 1)]) { bmm($0[0], $0[1]).pow(2) }
        check("einsum", [x([2, 3]), x([3, 2], seed: 1), x([2, 2], seed: 2)]) {
            einsum("ij,jk,kl->il", [$0[0], $0[1], $0[2]]).pow(2)
        }
        check("einsum diagonal", [x([3, 3])]) { einsum("ii->i", [$0[0]]).pow(3) }
        let wellConditioned = noGrad { Tensor.eye(3, dtype: .float64) * 3.0 + Tensor.randn([3, 3], dtype: .float64, generator: Generator().manualSeed(3)) * 0.3 }
        check("inv", [wellConditioned.clone().requiresGrad_()]) { linalg.inv($0[0]) }
        check("det", [wellConditioned.clone().requiresGrad_()]) { linalg.det($0[0]) }
        check("solve", [wellConditioned.clone().requiresGrad_(), x([3, 2], seed: 4)]) { linalg.solve($0[0], $0[1]) }
    }

    @Test func networkOps() {
        check("linear", [x([2, 3]), x([2, 3], seed: 1), x([2], seed: 2)]) { linear($0[0], $0[1], $0[2]).pow(2) }
        check("conv2d", [x([1, 2, 4, 4]), x([2, 2, 3, 3], seed: 1), x([2], seed: 2)]) {
            conv2d($0[0], $0[1], $0[2], padding: 1).pow(2)
        }
        check("conv2d stride groups", [x([1, 4, 5, 5]), x([4, 2, 3, 3], seed: 1)]) {
            conv2d($0[0], $0[1], stride: 2, groups: 2).pow(2)
        }
        check("conv1d", [x([1, 2, 5]), x([3, 2, 3], seed: 1)]) { conv1d($0[0], $0[1], padding: 1).pow(2) }
        check("conv transpose", [x([1, 2, 3, 3]), x([2, 1, 3, 3], seed: 1)]) {
            convTranspose2d($0[0], $0[1], stride: [2], padding: [1], outputPadding: [1]).pow(2)
        }
        check("max pool", [x([1, 1, 4, 4])]) { maxPool2d($0[0] * $0[0], 2) }
        check("avg pool", [x([1, 1, 4, 4])]) { avgPool2d($0[0] * $0[0], 2) }
        check("adaptive avg pool", [x([1, 1, 5, 5])]) { adaptiveAvgPool2d($0[0] * $0[0], [2, 2]) }
        check("batch norm", [x([4, 3]), x([3], seed: 1), x([3], seed: 2)]) {
            batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true).pow(2)
        }
        check("layer norm", [x([2, 4]), x([4], seed: 1), x([4], seed: 2)]) {
            layerNorm($0[0], normalizedShape: [4], weight: $0[1], bias: $0[2]) * $0[0]
        }
        check("group norm", [x([2, 4, 2]), x([4], seed: 1), x([4], seed: 2)]) {
            groupNorm($0[0], numGroups: 2, weight: $0[1], bias: $0[2]).pow(2)
        }
        check("embedding", [x([4, 3])]) { embedding(Tensor([0, 2, 2, 3]), $0[0]).pow(2) }
        check("pad reflect", [x([1, 2, 4])]) { pad($0[0], [1, 1], mode: .reflect).pow(3) }
        check("interpolate bilinear", [x([1, 1, 2, 3])]) {
            interpolate($0[0], scaleFactor: [2, 2], mode: .bilinear, alignCorners: false).pow(2)
        }
        check("gather", [x([3, 4])]) { $0[0].gather(1, Tensor([[0, 1], [2, 3], [1, 1]])).pow(2) }
        check("index select", [x([3, 4])]) { $0[0].indexSelect(0, Tensor([2, 0])).pow(2) }
        check("cat and views", [x([2, 3]), x([2, 3], seed: 1)]) { cat([$0[0], $0[1]], dim: 1).t().reshape([-1]).pow(2) }
    }

    @Test func losses() {
        let target = Tensor([2, 0, 1])
        check("cross entropy", [x([3, 3])]) { crossEntropy($0[0], target, labelSmoothing: 0.1) }
        check("nll", [x([3, 3])]) { nllLoss($0[0].logSoftmax(dim: 1), target) }
        check("mse", [x([3, 2]), x([3, 2], seed: 1)]) { mseLoss($0[0] * $0[0], $0[1]) }
        check("bce with logits", [x([3, 2]), x([3, 2], seed: 1)]) { binaryCrossEntropyWithLogits($0[0], sigmoid($0[1])) }
        check("bce", [x([3, 2]), x([3, 2], seed: 1)]) { binaryCrossEntropy(sigmoid($0[0]), sigmoid($0[1])) }
        check("smooth l1", [x([3, 2]), x([3, 2], seed: 1)]) { smoothL1Loss($0[0], $0[1], beta: 0.5) * $0[0].sum() }
        check("kl div", [x([2, 3]), x([2, 3], seed: 1)]) {
            klDiv($0[0].logSoftmax(dim: 1), $0[1].softmax(dim: 1), reduction: .batchMean)
        }
        check("cosine similarity", [x([2, 3]), x([2, 3], seed: 1)]) { cosineSimilarity($0[0], $0[1]) }
        check("normalize", [x([2, 3])]) { normalize($0[0], p: 2, dim: 1) }
    }
}
