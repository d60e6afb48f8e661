import Torch

/// torchvision's `BasicBlock`: two 3×3 convolutions with a shortcut (ResNet-18/34).
final class BasicBlock: Module {
    static let expansion = 1
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let relu = ReLU()
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let downsample: Sequential?

    init(_ inplanes: Int, _ planes: Int, stride: Int, downsample: Sequential?) {
        conv1 = Conv2d(inplanes, planes, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn1 = BatchNorm2d(planes)
        conv2 = Conv2d(planes, planes, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2d(planes)
        self.downsample = downsample
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        let out = bn2(conv2(relu(bn1(conv1(x)))))
        return relu(out + (downsample.map { $0(x) } ?? x))
    }
}

/// torchvision's `Bottleneck`: 1×1, 3×3 (strided), 1×1 ×4 convolutions with a shortcut
/// (ResNet-50/101; the stride sits on the 3×3, as in torchvision's "V1.5").
final class Bottleneck: Module {
    static let expansion = 4
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let conv3: Conv2d
    let bn3: BatchNorm2d
    let relu = ReLU()
    let downsample: Sequential?

    init(_ inplanes: Int, _ planes: Int, stride: Int, downsample: Sequential?) {
        conv1 = Conv2d(inplanes, planes, kernelSize: 1, bias: false)
        bn1 = BatchNorm2d(planes)
        conv2 = Conv2d(planes, planes, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn2 = BatchNorm2d(planes)
        conv3 = Conv2d(planes, planes * Self.expansion, kernelSize: 1, bias: false)
        bn3 = BatchNorm2d(planes * Self.expansion)
        self.downsample = downsample
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        var out = relu(bn1(conv1(x)))
        out = relu(bn2(conv2(out)))
        out = bn3(conv3(out))
        return relu(out + (downsample.map { $0(x) } ?? x))
    }
}

/// torchvision's `ResNet`: a 7×7 stem, four stages of residual blocks, global average
/// pooling and a linear classifier `fc`.
public final class ResNet: Module {
    /// The 7×7 stem convolution; replaceable, as `resnet.conv1 = nn.Conv2d(1, 64, ...)` for
    /// grey images.
    public var conv1 = Conv2d(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false) {
        didSet { invalidateStructure() }
    }
    let bn1 = BatchNorm2d(64)
    let relu = ReLU()
    let maxpool = MaxPool2d(3, stride: 2, padding: 1)
    let layer1: Sequential
    let layer2: Sequential
    let layer3: Sequential
    let layer4: Sequential
    let avgpool = AdaptiveAvgPool2d(1)
    /// The classifier (`resnet.fc.in_features` is its input width).
    public let fc: Linear

    init(bottleneck: Bool, layers: [Int], numClasses: Int) {
        let expansion = bottleneck ? Bottleneck.expansion : BasicBlock.expansion
        var inplanes = 64
        func stage(_ planes: Int, _ blocks: Int, stride: Int) -> Sequential {
            var downsample: Sequential?
            if stride != 1 || inplanes != planes * expansion {
                downsample = Sequential(Conv2d(inplanes, planes * expansion, kernelSize: 1, stride: stride, bias: false),
                                        BatchNorm2d(planes * expansion))
            }
            func block(_ inp: Int, stride: Int, downsample: Sequential?) -> Module {
                bottleneck ? Bottleneck(inp, planes, stride: stride, downsample: downsample)
                    : BasicBlock(inp, planes, stride: stride, downsample: downsample)
            }
            var blocksList = [block(inplanes, stride: stride, downsample: downsample)]
            inplanes = planes * expansion
            for _ in 1..<blocks { blocksList.append(block(inplanes, stride: 1, downsample: nil)) }
            return Sequential(blocksList)
        }
        // Stored-property initial values (conv1, bn1, ...) run first, in declaration
        // order: the same construction order as torchvision's __init__.
        layer1 = stage(64, layers[0], stride: 1)
        layer2 = stage(128, layers[1], stride: 2)
        layer3 = stage(256, layers[2], stride: 2)
        layer4 = stage(512, layers[3], stride: 2)
        fc = Linear(512 * expansion, numClasses)
        super.init()
        initialize(self) { initializeConvolutionsAndNorms($0) }
    }

    /// Logits for `(N, 3, H, W)` images.
    public override func forward(_ x: Tensor) -> Tensor {
        var y = maxpool(relu(bn1(conv1(x))))
        y = layer4(layer3(layer2(layer1(y))))
        return fc(flatten(avgpool(y), 1))
    }
}

/// ResNet-18 (`torchvision.models.resnet18(weights=None)`).
public func resnet18(numClasses: Int = 1000) -> ResNet { ResNet(bottleneck: false, layers: [2, 2, 2, 2], numClasses: numClasses) }
/// ResNet-34 (`torchvision.models.resnet34`).
public func resnet34(numClasses: Int = 1000) -> ResNet { ResNet(bottleneck: false, layers: [3, 4, 6, 3], numClasses: numClasses) }
/// ResNet-50 (`torchvision.models.resnet50`).
public func resnet50(numClasses: Int = 1000) -> ResNet { ResNet(bottleneck: true, layers: [3, 4, 6, 3], numClasses: numClasses) }
/// ResNet-101 (`torchvision.models.resnet101`).
public func resnet101(numClasses: Int = 1000) -> ResNet { ResNet(bottleneck: true, layers: [3, 4, 23, 3], numClasses: numClasses) }
