/// `F.adaptive_max_pool1d/2d`: the maximum over each of an output grid's windows, window `i`
/// of a dimension of size `n` split into `m` spanning `⌊i·n/m⌋ ..< ⌈(i+1)·n/m⌉` (PyTorch's
/// bins). The kernel keeps each window's argmax as PyTorch's CPU kernel picks it (the first
/// maximum; the last NaN), and the gradient goes there alone, as in PyTorch.

/// Adaptive max pooling of `(N, C, H, W)` or `(C, H, W)` to `outputSize` `[oh, ow]`
/// (`torch.nn.functional.adaptive_max_pool2d`).
public func adaptiveMaxPool2d(_ x: Tensor, _ outputSize: [Int]) -> Tensor {
    adaptiveMaxPool2dWithIndices(x, outputSize).values
}

/// Adaptive max pooling with a square output (`adaptiveMaxPool2d(x, 7)`,
/// `torch.nn.functional.adaptive_max_pool2d`).
public func adaptiveMaxPool2d(_ x: Tensor, _ outputSize: Int) -> Tensor { adaptiveMaxPool2d(x, [outputSize, outputSize]) }

/// Adaptive max pooling that also returns where each maximum was
/// (`F.adaptive_max_pool2d(x, s, return_indices=True)`): positions in each flattened `H·W`
/// plane, int64, shaped like the values (`torch.nn.functional.adaptive_max_pool2d_with_indices`).
public func adaptiveMaxPool2dWithIndices(_ x: Tensor, _ outputSize: [Int]) -> (values: Tensor, indices: Tensor) {
    guard x.dim == 3 || x.dim == 4 else {
        torchFatal("RuntimeError: adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: \(x.shape)")
    }
    guard outputSize.count == 1 || outputSize.count == 2 else {
        torchFatal("RuntimeError: adaptive_max_pool2d: internal error: output_size.size() must be 2")
    }
    let (oh, ow) = (outputSize[0], outputSize.count == 2 ? outputSize[1] : outputSize[0])
    let (h, w) = (x.shape[x.dim - 2], x.shape[x.dim - 1])
    guard oh > 0, ow > 0, h > 0, w > 0 else {
        torchFatal("RuntimeError: adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes \(x.shape) with dimension \(x.dim - 1) being empty")
    }
    if x.dtype.isReducedPrecisionFloat {
        // The loops exist for float32 and float64: pool a float32 copy (recorded), round once.
        let (values, indices) = adaptiveMaxPool2dWithIndices(x.float(), outputSize)
        return (values.to(x.dtype), indices)
    }
    guard x.dtype == .float32 || x.dtype == .float64 else { notImplemented("adaptive_max_pool2d", for: x.dtype) }
    let input = x.contiguous()
    let lead = Array(x.shape.dropLast(2)), planes = lead.reduce(1, *)
    let out = Tensor(uninitializedShape: lead + [oh, ow], dtype: x.dtype, zeroed: false)
    let indices = Tensor(uninitializedShape: lead + [oh, ow], dtype: .int64, zeroed: false)
    pooling3dKernel(.adaptiveMax2d(planes: planes, height: h, width: w, outH: oh, outW: ow, indices: indices),
                    input, into: out)
    if needsGrad(x) {
        recordIndexedPoolBackward("AdaptiveMaxPool2DBackward0", x, out, indices, planes: planes, inputPlane: h * w,
                                  outputPlane: oh * ow)
    }
    return (out, indices)
}

/// ``adaptiveMaxPool2dWithIndices(_:_:)`` with a square output
/// (`torch.nn.functional.adaptive_max_pool2d_with_indices`).
public func adaptiveMaxPool2dWithIndices(_ x: Tensor, _ outputSize: Int) -> (values: Tensor, indices: Tensor) {
    adaptiveMaxPool2dWithIndices(x, [outputSize, outputSize])
}

/// Adaptive max pooling of `(N, C, L)` or `(C, L)` to `outputSize` positions
/// (`torch.nn.functional.adaptive_max_pool1d`).
public func adaptiveMaxPool1d(_ x: Tensor, _ outputSize: Int) -> Tensor {
    adaptiveMaxPool1dWithIndices(x, outputSize).values
}

/// Adaptive max pooling of `(N, C, L)` or `(C, L)` that also returns each maximum's position
/// along `L` (`F.adaptive_max_pool1d(x, s, return_indices=True)`,
/// `torch.nn.functional.adaptive_max_pool1d_with_indices`).
public func adaptiveMaxPool1dWithIndices(_ x: Tensor, _ outputSize: Int) -> (values: Tensor, indices: Tensor) {
    guard x.dim == 2 || x.dim == 3 else {
        torchFatal("RuntimeError: adaptive_max_pool1d(): Expected 2D or 3D tensor, but got: \(x.shape)")
    }
    let (values, indices) = adaptiveMaxPool2dWithIndices(x.unsqueeze(-2), [1, outputSize])
    return (values.squeeze(-2), indices.squeeze(-2))
}
