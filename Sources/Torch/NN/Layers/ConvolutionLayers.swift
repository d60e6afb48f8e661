/// Formats an `[Int]` as a Python tuple: `(3, 3)`, `(1,)`.
func pythonTuple(_ values: [Int]) -> String {
    "(" + values.map(String.init).joined(separator: ", ") + (values.count == 1 ? ",)" : ")")
}

/// The settings and parameters shared by ``Conv1d``, ``Conv2d`` and ``ConvTranspose2d`` (PyTorch's
/// `torch.nn.modules.conv._ConvNd`).
public class ConvolutionLayer: Module {
    /// Input channels.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// Kernel size per spatial dimension.
    public let kernelSize: [Int]
    /// Stride per spatial dimension.
    public let stride: [Int]
    /// Zero padding per spatial dimension.
    public let padding: [Int]
    /// Dilation per spatial dimension.
    public let dilation: [Int]
    /// Extra size added to one side of a transposed convolution's output.
    public let outputPadding: [Int]
    /// Channel groups.
    public let groups: Int
    /// The kernel: `[out, in/groups, k...]`, or `[in, out/groups, k...]` when transposed.
    @Parameter public var weight: Tensor
    /// The per-output-channel bias, or `nil`.
    @Parameter public var bias: Tensor?

    init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int], padding: [Int], dilation: [Int],
         outputPadding: [Int], groups: Int, bias: Bool, transposed: Bool, dtype: DType) {
        guard inChannels % groups == 0 else { torchFatal("ValueError: in_channels must be divisible by groups") }
        guard outChannels % groups == 0 else { torchFatal("ValueError: out_channels must be divisible by groups") }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.outputPadding = outputPadding
        self.groups = groups
        let shape = transposed ? [inChannels, outChannels / groups] + kernelSize : [outChannels, inChannels / groups] + kernelSize
        let w = Tensor.empty(shape, dtype: dtype)
        kaimingUniform_(w, a: 5.0.squareRoot())
        self.weight = w
        // PyTorch's fan-in is the weight's dim 1 times the kernel area, transposed or not.
        let fanIn = shape[1] * kernelSize.reduce(1, *)
        self.bias = bias ? uniformFanInBias([outChannels], fanIn: fanIn, dtype: dtype) : nil
        super.init()
    }

    /// PyTorch's conv repr: channels, kernel, stride, then the settings that differ from
    /// their defaults.
    public override var extraRepresentation: String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(pythonTuple(kernelSize)), stride=\(pythonTuple(stride))"
        if padding.contains(where: { $0 != 0 }) { s += ", padding=\(pythonTuple(padding))" }
        if dilation.contains(where: { $0 != 1 }) { s += ", dilation=\(pythonTuple(dilation))" }
        if outputPadding.contains(where: { $0 != 0 }) { s += ", output_padding=\(pythonTuple(outputPadding))" }
        if groups != 1 { s += ", groups=\(groups)" }
        if bias == nil { s += ", bias=False" }
        return s
    }
}

/// `nn.Conv1d` over `(N, C, L)` inputs (`torch.nn.Conv1d`).
public final class Conv1d: ConvolutionLayer {
    /// Creates the layer with PyTorch's arguments and initialisation.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        super.init(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding],
                   dilation: [dilation], outputPadding: [0], groups: groups, bias: bias, transposed: false, dtype: dtype)
    }
    /// Creates the layer with kernel size, stride and padding by position, as
    /// `nn.Conv1d(16, 33, 3, 2)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: Int, _ stride: Int = 1, _ padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                  dilation: dilation, groups: groups, bias: bias, dtype: dtype)
    }
    /// The convolution.
    public override func forward(_ x: Tensor) -> Tensor {
        conv1d(x, weight, bias, stride: stride[0], padding: .explicit(padding), dilation: dilation[0], groups: groups)
    }
}

/// `nn.Conv2d` over `(N, C, H, W)` inputs (`torch.nn.Conv2d`).
public final class Conv2d: ConvolutionLayer {
    /// Creates the layer with square kernel, stride, padding and dilation.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: [kernelSize, kernelSize], stride: [stride, stride],
                  padding: [padding, padding], dilation: [dilation, dilation], groups: groups, bias: bias, dtype: dtype)
    }
    /// Creates the layer with kernel size, stride and padding by position, as
    /// `nn.Conv2d(nc, ndf, 4, 2, 1, bias=False)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: Int, _ stride: Int = 1, _ padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                  dilation: dilation, groups: groups, bias: bias, dtype: dtype)
    }
    /// Creates the layer with per-dimension settings.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1, 1], padding: [Int] = [0, 0],
                dilation: [Int] = [1, 1], groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        super.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                   dilation: dilation, outputPadding: [0, 0], groups: groups, bias: bias, transposed: false, dtype: dtype)
    }
    /// `nn.Conv2d(1, 64, (5, 5), (1, 1), (2, 2))`: per-dimension kernel, stride and padding
    /// by position, as PyTorch's tuples.
    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: [Int], _ stride: [Int] = [1, 1],
                            _ padding: [Int] = [0, 0], dilation: [Int] = [1, 1], groups: Int = 1, bias: Bool = true,
                            dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                  dilation: dilation, groups: groups, bias: bias, dtype: dtype)
    }
    /// The convolution.
    public override func forward(_ x: Tensor) -> Tensor {
        conv2d(x, weight, bias, stride: stride, padding: .explicit(padding), dilation: dilation, groups: groups)
    }
}

/// `nn.Conv3d` over `(N, C, D, H, W)` inputs (composed of 2-D convolutions, see
/// ``conv3d(_:_:_:stride:padding:dilation:groups:)``) (`torch.nn.Conv3d`).
public final class Conv3d: ConvolutionLayer {
    /// Creates the layer with per-dimension settings (`kernelSize: [2, 3, 3]`), PyTorch's
    /// initialisation.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1, 1, 1],
                padding: [Int] = [0, 0, 0], dilation: [Int] = [1, 1, 1], groups: Int = 1, bias: Bool = true,
                dtype: DType = .float32) {
        func triple(_ v: [Int]) -> [Int] { v.count == 1 ? [v[0], v[0], v[0]] : v }
        super.init(inChannels, outChannels, kernelSize: triple(kernelSize), stride: triple(stride), padding: triple(padding),
                   dilation: triple(dilation), outputPadding: [0, 0, 0], groups: groups, bias: bias, transposed: false,
                   dtype: dtype)
    }
    /// Creates the layer with cubic kernel, stride, padding and dilation.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding],
                  dilation: [dilation], groups: groups, bias: bias, dtype: dtype)
    }
    /// Creates the layer with kernel size, stride and padding by position, as `nn.Conv3d(1, 8, 3, 1, 1)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: Int, _ stride: Int = 1, _ padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                  groups: groups, bias: bias, dtype: dtype)
    }
    /// The convolution.
    public override func forward(_ x: Tensor) -> Tensor {
        conv3d(x, weight, bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

/// `nn.ConvTranspose1d` over `(N, C, L)` inputs (`torch.nn.ConvTranspose1d`).
public final class ConvTranspose1d: ConvolutionLayer {
    /// Creates the layer with PyTorch's arguments and initialisation.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, groups: Int = 1, bias: Bool = true, dilation: Int = 1, dtype: DType = .float32) {
        super.init(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding],
                   dilation: [dilation], outputPadding: [outputPadding], groups: groups, bias: bias, transposed: true,
                   dtype: dtype)
    }
    /// Creates the layer with kernel size, stride, padding and output padding by position, as
    /// `nn.ConvTranspose1d(16, 8, 3, 2)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: Int, _ stride: Int = 1, _ padding: Int = 0,
                            _ outputPadding: Int = 0, groups: Int = 1, bias: Bool = true, dilation: Int = 1,
                            dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                  outputPadding: outputPadding, groups: groups, bias: bias, dilation: dilation, dtype: dtype)
    }
    /// The transposed convolution.
    public override func forward(_ x: Tensor) -> Tensor {
        convTranspose1d(x, weight, bias, stride: stride[0], padding: padding[0], outputPadding: outputPadding[0],
                        groups: groups, dilation: dilation[0])
    }
}

/// `nn.ConvTranspose2d` (the gradient of a convolution, used to upsample)
/// (`torch.nn.ConvTranspose2d`).
public final class ConvTranspose2d: ConvolutionLayer {
    /// Creates the layer with PyTorch's arguments and initialisation.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, groups: Int = 1, bias: Bool = true, dilation: Int = 1, dtype: DType = .float32) {
        super.init(inChannels, outChannels, kernelSize: [kernelSize, kernelSize], stride: [stride, stride],
                   padding: [padding, padding], dilation: [dilation, dilation], outputPadding: [outputPadding, outputPadding],
                   groups: groups, bias: bias, transposed: true, dtype: dtype)
    }
    /// Creates the layer with kernel size, stride, padding and output padding by position, as
    /// `nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernelSize: Int, _ stride: Int = 1, _ padding: Int = 0,
                            _ outputPadding: Int = 0, groups: Int = 1, bias: Bool = true, dilation: Int = 1,
                            dtype: DType = .float32) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                  outputPadding: outputPadding, groups: groups, bias: bias, dilation: dilation, dtype: dtype)
    }
    /// The transposed convolution.
    public override func forward(_ x: Tensor) -> Tensor {
        convTranspose2d(x, weight, bias, stride: stride, padding: padding, outputPadding: outputPadding,
                        groups: groups, dilation: dilation)
    }
}
