/// The drivers of `torch.linalg.svd` and `torch.linalg.eigh`: each matrix of a batch packed
/// column-major for LAPACK's divide-and-conquer routines (`Kernels/LAPACK.swift`), the
/// results unpacked row-major. The ops in `Ops/Decompositions.swift` check, allocate and
/// record the derivatives.

/// `torch.linalg.svd` on LAPACK's `?gesdd`: each matrix of `a` (any strides and batch
/// dimensions) into dense `u`, `s` and `vh`, full or reduced (`full`). Non-convergence
/// stops with PyTorch's message.
func svdKernel(_ a: Tensor, u: Tensor, s: Tensor, vh: Tensor, full: Bool) {
    a.dtype.dispatchSIMDFloat(SVDKernel(a: a, u: u, s: s, vh: vh, full: full))
}

/// `torch.linalg.eigh` on LAPACK's `?syevd`: eigenvalues (ascending) into dense `values` and
/// eigenvectors into dense `vectors`, reading the upper or lower triangle of each matrix of
/// `a`. Non-convergence stops with PyTorch's message.
func symmetricEigenKernel(_ a: Tensor, values: Tensor, vectors: Tensor, upper: Bool) {
    a.dtype.dispatchSIMDFloat(EigenKernel(a: a, values: values, vectors: vectors, upper: upper))
}

/// ``svdKernel(_:u:s:vh:full:)``'s body for one element type.
private struct SVDKernel: SIMDFloatVisitor {
    let a: Tensor, u: Tensor, s: Tensor, vh: Tensor
    let full: Bool

    func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }

    func run<T: LAPACKScalar>(_: T.Type) {
        let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1], k = Swift.min(m, n)
        let uCols = u.shape[u.dim - 1], vRows = vh.shape[vh.dim - 2]
        let rs = a.strides[a.dim - 2], cs = a.strides[a.dim - 1]
        let work = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(m * n, 1))
        let uWork = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(m * uCols, 1))
        let vWork = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(vRows * n, 1))
        defer { work.deallocate(); uWork.deallocate(); vWork.deallocate() }
        let pa = a.storage.data.assumingMemoryBound(to: T.self)
        let pu = u.storage.data.assumingMemoryBound(to: T.self)
        let ps = s.storage.data.assumingMemoryBound(to: T.self)
        let pv = vh.storage.data.assumingMemoryBound(to: T.self)
        let job = full ? UInt8(ascii: "A") : UInt8(ascii: "S")
        for (i, offset) in batchOffsets(a).enumerated() {
            packColumnMajor(pa + offset, rows: m, cols: n, rowStride: rs, colStride: cs, into: work)
            let info = T.gesdd(job, m, n, work, ps + i * k, uWork, m, vWork, vRows)
            guard info == 0 else {
                torchFatal("RuntimeError: linalg.svd: The algorithm failed to converge because the input matrix contained non-finite values or was ill-conditioned (error code: \(info)).")
            }
            unpackColumnMajor(uWork, rows: m, cols: uCols, into: pu + i * m * uCols)
            unpackColumnMajor(vWork, rows: vRows, cols: n, into: pv + i * vRows * n)
        }
    }
}

/// ``symmetricEigenKernel(_:values:vectors:upper:)``'s body for one element type.
private struct EigenKernel: SIMDFloatVisitor {
    let a: Tensor, values: Tensor, vectors: Tensor
    let upper: Bool

    func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }

    func run<T: LAPACKScalar>(_: T.Type) {
        let n = a.shape[a.dim - 1]
        let rs = a.strides[a.dim - 2], cs = a.strides[a.dim - 1]
        let work = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(n * n, 1))
        defer { work.deallocate() }
        let pa = a.storage.data.assumingMemoryBound(to: T.self)
        let pw = values.storage.data.assumingMemoryBound(to: T.self)
        let pv = vectors.storage.data.assumingMemoryBound(to: T.self)
        for (i, offset) in batchOffsets(a).enumerated() {
            packColumnMajor(pa + offset, rows: n, cols: n, rowStride: rs, colStride: cs, into: work)
            let info = T.syevd(UInt8(ascii: "V"), upper ? UInt8(ascii: "U") : UInt8(ascii: "L"), n, work, pw + i * n)
            guard info == 0 else {
                torchFatal("RuntimeError: linalg.eigh: The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated eigenvalues (error code: \(info)).")
            }
            unpackColumnMajor(work, rows: n, cols: n, into: pv + i * n * n)
        }
    }
}
