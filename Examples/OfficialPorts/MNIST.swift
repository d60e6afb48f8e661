import Foundation
import Torch

// pytorch/examples mnist/main.py, ported as a new user would write it.

/// The example's convolutional network.
final class MNISTNet: Module {
    let conv1 = Conv2d(1, 32, 3, 1)
    let conv2 = Conv2d(32, 64, 3, 1)
    let dropout1 = Dropout(0.25)
    let dropout2 = Dropout(0.5)
    let fc1 = Linear(9216, 128)
    let fc2 = Linear(128, 10)

    override func forward(_ x: Tensor) -> Tensor {
        var x = conv1(x)
        x = relu(x)
        x = conv2(x)
        x = relu(x)
        x = maxPool2d(x, 2)
        x = dropout1(x)
        x = flatten(x, 1)
        x = fc1(x)
        x = relu(x)
        x = dropout2(x)
        x = fc2(x)
        let output = logSoftmax(x, dim: 1)
        return output
    }
}

/// main.py's `train` for one epoch; returns the printed lines.
func trainMNIST(_ model: Module, _ trainLoader: DataLoader<TensorDataset, (Tensor, Tensor)>, _ optimizer: Optimizer,
                epoch: Int, logInterval: Int = 10, dryRun: Bool = false) -> [String] {
    var lines: [String] = []
    model.train()
    for (batchIdx, (data, target)) in trainLoader.enumerated() {
        optimizer.zeroGrad()
        let output = model(data)
        let loss = nllLoss(output, target)
        loss.backward()
        optimizer.step()
        if batchIdx % logInterval == 0 {
            lines.append(String(format: "Train Epoch: %d [%d/%d (%.0f%%)]\tLoss: %.6f", epoch, batchIdx * data.count,
                                trainLoader.dataset.count, 100.0 * Double(batchIdx) / Double(trainLoader.count), loss.item()))
            if dryRun { break }
        }
    }
    return lines
}

/// main.py's `test`; returns the printed line.
func testMNIST(_ model: Module, _ testLoader: DataLoader<TensorDataset, (Tensor, Tensor)>) -> String {
    model.eval()
    var testLoss = 0.0
    var correct = 0
    noGrad {
        for (data, target) in testLoader {
            let output = model(data)
            testLoss += nllLoss(output, target, reduction: .sum).item()   // sum up batch loss
            let pred = output.argmax(dim: 1, keepdim: true)   // get the index of the max log-probability
            correct += pred.eq(target.viewAs(pred)).sum().item(as: Int.self)
        }
    }
    testLoss /= Double(testLoader.dataset.count)
    return String(format: "\nTest set: Average loss: %.4f, Accuracy: %d/%d (%.0f%%)\n", testLoss, correct,
                  testLoader.dataset.count, 100.0 * Double(correct) / Double(testLoader.dataset.count))
}

/// main.py's `main` after argument parsing: Adadelta, StepLR(step_size=1, gamma=0.7).
func mnistMain(train: TensorDataset, test: TensorDataset, epochs: Int = 14, lr: Double = 1.0, gamma: Double = 0.7,
               batchSize: Int = 64, testBatchSize: Int = 1000, seed: Int = 1) -> [String] {
    manualSeed(seed)
    let trainLoader = DataLoader(train, batchSize: batchSize, shuffle: true)
    let testLoader = DataLoader(test, batchSize: testBatchSize)
    let model = MNISTNet()
    let optimizer = Adadelta(model.parameters(), lr: lr)
    let scheduler = StepLR(optimizer, stepSize: 1, gamma: gamma)
    var lines: [String] = []
    for epoch in 1...epochs {
        lines += trainMNIST(model, trainLoader, optimizer, epoch: epoch)
        lines.append(testMNIST(model, testLoader))
        scheduler.step()
    }
    return lines
}
