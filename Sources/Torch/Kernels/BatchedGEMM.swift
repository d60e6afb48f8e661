/// Runs one GEMM per batch over strided operands `a` (batch… × m × k) and `b`
/// (batch… × k × n) with the same batch shape (broadcast batches have stride 0) into a
/// contiguous output, with no allocation per batch; operands BLAS cannot read in place
/// are copied once.
///
/// With `beta != 0` the output's current contents are scaled and added:
/// `out = beta * out + alpha * a @ b`, as BLAS does.
func batchedGEMM(a: Tensor, b: Tensor, out: Tensor, alpha: Double = 1, beta: Double = 0) {
    if alpha == 1 && beta == 0 && isOrderedSmallGEMM(a: a, b: b, out: out) {
        orderedSmallGEMM(a: a, b: b, out: out)
        return
    }
    if out.dtype == .bfloat16 && a.dtype == .bfloat16 && b.dtype == .bfloat16 {
        if alpha == 1 && beta == 0 {
            if bfloat16Batches(a: a, b: b, out: out) { return }
        } else {
            // addmm/baddbmm: the unrounded float32 product, combined with `out` in float32,
            // rounded once.
            let product = Tensor(uninitializedShape: out.shape, dtype: .float32, zeroed: false)
            if bfloat16Batches(a: a, b: b, out: product) {
                let wide = out.convertedForKernel(to: .float32)
                let p = product.pointer(as: Float.self), w = wide.pointer(as: Float.self)
                let (fa, fb) = (Float(alpha), Float(beta))
                for i in 0..<out.numel { w[i] = beta == 0 ? fa * p[i] : fb * w[i] + fa * p[i] }
                copyElements(from: wide, to: out)
                return
            }
        }
    }
    if out.dtype.isReducedPrecisionFloat {
        // float32 products and sums, one rounding per output element.
        let wa = a.widenedForKernel, wb = b.widenedForKernel
        writingThroughFloat32(out, readsOutput: beta != 0) { wide in
            batchedGEMM(a: wa, b: wb, out: wide, alpha: alpha, beta: beta)
        }
        return
    }
    out.dtype.dispatch(BatchedGEMMKernel(a: a, b: b, out: out, alpha: alpha, beta: beta))
}

/// The bfloat16 batches on oneDNN (``bfloat16GEMM``) into a bfloat16 or float32 `out`;
/// `false` when oneDNN declined, before anything was written.
private func bfloat16Batches(a: Tensor, b: Tensor, out: Tensor) -> Bool {
    let r = a.dim
    let m = a.shape[r - 2], k = a.shape[r - 1], n = b.shape[r - 1]
    func ready(_ t: Tensor, rows: Int, cols: Int) -> (Tensor, BLASOperand) {
        if let op = BLASOperand(rows: rows, cols: cols, rowStride: t.strides[r - 2], colStride: t.strides[r - 1]) { return (t, op) }
        let c = t.denseForKernel
        return (c, BLASOperand(rows: rows, cols: cols, rowStride: c.strides[r - 2], colStride: c.strides[r - 1])!)
    }
    let (aa, opA) = ready(a, rows: m, cols: k), (bb, opB) = ready(b, rows: k, cols: n)
    let pa = UnsafeRawPointer(aa.storage.data.assumingMemoryBound(to: BFloat16.self))
    let pb = UnsafeRawPointer(bb.storage.data.assumingMemoryBound(to: BFloat16.self))
    let pc = out.storage.data + out.offset * out.dtype.itemSize, floatOutput = out.dtype == .float32
    let aOffsets = batchOffsets(aa), bOffsets = batchOffsets(bb)
    for i in 0..<aOffsets.count {
        let done = bfloat16GEMM(m: m, n: n, k: k, a: pa + 2 * aOffsets[i], opA, b: pb + 2 * bOffsets[i], opB,
                                c: pc + i * m * n * out.dtype.itemSize, ldc: Swift.max(n, 1), floatOutput: floatOutput)
        if !done {
            precondition(i == 0, "oneDNN refused a bfloat16 product it had run before")
            return false
        }
    }
    return true
}

private struct BatchedGEMMKernel: DTypeVisitor {
    let a: Tensor
    let b: Tensor
    let out: Tensor
    let alpha: Double
    let beta: Double

    func visit<T: TensorScalar>(_: T.Type) {
        let r = a.dim
        let m = a.shape[r - 2], k = a.shape[r - 1], n = b.shape[r - 1]
        let c = out.pointer(as: T.self)
        if T.self == Float.self || T.self == Double.self {
            let (aa, opA) = blasReady(a, rows: m, cols: k)
            let (bb, opB) = blasReady(b, rows: k, cols: n)
            let pa = aa.storage.data.assumingMemoryBound(to: T.self)
            let pb = bb.storage.data.assumingMemoryBound(to: T.self)
            let aOffsets = batchOffsets(aa), bOffsets = batchOffsets(bb)
            let product = { (i: Int, onThisThread: Bool) in
                let ai = pa + aOffsets[i], bi = pb + bOffsets[i], ci = c + i * m * n
                if T.self == Float.self {
                    sgemm(m: m, n: n, k: k, alpha: Float(alpha),
                          a: UnsafeRawPointer(ai).assumingMemoryBound(to: Float.self), opA,
                          b: UnsafeRawPointer(bi).assumingMemoryBound(to: Float.self), opB,
                          beta: Float(beta), c: UnsafeMutableRawPointer(ci).assumingMemoryBound(to: Float.self),
                          ldc: max(n, 1), onThisThread: onThisThread)
                } else {
                    dgemm(m: m, n: n, k: k, alpha: alpha,
                          a: UnsafeRawPointer(ai).assumingMemoryBound(to: Double.self), opA,
                          b: UnsafeRawPointer(bi).assumingMemoryBound(to: Double.self), opB,
                          beta: beta, c: UnsafeMutableRawPointer(ci).assumingMemoryBound(to: Double.self),
                          ldc: max(n, 1), onThisThread: onThisThread)
                }
            }
            // Whole batches go to the pool's workers, each product on one thread: one parallel
            // region for the batch instead of one per product, and none of the per-product
            // splitting's hand-offs (64 products of 128×128×128: 1.78 against 2.1 ms in C on
            // this machine, both oneDNN). Products too small to split at all (attention's
            // per-head ones) ran one after another on one core before; now they share both.
            // Batches left over from an even share run split, one after another.
            let count = aOffsets.count
            let parts = Swift.min(count, parallelPartCount(elements: count * m * n * k, family: .gemm))
            let shared = parts > 1 ? count / parts * parts : 0
            if shared > 0 {
                parallelFor(parts) { p in
                    for i in shared * p / parts ..< shared * (p + 1) / parts { product(i, true) }
                }
            }
            for i in shared..<count { product(i, false) }
        } else {
            integerBatches(T.self, m: m, k: k, n: n)
        }
    }

    /// The operand itself if BLAS can read each batch's matrix in place, else a contiguous copy.
    private func blasReady(_ t: Tensor, rows: Int, cols: Int) -> (Tensor, BLASOperand) {
        let r = t.dim
        if let op = BLASOperand(rows: rows, cols: cols, rowStride: t.strides[r - 2], colStride: t.strides[r - 1]) {
            return (t, op)
        }
        let c = t.denseForKernel
        return (c, BLASOperand(rows: rows, cols: cols, rowStride: c.strides[r - 2], colStride: c.strides[r - 1])!)
    }

    private func integerBatches<T: TensorScalar>(_: T.Type, m: Int, k: Int, n: Int) {
        let c = out.pointer(as: T.self)
        let r = a.dim
        let aOffsets = batchOffsets(a), bOffsets = batchOffsets(b)
        let ars = a.strides[r - 2], acs = a.strides[r - 1], brs = b.strides[r - 2], bcs = b.strides[r - 1]
        if T.self == Bool.self {
            // bool matmul is logical: any(a & b) along k.
            let pa = a.storage.data.assumingMemoryBound(to: Bool.self)
            let pb = b.storage.data.assumingMemoryBound(to: Bool.self)
            let pc = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Bool.self)
            for bi in 0..<aOffsets.count {
                for i in 0..<m {
                    for j in 0..<n {
                        var acc = false
                        for p in 0..<k where pa[aOffsets[bi] + i * ars + p * acs]
                            && pb[bOffsets[bi] + p * brs + j * bcs] { acc = true; break }
                        let previous = beta != 0 && pc[bi * m * n + i * n + j]
                        pc[bi * m * n + i * n + j] = (alpha != 0 && acc) || previous
                    }
                }
            }
            return
        }
        func run<I: TensorScalar & FixedWidthInteger>(_: I.Type) {
            let pa = a.storage.data.assumingMemoryBound(to: I.self)
            let pb = b.storage.data.assumingMemoryBound(to: I.self)
            let pc = UnsafeMutableRawPointer(c).assumingMemoryBound(to: I.self)
            let ia = I(truncatingIfNeeded: Int64(alpha)), ib = I(truncatingIfNeeded: Int64(beta))
            for bi in 0..<aOffsets.count {
                integerGEMM(m: m, n: n, k: k, alpha: ia,
                            a: pa + aOffsets[bi], aRowStride: ars, aColStride: acs,
                            b: pb + bOffsets[bi], bRowStride: brs, bColStride: bcs,
                            beta: ib, c: pc + bi * m * n, ldc: n)
            }
        }
        switch T.dtype {
        case .uint8: run(UInt8.self)
        case .int8: run(Int8.self)
        case .int16: run(Int16.self)
        case .int32: run(Int32.self)
        default: run(Int64.self)
        }
    }
}

/// Storage offsets of every matrix in the leading (batch) dimensions of `t`.
func batchOffsets(_ t: Tensor, matrixRank: Int = 2) -> [Int] {
    let batchShape = Array(t.shape.dropLast(matrixRank))
    let count = batchShape.reduce(1, *)
    var offsets = [Int](repeating: t.offset, count: count)
    var index = [Int](repeating: 0, count: batchShape.count)
    for b in 0..<count {
        var o = t.offset
        for d in 0..<batchShape.count { o += index[d] * t.strides[d] }
        offsets[b] = o
        var d = batchShape.count - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < batchShape[d] { break }
            index[d] = 0
            d -= 1
        }
    }
    return offsets
}
