/// 3-D pooling (`F.max_pool3d`, `F.avg_pool3d`) over the last three dimensions of
/// `(N, C, D, H, W)` or `(C, D, H, W)` input, with PyTorch's output sizes, checks and
/// gradients; the window loops are in `Kernels/Pooling3DKernels.swift`.

/// Expands a 1- or 3-element list to three values, or stops with PyTorch's message.
private func triple(_ v: [Int], _ message: String) -> [Int] {
    guard v.count == 1 || v.count == 3 else { torchFatal("RuntimeError: \(message)") }
    return v.count == 1 ? [v[0], v[0], v[0]] : v
}

/// The dense input planes and the geometry of a 3-D pooling, after PyTorch's checks
/// (`pool3d_shape_check` and `pooling_output_shape`).
private func pool3dPlan(_ x: Tensor, op: String, kernel: [Int], stride: [Int], padding: [Int], dilation: [Int],
                        ceilMode: Bool, checkInputSize: Bool) -> (input: Tensor, geometry: Pooling3DGeometry, shape: [Int]) {
    guard (x.dim == 4 || x.dim == 5) && x.shape.dropFirst(x.dim - 4).allSatisfy({ $0 > 0 }) else {
        torchFatal("RuntimeError: non-empty 4D or 5D (batch mode) tensor expected for input")
    }
    guard x.dtype.isFloatingPoint else { notImplemented(op, for: x.dtype) }
    guard kernel.allSatisfy({ $0 > 0 }) || stride.contains(0) else {
        torchFatal("RuntimeError: kernel size should be greater than zero, but got kT: \(kernel[0]) kH: \(kernel[1]) kW: \(kernel[2])")
    }
    guard dilation.allSatisfy({ $0 > 0 }) else {
        torchFatal("RuntimeError: dilation should be greater than zero, but got dilationT: \(dilation[0]) dilationH: \(dilation[1]) dilationW: \(dilation[2])")
    }
    let input = Array(x.shape.suffix(3))
    var output: [Int] = []
    for d in 0..<3 {
        guard stride[d] != 0 else { torchFatal("RuntimeError: stride should not be zero") }
        guard padding[d] >= 0 else { torchFatal("RuntimeError: pad must be non-negative, but got pad: \(padding[d])") }
        guard padding[d] <= ((kernel[d] - 1) * dilation[d] + 1) / 2 else {
            torchFatal("RuntimeError: pad should be at most half of effective kernel size, but got pad=\(padding[d]), kernel_size=\(kernel[d]) and dilation=\(dilation[d])")
        }
        output.append(pooledSize(input[d], kernel: kernel[d], stride: stride[d], padding: padding[d],
                                 dilation: dilation[d], ceilMode: ceilMode))
    }
    if checkInputSize {
        guard input[0] >= kernel[0] && input[1] >= kernel[1] && input[2] >= kernel[2] else {
            torchFatal("RuntimeError: input image (T: \(input[0]) H: \(input[1]) W: \(input[2])) smaller than kernel size (kT: \(kernel[0]) kH: \(kernel[1]) kW: \(kernel[2]))")
        }
    }
    let channels = x.shape[x.dim - 4]
    guard output.allSatisfy({ $0 > 0 }) else {
        torchFatal("RuntimeError: Given input size: (\(([channels] + input).map(String.init).joined(separator: "x"))). Calculated output size: (\(([channels] + output).map(String.init).joined(separator: "x"))). Output size is too small")
    }
    let lead = Array(x.shape.dropLast(3))
    let g = Pooling3DGeometry(planes: lead.reduce(1, *), input: input, kernel: kernel, stride: stride, padding: padding,
                              dilation: dilation, output: output)
    return (x.contiguous(), g, lead + output)
}

/// Max pooling over the last three dimensions (`F.max_pool3d`); `stride` defaults to the
/// window, and each of `kernelSize`, `stride`, `padding`, `dilation` is one value or three
/// (`torch.nn.functional.max_pool3d`).
public func maxPool3d(_ x: Tensor, _ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                      dilation: [Int] = [1], ceilMode: Bool = false) -> Tensor {
    maxPool3dWithIndices(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode).values
}

/// ``maxPool3d(_:_:stride:padding:dilation:ceilMode:)`` with a cubic window
/// (`torch.nn.functional.max_pool3d`).
public func maxPool3d(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
                      ceilMode: Bool = false) -> Tensor {
    maxPool3d(x, [kernelSize], stride: stride.map { [$0] }, padding: [padding], dilation: [dilation], ceilMode: ceilMode)
}

/// Max pooling that also returns where each maximum was (`F.max_pool3d(..., return_indices=True)`):
/// positions in each flattened `D·H·W` plane. The gradient goes to those positions
/// (`torch.nn.functional.max_pool3d_with_indices`).
public func maxPool3dWithIndices(_ x: Tensor, _ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                 dilation: [Int] = [1], ceilMode: Bool = false) -> (values: Tensor, indices: Tensor) {
    if x.dtype.isReducedPrecisionFloat {
        // The loops exist for float32 and float64: pool a float32 copy (recorded, so the
        // gradient returns in the input's dtype), round once.
        let (values, indices) = maxPool3dWithIndices(x.float(), kernelSize, stride: stride, padding: padding,
                                                     dilation: dilation, ceilMode: ceilMode)
        return (values.to(x.dtype), indices)
    }
    let k = triple(kernelSize, "max_pool3d: kernel_size must either be a single int, or a tuple of three ints")
    let s = stride.flatMap { $0.isEmpty ? nil : $0 }
        .map { triple($0, "max_pool3d: stride must either be omitted, a single int, or a tuple of three ints") } ?? k
    let p = triple(padding, "max_pool3d: padding must either be a single int, or a tuple of three ints")
    let d = triple(dilation, "max_pool3d: dilation must be either a single int, or a tuple of three ints")
    let (input, g, shape) = pool3dPlan(x, op: "max_pool3d", kernel: k, stride: s, padding: p, dilation: d,
                                       ceilMode: ceilMode, checkInputSize: false)
    let out = Tensor(uninitializedShape: shape, dtype: x.dtype, zeroed: false)
    let indices = Tensor(uninitializedShape: shape, dtype: .int64, zeroed: false)
    pooling3dKernel(.max(g, indices: indices), input, into: out)
    if needsGrad(x) {
        recordIndexedPoolBackward("MaxPool3DWithIndicesBackward0", x, out, indices, planes: g.planes,
                                  inputPlane: g.inputPlane, outputPlane: g.outputPlane)
    }
    return (out, indices)
}

/// ``maxPool3dWithIndices(_:_:stride:padding:dilation:ceilMode:)`` with a cubic window
/// (`torch.nn.functional.max_pool3d_with_indices`).
public func maxPool3dWithIndices(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
                                 ceilMode: Bool = false) -> (values: Tensor, indices: Tensor) {
    maxPool3dWithIndices(x, [kernelSize], stride: stride.map { [$0] }, padding: [padding], dilation: [dilation],
                         ceilMode: ceilMode)
}

/// Records the backward of a pooling that kept its argmax `indices` (per plane): the
/// gradient is scattered to those positions, and its own derivative gathers from them.
func recordIndexedPoolBackward(_ name: String, _ x: Tensor, _ out: Tensor, _ indices: Tensor, planes: Int,
                               inputPlane: Int, outputPlane: Int) {
    // The indices go back to the caller: saved with a version check.
    let inputShape = x.shape, outputShape = out.shape, dtype = x.dtype, savedIndices = SavedTensor(indices)
    record(name, input: x, outputs: [out], savedShapes: [x.shape]) { grads in
        let indices = savedIndices.unpack()
        return [linearBackward(grads[0]!, name: name.replacingOccurrences(of: "Backward0", with: "BackwardBackward0"), adjoint: { gradOut in
            let gy = gradOut.contiguous()
            let gx = Tensor(uninitializedShape: inputShape, dtype: dtype, zeroed: true)
            pooling3dKernel(.indexedBackward(indices: indices, planes: planes, inputPlane: inputPlane,
                                             outputPlane: outputPlane), gy, into: gx)
            return gx
        }, forward: { gg in
            // Pooling a gradient at fixed argmaxes: its value at each window's maximum.
            gg.reshape([planes, inputPlane]).gather(1, indices.reshape([planes, outputPlane])).reshape(outputShape)
        })]
    }
}

/// Average pooling over the last three dimensions (`F.avg_pool3d`): with `countIncludePad`
/// the implicit zeros count in the divisor, `divisorOverride` replaces it
/// (`torch.nn.functional.avg_pool3d`).
public func avgPool3d(_ x: Tensor, _ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
                      countIncludePad: Bool = true, divisorOverride: Int? = nil) -> Tensor {
    if x.dtype.isReducedPrecisionFloat {
        return avgPool3d(x.float(), kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                         countIncludePad: countIncludePad, divisorOverride: divisorOverride).to(x.dtype)
    }
    let k = triple(kernelSize, "avg_pool3d: kernel_size must be a single int, or a tuple of three ints")
    let s = stride.flatMap { $0.isEmpty ? nil : $0 }
        .map { triple($0, "avg_pool3d: stride must be omitted, a single int, or a tuple of three ints") } ?? k
    let p = triple(padding, "avg_pool3d: padding must be a single int, or a tuple of three ints")
    if let divisorOverride, divisorOverride == 0 { torchFatal("RuntimeError: divisor must be not zero") }
    let (input, g, shape) = pool3dPlan(x, op: "avg_pool3d", kernel: k, stride: s, padding: p, dilation: [1, 1, 1],
                                       ceilMode: ceilMode, checkInputSize: true)
    let out = Tensor(uninitializedShape: shape, dtype: x.dtype, zeroed: false)
    pooling3dKernel(.average(g, countIncludePad: countIncludePad, divisorOverride: divisorOverride), input, into: out)
    if needsGrad(x) {
        let inputShape = x.shape, dtype = x.dtype
        record("AvgPool3DBackward0", input: x, outputs: [out], savedShapes: [x.shape]) { grads in
            [linearBackward(grads[0]!, name: "AvgPool3DBackwardBackward0", adjoint: { gradOut in
                let gy = gradOut.contiguous()
                let gx = Tensor(uninitializedShape: inputShape, dtype: dtype, zeroed: true)
                pooling3dKernel(.averageBackward(g, countIncludePad: countIncludePad, divisorOverride: divisorOverride),
                                gy, into: gx)
                return gx
            }, forward: { gg in
                avgPool3d(gg, k, stride: s, padding: p, ceilMode: ceilMode, countIncludePad: countIncludePad,
                          divisorOverride: divisorOverride)
            })]
        }
    }
    return out
}

/// ``avgPool3d(_:_:stride:padding:ceilMode:countIncludePad:divisorOverride:)`` with a cubic window
/// (`torch.nn.functional.avg_pool3d`).
public func avgPool3d(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                      countIncludePad: Bool = true, divisorOverride: Int? = nil) -> Tensor {
    avgPool3d(x, [kernelSize], stride: stride.map { [$0] }, padding: [padding], ceilMode: ceilMode,
              countIncludePad: countIncludePad, divisorOverride: divisorOverride)
}
