/// `F.adaptive_max_pool1d/2d`: the maximum over each of an output grid's windows, window `i`
/// of a dimension of size `n` split into `m` spanning `⌊i·n/m⌋ ..< ⌈(i+1)·n/m⌉` (PyTorch's
/// bins). Composed of `amax` over narrowed views, so the gradient reaches each window's
/// maximum (split between exact ties, where PyTorch picks the first).

/// Adaptive max pooling of `(N, C, H, W)` or `(C, H, W)` to `outputSize` `[oh, ow]`.
public func adaptiveMaxPool2d(_ x: Tensor, _ outputSize: [Int]) -> Tensor {
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
    func bin(_ i: Int, _ n: Int, _ m: Int) -> Range<Int> { (i * n / m)..<((i + 1) * n + m - 1) / m }
    var cells: [Tensor] = []
    for i in 0..<oh {
        let rows = bin(i, h, oh)
        let band = x.narrow(x.dim - 2, rows.lowerBound, rows.count)
        for j in 0..<ow {
            let cols = bin(j, w, ow)
            cells.append(band.narrow(x.dim - 1, cols.lowerBound, cols.count).amax(dims: [-2, -1]))
        }
    }
    let pooled = stack(cells, dim: -1)   // (..., oh·ow)
    return pooled.reshape(Array(x.shape.dropLast(2)) + [oh, ow])
}

/// Adaptive max pooling with a square output (`adaptiveMaxPool2d(x, 7)`).
public func adaptiveMaxPool2d(_ x: Tensor, _ outputSize: Int) -> Tensor { adaptiveMaxPool2d(x, [outputSize, outputSize]) }

/// Adaptive max pooling of `(N, C, L)` or `(C, L)` to `outputSize` positions.
public func adaptiveMaxPool1d(_ x: Tensor, _ outputSize: Int) -> Tensor {
    guard x.dim == 2 || x.dim == 3 else {
        torchFatal("RuntimeError: adaptive_max_pool1d(): Expected 2D or 3D tensor, but got: \(x.shape)")
    }
    return adaptiveMaxPool2d(x.unsqueeze(-2), [1, outputSize]).squeeze(-2)
}
