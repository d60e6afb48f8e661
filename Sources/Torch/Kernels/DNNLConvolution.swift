import CTorchDNNL

/// float32 2-D convolutions on oneDNN's convolution primitives — forward, backward-data and
/// backward-weights — the kernels PyTorch's CPU build runs for the same calls.
///
/// The primitives for a geometry are kept in a ``DNNLPrimitiveCache`` keyed by it, checked
/// out for the length of one call.

/// Everything a convolution primitive is built for.
struct DNNLConvolutionKey: Hashable, Sendable {
    var batch: Int, inChannels: Int, inH: Int, inW: Int
    var outChannels: Int, kernelH: Int, kernelW: Int, outH: Int, outW: Int
    var strideH: Int, strideW: Int, padH: Int, padW: Int, dilationH: Int, dilationW: Int
    var groups: Int, hasBias: Bool

    fileprivate var geometry: tdc_geometry {
        tdc_geometry(batch: Int64(batch), in_channels: Int64(inChannels), in_h: Int64(inH), in_w: Int64(inW),
                     out_channels: Int64(outChannels), kernel_h: Int64(kernelH), kernel_w: Int64(kernelW),
                     out_h: Int64(outH), out_w: Int64(outW), stride_h: Int64(strideH), stride_w: Int64(strideW),
                     pad_h: Int64(padH), pad_w: Int64(padW), dilation_h: Int64(dilationH),
                     dilation_w: Int64(dilationW), groups: Int64(groups), has_bias: hasBias ? 1 : 0)
    }
}

/// Idle convolution primitives by geometry (`Kernels/DNNLPrimitiveCache.swift`).
private let primitiveCache = DNNLPrimitiveCache<DNNLConvolutionKey> { tdc_conv_destroy($0) }

/// Runs `body` with the primitives for `key` checked out, or returns `nil` when oneDNN
/// cannot build them (the caller falls back to im2col).
private func withPrimitives<R>(_ key: DNNLConvolutionKey, _ body: (OpaquePointer) -> R) -> R? {
    primitiveCache.withPrimitive(key, make: { key in
        var geometry = key.geometry
        var message = [CChar](repeating: 0, count: 256)
        return tdc_conv_create(&geometry, &message)
    }, body)
}

/// Runs `body` with the scratch memory `step` of `conv` needs, from the caching allocator
/// (the blocked copies of large activations would otherwise be fresh mappings each call).
private func withScratch(_ conv: OpaquePointer, _ step: Int32, _ what: String,
                         _ body: (UnsafeMutableRawPointer?) -> Void) {
    var bytes = 0
    var message = [CChar](repeating: 0, count: 256)
    checkDNNL(tdc_conv_scratch_bytes(conv, step, &bytes, &message), message, what)
    withDNNLScratch(bytes, body)
}

/// Sets oneDNN's thread count for a convolution of this size (multiply-adds).
private func setThreads(for key: DNNLConvolutionKey) {
    let work = key.batch * key.outChannels * key.outH * key.outW * (key.inChannels / key.groups) * key.kernelH * key.kernelW
    setLibraryThreads(forWork: work, family: .gemm)
}

/// Runs one step of the primitives for `key` (`call` gets them, the step's scratch and a
/// message buffer, and returns oneDNN's status); `false` when oneDNN does not take the
/// geometry.
private func runStep(_ key: DNNLConvolutionKey, _ step: Int32, _ what: String,
                     _ call: (OpaquePointer, UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>) -> Int32) -> Bool {
    setThreads(for: key)
    let done: Void? = withPrimitives(key) { conv in
        withScratch(conv, step, what) { scratch in
            var message = [CChar](repeating: 0, count: 256)
            let status = message.withUnsafeMutableBufferPointer { call(conv, scratch, $0.baseAddress!) }
            checkDNNL(status, message, what)
        }
    }
    return done != nil
}

/// `conv2d(x, weight, bias)` for contiguous float32 `(N, C, H, W)` input and
/// `(O, C/groups, kh, kw)` weight, or `nil` when oneDNN does not take the geometry.
func dnnlConvolutionForward(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ key: DNNLConvolutionKey) -> Tensor? {
    let input = x.denseForKernel, w = weight.denseForKernel, b = bias?.denseForKernel
    let y = Tensor(uninitializedShape: [key.batch, key.outChannels, key.outH, key.outW], dtype: .float32, zeroed: false)
    let ran = runStep(key, Int32(TDC_FORWARD), "conv2d (oneDNN forward)") { conv, scratch, message in
        tdc_conv_forward(conv, input.pointer(as: Float.self), w.pointer(as: Float.self),
                         b.map { UnsafePointer($0.pointer(as: Float.self)) }, y.pointer(as: Float.self), scratch, message)
    }
    return ran ? y : nil
}

/// The input gradient of a convolution for output gradient `gy` `(N, O, Ho, Wo)`, or `nil`
/// when oneDNN does not take the geometry.
func dnnlConvolutionBackwardData(_ gy: Tensor, _ weight: Tensor, _ key: DNNLConvolutionKey) -> Tensor? {
    let g = gy.denseForKernel, w = weight.denseForKernel
    let gx = Tensor(uninitializedShape: [key.batch, key.inChannels, key.inH, key.inW], dtype: .float32, zeroed: false)
    let ran = runStep(key, Int32(TDC_BACKWARD_DATA), "conv2d backward (oneDNN input gradient)") { conv, scratch, message in
        tdc_conv_backward_data(conv, g.pointer(as: Float.self), w.pointer(as: Float.self), gx.pointer(as: Float.self),
                               scratch, message)
    }
    return ran ? gx : nil
}

/// The weight gradient (and the bias gradient, when `withBias`) of a convolution for input
/// `x` and output gradient `gy`, or `nil` when oneDNN does not take the geometry.
func dnnlConvolutionBackwardWeights(_ x: Tensor, _ gy: Tensor, _ key: DNNLConvolutionKey,
                                    withBias: Bool) -> (weight: Tensor, bias: Tensor?)? {
    let input = x.denseForKernel, g = gy.denseForKernel
    let gw = Tensor(uninitializedShape: [key.outChannels, key.inChannels / key.groups, key.kernelH, key.kernelW],
                    dtype: .float32, zeroed: false)
    let gb = withBias ? Tensor(uninitializedShape: [key.outChannels], dtype: .float32, zeroed: false) : nil
    let ran = runStep(key, Int32(TDC_BACKWARD_WEIGHTS), "conv2d backward (oneDNN weight gradient)") { conv, scratch, message in
        tdc_conv_backward_weights(conv, input.pointer(as: Float.self), g.pointer(as: Float.self), gw.pointer(as: Float.self),
                                  gb?.pointer(as: Float.self), scratch, message)
    }
    return ran ? (gw, gb) : nil
}
