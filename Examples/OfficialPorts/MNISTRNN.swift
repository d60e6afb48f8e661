import Foundation
import Torch

// pytorch/examples mnist_rnn/main.py, ported as a new user would write it. The MNIST
// download is replaced by tensors shaped as its batches (see `runMNISTRNN`).

/// The example's `Net`: an LSTM over the image's 28 rows, then batch norm and two linear
/// layers.
final class MNISTRNNNet: Module {
    let rnn = LSTM(inputSize: 28, hiddenSize: 64, batchFirst: true)
    let batchnorm = BatchNorm1d(64)
    let dropout1 = Dropout2d(0.25)
    let dropout2 = Dropout2d(0.5)
    let fc1 = Linear(64, 32)
    let fc2 = Linear(32, 10)

    override func forward(_ input: Tensor) -> Tensor {
        // Shape of input is (batch_size,1, 28, 28)
        // converting shape of input to (batch_size, 28, 28)
        // as required by RNN when batch_first is set True
        let input = input.reshape(-1, 28, 28)
        var (output, _) = rnn(input)

        // RNN output shape is (seq_len, batch, input_size)
        // Get last output of RNN
        output = output[.all, -1, .all]
        output = batchnorm(output)
        output = dropout1(output)
        output = fc1(output)
        output = relu(output)
        output = dropout2(output)
        output = fc2(output)
        output = logSoftmax(output, dim: 1)
        return output
    }
}

/// main.py's `train` for one epoch (at most `maxBatches` batches); the losses and printed lines.
func trainMNISTRNN(_ model: Module, _ trainLoader: DataLoader<TensorDataset, (Tensor, Tensor)>, _ optimizer: Optimizer,
                   epoch: Int, logInterval: Int = 10, maxBatches: Int? = nil) -> PortedRun {
    var run = PortedRun()
    model.train()
    for (batchIdx, (data, target)) in trainLoader.enumerated() {
        if let maxBatches, batchIdx >= maxBatches { break }
        optimizer.zeroGrad()
        let output = model(data)
        let loss = nllLoss(output, target)
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())
        if batchIdx % logInterval == 0 {
            run.lines.append(String(format: "Train Epoch: %d [%d/%d (%.0f%%)]\tLoss: %.6f", epoch, batchIdx * data.count,
                                    trainLoader.dataset.count, 100.0 * Double(batchIdx) / Double(trainLoader.count), loss.item()))
        }
    }
    return run
}

/// main.py's `main` after argument parsing (Adadelta at lr 0.1, StepLR(step_size=1,
/// gamma=0.7)) on `samples` random 28×28 images with random labels, `steps` batches of 64.
func runMNISTRNN(steps: Int = 3, samples: Int = 192, seed: Int = 1) -> PortedRun {
    manualSeed(seed)
    let data = Tensor.randn(samples, 1, 28, 28)
    let targets = Tensor.randint(0, 10, [samples])
    let trainLoader = DataLoader(TensorDataset(data, targets), batchSize: 64, shuffle: true)
    let model = MNISTRNNNet()
    let optimizer = Adadelta(model.parameters(), lr: 0.1)
    let scheduler = StepLR(optimizer, stepSize: 1, gamma: 0.7)
    let run = trainMNISTRNN(model, trainLoader, optimizer, epoch: 1, maxBatches: steps)
    scheduler.step()
    return run
}
