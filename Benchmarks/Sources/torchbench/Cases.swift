import Torch
import TorchVision

/// Every benchmark case; names match `torch_bench.py`. Later issues append theirs.
func allCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    cases += creationCases()
    cases += linearAlgebraCases()
    cases += elementwiseCases()
    cases += nnCases()
    cases += visionCases()
    cases += apiCases()
    return cases
}

/// Sorting, selection, sets and scatter (issue 16); names match torch_bench.py.
private func apiCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    let v = filled([1_000_000])
    cases.append(BenchmarkCase(name: "sort_1M") { _ = v.sort() })
    cases.append(BenchmarkCase(name: "topk_1M_k100") { _ = v.topk(100) })
    let ints = (Tensor.arange(0, 1_000_000) * 7919) % Tensor(50_000)
    cases.append(BenchmarkCase(name: "unique_1M_int64") { _ = unique(ints) })
    let rows = Tensor.zeros([100_000, 16])
    let index = ((Tensor.arange(0, 400_000) * 7919) % Tensor(100_000)).reshape([-1, 1]).expand([-1, 16]).contiguous()
    let src = filled([400_000, 16])
    cases.append(BenchmarkCase(name: "scatter_add_100k_rows") { _ = rows.scatterAdd(0, index, src) })
    return cases
}

/// Convolution, training steps and optimizer steps (issues 7 and 8); names match torch_bench.py.
private func nnCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    manualSeed(0)
    let cx = filled([32, 3, 32, 32]), cw = Tensor.randn(32, 3, 3, 3) * 0.1, cb = Tensor.zeros(32)
    cases.append(BenchmarkCase(name: "conv2d_fwd") { _ = conv2d(cx, cw, cb, padding: 1) })
    let gx = cx.clone().requiresGrad_(), gw = cw.clone().requiresGrad_(), gb = cb.clone().requiresGrad_()
    cases.append(BenchmarkCase(name: "conv2d_fwd_bwd") {
        conv2d(gx, gw, gb, padding: 1).sum().backward()
        gx.grad = nil; gw.grad = nil; gb.grad = nil
    })
    let mlp = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
    let mlpOpt = SGD(mlp.parameters(), lr: 0.01)
    let mx = filled([64, 784]), my = Tensor.arange(0, 64) % Tensor(10)
    cases.append(BenchmarkCase(name: "mlp_train_step") {
        mlpOpt.zeroGrad()
        crossEntropy(mlp(mx), my).backward()
        mlpOpt.step()
    })
    // The same MLP step in bfloat16 parameters and activations (twin: mlp_train_step).
    let bmlp = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
    bmlp.to(.bfloat16)
    let bmlpOpt = SGD(bmlp.parameters(), lr: 0.01)
    let bmx = mx.to(.bfloat16)
    cases.append(BenchmarkCase(name: "bf16_linear_train_step") {
        bmlpOpt.zeroGrad()
        crossEntropy(bmlp(bmx), my).backward()
        bmlpOpt.step()
    })
    final class CNN: Module {
        let conv1 = Conv2d(1, 16, kernelSize: 3, padding: 1)
        let conv2 = Conv2d(16, 32, kernelSize: 3, padding: 1)
        let fc = Linear(32 * 7 * 7, 10)
        override func forward(_ x: Tensor) -> Tensor {
            let h = maxPool2d(relu(conv1(x)), 2)
            return fc(maxPool2d(relu(conv2(h)), 2).flatten(startDim: 1))
        }
    }
    let cnn = CNN()
    let cnnOpt = SGD(cnn.parameters(), lr: 0.01)
    let ix = filled([64, 1, 28, 28])
    cases.append(BenchmarkCase(name: "cnn_train_step") {
        cnnOpt.zeroGrad()
        crossEntropy(cnn(ix), my).backward()
        cnnOpt.step()
    })
    let params = (0..<10).map { _ in Tensor.zeros([1_000_000], requiresGrad: true) }
    for p in params { p.grad = filled([1_000_000]) }
    let sgd = SGD(params, lr: 0.01, momentum: 0.9), adam = Adam(params, lr: 1e-3)
    cases.append(BenchmarkCase(name: "sgd_momentum_step_10M") { sgd.step() })
    cases.append(BenchmarkCase(name: "adam_step_10M") { adam.step() })
    return cases
}

private func elementwiseCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    for n in [1000, 100_000, 10_000_000] {
        let a = filled([n]), b = filled([n]).flip0()
        cases.append(BenchmarkCase(name: "add_\(n)") { _ = a + b })
        cases.append(BenchmarkCase(name: "mul_\(n)") { _ = a * b })
        cases.append(BenchmarkCase(name: "exp_\(n)") { _ = exp(a) })
        cases.append(BenchmarkCase(name: "sigmoid_\(n)") { _ = sigmoid(a) })
    }
    let big = filled([10_000_000])
    cases.append(BenchmarkCase(name: "sum_10000000") { _ = big.sum() })
    let one = Tensor([1.5]), two = Tensor([2.5])
    cases.append(BenchmarkCase(name: "add_1_element") { _ = one + two })
    let ga = Tensor([1.5], requiresGrad: true), gb = Tensor([2.5], requiresGrad: true)
    cases.append(BenchmarkCase(name: "add_1_element_requires_grad") { _ = ga + gb })
    let logits = filled([4096, 1024])
    cases.append(BenchmarkCase(name: "softmax_4096x1024") { _ = logits.softmax(dim: -1) })
    let x = filled([16]).requiresGrad_()
    cases.append(BenchmarkCase(name: "autograd_10_op_graph") {
        // Ten differentiable ops, then backward: the per-op cost of the tape.
        let y = exp(sin(x * 2.0 + 1.0) * x) - tanh(x) / (x * x + 1.0)
        let loss = sigmoid(y).sum()
        loss.backward()
        x.grad = nil
    })
    return cases
}

extension Tensor {
    /// A different deterministic tensor of the same shape (so `a + b` reads two buffers).
    fileprivate func flip0() -> Tensor { self * -0.5 }
}

/// A deterministic float tensor of `shape` (values in [-1, 1)).
func filled(_ shape: [Int], dtype: DType = .float32) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<n).map { Double(($0 * 7919) % 2000) / 1000 - 1 }).to(dtype)
}

private func linearAlgebraCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    for n in [64, 256, 1024, 2048] {
        let a = filled([n, n]), b = filled([n, n])
        cases.append(BenchmarkCase(name: "sgemm_\(n)") { _ = mm(a, b) })
    }
    let a64 = filled([1024, 1024], dtype: .float64), b64 = filled([1024, 1024], dtype: .float64)
    cases.append(BenchmarkCase(name: "dgemm_1024") { _ = mm(a64, b64) })
    // 16-bit products beside their float32 twin sgemm_1024 (issue 15).
    let a16 = filled([1024, 1024], dtype: .bfloat16), b16 = filled([1024, 1024], dtype: .bfloat16)
    cases.append(BenchmarkCase(name: "bf16_mm_1024") { _ = mm(a16, b16) })
    let h16 = filled([1024, 1024], dtype: .float16), g16 = filled([1024, 1024], dtype: .float16)
    cases.append(BenchmarkCase(name: "f16_mm_1024") { _ = mm(h16, g16) })
    let ba = filled([64, 128, 128]), bb = filled([64, 128, 128])
    cases.append(BenchmarkCase(name: "bmm_64x128x128x128") { _ = bmm(ba, bb) })
    let bc = filled([10, 5, 3, 32, 64]), bd = filled([64, 48])
    cases.append(BenchmarkCase(name: "matmul_broadcast_batch") { _ = matmul(bc, bd) })
    cases.append(BenchmarkCase(name: "einsum_bij_bjk_bik") { _ = einsum("bij,bjk->bik", ba, bb) })
    let ea = filled([8, 16, 12, 16, 16]), eb = filled([12, 16, 16]), ec = filled([16, 12, 16, 16])
    cases.append(BenchmarkCase(name: "einsum_3_operand") { _ = einsum("ikmno,mor,kmrs->inrs", ea, eb, ec) })
    let s64a = filled([64, 64]), s64b = filled([64, 64])
    cases.append(BenchmarkCase(name: "matmul_64x64") { _ = matmul(s64a, s64b) })
    return cases
}

private func creationCases() -> [BenchmarkCase] {
    [1000, 100_000, 10_000_000].map { n in
        BenchmarkCase(name: "zeros_\(n)") { _ = Tensor.zeros([n]) }
    }
}

/// torchvision's resnet18 inference at 224×224 in evaluation mode without autograd
/// (issue 17); names match torch_bench.py.
private func visionCases() -> [BenchmarkCase] {
    manualSeed(0)
    let net = resnet18()
    net.eval()
    var cases: [BenchmarkCase] = []
    for batch in [1, 16] {
        let x = filled([batch, 3, 224, 224])
        cases.append(BenchmarkCase(name: "resnet18_infer_b\(batch)") { noGrad { _ = net(x) } })
    }
    return cases
}
