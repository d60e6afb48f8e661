/// Max and average pooling over `planes` of `depth × height × width` (one plane per batch
/// item and channel), forward and backward, as PyTorch's CPU `max_pool3d`/`avg_pool3d`
/// kernels compute them; and adaptive max pooling with indices over 2-D planes.

/// A 3-D pooling window sweep.
struct Pooling3DGeometry: Sendable {
    var planes: Int
    /// Input extent `[D, H, W]`.
    var input: [Int]
    /// Window `[kT, kH, kW]`, step, implicit padding and element spacing per dimension.
    var kernel: [Int], stride: [Int], padding: [Int], dilation: [Int]
    /// Output extent `[oD, oH, oW]`.
    var output: [Int]

    var inputPlane: Int { input[0] * input[1] * input[2] }
    var outputPlane: Int { output[0] * output[1] * output[2] }
}

/// Max pooling; `indices` receive the flat position (`(d·H + h)·W + w`) of each maximum in
/// its plane. As PyTorch's CPU kernel: the first maximum wins, a NaN wins over any number
/// (the last NaN of the window, since every NaN replaces the running maximum), and a window
/// of `-inf` points at its first element.
func maxPool3dForward<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: Pooling3DGeometry,
                                                              _ y: UnsafeMutablePointer<T>,
                                                              _ indices: UnsafeMutablePointer<Int64>) {
    let (D, H, W) = (g.input[0], g.input[1], g.input[2])
    let (oD, oH, oW) = (g.output[0], g.output[1], g.output[2])
    let window = g.kernel[0] * g.kernel[1] * g.kernel[2]
    forEachRange(g.planes, work: g.planes * g.outputPlane * window) { start, end in
        for p in start..<end {
            let plane = x + p * g.inputPlane
            let out = y + p * g.outputPlane, idx = indices + p * g.outputPlane
            for od in 0..<oD {
                for oh in 0..<oH {
                    for ow in 0..<oW {
                        var best = -T.infinity, bestIndex = -1
                        for kt in 0..<g.kernel[0] {
                            let id = od * g.stride[0] - g.padding[0] + kt * g.dilation[0]
                            if id < 0 || id >= D { continue }
                            for kh in 0..<g.kernel[1] {
                                let ih = oh * g.stride[1] - g.padding[1] + kh * g.dilation[1]
                                if ih < 0 || ih >= H { continue }
                                for kw in 0..<g.kernel[2] {
                                    let iw = ow * g.stride[2] - g.padding[2] + kw * g.dilation[2]
                                    if iw < 0 || iw >= W { continue }
                                    let position = (id * H + ih) * W + iw
                                    let v = plane[position]
                                    if v > best || v.isNaN || bestIndex < 0 {
                                        best = v
                                        bestIndex = position
                                    }
                                }
                            }
                        }
                        let o = (od * oH + oh) * oW + ow
                        out[o] = best
                        idx[o] = Int64(bestIndex)
                    }
                }
            }
        }
    }
}

/// The adjoint of max pooling: each output gradient goes to its window's maximum. Shared by
/// 3-D pooling and adaptive max pooling (any plane sizes).
func indexedPoolBackward<T: TensorScalar & BinaryFloatingPoint>(_ gy: UnsafePointer<T>, _ indices: UnsafePointer<Int64>,
                                                                 planes: Int, inputPlane: Int, outputPlane: Int,
                                                                 _ gx: UnsafeMutablePointer<T>) {
    forEachRange(planes, work: planes * outputPlane) { start, end in
        for p in start..<end {
            let plane = gx + p * inputPlane
            let grad = gy + p * outputPlane, idx = indices + p * outputPlane
            for o in 0..<outputPlane where idx[o] >= 0 { plane[Int(idx[o])] += grad[o] }
        }
    }
}

/// The clipped window of an average-pooling output along one dimension, and the padded
/// extent PyTorch divides by when counting padding.
@inline(__always)
private func averageSpan(_ o: Int, _ g: Pooling3DGeometry, _ d: Int) -> (start: Int, end: Int, padded: Int) {
    let start = o * g.stride[d] - g.padding[d]
    let end = Swift.min(start + g.kernel[d], g.input[d] + g.padding[d])
    return (Swift.max(start, 0), Swift.min(end, g.input[d]), end - start)
}

/// Visits every output of a plane with its clipped window and divisor, as PyTorch's
/// `avg_pool3d`: a window entirely in the padding has no elements (its output is 0).
@inline(__always)
private func forEachAverageWindow(_ g: Pooling3DGeometry, countIncludePad: Bool, divisorOverride: Int?,
                                  _ body: (_ output: Int, _ d: Range<Int>, _ h: Range<Int>, _ w: Range<Int>, _ divisor: Int) -> Void) {
    for od in 0..<g.output[0] {
        let sd = averageSpan(od, g, 0)
        for oh in 0..<g.output[1] {
            let sh = averageSpan(oh, g, 1)
            for ow in 0..<g.output[2] {
                let sw = averageSpan(ow, g, 2)
                let o = (od * g.output[1] + oh) * g.output[2] + ow
                guard sd.start < sd.end && sh.start < sh.end && sw.start < sw.end else {
                    body(o, 0..<0, 0..<0, 0..<0, 1)
                    continue
                }
                let count = (sd.end - sd.start) * (sh.end - sh.start) * (sw.end - sw.start)
                let divisor = divisorOverride ?? (countIncludePad ? sd.padded * sh.padded * sw.padded : count)
                body(o, sd.start..<sd.end, sh.start..<sh.end, sw.start..<sw.end, divisor)
            }
        }
    }
}

/// Average pooling.
func avgPool3dForward<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: Pooling3DGeometry,
                                                              _ y: UnsafeMutablePointer<T>, countIncludePad: Bool,
                                                              divisorOverride: Int?) {
    let (H, W) = (g.input[1], g.input[2])
    forEachRange(g.planes, work: g.planes * g.outputPlane * g.kernel.reduce(1, *)) { start, end in
        for p in start..<end {
            let plane = x + p * g.inputPlane, out = y + p * g.outputPlane
            forEachAverageWindow(g, countIncludePad: countIncludePad, divisorOverride: divisorOverride) { o, ds, hs, ws, divisor in
                var sum: T = 0
                for id in ds { for ih in hs { for iw in ws { sum += plane[(id * H + ih) * W + iw] } } }
                out[o] = ds.isEmpty ? 0 : sum / T(divisor)
            }
        }
    }
}

/// The adjoint of ``avgPool3dForward(_:_:_:countIncludePad:divisorOverride:)``.
func avgPool3dBackward<T: TensorScalar & BinaryFloatingPoint>(_ gy: UnsafePointer<T>, _ g: Pooling3DGeometry,
                                                               _ gx: UnsafeMutablePointer<T>, countIncludePad: Bool,
                                                               divisorOverride: Int?) {
    let (H, W) = (g.input[1], g.input[2])
    forEachRange(g.planes, work: g.planes * g.outputPlane * g.kernel.reduce(1, *)) { start, end in
        for p in start..<end {
            let plane = gx + p * g.inputPlane, grad = gy + p * g.outputPlane
            forEachAverageWindow(g, countIncludePad: countIncludePad, divisorOverride: divisorOverride) { o, ds, hs, ws, divisor in
                let share = grad[o] / T(divisor)
                for id in ds { for ih in hs { for iw in ws { plane[(id * H + ih) * W + iw] += share } } }
            }
        }
    }
}

/// Adaptive max pooling of `planes` of `height × width` to `outH × outW`: output cell
/// `(i, j)` takes the maximum of rows `⌊i·H/oH⌋ ..< ⌈(i+1)·H/oH⌉` and the matching columns,
/// the first maximum (the last NaN winning) as PyTorch's CPU kernel; `indices` hold `h·W + w`.
func adaptiveMaxPool2dForward<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, planes: Int, height: Int,
                                                                      width: Int, outH: Int, outW: Int,
                                                                      _ y: UnsafeMutablePointer<T>,
                                                                      _ indices: UnsafeMutablePointer<Int64>) {
    forEachRange(planes, work: planes * height * width) { start, end in
        for p in start..<end {
            let plane = x + p * height * width
            let out = y + p * outH * outW, idx = indices + p * outH * outW
            for oh in 0..<outH {
                let h0 = oh * height / outH, h1 = ((oh + 1) * height + outH - 1) / outH
                for ow in 0..<outW {
                    let w0 = ow * width / outW, w1 = ((ow + 1) * width + outW - 1) / outW
                    var best = -T.infinity, bestIndex = h0 * width + w0
                    for ih in h0..<h1 {
                        for iw in w0..<w1 {
                            let v = plane[ih * width + iw]
                            if v > best || v.isNaN {
                                best = v
                                bestIndex = ih * width + iw
                            }
                        }
                    }
                    out[oh * outW + ow] = best
                    idx[oh * outW + ow] = Int64(bestIndex)
                }
            }
        }
    }
}

/// What one 3-D (or adaptive max) pooling kernel call computes. The ops hand over dense
/// tensors and a case; ``pooling3dKernel(_:_:into:)`` picks the element type once, so no op
/// switches on dtype.
enum Pooling3DCall {
    /// 3-D maxima and their flat in-plane positions, written into `indices` (int64).
    case max(Pooling3DGeometry, indices: Tensor)
    /// 3-D window averages.
    case average(Pooling3DGeometry, countIncludePad: Bool, divisorOverride: Int?)
    /// The 3-D average-pool adjoint: the input is the output gradient.
    case averageBackward(Pooling3DGeometry, countIncludePad: Bool, divisorOverride: Int?)
    /// The adjoint of any pooling that kept its argmax `indices` per plane: the input is the
    /// output gradient.
    case indexedBackward(indices: Tensor, planes: Int, inputPlane: Int, outputPlane: Int)
    /// Adaptive 2-D max pooling with indices into `indices` (int64).
    case adaptiveMax2d(planes: Int, height: Int, width: Int, outH: Int, outW: Int, indices: Tensor)
}

/// Runs `call` over dense float32 or float64 `input` (the pooled planes, or the output
/// gradient for a backward case) into dense `out` of the same dtype. A backward case
/// accumulates, so `out` must start zeroed.
func pooling3dKernel(_ call: Pooling3DCall, _ input: Tensor, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let call: Pooling3DCall, input: Tensor, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            let x = UnsafePointer(input.pointer(as: T.self)), y = out.pointer(as: T.self)
            switch call {
            case .max(let g, let indices): maxPool3dForward(x, g, y, indices.pointer(as: Int64.self))
            case .average(let g, let countIncludePad, let divisorOverride):
                avgPool3dForward(x, g, y, countIncludePad: countIncludePad, divisorOverride: divisorOverride)
            case .averageBackward(let g, let countIncludePad, let divisorOverride):
                avgPool3dBackward(x, g, y, countIncludePad: countIncludePad, divisorOverride: divisorOverride)
            case .indexedBackward(let indices, let planes, let inputPlane, let outputPlane):
                indexedPoolBackward(x, indices.pointer(as: Int64.self), planes: planes, inputPlane: inputPlane,
                                    outputPlane: outputPlane, y)
            case .adaptiveMax2d(let planes, let height, let width, let outH, let outW, let indices):
                adaptiveMaxPool2dForward(x, planes: planes, height: height, width: width, outH: outH, outW: outW, y,
                                         indices.pointer(as: Int64.self))
            }
        }
    }
    input.dtype.dispatchSIMDFloat(Visitor(call: call, input: input, out: out))
}
