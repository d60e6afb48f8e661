/// im2col / col2im for 2-D convolutions (1-D ones run with height 1): the patch matrix
/// `(C·kh·kw, Ho·Wo)` per image, so a convolution is one GEMM per image and group.

/// The geometry of a 2-D convolution window sweep.
struct ConvolutionGeometry: Sendable {
    var channels: Int, height: Int, width: Int
    var kernelH: Int, kernelW: Int
    var strideH: Int, strideW: Int
    var padH: Int, padW: Int
    var dilationH: Int, dilationW: Int
    var outH: Int, outW: Int

    /// Rows of the patch matrix.
    var patchRows: Int { channels * kernelH * kernelW }
    /// Columns of the patch matrix.
    var patchColumns: Int { outH * outW }
}

/// Fills `cols` (`patchRows × patchColumns`, rows `rowStride` apart) with the patches of
/// one image `x` (`channels × height × width`, contiguous); padding reads as zero. A row
/// stride of `batch · patchColumns` lays a whole batch side by side, so one GEMM serves it.
func im2col<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: ConvolutionGeometry, _ cols: UnsafeMutablePointer<T>,
                                                    rowStride: Int? = nil, parallel: Bool = true) {
    let columns = rowStride ?? g.patchColumns
    forEachRange(g.patchRows, work: parallel ? g.patchRows * g.patchColumns : 0) { start, end in
        for row in start..<end {
            let kj = row % g.kernelW, ki = (row / g.kernelW) % g.kernelH, c = row / (g.kernelW * g.kernelH)
            let plane = x + c * g.height * g.width
            let out = cols + row * columns
            for oh in 0..<g.outH {
                let ih = oh * g.strideH - g.padH + ki * g.dilationH
                let dst = out + oh * g.outW
                guard ih >= 0 && ih < g.height else {
                    dst.update(repeating: 0, count: g.outW)
                    continue
                }
                let src = plane + ih * g.width
                let offset = kj * g.dilationW - g.padW
                if g.strideW == 1 {
                    // Contiguous run: zeros before and after the image, a copy in between.
                    let first = Swift.max(0, -offset), last = Swift.min(g.outW, g.width - offset)
                    if first > 0 { dst.update(repeating: 0, count: Swift.min(first, g.outW)) }
                    if last > first { (dst + first).update(from: src + first + offset, count: last - first) }
                    if last < g.outW { (dst + Swift.max(last, first)).update(repeating: 0, count: g.outW - Swift.max(last, first)) }
                } else {
                    for ow in 0..<g.outW {
                        let iw = ow * g.strideW + offset
                        dst[ow] = iw >= 0 && iw < g.width ? src[iw] : 0
                    }
                }
            }
        }
    }
}

/// Adds the patch matrix `cols` (rows `rowStride` apart) back into one image `x` (which
/// the caller zeroed): the adjoint of ``im2col(_:_:_:rowStride:)``.
func col2im<T: TensorScalar & BinaryFloatingPoint>(_ cols: UnsafePointer<T>, _ g: ConvolutionGeometry, _ x: UnsafeMutablePointer<T>,
                                                    rowStride: Int? = nil, parallel: Bool = true) {
    let columns = rowStride ?? g.patchColumns
    // Parallel over channels: each channel's rows write only that channel's plane.
    forEachRange(g.channels, work: parallel ? g.patchRows * g.patchColumns : 0) { start, end in
    for c in start..<end {
        let plane = x + c * g.height * g.width
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                let row = (c * g.kernelH + ki) * g.kernelW + kj
                let src = cols + row * columns
                for oh in 0..<g.outH {
                    let ih = oh * g.strideH - g.padH + ki * g.dilationH
                    guard ih >= 0 && ih < g.height else { continue }
                    let dst = plane + ih * g.width
                    let line = src + oh * g.outW
                    for ow in 0..<g.outW {
                        let iw = ow * g.strideW - g.padW + kj * g.dilationW
                        if iw >= 0 && iw < g.width { dst[iw] += line[ow] }
                    }
                }
            }
        }
    }
    }
}

/// The patch matrices of a batch: `x` is `(N, C, H, W)`; the result `(N, C·kh·kw, Ho·Wo)`.
func im2colBatch(_ x: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    let input = x.denseForKernel
    let n = input.shape[0]
    let cols = Tensor(uninitializedShape: [n, g.patchRows, g.patchColumns], dtype: input.dtype, zeroed: false)
    PatchCopy(kind: .im2colBatch, source: input, destination: cols, geometry: g, batch: n).run()
    return cols
}

/// The adjoint of ``im2colBatch(_:_:)``: sums `(N, C·kh·kw, Ho·Wo)` patches into a new
/// `(N, C, H, W)` tensor.
func col2imBatch(_ cols: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    let patches = cols.denseForKernel
    let n = patches.shape[0]
    let x = Tensor(uninitializedShape: [n, g.channels, g.height, g.width], dtype: patches.dtype, zeroed: true)
    PatchCopy(kind: .col2imBatch, source: patches, destination: x, geometry: g, batch: n).run()
    return x
}

/// The patches of a whole batch side by side: `x` is `(N, C, H, W)`; the result is
/// `(C·kh·kw, N·Ho·Wo)`, image `n` in columns `n·L ..< (n+1)·L`.
func im2colWide(_ x: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    let input = x.denseForKernel
    let n = input.shape[0]
    let cols = Tensor(uninitializedShape: [g.patchRows, n * g.patchColumns], dtype: input.dtype, zeroed: false)
    PatchCopy(kind: .im2colWide, source: input, destination: cols, geometry: g, batch: n).run()
    return cols
}

/// The adjoint of ``im2colWide(_:_:)``: sums `(C·kh·kw, N·L)` patches into a new `(N, C, H, W)`.
func col2imWide(_ cols: Tensor, _ g: ConvolutionGeometry, batch n: Int) -> Tensor {
    let patches = cols.denseForKernel
    let x = Tensor(uninitializedShape: [n, g.channels, g.height, g.width], dtype: patches.dtype, zeroed: true)
    PatchCopy(kind: .col2imWide, source: patches, destination: x, geometry: g, batch: n).run()
    return x
}

/// The four copies between images and patch matrices, specialised per floating dtype by the
/// dispatcher; 16-bit floats run these loops (pure data movement, and col2im's few sums) in
/// their own type.
private struct PatchCopy: FloatVisitor {
    enum Kind { case im2colBatch, col2imBatch, im2colWide, col2imWide }
    let kind: Kind
    let source: Tensor, destination: Tensor
    let geometry: ConvolutionGeometry
    let batch: Int

    func run() {
        guard source.dtype.isFloatingPoint else {
            torchFatal("RuntimeError: convolution supports floating dtypes only, got \(source.dtype.name)")
        }
        source.dtype.dispatchFloat(self)
    }

    func visit<T: FloatElement & Element>(_: T.Type) {
        let g = geometry, n = batch
        let src = source.pointer(as: T.self), dst = destination.pointer(as: T.self)
        let image = g.channels * g.height * g.width, patches = g.patchRows * g.patchColumns
        let width = n * g.patchColumns
        switch kind {
        case .im2colBatch:
            for i in 0..<n { im2col(src + i * image, g, dst + i * patches) }
        case .col2imBatch:
            for i in 0..<n { col2im(src + i * patches, g, dst + i * image) }
        case .im2colWide:
            forEachRange(n, work: n * patches) { start, end in
                for i in start..<end { im2col(src + i * image, g, dst + i * g.patchColumns, rowStride: width, parallel: false) }
            }
        case .col2imWide:
            forEachRange(n, work: n * patches) { start, end in
                for i in start..<end { col2im(src + i * g.patchColumns, g, dst + i * image, rowStride: width, parallel: false) }
            }
        }
    }
}

/// Adds `bias[c]` to every element of channel `c` of a contiguous `(N, C, L)` tensor in
/// place: the per-channel broadcast as one tight loop per plane.
func addChannelBias(_ y: Tensor, _ bias: Tensor, channels: Int) {
    let perPlane = y.numel / Swift.max(y.shape[0] * channels, 1)
    let b = bias.dtype == y.dtype ? bias.denseForKernel : bias.convertedForKernel(to: y.dtype)
    guard y.dtype.isFloatingPoint else {
        torchFatal("RuntimeError: convolution supports floating dtypes only, got \(y.dtype.name)")
    }
    y.dtype.dispatchFloat(ChannelBiasLoop(y: y, bias: b, channels: channels, perPlane: perPlane))
}

private struct ChannelBiasLoop: FloatVisitor {
    let y: Tensor, bias: Tensor, channels: Int, perPlane: Int

    func visit<T: FloatElement & Element>(_: T.Type) {
        let out = y.pointer(as: T.self), values = bias.pointer(as: T.self)
        let channels = channels, perPlane = perPlane
        forEachRange(y.shape[0] * channels, work: y.numel) { start, end in
            for plane in start..<end {
                let v = values[plane % channels], row = out + plane * perPlane
                for i in 0..<perPlane { row[i] += v }
            }
        }
    }
}
