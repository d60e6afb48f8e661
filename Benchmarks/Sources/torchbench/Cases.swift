import Foundation
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
    cases += resamplingCases()
    cases += exampleCases()
    return cases
}

/// Sorting, selection, sets and scatter (issue 16); names match torch_bench.py.
private func apiCases() -> [BenchmarkCase] {
    [
        BenchmarkCase("sort_1M") { let v = filled([1_000_000]); return { _ = v.sort() } },
        BenchmarkCase("topk_1M_k100") { let v = filled([1_000_000]); return { _ = v.topk(100) } },
        BenchmarkCase("unique_1M_int64") {
            let ints = (Tensor.arange(0, 1_000_000) * 7919) % Tensor(50_000)
            return { _ = unique(ints) }
        },
        BenchmarkCase("scatter_add_100k_rows") {
            let rows = Tensor.zeros([100_000, 16])
            let index = ((Tensor.arange(0, 400_000) * 7919) % Tensor(100_000)).reshape([-1, 1]).expand([-1, 16]).contiguous()
            let src = filled([400_000, 16])
            return { _ = rows.scatterAdd(0, index, src) }
        },
    ]
}

/// The main job's small CNN (conv 16 → pool → conv 32 → pool → linear).
private final class CNN: Module {
    let conv1 = Conv2d(1, 16, kernelSize: 3, padding: 1)
    let conv2 = Conv2d(16, 32, kernelSize: 3, padding: 1)
    let fc = Linear(32 * 7 * 7, 10)
    override func forward(_ x: Tensor) -> Tensor {
        let h = maxPool2d(relu(conv1(x)), 2)
        return fc(maxPool2d(relu(conv2(h)), 2).flatten(startDim: 1))
    }
}

/// Convolution, training steps and optimizer steps (issues 7 and 8); names match torch_bench.py.
private func nnCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    // The convolution cases draw their weights after manualSeed(0), as torch_bench.py does.
    func convInputs() -> (Tensor, Tensor, Tensor) {
        manualSeed(0)
        return (filled([32, 3, 32, 32]), Tensor.randn(32, 3, 3, 3) * 0.1, Tensor.zeros(32))
    }
    cases.append(BenchmarkCase("conv2d_fwd") {
        let (cx, cw, cb) = convInputs()
        return { _ = conv2d(cx, cw, cb, padding: 1) }
    })
    cases.append(BenchmarkCase("conv2d_fwd_bwd") {
        let (cx, cw, cb) = convInputs()
        let gx = cx.requiresGrad_(), gw = cw.requiresGrad_(), gb = cb.requiresGrad_()
        return {
            conv2d(gx, gw, gb, padding: 1).sum().backward()
            gx.grad = nil; gw.grad = nil; gb.grad = nil
        }
    })
    let labels = { Tensor.arange(0, 64) % Tensor(10) }
    cases.append(BenchmarkCase("mlp_train_step") {
        manualSeed(0)
        let mlp = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
        let opt = SGD(mlp.parameters(), lr: 0.01)
        let mx = filled([64, 784]), my = labels()
        return {
            opt.zeroGrad()
            crossEntropy(mlp(mx), my).backward()
            opt.step()
        }
    })
    // The same MLP step in bfloat16 parameters and activations (twin: mlp_train_step).
    cases.append(BenchmarkCase("bf16_linear_train_step") {
        manualSeed(0)
        let bmlp = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
        bmlp.to(.bfloat16)
        let opt = SGD(bmlp.parameters(), lr: 0.01)
        let bmx = filled([64, 784]).to(.bfloat16), my = labels()
        return {
            opt.zeroGrad()
            crossEntropy(bmlp(bmx), my).backward()
            opt.step()
        }
    })
    cases.append(BenchmarkCase("cnn_train_step") {
        manualSeed(0)
        let cnn = CNN()
        let opt = SGD(cnn.parameters(), lr: 0.01)
        let ix = filled([64, 1, 28, 28]), my = labels()
        return {
            opt.zeroGrad()
            crossEntropy(cnn(ix), my).backward()
            opt.step()
        }
    })
    func optimizerParams() -> [Tensor] {
        let params = (0..<10).map { _ in Tensor.zeros([1_000_000], requiresGrad: true) }
        let grad = filled([1_000_000])
        for p in params { p.grad = grad.clone() }
        return params
    }
    cases.append(BenchmarkCase("sgd_momentum_step_10M") {
        let sgd = SGD(optimizerParams(), lr: 0.01, momentum: 0.9)
        return { sgd.step() }
    })
    cases.append(BenchmarkCase("adam_step_10M") {
        let adam = Adam(optimizerParams(), lr: 1e-3)
        return { adam.step() }
    })
    return cases
}

private func elementwiseCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    for n in [1000, 100_000, 10_000_000] {
        func pair() -> (Tensor, Tensor) { let a = filled([n]); return (a, a.flip0()) }
        cases.append(BenchmarkCase("add_\(n)") { let (a, b) = pair(); return { _ = a + b } })
        cases.append(BenchmarkCase("mul_\(n)") { let (a, b) = pair(); return { _ = a * b } })
        cases.append(BenchmarkCase("exp_\(n)") { let a = filled([n]); return { _ = exp(a) } })
        cases.append(BenchmarkCase("sigmoid_\(n)") { let a = filled([n]); return { _ = sigmoid(a) } })
    }
    cases.append(BenchmarkCase("sum_10000000") { let big = filled([10_000_000]); return { _ = big.sum() } })
    cases.append(BenchmarkCase("add_1_element") {
        let one = Tensor([1.5]), two = Tensor([2.5])
        return { _ = one + two }
    })
    cases.append(BenchmarkCase("add_1_element_requires_grad") {
        let ga = Tensor([1.5], requiresGrad: true), gb = Tensor([2.5], requiresGrad: true)
        return { _ = ga + gb }
    })
    cases.append(BenchmarkCase("softmax_4096x1024") {
        let logits = filled([4096, 1024])
        return { _ = logits.softmax(dim: -1) }
    })
    cases.append(BenchmarkCase("autograd_10_op_graph") {
        let x = filled([16]).requiresGrad_()
        return {
            // Ten differentiable ops, then backward: the per-op cost of the tape.
            let y = exp(sin(x * 2.0 + 1.0) * x) - tanh(x) / (x * x + 1.0)
            let loss = sigmoid(y).sum()
            loss.backward()
            x.grad = nil
        }
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
        cases.append(BenchmarkCase("sgemm_\(n)") {
            let a = filled([n, n]), b = filled([n, n])
            return { _ = mm(a, b) }
        })
    }
    cases.append(BenchmarkCase("dgemm_1024") {
        let a = filled([1024, 1024], dtype: .float64), b = filled([1024, 1024], dtype: .float64)
        return { _ = mm(a, b) }
    })
    // 16-bit products beside their float32 twin sgemm_1024 (issue 15).
    cases.append(BenchmarkCase("bf16_mm_1024") {
        let a = filled([1024, 1024], dtype: .bfloat16), b = filled([1024, 1024], dtype: .bfloat16)
        return { _ = mm(a, b) }
    })
    cases.append(BenchmarkCase("f16_mm_1024") {
        let a = filled([1024, 1024], dtype: .float16), b = filled([1024, 1024], dtype: .float16)
        return { _ = mm(a, b) }
    })
    cases.append(BenchmarkCase("bmm_64x128x128x128") {
        let ba = filled([64, 128, 128]), bb = filled([64, 128, 128])
        return { _ = bmm(ba, bb) }
    })
    cases.append(BenchmarkCase("matmul_broadcast_batch") {
        let bc = filled([10, 5, 3, 32, 64]), bd = filled([64, 48])
        return { _ = matmul(bc, bd) }
    })
    cases.append(BenchmarkCase("einsum_bij_bjk_bik") {
        let ba = filled([64, 128, 128]), bb = filled([64, 128, 128])
        return { _ = einsum("bij,bjk->bik", ba, bb) }
    })
    cases.append(BenchmarkCase("einsum_3_operand") {
        let ea = filled([8, 16, 12, 16, 16]), eb = filled([12, 16, 16]), ec = filled([16, 12, 16, 16])
        return { _ = einsum("ikmno,mor,kmrs->inrs", ea, eb, ec) }
    })
    cases.append(BenchmarkCase("matmul_64x64") {
        let a = filled([64, 64]), b = filled([64, 64])
        return { _ = matmul(a, b) }
    })
    return cases
}

private func creationCases() -> [BenchmarkCase] {
    [1000, 100_000, 10_000_000].map { n in
        BenchmarkCase("zeros_\(n)") { { _ = Tensor.zeros([n]) } }
    }
}

/// torchvision's resnet18 inference at 224×224 in evaluation mode without autograd
/// (issue 17), and a CIFAR-sized training step (issue 18); names match torch_bench.py.
private func visionCases() -> [BenchmarkCase] {
    var cases = [1, 16].map { batch in
        BenchmarkCase("resnet18_infer_b\(batch)") {
            manualSeed(0)
            let net = resnet18()
            net.eval()
            let x = filled([batch, 3, 224, 224])
            return { noGrad { _ = net(x) } }
        }
    }
    // resnet18 with 10 classes on a batch of 32 CIFAR-sized images, the usual CIFAR recipe's
    // SGD (lr 0.1, momentum 0.9, weight decay 5e-4), in training mode.
    cases.append(BenchmarkCase("resnet18_cifar_train_step") {
        manualSeed(0)
        let net = resnet18(numClasses: 10)
        let opt = SGD(net.parameters(), lr: 0.1, momentum: 0.9, weightDecay: 5e-4)
        let x = filled([32, 3, 32, 32]), y = Tensor.arange(0, 32) % Tensor(10)
        return {
            opt.zeroGrad()
            crossEntropy(net(x), y).backward()
            opt.step()
        }
    })
    return cases
}

/// Padding and interpolation, forward and backward (issue 18); names match torch_bench.py.
private func resamplingCases() -> [BenchmarkCase] {
    func forwardBackward(_ name: String, _ shape: [Int], _ op: @escaping (Tensor) -> Tensor) -> BenchmarkCase {
        BenchmarkCase(name) {
            let x = filled(shape).requiresGrad_()
            return {
                op(x).sum().backward()
                x.grad = nil
            }
        }
    }
    return [
        forwardBackward("pad_reflect_fwd_bwd", [2, 32, 32, 32]) { pad($0, [4, 4, 4, 4], mode: .reflect) },
        forwardBackward("interpolate_nearest_fwd_bwd", [2, 128, 8, 8]) { interpolate($0, scaleFactor: [2], mode: .nearest) },
        forwardBackward("interpolate_bilinear_fwd_bwd", [2, 128, 8, 8]) { interpolate($0, scaleFactor: [2], mode: .bilinear) },
        // Batch norm (training, affine, running statistics) and ResNet's stem max pooling
        // (issue 18, Performance II: the max pooling runs on oneDNN for float32).
        BenchmarkCase("batchnorm2d_fwd_bwd") {
            let x = filled([32, 64, 32, 32]).requiresGrad_()
            let weight = Tensor.ones([64]).requiresGrad_(), bias = Tensor.zeros([64]).requiresGrad_()
            let runningMean = Tensor.zeros([64]), runningVar = Tensor.ones([64])
            return {
                batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias, training: true)
                    .sum().backward()
                x.grad = nil
                weight.grad = nil
                bias.grad = nil
            }
        },
        forwardBackward("maxpool2d_fwd_bwd", [32, 64, 32, 32]) { maxPool2d($0, 3, stride: 2, padding: 1) },
    ]
}

/// The VAE of PyTorch's examples/vae (784-400-20).
private final class VAE: Module {
    let fc1 = Linear(784, 400)
    let fc21 = Linear(400, 20)
    let fc22 = Linear(400, 20)
    let fc3 = Linear(20, 400)
    let fc4 = Linear(400, 784)

    /// The reconstruction, mean and log-variance, as the example's `forward` returns them.
    func run(_ x: Tensor) -> (Tensor, Tensor, Tensor) {
        let h1 = relu(fc1(x.view([-1, 784])))
        let mu = fc21(h1), logvar = fc22(h1)
        let z = mu + Tensor.randnLike(logvar) * exp(logvar * 0.5)
        return (sigmoid(fc4(relu(fc3(z)))), mu, logvar)
    }
}

/// The Net of PyTorch's examples/mnist.
private final class MNISTNet: Module {
    let conv1 = Conv2d(1, 32, kernelSize: 3, stride: 1)
    let conv2 = Conv2d(32, 64, kernelSize: 3, stride: 1)
    let dropout1 = Dropout(p: 0.25)
    let dropout2 = Dropout(p: 0.5)
    let fc1 = Linear(9216, 128)
    let fc2 = Linear(128, 10)
    override func forward(_ x: Tensor) -> Tensor {
        let h = maxPool2d(relu(conv2(relu(conv1(x)))), 2)
        let f = dropout1(h).flatten(startDim: 1)
        return fc2(dropout2(relu(fc1(f)))).logSoftmax(dim: 1)
    }
}

/// examples/word_language_model as main.py runs it by default: wikitext-2's 33,278-token
/// vocabulary, embedding and hidden size 200, 2 layers, dropout 0.2, batch 20, bptt 35.
private let wordVocabulary = 33278

/// model.py's RNNModel with an LSTM.
private final class LSTMLanguageModel: Module {
    let drop = Dropout(0.2)
    let encoder = Embedding(wordVocabulary, 200)
    let rnn = LSTM(200, 200, numLayers: 2, dropout: 0.2)
    let decoder = Linear(200, wordVocabulary)
    override init() {
        super.init()
        uniform_(encoder.weight, a: -0.1, b: 0.1)
        zeros_(decoder.bias!)
        uniform_(decoder.weight, a: -0.1, b: 0.1)
    }
    func run(_ input: Tensor, _ state: (h: Tensor, c: Tensor)) -> (Tensor, (h: Tensor, c: Tensor)) {
        let (output, state) = rnn(drop(encoder(input)), state)
        return (logSoftmax(decoder(drop(output)).view(-1, wordVocabulary), dim: 1), state)
    }
}

/// model.py's TransformerModel (2 heads, feed-forward 200) with its causal mask.
private final class TransformerLanguageModel: Module {
    let encoder = TransformerEncoder(TransformerEncoderLayer(200, 2, 200, 0.2), numLayers: 2)
    let inputEmb = Embedding(wordVocabulary, 200)
    let decoder = Linear(200, wordVocabulary)
    let pe: Tensor
    override init() {
        let position = Tensor.arange(0, 64, dtype: .float32).unsqueeze(1)
        let divTerm = exp(Tensor.arange(0, 200, 2).float() * (-Foundation.log(10000.0) / 200))
        let pe = Tensor.zeros([64, 200])
        pe[.all, .slice(0, nil, step: 2)] = sin(position * divTerm)
        pe[.all, .slice(1, nil, step: 2)] = cos(position * divTerm)
        self.pe = pe.unsqueeze(1)
        super.init()
        uniform_(inputEmb.weight, a: -0.1, b: 0.1)
        zeros_(decoder.bias!)
        uniform_(decoder.weight, a: -0.1, b: 0.1)
    }
    func run(_ src: Tensor, mask: Tensor) -> Tensor {
        let x = dropout(inputEmb(src) * 200.0.squareRoot() + pe[..<src.size(0)], p: 0.2, training: true)
        return logSoftmax(decoder(encoder(x, mask: mask)), dim: -1)
    }
}

/// Training steps of models from PyTorch's examples repository (issue 18); names match
/// torch_bench.py.
private func exampleCases() -> [BenchmarkCase] {
    [
        BenchmarkCase("vae_train_step") {
            manualSeed(0)
            let model = VAE()
            let opt = Adam(model.parameters(), lr: 1e-3)
            let x = (filled([128, 1, 28, 28]) + 1) / 2
            return {
                opt.zeroGrad()
                let (recon, mu, logvar) = model.run(x)
                let bce = binaryCrossEntropy(recon, x.view([-1, 784]), reduction: .sum)
                let kld = (1 + logvar - mu.pow(2) - exp(logvar)).sum() * -0.5
                (bce + kld).backward()
                opt.step()
            }
        },
        BenchmarkCase("lstm_lm_train_step") {
            // main.py's train(): zero_grad, forward from the carried (detached) state, NLL,
            // backward, clip_grad_norm_(0.25), p.data.add_(p.grad, alpha=-lr) with lr 20.
            manualSeed(0)
            let model = LSTMLanguageModel()
            let data = Tensor.randint(0, wordVocabulary, [35, 20]), targets = Tensor.randint(0, wordVocabulary, [700])
            var state = (h: Tensor.zeros([2, 20, 200]), c: Tensor.zeros([2, 20, 200]))
            return {
                model.zeroGrad()
                state = (state.h.detach(), state.c.detach())
                let (output, next) = model.run(data, state)
                state = next
                nllLoss(output, targets).backward()
                clipGradNorm_(model.parameters(), maxNorm: 0.25)
                noGrad { for p in model.parameters() { p.add_(p.grad!, alpha: -20) } }
            }
        },
        BenchmarkCase("transformer_lm_train_step") {
            manualSeed(0)
            let model = TransformerLanguageModel()
            let data = Tensor.randint(0, wordVocabulary, [35, 20]), targets = Tensor.randint(0, wordVocabulary, [700])
            let mask = log(tril(Tensor.ones([35, 35])))
            return {
                model.zeroGrad()
                nllLoss(model.run(data, mask: mask).view(-1, wordVocabulary), targets).backward()
                clipGradNorm_(model.parameters(), maxNorm: 0.25)
                noGrad { for p in model.parameters() { p.add_(p.grad!, alpha: -20) } }
            }
        },
        BenchmarkCase("mnist_cnn_train_step") {
            manualSeed(0)
            let model = MNISTNet()
            let opt = Adadelta(model.parameters(), lr: 1)
            let x = filled([64, 1, 28, 28]), y = Tensor.arange(0, 64) % Tensor(10)
            return {
                opt.zeroGrad()
                nllLoss(model(x), y).backward()
                opt.step()
            }
        },
    ]
}
