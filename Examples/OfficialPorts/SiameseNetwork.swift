import Foundation
import Torch
import TorchVision

// pytorch/examples siamese_network/main.py, ported as a new user would write it. The MNIST
// download is replaced by images shaped as its (uint8-valued) data, and Python's `random`
// by draws from the default generator (`Tensor.randint`).

/// Siamese network for image similarity estimation: a ResNet-18 trunk shared by both
/// images, their features concatenated into a small classifier ending in a sigmoid.
final class SiameseNetwork: Module {
    let resnet: Sequential
    let fcInFeatures: Int
    let fc: Sequential
    let sigmoid = Sigmoid()

    override init() {
        // get resnet model
        let resnet = resnet18()

        // over-write the first conv layer to be able to read MNIST images
        // as resnet18 reads (3,x,x) where 3 is RGB channels
        // whereas MNIST has (1,x,x) where 1 is a gray-scale channel
        resnet.conv1 = Conv2d(1, 64, kernelSize: [7, 7], stride: [2, 2], padding: [3, 3], bias: false)
        fcInFeatures = resnet.fc.inFeatures

        // remove the last layer of resnet18 (linear layer which is before avgpool layer)
        self.resnet = Sequential(Array(resnet.children().dropLast()))

        // add linear layers to compare between the features of the two images
        fc = Sequential(
            Linear(fcInFeatures * 2, 256),
            ReLU(inplace: true),
            Linear(256, 1)
        )
        super.init()

        // initialize the weights
        _ = self.resnet.apply(initWeights)
        _ = fc.apply(initWeights)
    }

    func initWeights(_ m: Module) {
        if let m = m as? Linear {
            _ = xavierUniform_(m.weight)
            m.bias!.data.fill_(0.01)
        }
    }

    func forwardOnce(_ x: Tensor) -> Tensor {
        var output = resnet(x)
        output = output.view(output.size()[0], -1)
        return output
    }

    func callAsFunction(_ input1: Tensor, _ input2: Tensor) -> Tensor {
        // get two images' features
        let output1 = forwardOnce(input1)
        let output2 = forwardOnce(input2)

        // concatenate both images' features
        var output = cat([output1, output2], 1)

        // pass the concatenation to the linear layers
        output = fc(output)

        // pass the out of the linear layers to sigmoid layer
        output = sigmoid(output)

        return output
    }
}

/// The example's `APP_MATCHER`: pairs of images, of the same class at even indices (target
/// 1) and of different classes at odd ones (target 0).
struct AppMatcher: Dataset {
    let data: Tensor
    let groupedExamples: [Int: [Int]]

    /// `images` `(N, 28, 28)` as MNIST's `dataset.data`, `targets` its labels.
    init(images: Tensor, targets: Tensor) {
        data = images.unsqueeze(1).clone()
        // group examples based on class
        let labels = targets.toArray(Int64.self)
        var grouped: [Int: [Int]] = [:]
        for i in 0..<10 { grouped[i] = labels.indices.filter { labels[$0] == Int64(i) } }
        groupedExamples = grouped
    }

    var count: Int { data.shape[0] }

    /// `random.randint(a, b)`, inclusive, from the default generator.
    private func randint(_ a: Int, _ b: Int) -> Int { Tensor.randint(a, b + 1, [1]).item(as: Int.self) }

    subscript(index: Int) -> (Tensor, Tensor, Tensor) {
        // pick some random class for the first image
        let selectedClass = randint(0, 9)
        // pick a random index for the first image in the grouped indices based of the label of the class
        let randomIndex1 = randint(0, groupedExamples[selectedClass]!.count - 1)
        let index1 = groupedExamples[selectedClass]![randomIndex1]
        let image1 = data[index1].clone().float()

        let image2: Tensor
        let target: Tensor
        if index % 2 == 0 {
            // same class: a second, different image
            var randomIndex2 = randint(0, groupedExamples[selectedClass]!.count - 1)
            while randomIndex2 == randomIndex1 {
                randomIndex2 = randint(0, groupedExamples[selectedClass]!.count - 1)
            }
            let index2 = groupedExamples[selectedClass]![randomIndex2]
            image2 = data[index2].clone().float()
            target = Tensor(1, dtype: .float32)
        } else {
            // different class
            var otherSelectedClass = randint(0, 9)
            while otherSelectedClass == selectedClass {
                otherSelectedClass = randint(0, 9)
            }
            let randomIndex2 = randint(0, groupedExamples[otherSelectedClass]!.count - 1)
            let index2 = groupedExamples[otherSelectedClass]![randomIndex2]
            image2 = data[index2].clone().float()
            target = Tensor(0, dtype: .float32)
        }
        return (image1, image2, target)
    }
}

/// main.py's `train` for one epoch (at most `maxBatches` batches); the losses and printed lines.
func trainSiamese(_ model: SiameseNetwork, _ trainLoader: DataLoader<AppMatcher, (Tensor, Tensor, Tensor)>,
                  _ optimizer: Optimizer, epoch: Int, logInterval: Int = 10, maxBatches: Int? = nil) -> PortedRun {
    var run = PortedRun()
    model.train()

    // we aren't using `TripletLoss` as the MNIST dataset is simple, so `BCELoss` can do the trick.
    let criterion = BCELoss()

    for (batchIdx, (images1, images2, targets)) in trainLoader.enumerated() {
        if let maxBatches, batchIdx >= maxBatches { break }
        optimizer.zeroGrad()
        let outputs = model(images1, images2).squeeze()
        let loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())
        if batchIdx % logInterval == 0 {
            run.lines.append(String(format: "Train Epoch: %d [%d/%d (%.0f%%)]\tLoss: %.6f", epoch, batchIdx * images1.count,
                                    trainLoader.dataset.count, 100.0 * Double(batchIdx) / Double(trainLoader.count), loss.item()))
        }
    }
    return run
}

/// main.py's `main` after argument parsing (Adadelta at lr 1.0, StepLR(step_size=1,
/// gamma=0.7)) on `samples` random uint8-valued 28×28 images, `steps` batches of `batchSize`.
func runSiamese(steps: Int = 3, samples: Int = 64, batchSize: Int = 8, seed: Int = 1) -> PortedRun {
    manualSeed(seed)
    let images = Tensor.randint(0, 256, [samples, 28, 28], dtype: .uint8)
    let targets = Tensor.arange(0, samples).remainder(10)
    let trainDataset = AppMatcher(images: images, targets: targets)
    let trainLoader = DataLoader(trainDataset, batchSize: batchSize)
    let model = SiameseNetwork()
    let optimizer = Adadelta(model.parameters(), lr: 1.0)
    let scheduler = StepLR(optimizer, stepSize: 1, gamma: 0.7)
    let run = trainSiamese(model, trainLoader, optimizer, epoch: 1, maxBatches: steps)
    scheduler.step()
    return run
}
