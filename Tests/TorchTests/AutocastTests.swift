import Testing
@testable import Torch

/// `autocast` follows PyTorch's CPU policy: matrix products and convolutions in the
/// lower-precision dtype, losses and softmax in float32, float64 untouched, gradients back
/// in each parameter's own dtype; and training under it still learns the digits.
@Suite struct AutocastTests {
    @Test func productsRunInBFloat16AndLossesInFloat32() {
        let x = Tensor.randn([4, 6], generator: Generator().manualSeed(1))
        let w = Tensor.randn([3, 6], generator: Generator().manualSeed(2)).requiresGrad_()
        let target = Tensor([0, 2, 1, 2])
        let (logits, loss) = autocast(.cpu, dtype: .bfloat16) { () -> (Tensor, Tensor) in
            #expect(isAutocastEnabled())
            let logits = linear(x, w)
            return (logits, crossEntropy(logits, target))
        }
        #expect(!isAutocastEnabled())
        #expect(logits.dtype == .bfloat16 && loss.dtype == .float32)
        // The product is the bfloat16 product of the bfloat16-rounded operands.
        #expect(logits.toArray(Float.self) == matmul(x.bfloat16(), w.detach().bfloat16().t()).toArray(Float.self))
        loss.backward()
        #expect(w.grad?.dtype == .float32 && w.grad?.shape == [3, 6])
        // Outside the block nothing is cast.
        #expect(linear(x, w).dtype == .float32)
    }

    @Test func float64AndDisabledBlocksAreLeftAlone() {
        let d = Tensor([[1.0, 2.0]], dtype: .float64)
        autocast {
            #expect(mm(d, d.t()).dtype == .float64)
            autocast(enabled: false) {
                #expect(!isAutocastEnabled() && mm(Tensor([[1.0, 2.0]]), Tensor([[3.0], [4.0]])).dtype == .float32)
            }
            #expect(mm(Tensor([[1.0, 2.0]]), Tensor([[3.0], [4.0]])).dtype == .bfloat16)
            #expect(Tensor([1.0, 2.0]).bfloat16().softmax(dim: 0).dtype == .float32)
            #expect(conv2d(Tensor.ones([1, 1, 3, 3]), Tensor.ones([1, 1, 2, 2])).dtype == .bfloat16)
        }
        autocast(.cpu, dtype: .float16) {
            #expect(matmul(Tensor([[1.0, 2.0]]), Tensor([[3.0], [4.0]])).toArray(Float16.self) == [11])
        }
    }

    /// A small CNN on the bundled digits, forward and loss under bfloat16 autocast, float32
    /// weights and Adam: PyTorch's recipe. Three epochs reach well above 90% in float32;
    /// bfloat16 must not cost more than a point or two.
    @Test func trainingUnderAutocastLearnsTheDigits() {
        manualSeed(0)
        let train = Digits(train: true), test = Digits(train: false)
        let net = Sequential(Conv2d(1, 16, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2),
                             Conv2d(16, 32, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2),
                             Flatten(), Linear(32 * 2 * 2, 10))
        let opt = Adam(net.parameters(), lr: 3e-3)
        for _ in 0..<6 {
            for (x, y) in DataLoader(TensorDataset(train.images, train.labels), batchSize: 64, shuffle: true) {
                opt.zeroGrad()
                let loss = autocast { crossEntropy(net(x), y) }
                loss.backward()
                opt.step()
            }
        }
        let predicted = noGrad { autocast { net(test.images) }.argmax(dim: 1) }
        let accuracy = (predicted .== test.labels).float().mean().item()
        #expect(accuracy >= 0.95, "test accuracy \(accuracy)")
        #expect(net.parameters().allSatisfy { $0.dtype == .float32 })
    }
}
