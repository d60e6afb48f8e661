/// Modules around functional ops that change layout or size: `PixelShuffle`,
/// `PixelUnshuffle`, `Upsample`, `ChannelShuffle`, the padding modules, `InstanceNorm1d/2d`
/// and `AvgPool1d`.

/// `nn.PixelShuffle(r)`: `(N, C·r², H, W)` → `(N, C, H·r, W·r)` (`torch.nn.PixelShuffle`).
public final class PixelShuffle: Module {
    /// The upscale factor.
    public let upscaleFactor: Int
    /// Creates the layer.
    public init(_ upscaleFactor: Int) { self.upscaleFactor = upscaleFactor; super.init() }
    /// `pixelShuffle(x, upscaleFactor:)`.
    public override func forward(_ x: Tensor) -> Tensor { pixelShuffle(x, upscaleFactor: upscaleFactor) }
    /// `upscale_factor=r`.
    public override var extraRepresentation: String { "upscale_factor=\(upscaleFactor)" }
}

/// `nn.PixelUnshuffle(r)`: the inverse of `PixelShuffle` (`torch.nn.PixelUnshuffle`).
public final class PixelUnshuffle: Module {
    /// The downscale factor.
    public let downscaleFactor: Int
    /// Creates the layer.
    public init(_ downscaleFactor: Int) { self.downscaleFactor = downscaleFactor; super.init() }
    /// `(N, C, H·r, W·r)` → `(N, C·r², H, W)`.
    public override func forward(_ x: Tensor) -> Tensor { pixelUnshuffle(x, downscaleFactor: downscaleFactor) }
    /// `downscale_factor=r`.
    public override var extraRepresentation: String { "downscale_factor=\(downscaleFactor)" }
}

/// `nn.Upsample(size:scaleFactor:mode:)`: `interpolate` as a module (`torch.nn.Upsample`).
public final class Upsample: Module {
    /// Output size, if fixed.
    public let size: [Int]?
    /// Scale per spatial dimension, if given instead.
    public let scaleFactor: [Double]?
    /// `nearest`, `linear`, `bilinear`, ...
    public let mode: InterpolationMode
    /// `align_corners` for the linear modes.
    public let alignCorners: Bool?
    /// Creates the layer.
    public init(size: [Int]? = nil, scaleFactor: [any ScalarConvertible]? = nil, mode: InterpolationMode = .nearest,
                alignCorners: Bool? = nil) {
        let scaleFactor = scaleFactor?.map(\.scalarValue.doubleValue)
        self.size = size
        self.scaleFactor = scaleFactor
        self.mode = mode
        self.alignCorners = alignCorners
        super.init()
    }
    /// `interpolate(x, ...)`.
    public override func forward(_ x: Tensor) -> Tensor {
        interpolate(x, size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners)
    }
}

/// `nn.ChannelShuffle(groups)`: channels regrouped as in ShuffleNet (`torch.nn.ChannelShuffle`).
public final class ChannelShuffle: Module {
    /// Number of channel groups.
    public let groups: Int
    /// Creates the layer.
    public init(_ groups: Int) { self.groups = groups; super.init() }
    /// `(N, g·k, …)` → channels interleaved across the groups.
    public override func forward(_ x: Tensor) -> Tensor { channelShuffle(x, groups: groups) }
}

/// `F.channel_shuffle`: `(N, g·k, …)` viewed `(N, g, k, …)`, the two swapped, flattened back
/// (`torch.nn.functional.channel_shuffle`).
public func channelShuffle(_ x: Tensor, groups: Int) -> Tensor {
    let c = x.shape[1]
    guard groups > 0, c % groups == 0 else {
        torchFatal("RuntimeError: Number of channels must be divisible by groups. Got \(c) channels and \(groups) groups.")
    }
    let rest = Array(x.shape.dropFirst(2))
    return x.reshape([x.shape[0], groups, c / groups] + rest).transpose(1, 2).reshape(x.shape)
}

/// The padding modules (`nn.ZeroPad2d`, `nn.ConstantPad1d/2d`, `nn.ReflectionPad1d/2d`,
/// `nn.ReplicationPad1d/2d`): `pad(x, padding, mode:value:)` with PyTorch's padding order
/// (last dimension first: left, right, top, bottom) (PyTorch's `_ConstantPadNd`, `_ReflectionPadNd`
/// and `_ReplicationPadNd` in `torch.nn.modules.padding`).
public class PaddingLayer: Module {
    /// `(left, right[, top, bottom])`.
    public let padding: [Int]
    /// How the border is filled.
    public let mode: PaddingMode
    /// The constant for `.constant`.
    public let value: Double
    init(_ padding: [Int], mode: PaddingMode, value: Double = 0) {
        self.padding = padding
        self.mode = mode
        self.value = value
        super.init()
    }
    /// `pad(x, padding, mode:value:)`.
    public override func forward(_ x: Tensor) -> Tensor { pad(x, padding, mode: mode, value: value) }
    /// `(left, right, …)`.
    public override var extraRepresentation: String { "(" + padding.map(String.init).joined(separator: ", ") + ")" }
}

/// `nn.ZeroPad2d` (`torch.nn.ZeroPad2d`).
public final class ZeroPad2d: PaddingLayer {
    /// The same padding on all four sides.
    public convenience init(_ padding: Int) { self.init([padding, padding, padding, padding]) }
    /// `(left, right, top, bottom)`.
    public init(_ padding: [Int]) { super.init(padding, mode: .constant) }
}

/// `nn.ConstantPad1d` (`torch.nn.ConstantPad1d`).
public final class ConstantPad1d: PaddingLayer {
    /// `(left, right)` filled with `value`.
    public init(_ padding: [Int], _ value: some ScalarConvertible) {
        let value = value.scalarValue.doubleValue
        super.init(padding, mode: .constant, value: value)
    }
}

/// `nn.ConstantPad2d` (`torch.nn.ConstantPad2d`).
public final class ConstantPad2d: PaddingLayer {
    /// `(left, right, top, bottom)` filled with `value`.
    public init(_ padding: [Int], _ value: some ScalarConvertible) {
        let value = value.scalarValue.doubleValue
        super.init(padding, mode: .constant, value: value)
    }
}

/// `nn.ReflectionPad1d` (`torch.nn.ReflectionPad1d`).
public final class ReflectionPad1d: PaddingLayer {
    /// `(left, right)` mirrored.
    public init(_ padding: [Int]) { super.init(padding, mode: .reflect) }
}

/// `nn.ReflectionPad2d` (`torch.nn.ReflectionPad2d`).
public final class ReflectionPad2d: PaddingLayer {
    /// `(left, right, top, bottom)` mirrored.
    public init(_ padding: [Int]) { super.init(padding, mode: .reflect) }
    /// `nn.ReflectionPad2d(n)`: `n` mirrored on all four sides.
    public convenience init(_ padding: Int) { self.init([padding, padding, padding, padding]) }
}

/// `nn.ReplicationPad1d` (`torch.nn.ReplicationPad1d`).
public final class ReplicationPad1d: PaddingLayer {
    /// `(left, right)` repeating the edge.
    public init(_ padding: [Int]) { super.init(padding, mode: .replicate) }
}

/// `nn.ReplicationPad2d` (`torch.nn.ReplicationPad2d`).
public final class ReplicationPad2d: PaddingLayer {
    /// `(left, right, top, bottom)` repeating the edge.
    public init(_ padding: [Int]) { super.init(padding, mode: .replicate) }
}

/// `F.instance_norm` without running statistics: each `(sample, channel)` normalised over
/// its spatial positions (computed as a group norm with one channel per group), then the
/// optional per-channel affine (`torch.nn.functional.instance_norm`).
public func instanceNorm(_ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil,
                         eps: some ScalarConvertible = 1e-5) -> Tensor {
    let eps = eps.scalarValue.doubleValue
    return groupNorm(x, numGroups: x.shape[1], weight: weight, bias: bias, eps: eps)
}

/// `nn.InstanceNorm1d` / `nn.InstanceNorm2d` (PyTorch's defaults: no affine, no running
/// statistics) (PyTorch's `torch.nn.modules.instancenorm._InstanceNorm`).
public class InstanceNormLayer: Module {
    /// Channels.
    public let numFeatures: Int
    /// Added to the variance.
    public let eps: Double
    /// Per-channel scale when affine.
    @Parameter public var weight: Tensor?
    /// Per-channel shift when affine.
    @Parameter public var bias: Tensor?
    init(_ numFeatures: Int, eps: Double = 1e-5, affine: Bool = false) {
        self.numFeatures = numFeatures
        self.eps = eps
        weight = affine ? Tensor.ones([numFeatures], requiresGrad: true) : nil
        bias = affine ? Tensor.zeros([numFeatures], requiresGrad: true) : nil
        super.init()
    }
    /// `instanceNorm(x, ...)`; unbatched input gets a batch of one.
    public override func forward(_ x: Tensor) -> Tensor {
        let batched = x.dim == expectedRank
        let y = instanceNorm(batched ? x : x.unsqueeze(0), weight: weight, bias: bias, eps: eps)
        return batched ? y : y.squeeze(0)
    }
    var expectedRank: Int { 4 }
    /// `numFeatures, eps=…, …`.
    public override var extraRepresentation: String { "\(numFeatures), eps=\(formatPythonFloat(eps)), momentum=0.1, affine=\(weight == nil ? "False" : "True"), track_running_stats=False" }
}

/// `nn.InstanceNorm1d` over `(N, C, L)` (`torch.nn.InstanceNorm1d`).
public final class InstanceNorm1d: InstanceNormLayer {
    /// Creates the layer.
    public init(_ numFeatures: Int, eps: some ScalarConvertible = 1e-5, affine: Bool = false) {
        let eps = eps.scalarValue.doubleValue
        super.init(numFeatures, eps: eps, affine: affine)
    }
    override var expectedRank: Int { 3 }
}

/// `nn.InstanceNorm2d` over `(N, C, H, W)` (`torch.nn.InstanceNorm2d`).
public final class InstanceNorm2d: InstanceNormLayer {
    /// Creates the layer.
    public init(_ numFeatures: Int, eps: some ScalarConvertible = 1e-5, affine: Bool = false) {
        let eps = eps.scalarValue.doubleValue
        super.init(numFeatures, eps: eps, affine: affine)
    }
}

/// `F.avg_pool1d` over `(N, C, L)` or `(C, L)` (`torch.nn.functional.avg_pool1d`).
public func avgPool1d(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                      countIncludePad: Bool = true) -> Tensor {
    avgPool2d(x.unsqueeze(-2), [1, kernelSize], stride: [1, stride ?? kernelSize], padding: [0, padding], ceilMode: ceilMode,
              countIncludePad: countIncludePad).squeeze(-2)
}

/// `nn.AvgPool1d` (`torch.nn.AvgPool1d`).
public final class AvgPool1d: Module {
    /// Window length.
    public let kernelSize: Int
    /// Step (the window by default).
    public let stride: Int?
    /// Zero padding on both ends.
    public let padding: Int
    /// Creates the layer.
    public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        super.init()
    }
    /// `avgPool1d(x, ...)`.
    public override func forward(_ x: Tensor) -> Tensor { avgPool1d(x, kernelSize, stride: stride, padding: padding) }
}

/// `nn.Unfold`: sliding local blocks of `(N, C, H, W)` as columns `(N, C·kh·kw, L)`
/// (`torch.nn.Unfold`).
public final class Unfold: Module {
    let kernelSize: [Int], dilation: [Int], padding: [Int], stride: [Int]
    /// Creates the layer with PyTorch's arguments.
    public init(kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0], stride: [Int] = [1]) {
        (self.kernelSize, self.dilation, self.padding, self.stride) = (kernelSize, dilation, padding, stride)
        super.init()
    }
    /// ``unfold(_:kernelSize:dilation:padding:stride:)`` of the input.
    public override func forward(_ x: Tensor) -> Tensor {
        unfold(x, kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride)
    }
}

/// `nn.Fold`: columns `(N, C·kh·kw, L)` summed back into `(N, C, H, W)` (`torch.nn.Fold`).
public final class Fold: Module {
    let outputSize: [Int], kernelSize: [Int], dilation: [Int], padding: [Int], stride: [Int]
    /// Creates the layer with PyTorch's arguments.
    public init(outputSize: [Int], kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0], stride: [Int] = [1]) {
        (self.outputSize, self.kernelSize, self.dilation, self.padding, self.stride) = (outputSize, kernelSize, dilation, padding, stride)
        super.init()
    }
    /// ``fold(_:outputSize:kernelSize:dilation:padding:stride:)`` of the input.
    public override func forward(_ x: Tensor) -> Tensor {
        fold(x, outputSize: outputSize, kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride)
    }
}

/// `nn.MaxUnpool2d`: the inverse of `MaxPool2d(returnIndices: true)`, zeros elsewhere
/// (`torch.nn.MaxUnpool2d`).
public final class MaxUnpool2d: Module {
    let kernelSize: [Int], stride: [Int]?, padding: [Int]
    /// Creates the layer; `stride` defaults to `kernelSize`.
    public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = [kernelSize]
        self.stride = stride.map { [$0] }
        self.padding = [padding]
        super.init()
    }
    /// Places `input`'s values at `indices` in an output of `outputSize` (or the default size).
    public func callAsFunction(_ input: Tensor, _ indices: Tensor, outputSize: [Int]? = nil) -> Tensor {
        maxUnpool2d(input, indices, kernelSize: kernelSize, stride: stride, padding: padding, outputSize: outputSize)
    }
}

/// `nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0)` (`torch.nn.LocalResponseNorm`).
public final class LocalResponseNorm: Module {
    /// Neighbouring channels in each sum.
    public let size: Int
    /// Scale of the sum.
    public let alpha: Double
    /// Exponent of the divisor.
    public let beta: Double
    /// Additive constant of the divisor.
    public let k: Double
    /// Creates the layer with PyTorch's defaults.
    public init(_ size: Int, alpha: some ScalarConvertible = 1e-4, beta: some ScalarConvertible = 0.75,
                k: some ScalarConvertible = 1) {
        let alpha = alpha.scalarValue.doubleValue
        let beta = beta.scalarValue.doubleValue
        let k = k.scalarValue.doubleValue
        (self.size, self.alpha, self.beta, self.k) = (size, alpha, beta, k)
        super.init()
    }
    /// ``localResponseNorm(_:size:alpha:beta:k:)`` of the input.
    public override func forward(_ x: Tensor) -> Tensor { localResponseNorm(x, size: size, alpha: alpha, beta: beta, k: k) }
    /// `3, alpha=0.0001, beta=0.75, k=1.0`, as PyTorch prints it.
    public override var extraRepresentation: String {
        "\(size), alpha=\(formatPythonFloat(alpha)), beta=\(formatPythonFloat(beta)), k=\(formatPythonFloat(k))"
    }
}
