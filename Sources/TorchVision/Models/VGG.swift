import Torch

/// torchvision's `VGG`: 3×3 convolution stacks (`features`), 7×7 adaptive pooling and a
/// three-layer classifier with dropout.
public final class VGG: Module {
    /// The convolution stacks (`models.vgg16().features`), indexable as `features[x]`.
    public let features: Sequential
    let avgpool = AdaptiveAvgPool2d(7)
    let classifier: Sequential

    /// `config` lists output channels, `0` standing for a 2×2 max pool ("M" in torchvision).
    init(config: [Int], batchNorm: Bool, numClasses: Int, dropout: Double = 0.5) {
        var layers: [Module] = []
        var inChannels = 3
        for v in config {
            if v == 0 {
                layers.append(MaxPool2d(2, stride: 2))
            } else {
                layers.append(Conv2d(inChannels, v, kernelSize: 3, padding: 1))
                if batchNorm { layers.append(BatchNorm2d(v)) }
                layers.append(ReLU())
                inChannels = v
            }
        }
        features = Sequential(layers)
        classifier = Sequential(Linear(512 * 7 * 7, 4096), ReLU(), Dropout(p: dropout), Linear(4096, 4096), ReLU(),
                                Dropout(p: dropout), Linear(4096, numClasses))
        super.init()
        initializeWithSmallLinearWeights(self)
    }

    /// Logits for `(N, 3, H, W)` images.
    public override func forward(_ x: Tensor) -> Tensor {
        classifier(flatten(avgpool(features(x)), 1))
    }
}

private let vgg11Config = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0]
private let vgg16Config = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]

/// VGG-11 (`torchvision.models.vgg11`).
public func vgg11(numClasses: Int = 1000) -> VGG { VGG(config: vgg11Config, batchNorm: false, numClasses: numClasses) }
/// VGG-11 with batch norm (`torchvision.models.vgg11_bn`).
public func vgg11BN(numClasses: Int = 1000) -> VGG { VGG(config: vgg11Config, batchNorm: true, numClasses: numClasses) }
/// VGG-16 (`torchvision.models.vgg16`).
public func vgg16(numClasses: Int = 1000) -> VGG { VGG(config: vgg16Config, batchNorm: false, numClasses: numClasses) }
/// VGG-16 with batch norm (`torchvision.models.vgg16_bn`).
public func vgg16BN(numClasses: Int = 1000) -> VGG { VGG(config: vgg16Config, batchNorm: true, numClasses: numClasses) }
