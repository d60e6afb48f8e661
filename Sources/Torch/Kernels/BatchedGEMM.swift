/// Runs one GEMM per batch over 3-D strided operands into a contiguous 3-D output,
/// with no allocation per batch; operands BLAS cannot read in place are copied once.

func batchedGEMM(a3: Tensor, b3: Tensor, out: Tensor) {
    out.dtype.dispatch(BatchedGEMMKernel(a: a3, b: b3, out: out))
}

private struct BatchedGEMMKernel: DTypeVisitor {
    let a: Tensor
    let b: Tensor
    let out: Tensor

    func visit<T: TensorScalar>(_: T.Type) {
        let batches = a.shape[0], m = a.shape[1], k = a.shape[2], n = b.shape[2]
        let c = out.pointer(as: T.self)
        if T.self == Float.self || T.self == Double.self {
            let (aa, opA) = blasReady(a, rows: m, cols: k)
            let (bb, opB) = blasReady(b, rows: k, cols: n)
            let pa = aa.pointer(as: T.self), pb = bb.pointer(as: T.self)
            for i in 0..<batches {
                let ai = pa + i * aa.strides[0], bi = pb + i * bb.strides[0], ci = c + i * m * n
                if T.self == Float.self {
                    sgemm(m: m, n: n, k: k, alpha: 1,
                          a: UnsafeRawPointer(ai).assumingMemoryBound(to: Float.self), opA,
                          b: UnsafeRawPointer(bi).assumingMemoryBound(to: Float.self), opB,
                          beta: 0, c: UnsafeMutableRawPointer(ci).assumingMemoryBound(to: Float.self), ldc: max(n, 1))
                } else {
                    dgemm(m: m, n: n, k: k, alpha: 1,
                          a: UnsafeRawPointer(ai).assumingMemoryBound(to: Double.self), opA,
                          b: UnsafeRawPointer(bi).assumingMemoryBound(to: Double.self), opB,
                          beta: 0, c: UnsafeMutableRawPointer(ci).assumingMemoryBound(to: Double.self), ldc: max(n, 1))
                }
            }
        } else {
            integerBatches(T.self, batches: batches, m: m, k: k, n: n)
        }
    }

    /// The operand itself if BLAS can read each batch's matrix in place, else a contiguous copy.
    private func blasReady(_ t: Tensor, rows: Int, cols: Int) -> (Tensor, BLASOperand) {
        if let op = BLASOperand(rows: rows, cols: cols, rowStride: t.strides[1], colStride: t.strides[2]) {
            return (t, op)
        }
        let c = t.contiguous()
        return (c, BLASOperand(rows: rows, cols: cols, rowStride: c.strides[1], colStride: c.strides[2])!)
    }

    private func integerBatches<T: TensorScalar>(_: T.Type, batches: Int, m: Int, k: Int, n: Int) {
        let c = out.pointer(as: T.self)
        if T.self == Bool.self {
            // bool matmul is logical: any(a & b) along k.
            let pa = a.pointer(as: Bool.self), pb = b.pointer(as: Bool.self)
            let pc = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Bool.self)
            for bi in 0..<batches {
                for i in 0..<m {
                    for j in 0..<n {
                        var acc = false
                        for p in 0..<k where pa[bi * a.strides[0] + i * a.strides[1] + p * a.strides[2]]
                            && pb[bi * b.strides[0] + p * b.strides[1] + j * b.strides[2]] { acc = true; break }
                        pc[bi * m * n + i * n + j] = acc
                    }
                }
            }
            return
        }
        func run<I: TensorScalar & FixedWidthInteger>(_: I.Type) {
            let pa = a.pointer(as: I.self), pb = b.pointer(as: I.self)
            let pc = UnsafeMutableRawPointer(c).assumingMemoryBound(to: I.self)
            for bi in 0..<batches {
                integerGEMM(m: m, n: n, k: k,
                            a: pa + bi * a.strides[0], aRowStride: a.strides[1], aColStride: a.strides[2],
                            b: pb + bi * b.strides[0], bRowStride: b.strides[1], bColStride: b.strides[2],
                            c: pc + bi * m * n, ldc: n)
            }
        }
        switch T.dtype {
        case .uint8: run(UInt8.self)
        case .int32: run(Int32.self)
        default: run(Int64.self)
        }
    }
}
