/// Max, average and adaptive-average pooling over `planes` of `height × width` (one plane
/// per batch item and channel), forward and backward, as PyTorch's CPU kernels compute them.

/// A pooling window sweep.
struct PoolingGeometry: Sendable {
    var planes: Int, height: Int, width: Int
    var kernelH: Int, kernelW: Int
    var strideH: Int, strideW: Int
    var padH: Int, padW: Int
    var dilationH: Int = 1, dilationW: Int = 1
    var outH: Int, outW: Int

    /// The common 2×2, stride-2 window without padding or dilation, inside the input:
    /// ``maxPoolForward(_:_:_:_:)``'s unrolled case, which beats oneDNN's max pooling on
    /// plain NCHW (`cnn_train_step`: 11.0 ms on the kernel, 12.8 on oneDNN).
    var isUnpaddedTwoByTwo: Bool {
        kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0
            && dilationH == 1 && dilationW == 1 && 2 * outH <= height && 2 * outW <= width
    }
}

/// Max pooling; `indices` receive the flat position (`h·W + w`) of each maximum in its
/// plane. NaN wins, as in PyTorch.
func maxPoolForward<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: PoolingGeometry,
                                                            _ y: UnsafeMutablePointer<T>, _ indices: UnsafeMutablePointer<Int64>) {
    if g.isUnpaddedTwoByTwo {
        maxPool2x2(x, g, y, indices)
        return
    }
    forEachRange(g.planes, work: g.planes * g.outH * g.outW * g.kernelH * g.kernelW) { start, end in
        for p in start..<end {
            let plane = x + p * g.height * g.width
            let out = y + p * g.outH * g.outW, idx = indices + p * g.outH * g.outW
            for oh in 0..<g.outH {
                for ow in 0..<g.outW {
                    var best = -T.infinity, bestIndex = -1
                    for ki in 0..<g.kernelH {
                        let ih = oh * g.strideH - g.padH + ki * g.dilationH
                        if ih < 0 || ih >= g.height { continue }
                        for kj in 0..<g.kernelW {
                            let iw = ow * g.strideW - g.padW + kj * g.dilationW
                            if iw < 0 || iw >= g.width { continue }
                            let v = plane[ih * g.width + iw]
                            if v > best || v.isNaN || bestIndex < 0 {
                                best = v
                                bestIndex = ih * g.width + iw
                                if v.isNaN { break }
                            }
                        }
                    }
                    out[oh * g.outW + ow] = best
                    idx[oh * g.outW + ow] = Int64(bestIndex)
                }
            }
        }
    }
}

/// Max pooling without indices (inference): each output row starts at -∞ and takes one
/// pass per window offset `(ki, kj)` over the output columns that offset reaches — short
/// branch-free strided loops instead of a bounds check per element. NaN wins, as in
/// PyTorch: once an output holds NaN no comparison replaces it.
func maxPoolValues<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: PoolingGeometry,
                                                           _ y: UnsafeMutablePointer<T>) {
    // Output columns [first, last) whose input column ow·s - p + kj·d lies inside the row.
    var columnRanges = [(Int, Int)]()
    for kj in 0..<g.kernelW {
        let offset = kj * g.dilationW - g.padW
        let first = offset >= 0 ? 0 : (-offset + g.strideW - 1) / g.strideW
        let last = Swift.min(g.outW, offset >= g.width ? 0 : (g.width - 1 - offset) / g.strideW + 1)
        columnRanges.append((first, Swift.max(first, last)))
    }
    forEachRange(g.planes, work: g.planes * g.outH * g.outW * g.kernelH * g.kernelW) { start, end in
        for p in start..<end {
            let plane = x + p * g.height * g.width, out = y + p * g.outH * g.outW
            for oh in 0..<g.outH {
                let row = out + oh * g.outW
                row.update(repeating: -T.infinity, count: g.outW)
                for ki in 0..<g.kernelH {
                    let ih = oh * g.strideH - g.padH + ki * g.dilationH
                    if ih < 0 || ih >= g.height { continue }
                    let source = plane + ih * g.width
                    for kj in 0..<g.kernelW {
                        let (first, last) = columnRanges[kj]
                        let offset = kj * g.dilationW - g.padW
                        for ow in first..<last {
                            let v = source[ow * g.strideW + offset], best = row[ow]
                            row[ow] = (v > best || v.isNaN) ? v : best
                        }
                    }
                }
            }
        }
    }
}

/// The common 2×2, stride-2 window without padding: four loads, three comparisons in
/// PyTorch's scan order (row by row; NaN wins; the first of equal values is kept).
private func maxPool2x2<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: PoolingGeometry,
                                                               _ y: UnsafeMutablePointer<T>, _ indices: UnsafeMutablePointer<Int64>) {
    let w = g.width
    forEachRange(g.planes, work: g.planes * g.outH * g.outW * 4) { start, end in
        for p in start..<end {
            let plane = x + p * g.height * w
            let out = y + p * g.outH * g.outW, idx = indices + p * g.outH * g.outW
            for oh in 0..<g.outH {
                let top = (2 * oh) * w, bottom = top + w
                for ow in 0..<g.outW {
                    let c = 2 * ow
                    var best = plane[top + c], at = top + c
                    @inline(__always) func consider(_ candidate: Int) {
                        let v = plane[candidate]
                        if (v > best || v.isNaN) && !best.isNaN { best = v; at = candidate }
                    }
                    consider(top + c + 1)
                    consider(bottom + c)
                    consider(bottom + c + 1)
                    out[oh * g.outW + ow] = best
                    idx[oh * g.outW + ow] = Int64(at)
                }
            }
        }
    }
}

/// Routes each output gradient to the input position its maximum came from.
func maxPoolBackward<T: TensorScalar & BinaryFloatingPoint>(_ gy: UnsafePointer<T>, _ indices: UnsafePointer<Int64>,
                                                             _ g: PoolingGeometry, _ gx: UnsafeMutablePointer<T>) {
    forEachRange(g.planes, work: g.planes * g.outH * g.outW) { start, end in
        for p in start..<end {
            let plane = gx + p * g.height * g.width
            let grad = gy + p * g.outH * g.outW, idx = indices + p * g.outH * g.outW
            for o in 0..<(g.outH * g.outW) where idx[o] >= 0 { plane[Int(idx[o])] += grad[o] }
        }
    }
}

/// The clipped window of output `(oh, ow)` and its divisor, as PyTorch's `avg_pool2d`.
@inline(__always)
private func averageWindow(_ g: PoolingGeometry, _ oh: Int, _ ow: Int, countIncludePad: Bool, divisorOverride: Int?)
    -> (h0: Int, h1: Int, w0: Int, w1: Int, divisor: Int) {
    var h0 = oh * g.strideH - g.padH, w0 = ow * g.strideW - g.padW
    var h1 = Swift.min(h0 + g.kernelH, g.height + g.padH), w1 = Swift.min(w0 + g.kernelW, g.width + g.padW)
    let padded = (h1 - h0) * (w1 - w0)
    h0 = Swift.max(h0, 0); w0 = Swift.max(w0, 0)
    h1 = Swift.min(h1, g.height); w1 = Swift.min(w1, g.width)
    let divisor = divisorOverride ?? (countIncludePad ? padded : (h1 - h0) * (w1 - w0))
    return (h0, h1, w0, w1, divisor)
}

/// Average pooling.
func avgPoolForward<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: PoolingGeometry, _ y: UnsafeMutablePointer<T>,
                                                            countIncludePad: Bool, divisorOverride: Int?) {
    forEachRange(g.planes, work: g.planes * g.outH * g.outW * g.kernelH * g.kernelW) { start, end in
        for p in start..<end {
            let plane = x + p * g.height * g.width, out = y + p * g.outH * g.outW
            for oh in 0..<g.outH {
                for ow in 0..<g.outW {
                    let w = averageWindow(g, oh, ow, countIncludePad: countIncludePad, divisorOverride: divisorOverride)
                    var sum: T = 0
                    if w.h1 > w.h0 && w.w1 > w.w0 {
                        for ih in w.h0..<w.h1 { for iw in w.w0..<w.w1 { sum += plane[ih * g.width + iw] } }
                    }
                    out[oh * g.outW + ow] = sum / T(w.divisor)
                }
            }
        }
    }
}

/// The adjoint of ``avgPoolForward(_:_:_:countIncludePad:divisorOverride:)``.
func avgPoolBackward<T: TensorScalar & BinaryFloatingPoint>(_ gy: UnsafePointer<T>, _ g: PoolingGeometry, _ gx: UnsafeMutablePointer<T>,
                                                             countIncludePad: Bool, divisorOverride: Int?) {
    forEachRange(g.planes, work: g.planes * g.outH * g.outW * g.kernelH * g.kernelW) { start, end in
        for p in start..<end {
            let plane = gx + p * g.height * g.width, grad = gy + p * g.outH * g.outW
            for oh in 0..<g.outH {
                for ow in 0..<g.outW {
                    let w = averageWindow(g, oh, ow, countIncludePad: countIncludePad, divisorOverride: divisorOverride)
                    guard w.h1 > w.h0 && w.w1 > w.w0 else { continue }
                    let share = grad[oh * g.outW + ow] / T(w.divisor)
                    for ih in w.h0..<w.h1 { for iw in w.w0..<w.w1 { plane[ih * g.width + iw] += share } }
                }
            }
        }
    }
}

/// Adaptive average pooling: output cell `o` of `out` averages input `[⌊o·in/out⌋, ⌈(o+1)·in/out⌉)`.
func adaptiveAvgPool<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: PoolingGeometry,
                                                             _ y: UnsafeMutablePointer<T>, backward: Bool) {
    forEachRange(g.planes, work: g.planes * g.height * g.width) { start, end in
        for p in start..<end {
            let plane = x + (backward ? p * g.outH * g.outW : p * g.height * g.width)
            let out = y + (backward ? p * g.height * g.width : p * g.outH * g.outW)
            for oh in 0..<g.outH {
                let h0 = oh * g.height / g.outH, h1 = ((oh + 1) * g.height + g.outH - 1) / g.outH
                for ow in 0..<g.outW {
                    let w0 = ow * g.width / g.outW, w1 = ((ow + 1) * g.width + g.outW - 1) / g.outW
                    let count = T((h1 - h0) * (w1 - w0))
                    if backward {
                        let share = plane[oh * g.outW + ow] / count
                        for ih in h0..<h1 { for iw in w0..<w1 { out[ih * g.width + iw] += share } }
                    } else {
                        var sum: T = 0
                        for ih in h0..<h1 { for iw in w0..<w1 { sum += plane[ih * g.width + iw] } }
                        out[oh * g.outW + ow] = sum / count
                    }
                }
            }
        }
    }
}

/// What one 2-D pooling kernel call computes. The ops hand over dense tensors and a case;
/// ``poolingKernel(_:_:_:into:)`` picks the element type once, so no op switches on dtype.
enum PoolingCall {
    /// Running maxima without indices (inference).
    case maxValues
    /// Maxima and their flat in-plane positions, written into `indices` (int64).
    case max(indices: Tensor)
    /// The max-pool adjoint: the input is the output gradient, routed through `indices`.
    case maxBackward(indices: Tensor)
    /// Window averages.
    case average(countIncludePad: Bool, divisorOverride: Int?)
    /// The average-pool adjoint: the input is the output gradient.
    case averageBackward(countIncludePad: Bool, divisorOverride: Int?)
    /// Adaptive averages, or (with `backward`) their adjoint from the output gradient.
    case adaptiveAverage(backward: Bool)
}

/// Runs `call` over dense float32 or float64 `input` (the pooled planes, or the output
/// gradient for a backward case) into dense `out` of the same dtype. A backward case
/// accumulates, so `out` must start zeroed.
func poolingKernel(_ call: PoolingCall, _ input: Tensor, _ g: PoolingGeometry, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let call: PoolingCall, input: Tensor, g: PoolingGeometry, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            let x = UnsafePointer(input.pointer(as: T.self)), y = out.pointer(as: T.self)
            switch call {
            case .maxValues: maxPoolValues(x, g, y)
            case .max(let indices): maxPoolForward(x, g, y, indices.pointer(as: Int64.self))
            case .maxBackward(let indices): maxPoolBackward(x, indices.pointer(as: Int64.self), g, y)
            case .average(let countIncludePad, let divisorOverride):
                avgPoolForward(x, g, y, countIncludePad: countIncludePad, divisorOverride: divisorOverride)
            case .averageBackward(let countIncludePad, let divisorOverride):
                avgPoolBackward(x, g, y, countIncludePad: countIncludePad, divisorOverride: divisorOverride)
            case .adaptiveAverage(let backward): adaptiveAvgPool(x, g, y, backward: backward)
            }
        }
    }
    input.dtype.dispatchSIMDFloat(Visitor(call: call, input: input, g: g, out: out))
}
