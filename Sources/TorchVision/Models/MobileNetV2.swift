import Torch

/// torchvision's MobileNetV2 `InvertedResidual`: 1×1 expansion, 3×3 depthwise, linear 1×1
/// projection (`conv`), with a shortcut when shapes allow.
final class InvertedResidual: Module {
    let conv: Sequential
    private let useResidual: Bool

    init(_ inp: Int, _ oup: Int, stride: Int, expandRatio: Int) {
        let hidden = inp * expandRatio
        useResidual = stride == 1 && inp == oup
        var layers: [Module] = []
        if expandRatio != 1 { layers.append(conv2dNormActivation(inp, hidden, kernelSize: 1, activation: { ReLU6() })) }
        layers.append(conv2dNormActivation(hidden, hidden, stride: stride, groups: hidden, activation: { ReLU6() }))
        layers.append(Conv2d(hidden, oup, kernelSize: 1, bias: false))
        layers.append(BatchNorm2d(oup))
        conv = Sequential(layers)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor { useResidual ? x + conv(x) : conv(x) }
}

/// torchvision's `MobileNetV2`.
public final class MobileNetV2: Module {
    let features: Sequential
    let classifier: Sequential

    init(numClasses: Int, widthMultiplier: Double = 1, dropout: Double = 0.2) {
        let settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
        var inputChannel = makeDivisible(32 * widthMultiplier, 8)
        let lastChannel = makeDivisible(1280 * Swift.max(1, widthMultiplier), 8)
        var layers: [Module] = [conv2dNormActivation(3, inputChannel, stride: 2, activation: { ReLU6() })]
        for (t, c, n, s) in settings {
            let output = makeDivisible(Double(c) * widthMultiplier, 8)
            for i in 0..<n {
                layers.append(InvertedResidual(inputChannel, output, stride: i == 0 ? s : 1, expandRatio: t))
                inputChannel = output
            }
        }
        layers.append(conv2dNormActivation(inputChannel, lastChannel, kernelSize: 1, activation: { ReLU6() }))
        features = Sequential(layers)
        classifier = Sequential(Dropout(p: dropout), Linear(lastChannel, numClasses))
        super.init()
        initializeWithSmallLinearWeights(self)
    }

    /// Logits for `(N, 3, H, W)` images.
    public override func forward(_ x: Tensor) -> Tensor {
        classifier(flatten(adaptiveAvgPool2d(features(x), 1), 1))
    }
}

/// MobileNetV2 (`torchvision.models.mobilenet_v2`).
public func mobilenetV2(numClasses: Int = 1000) -> MobileNetV2 { MobileNetV2(numClasses: numClasses) }
