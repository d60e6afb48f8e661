import Torch

/// `import TorchVision`: torchvision's model architectures, built as torchvision builds
/// them — the same modules in the same order, so `stateDict()` keys and shapes are
/// torchvision's (a `.pth` from torchvision loads with `loadStateDict`), and after
/// `manualSeed(0)` the initial weights, drawn in torchvision's order, are torchvision's.
///
/// Every architecture is a free function returning its model (`resnet18(numClasses:)`,
/// `mobilenetV2()`, ...), as `torchvision.models.resnet18(weights=None)`. No weights are
/// downloaded: load a torchvision checkpoint with `loadStateDict(try load(from: path))`.

/// torchvision's `_make_divisible`: `v` rounded to a multiple of `divisor` (at least
/// `minValue`), never more than 10% below `v`.
func makeDivisible(_ v: Double, _ divisor: Int, minValue: Int? = nil) -> Int {
    let floor = minValue ?? divisor
    var rounded = Swift.max(floor, Int(v + Double(divisor) / 2) / divisor * divisor)
    if Double(rounded) < 0.9 * v { rounded += divisor }
    return rounded
}

/// torchvision's `Conv2dNormActivation`: convolution (no bias when normalised), batch
/// norm, activation, in a `Sequential` named `0`, `1`, `2`; padding keeps the size at
/// stride 1.
func conv2dNormActivation(_ inChannels: Int, _ outChannels: Int, kernelSize: Int = 3, stride: Int = 1,
                          groups: Int = 1, dilation: Int = 1, normEps: Double = 1e-5, normMomentum: Double = 0.1,
                          activation: (() -> Module)? = { ReLU() }) -> Sequential {
    let padding = (kernelSize - 1) / 2 * dilation
    var layers: [Module] = [
        Conv2d(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
               groups: groups, bias: false),
        BatchNorm2d(outChannels, eps: normEps, momentum: normMomentum),
    ]
    if let activation { layers.append(activation()) }
    return Sequential(layers)
}

/// torchvision's `SqueezeExcitation`: global average pool, `fc1` (1×1 conv) and
/// activation, `fc2` and a gate that scales the input's channels.
final class SqueezeExcitation: Module {
    let avgpool = AdaptiveAvgPool2d(1)
    let fc1: Conv2d
    let fc2: Conv2d
    let activation: Module
    let scaleActivation: Module

    init(_ inputChannels: Int, _ squeezeChannels: Int, activation: Module = ReLU(), scaleActivation: Module = Sigmoid()) {
        fc1 = Conv2d(inputChannels, squeezeChannels, kernelSize: 1)
        fc2 = Conv2d(squeezeChannels, inputChannels, kernelSize: 1)
        self.activation = activation
        self.scaleActivation = scaleActivation
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        let scale = scaleActivation(fc2(activation(fc1(avgpool(x)))))
        return scale * x
    }
}

/// torchvision's `StochasticDepth` in `"row"` mode: in training, each sample's residual
/// branch is dropped with probability `p` (and the kept ones scaled by `1/(1-p)`);
/// the identity in evaluation.
public final class StochasticDepth: Module {
    /// The probability of dropping a sample's branch.
    public let p: Double

    /// Creates the layer.
    public init(_ p: some ScalarConvertible) {
        let p = p.scalarValue.doubleValue
        self.p = p
        super.init()
    }

    /// Drops whole samples of `x` in training.
    public override func forward(_ x: Tensor) -> Tensor {
        guard isTraining, p > 0 else { return x }
        let survival = 1 - p
        let shape = [x.shape[0]] + [Int](repeating: 1, count: x.dim - 1)
        let noise = Tensor.empty(shape, dtype: x.dtype).bernoulli_(p: survival)
        return x * (survival > 0 ? noise / survival : noise)
    }
}

/// torchvision's weight initialisation loop: `body` sees every module of `model` in
/// PyTorch's `modules()` order (depth first, registration order), so random draws happen
/// in torchvision's sequence.
func initialize(_ model: Module, _ body: (Module) -> Void) {
    noGrad { for m in model.modules() { body(m) } }
}

/// Kaiming-normal (`fan_out`, ReLU gain) convolutions and unit batch norms: the
/// initialisation ResNet, VGG, MobileNet and EfficientNet share.
func initializeConvolutionsAndNorms(_ m: Module, convolutionBiasZero: Bool = true) {
    if let conv = m as? Conv2d {
        kaimingNormal_(conv.weight, mode: .fanOut, nonlinearity: .relu)
        if convolutionBiasZero, let b = conv.bias { zeros_(b) }
    } else if let bn = m as? BatchNormLayer {
        if let w = bn.weight { ones_(w) }
        if let b = bn.bias { zeros_(b) }
    } else if let gn = m as? GroupNorm {
        if let w = gn.weight { ones_(w) }
        if let b = gn.bias { zeros_(b) }
    }
}

/// VGG's and the MobileNets' initialisation: `initializeConvolutionsAndNorms(_:convolutionBiasZero:)`
/// plus N(0, 0.01²) linear weights with zero biases.
func initializeWithSmallLinearWeights(_ model: Module) {
    initialize(model) { m in
        if let linear = m as? Linear {
            normal_(linear.weight, mean: 0, std: 0.01)
            if let b = linear.bias { zeros_(b) }
        } else {
            initializeConvolutionsAndNorms(m)
        }
    }
}
