/// `F.max_unpool1d/2d`: puts each value back at the position its max pooling index names,
/// zeros elsewhere — a scatter per `(N, C)` plane, so the gradient is the matching gather
/// (`torch.nn.functional.max_unpool2d`).
public func maxUnpool2d(_ x: Tensor, _ indices: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                        outputSize: [Int]? = nil) -> Tensor {
    guard x.dim == 3 || x.dim == 4 else {
        torchFatal("RuntimeError: Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with \(x.dim) dimensions.")
    }
    guard indices.shape == x.shape else {
        torchFatal("RuntimeError: Expected shape of indices to be same as that of the input tensor (\(x.shape)) but got indices tensor with shape: \(indices.shape)")
    }
    guard indices.dtype == .int64 else { torchFatal("RuntimeError: elements in indices should be type int64 but got: \(indices.dtype.scalarTypeName)") }
    let k = pair(kernelSize, "max_unpool2d: kernel_size"), s = pair(stride ?? kernelSize, "max_unpool2d: stride")
    let p = pair(padding, "max_unpool2d: padding")
    let h = x.shape[x.dim - 2], w = x.shape[x.dim - 1]
    var size = ((h - 1) * s[0] - 2 * p[0] + k[0], (w - 1) * s[1] - 2 * p[1] + k[1])
    if let outputSize {
        let spatial = Array(outputSize.suffix(2))
        guard spatial.count == 2 else { torchFatal("ValueError: output_size must have 2 or 4 elements, got \(outputSize.count)") }
        size = (spatial[0], spatial[1])
    }
    let batched = x.dim == 4 ? x : x.unsqueeze(0)
    let flatIndices = (x.dim == 4 ? indices : indices.unsqueeze(0)).flatten(2)
    let (n, c) = (batched.shape[0], batched.shape[1])
    if flatIndices.numel > 0 {
        let (low, high) = (flatIndices.min().item(as: Int.self), flatIndices.max().item(as: Int.self))
        guard low >= 0, high < size.0 * size.1 else {
            torchFatal("RuntimeError: Found an invalid max index: \(low < 0 ? low : high) (output volumes are of size \(size.0)x\(size.1))")
        }
    }
    let out = Tensor.zeros([n, c, size.0 * size.1], dtype: x.dtype).scatter(2, flatIndices, batched.flatten(2))
        .reshape([n, c, size.0, size.1])
    return x.dim == 4 ? out : out.squeeze(0)
}

/// `F.local_response_norm`: each value divided by `(k + alpha/size · Σ x²)^beta`, the sum over
/// `size` neighbouring channels (zero-padded at the ends), for `(N, C, ...)` inputs
/// (`torch.nn.functional.local_response_norm`).
public func localResponseNorm(_ x: Tensor, size: Int, alpha: some ScalarConvertible = 1e-4,
                              beta: some ScalarConvertible = 0.75, k: some ScalarConvertible = 1) -> Tensor {
    let alpha = alpha.scalarValue.doubleValue
    let beta = beta.scalarValue.doubleValue
    let k = k.scalarValue.doubleValue
    guard x.dim >= 3 else {
        torchFatal("ValueError: Expected 3D or higher dimensionality input (got \(x.dim) dimensions)")
    }
    guard x.numel > 0 else { return x.clone() }
    let squares = x * x
    // Pad the channel dim with size/2 zeros before and (size-1)/2 after, then average windows.
    let before = Tensor.zeros([x.shape[0], size / 2] + Array(x.shape.dropFirst(2)), dtype: x.dtype)
    let after = Tensor.zeros([x.shape[0], (size - 1) / 2] + Array(x.shape.dropFirst(2)), dtype: x.dtype)
    let padded = cat([before, squares, after], dim: 1)
    let windows = padded.unfold(1, size, 1)   // (N, C, ..., size)
    let average = windows.sum(dim: -1) / Double(size)
    let divisor = (average * alpha + k).pow(beta)
    return x / divisor
}
