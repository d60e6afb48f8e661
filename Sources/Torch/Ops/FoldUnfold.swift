/// `F.unfold` (im2col) and `F.fold` (col2im) over `(N, C, H, W)` batches.
///
/// Both go through one index map from the column tensor `(N, C·kh·kw, L)` to the padded
/// image `(N, C, H + 2ph, W + 2pw)`: unfold gathers with it (`indexSelect`), fold sums into it
/// (`indexAdd`), which makes each the other's gradient, as in PyTorch (`Im2ColBackward0` is a
/// fold and `Col2ImBackward0` an unfold).

/// The sliding-block geometry shared by fold and unfold.
private struct SlidingBlocks {
    let channels: Int, height: Int, width: Int
    let kernel: (Int, Int), dilation: (Int, Int), padding: (Int, Int), stride: (Int, Int)

    var paddedHeight: Int { height + 2 * padding.0 }
    var paddedWidth: Int { width + 2 * padding.1 }
    var blocksHigh: Int { (paddedHeight - dilation.0 * (kernel.0 - 1) - 1) / stride.0 + 1 }
    var blocksWide: Int { (paddedWidth - dilation.1 * (kernel.1 - 1) - 1) / stride.1 + 1 }
    var blockCount: Int { blocksHigh * blocksWide }

    /// For each column entry `(c·kh·kw + ki·kw + kj, l)`, its flat position in one padded
    /// image.
    func indexMap() -> Tensor {
        var positions: [Int64] = []
        positions.reserveCapacity(channels * kernel.0 * kernel.1 * blockCount)
        let plane = paddedHeight * paddedWidth
        for c in 0..<channels {
            for ki in 0..<kernel.0 {
                for kj in 0..<kernel.1 {
                    for bi in 0..<blocksHigh {
                        let row = bi * stride.0 + ki * dilation.0
                        for bj in 0..<blocksWide {
                            positions.append(Int64(c * plane + row * paddedWidth + bj * stride.1 + kj * dilation.1))
                        }
                    }
                }
            }
        }
        return Tensor(positions)
    }
}

/// Checks PyTorch's argument rules for fold/unfold and returns the pairs.
private func slidingPairs(_ kernelSize: [Int], _ dilation: [Int], _ padding: [Int], _ stride: [Int],
                          op: String) -> ((Int, Int), (Int, Int), (Int, Int), (Int, Int)) {
    func pair(_ v: [Int], _ name: String) -> (Int, Int) {
        guard v.count == 1 || v.count == 2 else { torchFatal("RuntimeError: \(op): \(name) must have 1 or 2 elements") }
        return (v[0], v.count == 2 ? v[1] : v[0])
    }
    let k = pair(kernelSize, "kernel_size"), d = pair(dilation, "dilation")
    let p = pair(padding, "padding"), s = pair(stride, "stride")
    guard k.0 > 0, k.1 > 0 else {
        torchFatal("RuntimeError: kernel size should be greater than zero, but got kH: \(k.0) kW: \(k.1)")
    }
    guard s.0 > 0, s.1 > 0 else { torchFatal("RuntimeError: stride should be greater than zero, but got dH: \(s.0) dW: \(s.1)") }
    guard d.0 > 0, d.1 > 0 else {
        torchFatal("RuntimeError: dilation should be greater than zero, but got dilationH: \(d.0) dilationW: \(d.1)")
    }
    guard p.0 >= 0, p.1 >= 0 else { torchFatal("RuntimeError: padding should be non-negative, but got padH: \(p.0) padW: \(p.1)") }
    return (k, d, p, s)
}

/// Extracts sliding local blocks of a batched image `(N, C, H, W)` (or `(C, H, W)`) into
/// columns `(N, C·kh·kw, L)` (`F.unfold`, `nn.Unfold`), `L` the number of blocks
/// (`torch.nn.functional.unfold`).
public func unfold(_ x: Tensor, kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0], stride: [Int] = [1]) -> Tensor {
    guard x.dim == 3 || x.dim == 4 else {
        torchFatal("NotImplementedError: Input Error: Only 3D or 4D input Tensors are supported (got \(x.dim)D)")
    }
    let batched = x.dim == 4 ? x : x.unsqueeze(0)
    let (k, d, p, s) = slidingPairs(kernelSize, dilation, padding, stride, op: "unfold")
    let blocks = SlidingBlocks(channels: batched.shape[1], height: batched.shape[2], width: batched.shape[3],
                               kernel: k, dilation: d, padding: p, stride: s)
    guard blocks.blocksHigh > 0, blocks.blocksWide > 0 else {
        torchFatal("RuntimeError: Given input with spatial size (\(batched.shape[2]), \(batched.shape[3])), kernel_size=(\(k.0), \(k.1)), dilation=(\(d.0), \(d.1)), padding=(\(p.0), \(p.1)), calculated shape of the array of sliding blocks as (\(blocks.blocksHigh), \(blocks.blocksWide)), but its components must be at least one.")
    }
    let padded = (p.0 > 0 || p.1 > 0) ? pad(batched, [p.1, p.1, p.0, p.0]) : batched
    let n = batched.shape[0]
    let columns = padded.reshape([n, -1]).indexSelect(1, blocks.indexMap())
        .reshape([n, blocks.channels * k.0 * k.1, blocks.blockCount])
    return x.dim == 4 ? columns : columns.squeeze(0)
}

/// Sums columns `(N, C·kh·kw, L)` (or unbatched `(C·kh·kw, L)`) back into an image of
/// `outputSize` (`F.fold`, `nn.Fold`): overlapping blocks add up. The adjoint of ``unfold(_:kernelSize:dilation:padding:stride:)``
/// (`torch.nn.functional.fold`).
public func fold(_ x: Tensor, outputSize: [Int], kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0],
                 stride: [Int] = [1]) -> Tensor {
    guard x.dim == 2 || x.dim == 3 else {
        torchFatal("NotImplementedError: Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got \(x.dim)D)")
    }
    let batched = x.dim == 3 ? x : x.unsqueeze(0)
    let (k, d, p, s) = slidingPairs(kernelSize, dilation, padding, stride, op: "fold")
    guard outputSize.count == 1 || outputSize.count == 2 else { torchFatal("RuntimeError: fold: output_size must have 1 or 2 elements") }
    let size = (outputSize[0], outputSize.count == 2 ? outputSize[1] : outputSize[0])
    let rows = batched.shape[1]
    guard rows % (k.0 * k.1) == 0 else {
        torchFatal("RuntimeError: Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=\(rows) and kernel_size=(\(k.0), \(k.1))")
    }
    let blocks = SlidingBlocks(channels: rows / (k.0 * k.1), height: size.0, width: size.1,
                               kernel: k, dilation: d, padding: p, stride: s)
    guard blocks.blockCount == batched.shape[2], blocks.blocksHigh > 0, blocks.blocksWide > 0 else {
        torchFatal("RuntimeError: Given output_size=(\(size.0), \(size.1)), kernel_size=(\(k.0), \(k.1)), dilation=(\(d.0), \(d.1)), padding=(\(p.0), \(p.1)), stride=(\(s.0), \(s.1)), expected size of input's dimension 2 to match the calculated number of sliding blocks \(blocks.blocksHigh) * \(blocks.blocksWide) = \(blocks.blockCount), but got input.size(2)=\(batched.shape[2]).")
    }
    let n = batched.shape[0]
    let image = Tensor.zeros([n, blocks.channels * blocks.paddedHeight * blocks.paddedWidth], dtype: x.dtype)
        .indexAdd(1, blocks.indexMap(), batched.reshape([n, -1]))
        .reshape([n, blocks.channels, blocks.paddedHeight, blocks.paddedWidth])
    let cropped = image[.all, .all, p.0..<(p.0 + size.0), p.1..<(p.1 + size.1)]
    return x.dim == 3 ? cropped : cropped.squeeze(0)
}
