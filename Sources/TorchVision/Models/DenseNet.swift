import Torch

/// torchvision's `_DenseLayer`: BN-ReLU-1×1 conv (bottleneck) then BN-ReLU-3×3 conv,
/// producing `growthRate` new channels from the concatenation of all earlier ones.
final class DenseLayer: Module {
    let norm1: BatchNorm2d
    let relu1 = ReLU()
    let conv1: Conv2d
    let norm2: BatchNorm2d
    let relu2 = ReLU()
    let conv2: Conv2d

    init(_ inputFeatures: Int, growthRate: Int, bottleneckSize: Int) {
        norm1 = BatchNorm2d(inputFeatures)
        conv1 = Conv2d(inputFeatures, bottleneckSize * growthRate, kernelSize: 1, bias: false)
        norm2 = BatchNorm2d(bottleneckSize * growthRate)
        conv2 = Conv2d(bottleneckSize * growthRate, growthRate, kernelSize: 3, padding: 1, bias: false)
        super.init()
    }

    func callAsFunction(_ features: [Tensor]) -> Tensor {
        let concatenated = cat(features, dim: 1)
        return conv2(relu2(norm2(conv1(relu1(norm1(concatenated))))))
    }
}

/// torchvision's `_DenseBlock` (a `ModuleDict` of `denselayer1`, `denselayer2`, ...): each
/// layer sees every earlier output; the block returns them all, concatenated.
final class DenseBlock: Module {
    let layers: [DenseLayer]

    init(layers count: Int, inputFeatures: Int, growthRate: Int, bottleneckSize: Int) {
        layers = (0..<count).map { DenseLayer(inputFeatures + $0 * growthRate, growthRate: growthRate, bottleneckSize: bottleneckSize) }
        super.init()
    }

    override var dynamicChildren: [(name: String, module: Module)] {
        layers.enumerated().map { ("denselayer\($0.offset + 1)", $0.element) }
    }

    override func forward(_ x: Tensor) -> Tensor {
        var features = [x]
        for layer in layers { features.append(layer(features)) }
        return cat(features, dim: 1)
    }
}

/// torchvision's `DenseNet` (121 here): a named `features` stack of dense blocks and
/// transitions, then a linear `classifier`.
public final class DenseNet: Module {
    let features: Sequential
    let classifier: Linear

    init(growthRate: Int = 32, blocks: [Int] = [6, 12, 24, 16], initialFeatures: Int = 64, bottleneckSize: Int = 4,
         numClasses: Int) {
        var named: [(String, Module)] = [
            ("conv0", Conv2d(3, initialFeatures, kernelSize: 7, stride: 2, padding: 3, bias: false)),
            ("norm0", BatchNorm2d(initialFeatures)), ("relu0", ReLU()), ("pool0", MaxPool2d(3, stride: 2, padding: 1)),
        ]
        var featureCount = initialFeatures
        for (i, count) in blocks.enumerated() {
            named.append(("denseblock\(i + 1)", DenseBlock(layers: count, inputFeatures: featureCount, growthRate: growthRate,
                                                         bottleneckSize: bottleneckSize)))
            featureCount += count * growthRate
            if i != blocks.count - 1 {
                // torchvision's `_Transition`: a Sequential with named norm, relu, conv, pool.
                named.append(("transition\(i + 1)", Sequential([
                    "norm": BatchNorm2d(featureCount), "relu": ReLU(),
                    "conv": Conv2d(featureCount, featureCount / 2, kernelSize: 1, bias: false),
                    "pool": AvgPool2d(2, stride: 2),
                ])))
                featureCount /= 2
            }
        }
        named.append(("norm5", BatchNorm2d(featureCount)))
        features = Sequential(named: named)
        classifier = Linear(featureCount, numClasses)
        super.init()
        initialize(self) { m in
            if let conv = m as? Conv2d {
                kaimingNormal_(conv.weight)
            } else if let bn = m as? BatchNormLayer {
                if let w = bn.weight { ones_(w) }
                if let b = bn.bias { zeros_(b) }
            } else if let linear = m as? Linear, let b = linear.bias {
                zeros_(b)
            }
        }
    }

    /// Logits for `(N, 3, H, W)` images.
    public override func forward(_ x: Tensor) -> Tensor {
        classifier(flatten(adaptiveAvgPool2d(relu(features(x)), 1), 1))
    }
}

/// DenseNet-121 (`torchvision.models.densenet121`).
public func densenet121(numClasses: Int = 1000) -> DenseNet { DenseNet(numClasses: numClasses) }
