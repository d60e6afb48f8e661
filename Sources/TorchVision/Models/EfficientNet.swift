import Foundation
import Torch

/// torchvision's `MBConv`: expansion, depthwise convolution, squeeze-excitation (SiLU,
/// sigmoid gate), projection (`block`), and stochastic depth on the residual branch.
final class MBConv: Module {
    let block: Sequential
    let stochasticDepth: StochasticDepth
    private let useResidual: Bool

    init(expandRatio: Int, kernel: Int, stride: Int, input: Int, output: Int, stochasticDepthProbability: Double) {
        useResidual = stride == 1 && input == output
        let expanded = makeDivisible(Double(input * expandRatio), 8)
        var layers: [Module] = []
        if expanded != input {
            layers.append(conv2dNormActivation(input, expanded, kernelSize: 1, activation: { SiLU() }))
        }
        layers.append(conv2dNormActivation(expanded, expanded, kernelSize: kernel, stride: stride, groups: expanded,
                                           activation: { SiLU() }))
        layers.append(SqueezeExcitation(expanded, Swift.max(1, input / 4), activation: SiLU()))
        layers.append(conv2dNormActivation(expanded, output, kernelSize: 1, activation: nil))
        block = Sequential(layers)
        stochasticDepth = StochasticDepth(stochasticDepthProbability)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        useResidual ? stochasticDepth(block(x)) + x : block(x)
    }
}

/// torchvision's `EfficientNet` (B0 here).
public final class EfficientNet: Module {
    let features: Sequential
    let avgpool = AdaptiveAvgPool2d(1)
    let classifier: Sequential

    init(numClasses: Int, dropout: Double = 0.2, stochasticDepthProbability: Double = 0.2) {
        // (expand ratio, kernel, stride, input, output, layers) for B0 (width and depth 1.0).
        let stages = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
                      (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]
        var layers: [Module] = [conv2dNormActivation(3, 32, stride: 2, activation: { SiLU() })]
        let totalBlocks = stages.reduce(0) { $0 + $1.5 }
        var blockIndex = 0
        for (expand, kernel, stride, input, output, count) in stages {
            var stage: [Module] = []
            for i in 0..<count {
                let p = stochasticDepthProbability * Double(blockIndex) / Double(totalBlocks)
                stage.append(MBConv(expandRatio: expand, kernel: kernel, stride: i == 0 ? stride : 1,
                                    input: i == 0 ? input : output, output: output, stochasticDepthProbability: p))
                blockIndex += 1
            }
            layers.append(Sequential(stage))
        }
        layers.append(conv2dNormActivation(320, 1280, kernelSize: 1, activation: { SiLU() }))
        features = Sequential(layers)
        classifier = Sequential(Dropout(p: dropout), Linear(1280, numClasses))
        super.init()
        initialize(self) { m in
            if let linear = m as? Linear {
                let range = 1 / Double(linear.weight.shape[0]).squareRoot()
                uniform_(linear.weight, a: -range, b: range)
                if let b = linear.bias { zeros_(b) }
            } else {
                initializeConvolutionsAndNorms(m)
            }
        }
    }

    /// Logits for `(N, 3, H, W)` images.
    public override func forward(_ x: Tensor) -> Tensor {
        classifier(flatten(avgpool(features(x)), 1))
    }
}

/// EfficientNet-B0 (`torchvision.models.efficientnet_b0`).
public func efficientnetB0(numClasses: Int = 1000) -> EfficientNet { EfficientNet(numClasses: numClasses) }
