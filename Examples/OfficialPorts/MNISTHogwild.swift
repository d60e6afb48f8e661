import Foundation
import Torch

// pytorch/examples mnist_hogwild (main.py's Net, train.py's train/train_epoch), ported as a
// new user would write it: one training process (the example starts several with
// torch.multiprocessing, sharing the model's memory). The MNIST download is replaced by
// tensors shaped as its batches.

/// main.py's `Net`.
final class HogwildNet: Module {
    let conv1 = Conv2d(1, 10, kernelSize: 5)
    let conv2 = Conv2d(10, 20, kernelSize: 5)
    let conv2Drop = Dropout2d()
    let fc1 = Linear(320, 50)
    let fc2 = Linear(50, 10)

    override func forward(_ x: Tensor) -> Tensor {
        var x = relu(maxPool2d(conv1(x), 2))
        x = relu(maxPool2d(conv2Drop(conv2(x)), 2))
        x = x.view(-1, 320)
        x = relu(fc1(x))
        x = dropout(x, training: isTraining)
        x = fc2(x)
        return logSoftmax(x, dim: 1)
    }
}

/// train.py's `train_epoch` (at most `maxBatches` batches); the losses and printed lines.
func hogwildTrainEpoch(_ epoch: Int, _ model: Module, _ dataLoader: DataLoader<TensorDataset, (Tensor, Tensor)>,
                       _ optimizer: Optimizer, logInterval: Int = 10, maxBatches: Int? = nil) -> PortedRun {
    var run = PortedRun()
    model.train()
    let pid = ProcessInfo.processInfo.processIdentifier
    for (batchIdx, (data, target)) in dataLoader.enumerated() {
        if let maxBatches, batchIdx >= maxBatches { break }
        optimizer.zeroGrad()
        let output = model(data)
        let loss = nllLoss(output, target)
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())
        if batchIdx % logInterval == 0 {
            run.lines.append(String(format: "%d\tTrain Epoch: %d [%d/%d (%.0f%%)]\tLoss: %.6f", pid, epoch,
                                    batchIdx * data.count, dataLoader.dataset.count,
                                    100.0 * Double(batchIdx) / Double(dataLoader.count), loss.item()))
        }
    }
    return run
}

/// train.py's `train(rank, ...)` for one process: seeded `seed + rank`, SGD(lr, momentum)
/// over a shuffled loader of `dataset`.
func hogwildTrain(rank: Int, model: Module, dataset: TensorDataset, epochs: Int = 1, seed: Int = 1,
                  lr: Double = 0.01, momentum: Double = 0.5, batchSize: Int = 64, maxBatches: Int? = nil) -> PortedRun {
    manualSeed(seed + rank)

    let trainLoader = DataLoader(dataset, batchSize: batchSize, shuffle: true)

    let optimizer = SGD(model.parameters(), lr: lr, momentum: momentum)
    var run = PortedRun()
    for epoch in 1...epochs {
        let r = hogwildTrainEpoch(epoch, model, trainLoader, optimizer, maxBatches: maxBatches)
        run.losses += r.losses
        run.lines += r.lines
    }
    return run
}

/// main.py with one process on `samples` random 28×28 images and labels: the model built
/// after `torch.manual_seed(seed)`, then `train(0, ...)` for `steps` batches.
func runMNISTHogwild(steps: Int = 3, samples: Int = 192, seed: Int = 1) -> PortedRun {
    manualSeed(seed)
    let model = HogwildNet()
    let data = Tensor.randn(samples, 1, 28, 28)
    let targets = Tensor.randint(0, 10, [samples])
    return hogwildTrain(rank: 0, model: model, dataset: TensorDataset(data, targets), seed: seed, maxBatches: steps)
}
