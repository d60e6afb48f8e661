import Foundation
import Torch
import TorchVision

// pytorch/examples fast_neural_style/neural_style (transformer_net.py, vgg.py, utils.py's
// gram_matrix and normalize_batch, and neural_style.py's training step), ported as a new
// user would write it. The VGG-16 is torchvision's architecture with its default
// initialisation (ImageNet weights would come from the user's file), and the COCO images
// and style image are replaced by tensors shaped as them, in [0, 255].

/// `ConvLayer`: reflection padding then a convolution.
final class ConvLayer: Module {
    let reflectionPad: ReflectionPad2d
    let conv2d: Conv2d

    init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int) {
        let reflectionPadding = kernelSize / 2
        reflectionPad = ReflectionPad2d(reflectionPadding)
        conv2d = Conv2d(inChannels, outChannels, kernelSize, stride)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        var out = reflectionPad(x)
        out = conv2d(out)
        return out
    }
}

/// ResidualBlock, introduced in https://arxiv.org/abs/1512.03385.
final class ResidualBlock: Module {
    let conv1: ConvLayer
    let in1: InstanceNorm2d
    let conv2: ConvLayer
    let in2: InstanceNorm2d
    let relu = ReLU()

    init(_ channels: Int) {
        conv1 = ConvLayer(channels, channels, kernelSize: 3, stride: 1)
        in1 = InstanceNorm2d(channels, affine: true)
        conv2 = ConvLayer(channels, channels, kernelSize: 3, stride: 1)
        in2 = InstanceNorm2d(channels, affine: true)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        let residual = x
        var out = relu(in1(conv1(x)))
        out = in2(conv2(out))
        out = out + residual
        return out
    }
}

/// UpsampleConvLayer: upsamples the input and then does a convolution (better results than
/// ConvTranspose2d, http://distill.pub/2016/deconv-checkerboard/).
final class UpsampleConvLayer: Module {
    let upsample: Int?
    let reflectionPad: ReflectionPad2d
    let conv2d: Conv2d

    init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int, upsample: Int? = nil) {
        self.upsample = upsample
        let reflectionPadding = kernelSize / 2
        reflectionPad = ReflectionPad2d(reflectionPadding)
        conv2d = Conv2d(inChannels, outChannels, kernelSize, stride)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        var xIn = x
        if let upsample {
            xIn = interpolate(xIn, scaleFactor: upsample, mode: .nearest)
        }
        var out = reflectionPad(xIn)
        out = conv2d(out)
        return out
    }
}

/// The image transformation network.
final class TransformerNet: Module {
    // Initial convolution layers
    let conv1 = ConvLayer(3, 32, kernelSize: 9, stride: 1)
    let in1 = InstanceNorm2d(32, affine: true)
    let conv2 = ConvLayer(32, 64, kernelSize: 3, stride: 2)
    let in2 = InstanceNorm2d(64, affine: true)
    let conv3 = ConvLayer(64, 128, kernelSize: 3, stride: 2)
    let in3 = InstanceNorm2d(128, affine: true)
    // Residual layers
    let res1 = ResidualBlock(128)
    let res2 = ResidualBlock(128)
    let res3 = ResidualBlock(128)
    let res4 = ResidualBlock(128)
    let res5 = ResidualBlock(128)
    // Upsampling Layers
    let deconv1 = UpsampleConvLayer(128, 64, kernelSize: 3, stride: 1, upsample: 2)
    let in4 = InstanceNorm2d(64, affine: true)
    let deconv2 = UpsampleConvLayer(64, 32, kernelSize: 3, stride: 1, upsample: 2)
    let in5 = InstanceNorm2d(32, affine: true)
    let deconv3 = ConvLayer(32, 3, kernelSize: 9, stride: 1)
    // Non-linearities
    let relu = ReLU()

    override func forward(_ X: Tensor) -> Tensor {
        var y = relu(in1(conv1(X)))
        y = relu(in2(conv2(y)))
        y = relu(in3(conv3(y)))
        y = res1(y)
        y = res2(y)
        y = res3(y)
        y = res4(y)
        y = res5(y)
        y = relu(in4(deconv1(y)))
        y = relu(in5(deconv2(y)))
        y = deconv3(y)
        return y
    }
}

/// `vgg_outputs = namedtuple("VggOutputs", ['relu1_2', 'relu2_2', 'relu3_3', 'relu4_3'])`.
struct VggOutputs: Swift.Sequence {
    let relu1_2: Tensor
    let relu2_2: Tensor
    let relu3_3: Tensor
    let relu4_3: Tensor

    func makeIterator() -> IndexingIterator<[Tensor]> { [relu1_2, relu2_2, relu3_3, relu4_3].makeIterator() }
}

/// VGG-16's features up to relu4_3, in four slices.
final class Vgg16: Module {
    let slice1 = Sequential()
    let slice2 = Sequential()
    let slice3 = Sequential()
    let slice4 = Sequential()

    init(requiresGrad: Bool = false) {
        let vggPretrainedFeatures = vgg16().features
        super.init()
        for x in 0..<4 {
            slice1.addModule(String(x), vggPretrainedFeatures[x])
        }
        for x in 4..<9 {
            slice2.addModule(String(x), vggPretrainedFeatures[x])
        }
        for x in 9..<16 {
            slice3.addModule(String(x), vggPretrainedFeatures[x])
        }
        for x in 16..<23 {
            slice4.addModule(String(x), vggPretrainedFeatures[x])
        }
        if !requiresGrad {
            for param in parameters() {
                param.requiresGrad = false
            }
        }
    }

    func callAsFunction(_ X: Tensor) -> VggOutputs {
        var h = slice1(X)
        let hRelu1_2 = h
        h = slice2(h)
        let hRelu2_2 = h
        h = slice3(h)
        let hRelu3_3 = h
        h = slice4(h)
        let hRelu4_3 = h
        return VggOutputs(relu1_2: hRelu1_2, relu2_2: hRelu2_2, relu3_3: hRelu3_3, relu4_3: hRelu4_3)
    }
}

/// utils.py's `gram_matrix`.
func gramMatrix(_ y: Tensor) -> Tensor {
    let (b, ch, h, w) = (y.size(0), y.size(1), y.size(2), y.size(3))
    let features = y.view(b, ch, w * h)
    let featuresT = features.transpose(1, 2)
    let gram = features.bmm(featuresT) / (ch * h * w)
    return gram
}

/// utils.py's `normalize_batch`: normalize using imagenet mean and std.
func normalizeBatch(_ batch: Tensor) -> Tensor {
    let mean = batch.newTensor([0.485, 0.456, 0.406]).view(-1, 1, 1)
    let std = batch.newTensor([0.229, 0.224, 0.225]).view(-1, 1, 1)
    let batch = batch.div_(255.0)
    return (batch - mean) / std
}

/// neural_style.py's `train` for `steps` batches of `batchSize` random `imageSize`² images
/// (Adam at 1e-3, content weight 1e5, style weight 1e10); the total losses.
func runFastNeuralStyle(steps: Int = 2, batchSize: Int = 2, imageSize: Int = 32, contentWeight: Double = 1e5,
                        styleWeight: Double = 1e10, lr: Double = 1e-3, seed: Int = 42, logInterval: Int = 1) -> PortedRun {
    var run = PortedRun()
    manualSeed(seed)
    let trainDataset = (0..<steps).map { _ in Tensor.rand(batchSize, 3, imageSize, imageSize) * 255 }

    let transformer = TransformerNet()
    let optimizer = Adam(transformer.parameters(), lr: lr)
    let mseLoss = MSELoss()

    let vgg = Vgg16(requiresGrad: false)
    var style = Tensor.rand(3, imageSize, imageSize) * 255
    style = style.repeat(batchSize, 1, 1, 1)

    let featuresStyle: VggOutputs = vgg(normalizeBatch(style))
    let gramStyle = featuresStyle.map { gramMatrix($0) }

    transformer.train()
    var aggContentLoss = 0.0
    var aggStyleLoss = 0.0
    var count = 0
    for (batchId, x) in trainDataset.enumerated() {
        let nBatch = x.count
        count += nBatch
        optimizer.zeroGrad()

        var y = transformer(x)

        y = normalizeBatch(y)
        let x = normalizeBatch(x)

        let featuresY: VggOutputs = vgg(y)
        let featuresX: VggOutputs = vgg(x)

        let contentLoss = contentWeight * mseLoss(featuresY.relu2_2, featuresX.relu2_2)

        var styleLoss = Tensor(0.0)
        for (ftY, gmS) in zip(featuresY, gramStyle) {
            let gmY = gramMatrix(ftY)
            styleLoss = styleLoss + mseLoss(gmY, gmS[..<nBatch, .all, .all])
        }
        styleLoss = styleLoss * styleWeight

        let totalLoss = contentLoss + styleLoss
        totalLoss.backward()
        optimizer.step()

        aggContentLoss += contentLoss.item()
        aggStyleLoss += styleLoss.item()
        run.losses.append(totalLoss.item())

        if (batchId + 1) % logInterval == 0 {
            run.lines.append(String(format: "Epoch %d:\t[%d/%d]\tcontent: %.6f\tstyle: %.6f\ttotal: %.6f", 1, count,
                                    steps * batchSize, aggContentLoss / Double(batchId + 1),
                                    aggStyleLoss / Double(batchId + 1),
                                    (aggContentLoss + aggStyleLoss) / Double(batchId + 1)))
        }
    }
    return run
}
