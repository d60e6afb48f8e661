/// Pooling (`F.max_pool2d`, `F.avg_pool2d`, `F.adaptive_avg_pool2d`, `F.max_pool1d`):
/// shapes, checks and gradients here; the window loops are ``poolingKernel(_:_:_:into:)``
/// in `Kernels/PoolingKernels.swift`. Max pooling keeps the argmax indices for backward.

/// PyTorch's pooled size: `⌊(in + 2p - d(k-1) - 1)/s⌋ + 1`, rounded up with `ceilMode`
/// unless the last window would start in the right padding.
func pooledSize(_ input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, ceilMode: Bool) -> Int {
    let span = input + 2 * padding - dilation * (kernel - 1) - 1
    var out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
    if ceilMode && (out - 1) * stride >= input + padding { out -= 1 }
    return out
}

/// Expands a 1- or 2-element list to two values.
func pair(_ v: [Int], _ name: String) -> [Int] {
    guard v.count == 1 || v.count == 2 else { torchFatal("RuntimeError: \(name) must either be a single int, or a tuple of two ints") }
    return v.count == 1 ? [v[0], v[0]] : v
}

/// The input as planes `(N·C, H, W)` and the output shape with `outH × outW`.
private func planes(_ x: Tensor, op: String) -> (input: Tensor, planes: Int, outShape: ([Int]) -> [Int]) {
    guard x.dim == 3 || x.dim == 4 else {
        torchFatal("RuntimeError: \(op): Expected 3D or 4D (batch mode) tensor for input, but got: \(Size(x.shape))")
    }
    guard x.dtype.isFloatingPoint else { notImplemented(op, for: x.dtype) }
    let lead = Array(x.shape.dropLast(2))
    return (x.contiguous(), lead.reduce(1, *), { lead + $0 })
}

/// The batch and channel counts of `(N, C, H, W)` or unbatched `(C, H, W)` input: oneDNN's
/// pooling primitive is given the real channels (its kernels vectorise over them).
private func batchAndChannels(_ x: Tensor) -> (batch: Int, channels: Int) {
    x.dim == 4 ? (x.shape[0], x.shape[1]) : (1, x.shape[0])
}

/// Whether a max pooling of `x` over `g` goes to oneDNN first: float32, except the unpadded
/// 2×2 window, where the unrolled kernel is faster (`maxpool2d_fwd_bwd`, a 3×3 stride-2
/// window: 17.2 ms on the kernel, 9.9 on oneDNN).
private func maxPoolTriesDNNL(_ x: Tensor, _ g: PoolingGeometry) -> Bool {
    x.dtype == .float32 && !g.isUnpaddedTwoByTwo
}

/// A pooling op on a 16-bit float input: pooled in float32 (recorded conversions, so the
/// gradient comes back in the input's dtype), rounded once. The pooling loops exist for
/// float32 and float64 only.
private func viaFloat32(_ x: Tensor, _ op: (Tensor) -> Tensor) -> Tensor {
    op(x.to(.float32)).to(x.dtype)
}

/// Max pooling over the last two dimensions of `(N, C, H, W)` or `(C, H, W)` input
/// (`torch.nn.functional.max_pool2d`).
public func maxPool2d(_ x: Tensor, _ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                      dilation: [Int] = [1], ceilMode: Bool = false) -> Tensor {
    if x.dtype.isReducedPrecisionFloat {
        return viaFloat32(x) { maxPool2d($0, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode) }
    }
    if !needsGrad(x) {
        // Inference: no indices to keep, so the window scan is a plain running maximum.
        let (input, g, shape) = maxPoolPlan(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        let out = Tensor(uninitializedShape: shape, dtype: x.dtype, zeroed: false)
        let (batch, channels) = batchAndChannels(x)
        if !(maxPoolTriesDNNL(x, g) && dnnlMaxPool(input, g, batch: batch, channels: channels, into: out, indices: nil)) {
            poolingKernel(.maxValues, input, g, into: out)
        }
        return out
    }
    return maxPool2dWithIndices(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode).values
}

/// A max pooling's dense input planes, geometry and output shape, after PyTorch's checks.
private func maxPoolPlan(_ x: Tensor, _ kernelSize: [Int], stride: [Int]?, padding: [Int], dilation: [Int],
                         ceilMode: Bool) -> (input: Tensor, geometry: PoolingGeometry, shape: [Int]) {
    let k = pair(kernelSize, "max_pool2d: kernel_size"), s = pair(stride.flatMap { $0.isEmpty ? nil : $0 } ?? k, "max_pool2d: stride")
    let p = pair(padding, "max_pool2d: padding"), d = pair(dilation, "max_pool2d: dilation")
    guard p[0] * 2 <= k[0] && p[1] * 2 <= k[1] else {
        torchFatal("RuntimeError: pad should be at most half of effective kernel size, but got pad=\(p[0]), kernel_size=\(k[0]) and dilation=\(d[0])")
    }
    let (input, count, outShape) = planes(x, op: "max_pool2d")
    let h = x.shape[x.dim - 2], w = x.shape[x.dim - 1]
    let g = PoolingGeometry(planes: count, height: h, width: w, kernelH: k[0], kernelW: k[1], strideH: s[0], strideW: s[1],
                            padH: p[0], padW: p[1], dilationH: d[0], dilationW: d[1],
                            outH: pooledSize(h, kernel: k[0], stride: s[0], padding: p[0], dilation: d[0], ceilMode: ceilMode),
                            outW: pooledSize(w, kernel: k[1], stride: s[1], padding: p[1], dilation: d[1], ceilMode: ceilMode))
    guard g.outH > 0 && g.outW > 0 else {
        torchFatal("RuntimeError: Given input size: (\(x.shape.dropFirst(x.dim - 3).map(String.init).joined(separator: "x"))). Calculated output size: (\(x.shape[x.dim - 3])x\(g.outH)x\(g.outW)). Output size is too small")
    }
    return (input, g, outShape([g.outH, g.outW]))
}

/// Max pooling that also returns where each maximum was (`F.max_pool2d(..., return_indices=True)`,
/// `nn.MaxPool2d(returnIndices: true)`): the indices are positions in each flattened `H·W`
/// plane, what ``maxUnpool2d(_:_:kernelSize:stride:padding:outputSize:)`` takes
/// (`torch.nn.functional.max_pool2d_with_indices`).
public func maxPool2dWithIndices(_ x: Tensor, _ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                 dilation: [Int] = [1], ceilMode: Bool = false) -> (values: Tensor, indices: Tensor) {
    if x.dtype.isReducedPrecisionFloat {
        let (values, indices) = maxPool2dWithIndices(x.float(), kernelSize, stride: stride, padding: padding,
                                                     dilation: dilation, ceilMode: ceilMode)
        return (values.to(x.dtype), indices)
    }
    let (input, g, shape) = maxPoolPlan(x, kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    let out = Tensor(uninitializedShape: shape, dtype: x.dtype, zeroed: false)
    let indices = Tensor(uninitializedShape: shape, dtype: .int64, zeroed: false)
    // float32 on oneDNN, its workspace turned into PyTorch's indices (the backward's scatter
    // over them is then the same whichever ran the forward).
    let (batch, channels) = batchAndChannels(x)
    if !(maxPoolTriesDNNL(x, g) && dnnlMaxPool(input, g, batch: batch, channels: channels, into: out, indices: indices)) {
        poolingKernel(.max(indices: indices), input, g, into: out)
    }
    if needsGrad(x) {
        // The indices go back to the caller: saved with a version check.
        let inputShape = x.shape, dtype = x.dtype, savedIndices = SavedTensor(indices)
        record("MaxPool2DWithIndicesBackward0", input: x, outputs: [out], savedShapes: [x.shape]) { grads in
            let indices = savedIndices.unpack()
            return [linearBackward(grads[0]!, name: "MaxPool2DWithIndicesBackwardBackward0", adjoint: { gradOut in
                let gy = gradOut.contiguous()
                let gx = Tensor(uninitializedShape: inputShape, dtype: dtype, zeroed: true)
                poolingKernel(.maxBackward(indices: indices), gy, g, into: gx)
                return gx
            }, forward: { gg in
                // The max-pool of a gradient: its value at each window's argmax.
                gg.reshape([g.planes, g.height * g.width]).gather(1, indices.reshape([g.planes, g.outH * g.outW]))
                    .reshape(shape)
            })]
        }
    }
    return (out, indices)
}

/// ``maxPool2dWithIndices(_:_:stride:padding:dilation:ceilMode:)`` with a square window
/// (`torch.nn.functional.max_pool2d_with_indices`).
public func maxPool2dWithIndices(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
                                 ceilMode: Bool = false) -> (values: Tensor, indices: Tensor) {
    maxPool2dWithIndices(x, [kernelSize], stride: stride.map { [$0] }, padding: [padding], dilation: [dilation], ceilMode: ceilMode)
}

/// Max pooling with a square window (`maxPool2d(x, 2)`); `stride` defaults to the window
/// (`torch.nn.functional.max_pool2d`).
public func maxPool2d(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
                      ceilMode: Bool = false) -> Tensor {
    maxPool2d(x, [kernelSize], stride: stride.map { [$0] }, padding: [padding], dilation: [dilation], ceilMode: ceilMode)
}

/// Max pooling over the last dimension of `(N, C, L)` or `(C, L)` input
/// (`torch.nn.functional.max_pool1d`).
public func maxPool1d(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
                      ceilMode: Bool = false) -> Tensor {
    let y = maxPool2d(x.unsqueeze(-2), [1, kernelSize], stride: [1, stride ?? kernelSize], padding: [0, padding],
                      dilation: [1, dilation], ceilMode: ceilMode)
    return y.squeeze(-2)
}

/// Average pooling over the last two dimensions (`F.avg_pool2d`, `torch.nn.functional.avg_pool2d`).
public func avgPool2d(_ x: Tensor, _ kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
                      countIncludePad: Bool = true, divisorOverride: Int? = nil) -> Tensor {
    if x.dtype.isReducedPrecisionFloat {
        return viaFloat32(x) {
            avgPool2d($0, kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                      countIncludePad: countIncludePad, divisorOverride: divisorOverride)
        }
    }
    let k = pair(kernelSize, "avg_pool2d: kernel_size"), s = pair(stride.flatMap { $0.isEmpty ? nil : $0 } ?? k, "avg_pool2d: stride")
    let p = pair(padding, "avg_pool2d: padding")
    guard p[0] * 2 <= k[0] && p[1] * 2 <= k[1] else {
        torchFatal("RuntimeError: pad should be at most half of effective kernel size, but got pad=\(p[0]), kernel_size=\(k[0]) and dilation=1")
    }
    if let divisorOverride, divisorOverride == 0 { torchFatal("RuntimeError: divisor must be not zero") }
    let (input, count, outShape) = planes(x, op: "avg_pool2d")
    let h = x.shape[x.dim - 2], w = x.shape[x.dim - 1]
    let g = PoolingGeometry(planes: count, height: h, width: w, kernelH: k[0], kernelW: k[1], strideH: s[0], strideW: s[1],
                            padH: p[0], padW: p[1],
                            outH: pooledSize(h, kernel: k[0], stride: s[0], padding: p[0], dilation: 1, ceilMode: ceilMode),
                            outW: pooledSize(w, kernel: k[1], stride: s[1], padding: p[1], dilation: 1, ceilMode: ceilMode))
    let out = Tensor(uninitializedShape: outShape([g.outH, g.outW]), dtype: x.dtype, zeroed: false)
    let (batch, channels) = batchAndChannels(x)
    // float32 on oneDNN where it divides as PyTorch does; the kernels otherwise.
    let onDNNL = x.dtype == .float32 && dnnlAvgPool(input, g, batch: batch, channels: channels, into: out,
                                                    countIncludePad: countIncludePad, divisorOverride: divisorOverride,
                                                    backward: false)
    if !onDNNL {
        poolingKernel(.average(countIncludePad: countIncludePad, divisorOverride: divisorOverride), input, g, into: out)
    }
    if needsGrad(x) {
        let inputShape = x.shape, dtype = x.dtype
        record("AvgPool2DBackward0", input: x, outputs: [out], savedShapes: [x.shape]) { grads in
            [linearBackward(grads[0]!, name: "AvgPool2DBackwardBackward0", adjoint: { gradOut in
                let gy = gradOut.contiguous()
                if onDNNL && gy.dtype == .float32 {
                    let gx = Tensor(uninitializedShape: inputShape, dtype: dtype, zeroed: false)
                    if dnnlAvgPool(gy, g, batch: batch, channels: channels, into: gx, countIncludePad: countIncludePad,
                                   divisorOverride: divisorOverride, backward: true) {
                        return gx
                    }
                }
                let gx = Tensor(uninitializedShape: inputShape, dtype: dtype, zeroed: true)
                poolingKernel(.averageBackward(countIncludePad: countIncludePad, divisorOverride: divisorOverride), gy, g, into: gx)
                return gx
            }, forward: { gg in
                avgPool2d(gg, k, stride: s, padding: p, ceilMode: ceilMode, countIncludePad: countIncludePad,
                          divisorOverride: divisorOverride)
            })]
        }
    }
    return out
}

/// Average pooling with a square window (`avgPool2d(x, 2)`, `torch.nn.functional.avg_pool2d`).
public func avgPool2d(_ x: Tensor, _ kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                      countIncludePad: Bool = true, divisorOverride: Int? = nil) -> Tensor {
    avgPool2d(x, [kernelSize], stride: stride.map { [$0] }, padding: [padding], ceilMode: ceilMode,
              countIncludePad: countIncludePad, divisorOverride: divisorOverride)
}

/// Averages into a fixed `outputSize` whatever the input size (`F.adaptive_avg_pool2d`); a
/// 1×1 output is a mean over the spatial dimensions, as in PyTorch
/// (`torch.nn.functional.adaptive_avg_pool2d`).
public func adaptiveAvgPool2d(_ x: Tensor, _ outputSize: [Int]) -> Tensor {
    let size = pair(outputSize, "adaptive_avg_pool2d: output_size")
    if size == [1, 1] { return x.mean(dims: [-2, -1], keepdim: true) }
    if x.dtype.isReducedPrecisionFloat { return viaFloat32(x) { adaptiveAvgPool2d($0, outputSize) } }
    let (input, count, outShape) = planes(x, op: "adaptive_avg_pool2d")
    let g = PoolingGeometry(planes: count, height: x.shape[x.dim - 2], width: x.shape[x.dim - 1], kernelH: 0, kernelW: 0,
                            strideH: 0, strideW: 0, padH: 0, padW: 0, outH: size[0], outW: size[1])
    let out = Tensor(uninitializedShape: outShape(size), dtype: x.dtype, zeroed: false)
    poolingKernel(.adaptiveAverage(backward: false), input, g, into: out)
    if needsGrad(x) {
        let inputShape = x.shape, dtype = x.dtype
        record("AdaptiveAvgPool2DBackward0", input: x, outputs: [out], savedShapes: [x.shape]) { grads in
            [linearBackward(grads[0]!, name: "AdaptiveAvgPool2DBackwardBackward0", adjoint: { gradOut in
                let gy = gradOut.contiguous()
                let gx = Tensor(uninitializedShape: inputShape, dtype: dtype, zeroed: true)
                poolingKernel(.adaptiveAverage(backward: true), gy, g, into: gx)
                return gx
            }, forward: { gg in adaptiveAvgPool2d(gg, size) })]
        }
    }
    return out
}

/// Adaptive average pooling to a square output (`torch.nn.functional.adaptive_avg_pool2d`).
public func adaptiveAvgPool2d(_ x: Tensor, _ outputSize: Int) -> Tensor { adaptiveAvgPool2d(x, [outputSize, outputSize]) }
