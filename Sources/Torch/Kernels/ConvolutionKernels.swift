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

/// Fills `cols` (`patchRows × patchColumns`, row-major) with the patches of one image
/// `x` (`channels × height × width`, contiguous); padding reads as zero.
func im2col<T: TensorScalar & BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ g: ConvolutionGeometry, _ cols: UnsafeMutablePointer<T>) {
    let columns = g.patchColumns
    forEachRange(g.patchRows, work: g.patchRows * columns) { start, end in
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

/// Adds the patch matrix `cols` back into one image `x` (which the caller zeroed): the
/// adjoint of ``im2col(_:_:_:)``.
func col2im<T: TensorScalar & BinaryFloatingPoint>(_ cols: UnsafePointer<T>, _ g: ConvolutionGeometry, _ x: UnsafeMutablePointer<T>) {
    let columns = g.patchColumns
    // Parallel over channels: each channel's rows write only that channel's plane.
    forEachRange(g.channels, work: g.patchRows * columns) { start, end in
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
    let input = x.contiguous()
    let n = input.shape[0]
    let cols = Tensor(uninitializedShape: [n, g.patchRows, g.patchColumns], dtype: input.dtype, zeroed: false)
    let inStride = g.channels * g.height * g.width, colStride = g.patchRows * g.patchColumns
    switch input.dtype {
    case .float32:
        let src = input.pointer(as: Float.self), dst = cols.pointer(as: Float.self)
        for i in 0..<n { im2col(src + i * inStride, g, dst + i * colStride) }
    case .float64:
        let src = input.pointer(as: Double.self), dst = cols.pointer(as: Double.self)
        for i in 0..<n { im2col(src + i * inStride, g, dst + i * colStride) }
    default:
        torchFatal("RuntimeError: convolution supports float32 and float64, got \(input.dtype.name)")
    }
    return cols
}

/// The adjoint of ``im2colBatch(_:_:)``: sums `(N, C·kh·kw, Ho·Wo)` patches into a new
/// `(N, C, H, W)` tensor.
func col2imBatch(_ cols: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    let patches = cols.contiguous()
    let n = patches.shape[0]
    let x = Tensor(uninitializedShape: [n, g.channels, g.height, g.width], dtype: patches.dtype, zeroed: true)
    let outStride = g.channels * g.height * g.width, colStride = g.patchRows * g.patchColumns
    switch patches.dtype {
    case .float32:
        let src = patches.pointer(as: Float.self), dst = x.pointer(as: Float.self)
        for i in 0..<n { col2im(src + i * colStride, g, dst + i * outStride) }
    case .float64:
        let src = patches.pointer(as: Double.self), dst = x.pointer(as: Double.self)
        for i in 0..<n { col2im(src + i * colStride, g, dst + i * outStride) }
    default:
        torchFatal("RuntimeError: convolution supports float32 and float64, got \(patches.dtype.name)")
    }
    return x
}
