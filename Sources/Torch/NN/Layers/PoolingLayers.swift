/// The settings shared by ``MaxPool1d`` and ``MaxPool2d`` (PyTorch's
/// `torch.nn.modules.pooling._MaxPoolNd`).
public class MaxPoolLayer: Module {
    /// Window size.
    public let kernelSize: Int
    /// Step between windows (defaults to the window size).
    public let stride: Int
    /// Implicit -∞ padding.
    public let padding: Int
    /// Spacing of window elements.
    public let dilation: Int
    /// Round the output size up instead of down.
    public let ceilMode: Bool

    init(kernelSize: Int, stride: Int?, padding: Int, dilation: Int, ceilMode: Bool) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        super.init()
    }

    /// PyTorch's repr fields.
    public override var extraRepresentation: String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), dilation=\(dilation), ceil_mode=\(ceilMode ? "True" : "False")"
    }
}

/// `nn.MaxPool1d` (`torch.nn.MaxPool1d`).
public final class MaxPool1d: MaxPoolLayer {
    /// Creates the layer, as `nn.MaxPool1d(kernel_size, stride=None, ...)`.
    public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false) {
        super.init(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
    /// The pooled tensor.
    public override func forward(_ x: Tensor) -> Tensor {
        maxPool1d(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
}

/// `nn.MaxPool2d` with square windows (`torch.nn.MaxPool2d`).
public final class MaxPool2d: MaxPoolLayer {
    /// Creates the layer, as `nn.MaxPool2d(kernel_size, stride=None, ...)`.
    public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false) {
        super.init(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
    /// The pooled tensor.
    public override func forward(_ x: Tensor) -> Tensor {
        maxPool2d(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
}

/// `nn.AvgPool2d` with square windows (`torch.nn.AvgPool2d`).
public final class AvgPool2d: Module {
    /// Window size.
    public let kernelSize: Int
    /// Step between windows (defaults to the window size).
    public let stride: Int
    /// Implicit zero padding.
    public let padding: Int
    /// Round the output size up instead of down.
    public let ceilMode: Bool
    /// Whether padded zeros count in the average.
    public let countIncludePad: Bool
    /// Creates the layer, as `nn.AvgPool2d(kernel_size, stride=None, padding=0, ...)`.
    public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        super.init()
    }
    /// The pooled tensor.
    public override func forward(_ x: Tensor) -> Tensor {
        avgPool2d(x, kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
    }
    /// PyTorch's repr fields.
    public override var extraRepresentation: String { "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)" }
}

/// `nn.AdaptiveAvgPool2d`: averages into a fixed output size whatever the input size
/// (`torch.nn.AdaptiveAvgPool2d`).
public final class AdaptiveAvgPool2d: Module {
    /// Output height and width.
    public let outputSize: [Int]
    private let printedSize: String
    /// Creates the layer for a square output.
    public init(_ outputSize: Int) {
        self.outputSize = [outputSize, outputSize]
        printedSize = "\(outputSize)"
        super.init()
    }
    /// Creates the layer.
    public init(_ outputSize: [Int]) {
        self.outputSize = outputSize
        printedSize = pythonTuple(outputSize)
        super.init()
    }
    /// The pooled tensor.
    public override func forward(_ x: Tensor) -> Tensor { adaptiveAvgPool2d(x, outputSize) }
    /// `output_size=…`.
    public override var extraRepresentation: String { "output_size=\(printedSize)" }
}

/// `nn.AdaptiveMaxPool2d(output_size, return_indices=False)`: max pooling to a fixed output
/// grid. With `returnIndices`, call ``forwardWithIndices(_:)`` for PyTorch's `(values,
/// indices)` pair; `module(x)` returns the values either way (a module's call returns one
/// tensor in SwiftTorch) (`torch.nn.AdaptiveMaxPool2d`).
public final class AdaptiveMaxPool2d: Module {
    /// The output grid `[oh, ow]`.
    public let outputSize: [Int]
    /// Whether ``forwardWithIndices(_:)`` is the intended call (PyTorch's `return_indices`).
    public let returnIndices: Bool
    /// Creates the layer for an `[oh, ow]` grid.
    public init(_ outputSize: [Int], returnIndices: Bool = false) {
        self.outputSize = outputSize
        self.returnIndices = returnIndices
        super.init()
    }
    /// Creates the layer for a square grid.
    public convenience init(_ outputSize: Int, returnIndices: Bool = false) {
        self.init([outputSize, outputSize], returnIndices: returnIndices)
    }
    /// `adaptiveMaxPool2d(x, outputSize)` of the input.
    public override func forward(_ x: Tensor) -> Tensor { adaptiveMaxPool2d(x, outputSize) }
    /// The pooled values and each maximum's position in its flattened `H·W` plane.
    public func forwardWithIndices(_ x: Tensor) -> (values: Tensor, indices: Tensor) {
        adaptiveMaxPool2dWithIndices(x, outputSize)
    }
    /// `output_size=…`, as PyTorch prints it.
    public override var extraRepresentation: String {
        outputSize.count == 2 && outputSize[0] == outputSize[1] ? "output_size=\(outputSize[0])" : "output_size=(\(outputSize.map(String.init).joined(separator: ", ")))"
    }
}

/// `nn.AdaptiveMaxPool1d(output_size, return_indices=False)`; with `returnIndices`, call
/// ``forwardWithIndices(_:)`` for the `(values, indices)` pair (`torch.nn.AdaptiveMaxPool1d`).
public final class AdaptiveMaxPool1d: Module {
    /// Output positions.
    public let outputSize: Int
    /// Whether ``forwardWithIndices(_:)`` is the intended call (PyTorch's `return_indices`).
    public let returnIndices: Bool
    /// Creates the layer.
    public init(_ outputSize: Int, returnIndices: Bool = false) {
        self.outputSize = outputSize
        self.returnIndices = returnIndices
        super.init()
    }
    /// ``adaptiveMaxPool1d(_:_:)`` of the input.
    public override func forward(_ x: Tensor) -> Tensor { adaptiveMaxPool1d(x, outputSize) }
    /// The pooled values and each maximum's position along the last dimension.
    public func forwardWithIndices(_ x: Tensor) -> (values: Tensor, indices: Tensor) {
        adaptiveMaxPool1dWithIndices(x, outputSize)
    }
    /// `output_size=…`.
    public override var extraRepresentation: String { "output_size=\(outputSize)" }
}
