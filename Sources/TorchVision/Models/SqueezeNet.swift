import Torch

/// torchvision's `Fire` module: a 1×1 squeeze, then 1×1 and 3×3 expansions concatenated.
final class Fire: Module {
    let squeeze: Conv2d
    let squeezeActivation = ReLU()
    let expand1x1: Conv2d
    let expand1x1Activation = ReLU()
    let expand3x3: Conv2d
    let expand3x3Activation = ReLU()

    init(_ inplanes: Int, _ squeezePlanes: Int, _ expand1x1Planes: Int, _ expand3x3Planes: Int) {
        squeeze = Conv2d(inplanes, squeezePlanes, kernelSize: 1)
        expand1x1 = Conv2d(squeezePlanes, expand1x1Planes, kernelSize: 1)
        expand3x3 = Conv2d(squeezePlanes, expand3x3Planes, kernelSize: 3, padding: 1)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        let s = squeezeActivation(squeeze(x))
        return cat([expand1x1Activation(expand1x1(s)), expand3x3Activation(expand3x3(s))], dim: 1)
    }
}

/// torchvision's `SqueezeNet` 1.1.
public final class SqueezeNet: Module {
    let features: Sequential
    let classifier: Sequential

    init(numClasses: Int, dropout: Double = 0.5) {
        features = Sequential(
            Conv2d(3, 64, kernelSize: 3, stride: 2), ReLU(), MaxPool2d(3, stride: 2, ceilMode: true),
            Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), MaxPool2d(3, stride: 2, ceilMode: true),
            Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), MaxPool2d(3, stride: 2, ceilMode: true),
            Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256), Fire(512, 64, 256, 256))
        let finalConv = Conv2d(512, numClasses, kernelSize: 1)
        classifier = Sequential(Dropout(p: dropout), finalConv, ReLU(), AdaptiveAvgPool2d(1))
        super.init()
        initialize(self) { m in
            guard let conv = m as? Conv2d else { return }
            if conv === finalConv {
                normal_(conv.weight, mean: 0, std: 0.01)
            } else {
                kaimingUniform_(conv.weight)
            }
            if let b = conv.bias { zeros_(b) }
        }
    }

    /// Logits for `(N, 3, H, W)` images.
    public override func forward(_ x: Tensor) -> Tensor { flatten(classifier(features(x)), 1) }
}

/// SqueezeNet 1.1 (`torchvision.models.squeezenet1_1`).
public func squeezenet1_1(numClasses: Int = 1000) -> SqueezeNet { SqueezeNet(numClasses: numClasses) }
