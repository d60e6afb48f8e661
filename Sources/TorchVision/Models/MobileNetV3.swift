import Torch

/// One row of torchvision's MobileNetV3 table.
private struct BottleneckConfig {
    let input: Int, kernel: Int, expanded: Int, output: Int
    let squeezeExcite: Bool, hardswish: Bool, stride: Int
}

/// torchvision's MobileNetV3 `InvertedResidual` (`block`): optional expansion, depthwise
/// convolution, optional squeeze-excitation (hard-sigmoid gate), linear projection.
final class MobileNetV3Block: Module {
    let block: Sequential
    private let useResidual: Bool

    fileprivate init(_ c: BottleneckConfig) {
        useResidual = c.stride == 1 && c.input == c.output
        let activation: () -> Module = c.hardswish ? { Hardswish() } : { ReLU() }
        var layers: [Module] = []
        // BatchNorm2d(eps=0.001, momentum=0.01), as torchvision's MobileNetV3 builds it.
        if c.expanded != c.input {
            layers.append(conv2dNormActivation(c.input, c.expanded, kernelSize: 1, normEps: 1e-3, normMomentum: 0.01,
                                               activation: activation))
        }
        layers.append(conv2dNormActivation(c.expanded, c.expanded, kernelSize: c.kernel, stride: c.stride, groups: c.expanded,
                                           normEps: 1e-3, normMomentum: 0.01, activation: activation))
        if c.squeezeExcite {
            layers.append(SqueezeExcitation(c.expanded, makeDivisible(Double(c.expanded / 4), 8), scaleActivation: Hardsigmoid()))
        }
        layers.append(conv2dNormActivation(c.expanded, c.output, kernelSize: 1, normEps: 1e-3, normMomentum: 0.01, activation: nil))
        block = Sequential(layers)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor { useResidual ? block(x) + x : block(x) }
}

/// torchvision's `MobileNetV3` (small and large).
public final class MobileNetV3: Module {
    let features: Sequential
    let avgpool = AdaptiveAvgPool2d(1)
    let classifier: Sequential

    fileprivate init(_ settings: [BottleneckConfig], lastChannel: Int, numClasses: Int, dropout: Double = 0.2) {
        var layers: [Module] = [conv2dNormActivation(3, settings[0].input, stride: 2, normEps: 1e-3, normMomentum: 0.01,
                                                     activation: { Hardswish() })]
        for c in settings { layers.append(MobileNetV3Block(c)) }
        let lastInput = settings[settings.count - 1].output, lastOutput = 6 * lastInput
        layers.append(conv2dNormActivation(lastInput, lastOutput, kernelSize: 1, normEps: 1e-3, normMomentum: 0.01,
                                           activation: { Hardswish() }))
        features = Sequential(layers)
        classifier = Sequential(Linear(lastOutput, lastChannel), Hardswish(), Dropout(p: dropout), Linear(lastChannel, numClasses))
        super.init()
        initializeWithSmallLinearWeights(self)
    }

    /// Logits for `(N, 3, H, W)` images.
    public override func forward(_ x: Tensor) -> Tensor {
        classifier(flatten(avgpool(features(x)), 1))
    }
}

private func row(_ input: Int, _ kernel: Int, _ expanded: Int, _ output: Int, _ se: Bool, _ hs: Bool, _ stride: Int) -> BottleneckConfig {
    BottleneckConfig(input: input, kernel: kernel, expanded: expanded, output: output, squeezeExcite: se, hardswish: hs, stride: stride)
}

/// MobileNetV3-Large (`torchvision.models.mobilenet_v3_large`).
public func mobilenetV3Large(numClasses: Int = 1000) -> MobileNetV3 {
    MobileNetV3([
        row(16, 3, 16, 16, false, false, 1), row(16, 3, 64, 24, false, false, 2), row(24, 3, 72, 24, false, false, 1),
        row(24, 5, 72, 40, true, false, 2), row(40, 5, 120, 40, true, false, 1), row(40, 5, 120, 40, true, false, 1),
        row(40, 3, 240, 80, false, true, 2), row(80, 3, 200, 80, false, true, 1), row(80, 3, 184, 80, false, true, 1),
        row(80, 3, 184, 80, false, true, 1), row(80, 3, 480, 112, true, true, 1), row(112, 3, 672, 112, true, true, 1),
        row(112, 5, 672, 160, true, true, 2), row(160, 5, 960, 160, true, true, 1), row(160, 5, 960, 160, true, true, 1),
    ], lastChannel: 1280, numClasses: numClasses)
}

/// MobileNetV3-Small (`torchvision.models.mobilenet_v3_small`).
public func mobilenetV3Small(numClasses: Int = 1000) -> MobileNetV3 {
    MobileNetV3([
        row(16, 3, 16, 16, true, false, 2), row(16, 3, 72, 24, false, false, 2), row(24, 3, 88, 24, false, false, 1),
        row(24, 5, 96, 40, true, true, 2), row(40, 5, 240, 40, true, true, 1), row(40, 5, 240, 40, true, true, 1),
        row(40, 5, 120, 48, true, true, 1), row(48, 5, 144, 48, true, true, 1), row(48, 5, 288, 96, true, true, 2),
        row(96, 5, 576, 96, true, true, 1), row(96, 5, 576, 96, true, true, 1),
    ], lastChannel: 1024, numClasses: numClasses)
}
