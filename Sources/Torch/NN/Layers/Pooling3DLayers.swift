/// A pooling size as PyTorch prints it: one value bare, three as a tuple.
private func printedSize(_ v: [Int]) -> String { v.count == 1 ? "\(v[0])" : pythonTuple(v) }

/// `nn.MaxPool3d`: max pooling over the last three dimensions of `(N, C, D, H, W)` or
/// `(C, D, H, W)` input. Each size is one value or three (`[kT, kH, kW]`) (`torch.nn.MaxPool3d`).
public final class MaxPool3d: Module {
    /// Window size.
    public let kernelSize: [Int]
    /// Step between windows (the window size when not given).
    public let stride: [Int]
    /// Implicit -∞ padding.
    public let padding: [Int]
    /// Spacing of window elements.
    public let dilation: [Int]
    /// Round the output size up instead of down.
    public let ceilMode: Bool
    /// Whether ``forwardWithIndices(_:)`` is the intended call (PyTorch's `return_indices`);
    /// `module(x)` returns the values either way.
    public let returnIndices: Bool

    /// Creates the layer, as `nn.MaxPool3d(kernel_size, stride=None, padding=0, ...)`.
    public init(_ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1],
                returnIndices: Bool = false, ceilMode: Bool = false) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
        self.returnIndices = returnIndices
        self.ceilMode = ceilMode
        super.init()
    }

    /// Creates the layer with a cubic window, as `nn.MaxPool3d(2)`.
    public convenience init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
                            returnIndices: Bool = false, ceilMode: Bool = false) {
        self.init([kernelSize], stride: stride.map { [$0] }, padding: [padding], dilation: [dilation],
                  returnIndices: returnIndices, ceilMode: ceilMode)
    }

    /// The pooled tensor.
    public override func forward(_ x: Tensor) -> Tensor {
        maxPool3d(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    /// The pooled tensor and each maximum's position in its flattened `D·H·W` plane.
    public func forwardWithIndices(_ x: Tensor) -> (values: Tensor, indices: Tensor) {
        maxPool3dWithIndices(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    /// PyTorch's repr fields.
    public override var extraRepresentation: String {
        "kernel_size=\(printedSize(kernelSize)), stride=\(printedSize(stride)), padding=\(printedSize(padding)), "
            + "dilation=\(printedSize(dilation)), ceil_mode=\(ceilMode ? "True" : "False")"
    }
}

/// `nn.AvgPool3d`: average pooling over the last three dimensions. Each size is one value
/// or three (`[kT, kH, kW]`) (`torch.nn.AvgPool3d`).
public final class AvgPool3d: Module {
    /// Window size.
    public let kernelSize: [Int]
    /// Step between windows (the window size when not given).
    public let stride: [Int]
    /// Implicit zero padding.
    public let padding: [Int]
    /// Round the output size up instead of down.
    public let ceilMode: Bool
    /// Whether padded zeros count in the average.
    public let countIncludePad: Bool
    /// A fixed divisor instead of the window's size, or `nil`.
    public let divisorOverride: Int?

    /// Creates the layer, as `nn.AvgPool3d(kernel_size, stride=None, padding=0, ...)`.
    public init(_ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
                countIncludePad: Bool = true, divisorOverride: Int? = nil) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.divisorOverride = divisorOverride
        super.init()
    }

    /// Creates the layer with a cubic window, as `nn.AvgPool3d(2)`.
    public convenience init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                            countIncludePad: Bool = true, divisorOverride: Int? = nil) {
        self.init([kernelSize], stride: stride.map { [$0] }, padding: [padding], ceilMode: ceilMode,
                  countIncludePad: countIncludePad, divisorOverride: divisorOverride)
    }

    /// The pooled tensor.
    public override func forward(_ x: Tensor) -> Tensor {
        avgPool3d(x, kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad,
                  divisorOverride: divisorOverride)
    }

    /// PyTorch's repr fields.
    public override var extraRepresentation: String {
        "kernel_size=\(printedSize(kernelSize)), stride=\(printedSize(stride)), padding=\(printedSize(padding))"
    }
}
