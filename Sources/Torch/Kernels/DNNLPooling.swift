import CTorchDNNL

/// float32 2-D max and average pooling on oneDNN's pooling primitive, on plain NCHW buffers.
/// The callers keep the kernels of `PoolingKernels.swift` for every case these return
/// `false` for, and for max pooling's backward (the indices these produce are PyTorch's, so
/// the scatter of ``maxPoolBackward(_:_:_:_:)`` over them is already exact).
///
/// Where oneDNN differs from PyTorch, these decline rather than differ: a max window holding
/// NaN or ±∞ (oneDNN's maximum skips NaN and starts from the lowest finite float), an
/// average with `divisor_override`, and a ceil-mode average counting padding whose last
/// window runs past the padding (PyTorch clips that window's divisor, oneDNN does not).

/// What a pooling primitive computes.
enum DNNLPoolingAlgorithm: Int32, Sendable {
    case max = 0, averageIncludingPadding = 1, averageExcludingPadding = 2
}

/// Everything a pooling primitive is built for.
struct DNNLPoolingKey: Hashable, Sendable {
    var batch: Int, channels: Int, inH: Int, inW: Int, outH: Int, outW: Int
    var kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, padH: Int, padW: Int, padBottom: Int, padRight: Int
    var dilationH: Int, dilationW: Int
    var algorithm: DNNLPoolingAlgorithm
    var step: Int32

    /// The key for geometry `g` over `batch × channels` planes. The padding after the input
    /// is PyTorch's symmetric one, or in ceil mode what the last window needs past the input.
    init(_ g: PoolingGeometry, batch: Int, channels: Int, algorithm: DNNLPoolingAlgorithm, step: Int32) {
        (self.batch, self.channels, inH, inW, outH, outW) = (batch, channels, g.height, g.width, g.outH, g.outW)
        (kernelH, kernelW, strideH, strideW, padH, padW) = (g.kernelH, g.kernelW, g.strideH, g.strideW, g.padH, g.padW)
        (dilationH, dilationW, self.algorithm, self.step) = (g.dilationH, g.dilationW, algorithm, step)
        padBottom = Swift.max(g.padH, (g.outH - 1) * g.strideH + (g.kernelH - 1) * g.dilationH + 1 - g.height - g.padH)
        padRight = Swift.max(g.padW, (g.outW - 1) * g.strideW + (g.kernelW - 1) * g.dilationW + 1 - g.width - g.padW)
    }

    fileprivate var geometry: tdc_pool_geometry {
        tdc_pool_geometry(batch: Int64(batch), channels: Int64(channels), in_h: Int64(inH), in_w: Int64(inW),
                          out_h: Int64(outH), out_w: Int64(outW), kernel_h: Int64(kernelH), kernel_w: Int64(kernelW),
                          stride_h: Int64(strideH), stride_w: Int64(strideW), pad_h: Int64(padH), pad_w: Int64(padW),
                          pad_bottom: Int64(padBottom), pad_right: Int64(padRight), dilation_h: Int64(dilationH),
                          dilation_w: Int64(dilationW), algorithm: algorithm.rawValue)
    }
}

/// Idle pooling primitives by geometry, algorithm and step.
private let poolingCache = DNNLPrimitiveCache<DNNLPoolingKey> { tdc_primitive_destroy($0) }

/// Runs the primitive for `key` on `buffers` (its step's slots, `CTorchDNNL.h`);
/// `workspace`, when given, is called with the primitive's workspace size and element size
/// first and returns the workspace buffer (the step's last input or output slot, `nil` in
/// `buffers`). `false` when oneDNN does not take the geometry.
private func runPooling(_ key: DNNLPoolingKey, _ buffers: [UnsafeMutableRawPointer?], _ what: String,
                        workspace: ((Int, Int) -> UnsafeMutableRawPointer)? = nil, workspaceSlot: Int = 0) -> Bool {
    setLibraryThreads(forWork: key.batch * key.channels * key.outH * key.outW * key.kernelH * key.kernelW, family: .reduction)
    let ran: Void? = poolingCache.withPrimitive(key, make: { key in
        var geometry = key.geometry
        var message = [CChar](repeating: 0, count: 256)
        return tdc_pool_create(&geometry, key.step, &message)
    }) { primitive in
        var slots = buffers
        if let workspace {
            var element: Int32 = 0
            let bytes = tdc_primitive_workspace_bytes(primitive, &element)
            slots[workspaceSlot] = workspace(bytes, Int(element))
        }
        runDNNLPrimitive(primitive, slots, what)
    }
    return ran != nil
}

/// Whether every element of dense float32 `x` is finite: oneDNN's max pooling would differ
/// from PyTorch's on the others (NaN never wins; a window of -∞ gives the lowest float).
private func allFinite(_ x: Tensor) -> Bool {
    let count = x.numel, base = x.pointer(as: Float.self)
    let found = Locked(false)
    forEachRange(count) { start, end in
        var special: UInt32 = 0
        for i in start..<end {
            // All exponent bits set: ±∞ or NaN. Branch-free so that the scan vectorises.
            special |= (base[i].bitPattern & 0x7F80_0000) == 0x7F80_0000 ? 1 : 0
        }
        if special != 0 { found.withLock { $0 = true } }
    }
    return !found.withLock { $0 }
}

/// Max pooling of dense float32 NCHW `input` (`batch × channels` planes of geometry `g`)
/// into `out`, and, when `indices` is given, each maximum's flat position in its plane
/// (`h·W + w`, PyTorch's indices, int64) from oneDNN's workspace; `false` when oneDNN does
/// not take the geometry or the input holds a non-finite value.
func dnnlMaxPool(_ input: Tensor, _ g: PoolingGeometry, batch: Int, channels: Int, into out: Tensor, indices: Tensor?) -> Bool {
    guard allFinite(input) else { return false }
    let src = UnsafeMutableRawPointer(input.pointer(as: Float.self)), dst = UnsafeMutableRawPointer(out.pointer(as: Float.self))
    guard let indices else {
        let key = DNNLPoolingKey(g, batch: batch, channels: channels, algorithm: .max, step: Int32(TDC_POOL_FORWARD))
        return runPooling(key, [src, dst], "max_pool2d (oneDNN)")
    }
    let key = DNNLPoolingKey(g, batch: batch, channels: channels, algorithm: .max, step: Int32(TDC_POOL_FORWARD_TRAINING))
    var workspace: Tensor?, elementSize = 0
    let ran = runPooling(key, [src, dst, nil], "max_pool2d (oneDNN)", workspace: { bytes, element in
        let buffer = Tensor(uninitializedShape: [Swift.max(bytes, 1)], dtype: .uint8, zeroed: false)
        (workspace, elementSize) = (buffer, element)
        return UnsafeMutableRawPointer(buffer.pointer(as: UInt8.self))
    }, workspaceSlot: 2)
    guard ran, let workspace else { return false }
    let ws = UnsafeRawPointer(workspace.pointer(as: UInt8.self)), idx = indices.pointer(as: Int64.self)
    let outputs = g.outH * g.outW
    forEachRange(g.planes, work: g.planes * outputs) { start, end in
        for p in start..<end {
            for oh in 0..<g.outH {
                for ow in 0..<g.outW {
                    let o = p * outputs + oh * g.outW + ow
                    // The winner's offset in its window, counted over the whole (padded) window.
                    let k = elementSize == 1 ? Int(ws.load(fromByteOffset: o, as: UInt8.self))
                                             : Int(ws.load(fromByteOffset: 4 * o, as: Int32.self))
                    let ih = oh * g.strideH - g.padH + (k / g.kernelW) * g.dilationH
                    let iw = ow * g.strideW - g.padW + (k % g.kernelW) * g.dilationW
                    idx[o] = Int64(ih * g.width + iw)
                }
            }
        }
    }
    return true
}

/// Average pooling of dense float32 NCHW `input` into `out`, or (with `backward`) its adjoint
/// from the output gradient `input` into the input gradient `out` (overwritten, not
/// accumulated); `false` when oneDNN does not take it or would divide differently from
/// PyTorch.
func dnnlAvgPool(_ input: Tensor, _ g: PoolingGeometry, batch: Int, channels: Int, into out: Tensor,
                 countIncludePad: Bool, divisorOverride: Int?, backward: Bool) -> Bool {
    guard divisorOverride == nil else { return false }
    let key = DNNLPoolingKey(g, batch: batch, channels: channels,
                             algorithm: countIncludePad ? .averageIncludingPadding : .averageExcludingPadding,
                             step: Int32(backward ? TDC_POOL_BACKWARD : TDC_POOL_FORWARD))
    if countIncludePad && (key.padBottom > g.padH || key.padRight > g.padW) { return false }
    let src = UnsafeMutableRawPointer(input.pointer(as: Float.self)), dst = UnsafeMutableRawPointer(out.pointer(as: Float.self))
    return runPooling(key, backward ? [src, nil, dst] : [src, dst], backward ? "avg_pool2d backward (oneDNN)" : "avg_pool2d (oneDNN)")
}
