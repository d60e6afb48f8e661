import Torch

/// The models `swifttorch train` can build, sized for the dataset's images.
enum ModelKind: String, CaseIterable {
    case mlp, cnn
}

/// What the main job trains on.
enum DatasetKind: String, CaseIterable {
    case digits
    case mnist
    case fashionMnist = "fashion-mnist"
    case cifar10
}

/// A two-layer perceptron over flattened images.
final class MLP: Module {
    let flatten = Flatten()
    let fc1: Linear
    let fc2: Linear

    init(inputs: Int, hidden: Int = 128, classes: Int = 10) {
        fc1 = Linear(inputs, hidden)
        fc2 = Linear(hidden, classes)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor { fc2(relu(fc1(flatten(x)))) }
}

/// The small CNN of the issue: conv 16 → relu → pool 2 → conv 32 → relu → pool 2 → linear.
final class SmallCNN: Module {
    let conv1: Conv2d
    let conv2: Conv2d
    let fc: Linear

    init(channels: Int, size: Int, classes: Int = 10) {
        conv1 = Conv2d(channels, 16, kernelSize: 3, padding: 1)
        conv2 = Conv2d(16, 32, kernelSize: 3, padding: 1)
        fc = Linear(32 * (size / 4) * (size / 4), classes)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        let h = maxPool2d(relu(conv1(x)), 2)
        return fc(maxPool2d(relu(conv2(h)), 2).flatten(startDim: 1))
    }
}

/// Builds `kind` for images of `channels × size × size`.
func makeModel(_ kind: ModelKind, channels: Int, size: Int) -> Module {
    switch kind {
    case .mlp: MLP(inputs: channels * size * size)
    case .cnn: SmallCNN(channels: channels, size: size)
    }
}

/// Loads a dataset's train and test splits.
func loadDataset(_ kind: DatasetKind, dataDirectory: String?) throws -> (train: TensorDataset, test: TensorDataset, channels: Int, size: Int) {
    func pair<D: ImageClassificationDataset>(_ d: D) -> TensorDataset { TensorDataset(d.images, d.labels) }
    switch kind {
    case .digits:
        return (pair(Digits(train: true)), pair(Digits(train: false)), 1, 8)
    case .mnist, .fashionMnist, .cifar10:
        guard let dataDirectory else {
            throw TorchError("--dataset \(kind.rawValue) needs --data-dir pointing at the downloaded files (see the README)")
        }
        switch kind {
        case .mnist: return (pair(try MNIST(root: dataDirectory, train: true)), pair(try MNIST(root: dataDirectory, train: false)), 1, 28)
        case .fashionMnist:
            return (pair(try FashionMNIST(root: dataDirectory, train: true)), pair(try FashionMNIST(root: dataDirectory, train: false)), 1, 28)
        default:
            return (pair(try CIFAR10(root: dataDirectory, train: true)), pair(try CIFAR10(root: dataDirectory, train: false)), 3, 32)
        }
    }
}
