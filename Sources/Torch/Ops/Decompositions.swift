/// `torch.linalg.svd` and `torch.linalg.eigh` on LAPACK's divide-and-conquer routines
/// (`?gesdd`, `?syevd`), over any batch dimensions, with their derivatives.
///
/// Singular and eigen vectors are unique only up to sign; the signs are whatever OpenBLAS's
/// LAPACK picks, which can differ from PyTorch's MKL build for some vectors (as they differ
/// between PyTorch builds). Values, and sign-invariant products such as U·diag(S)·Vh, agree.
extension linalg {
    /// The singular value decomposition `A = U diag(S) Vh` (`torch.linalg.svd`): singular
    /// values descending; with `fullMatrices` U is `m × m` and Vh `n × n`, else `m × k`
    /// and `k × n` (k = min(m, n)).
    public static func svd(_ a: Tensor, fullMatrices: Bool = true) -> (U: Tensor, S: Tensor, Vh: Tensor) {
        guard a.dim >= 2 else { torchFatal("RuntimeError: linalg.svd: The input tensor A must have at least 2 dimensions.") }
        guard a.dtype.isFloatingPoint else {
            torchFatal("RuntimeError: linalg.svd: Expected a floating point or complex tensor as input. Got \(a.dtype.scalarTypeName)")
        }
        let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1], k = Swift.min(m, n)
        let batch = Array(a.shape.dropLast(2))
        let uCols = fullMatrices ? m : k, vRows = fullMatrices ? n : k
        let u = Tensor(uninitializedShape: batch + [m, uCols], dtype: a.dtype, zeroed: false)
        let s = Tensor(uninitializedShape: batch + [k], dtype: a.dtype, zeroed: false)
        let vh = Tensor(uninitializedShape: batch + [vRows, n], dtype: a.dtype, zeroed: false)
        a.dtype.dispatch(SVDKernel(a: a, u: u, s: s, vh: vh, full: fullMatrices))
        if needsGrad(a) {
            let su = SavedTensor(output: u, producer: "LinalgSvdBackward0")
            let ss = SavedTensor(output: s, producer: "LinalgSvdBackward0")
            let sv = SavedTensor(output: vh, producer: "LinalgSvdBackward0")
            record("LinalgSvdBackward0", inputs: [a], outputs: [u, s, vh], savedShapes: [a.shape]) { g in
                [svdBackward(gU: g[0], gS: g[1], gVh: g[2], u: su.unpack(), s: ss.unpack(), vh: sv.unpack(),
                             m: m, n: n, full: fullMatrices)]
            }
        }
        return (u, s, vh)
    }

    /// The singular values alone (`torch.linalg.svdvals`).
    public static func svdvals(_ a: Tensor) -> Tensor { svd(a, fullMatrices: false).S }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric matrices
    /// (`torch.linalg.eigh`), reading the lower (`"L"`) or upper (`"U"`) triangle.
    public static func eigh(_ a: Tensor, UPLO: String = "L") -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        checkSquareFloat(a, op: "linalg.eigh")
        guard UPLO == "L" || UPLO == "U" else {
            torchFatal("RuntimeError: Expected UPLO argument to be 'L' or 'U', but got \(UPLO)")
        }
        let n = a.shape[a.dim - 1]
        let values = Tensor(uninitializedShape: Array(a.shape.dropLast()), dtype: a.dtype, zeroed: false)
        let vectors = Tensor(uninitializedShape: a.shape, dtype: a.dtype, zeroed: false)
        a.dtype.dispatch(EigenKernel(a: a, values: values, vectors: vectors, upper: UPLO == "U"))
        if needsGrad(a) {
            let sl = SavedTensor(output: values, producer: "LinalgEighBackward0")
            let sv = SavedTensor(output: vectors, producer: "LinalgEighBackward0")
            record("LinalgEighBackward0", inputs: [a], outputs: [values, vectors], savedShapes: [a.shape]) { g in
                [eighBackward(gL: g[0], gV: g[1], l: sl.unpack(), v: sv.unpack(), n: n)]
            }
        }
        return (values, vectors)
    }

    /// Eigenvalues of symmetric matrices, ascending (`torch.linalg.eigvalsh`).
    public static func eigvalsh(_ a: Tensor, UPLO: String = "L") -> Tensor { eigh(a, UPLO: UPLO).eigenvalues }
}

/// `X - Xᵀ` over the last two dimensions.
private func skew(_ x: Tensor) -> Tensor { x - x.transpose(-2, -1) }

/// A batch of diagonal matrices from a batch of vectors.
private func diagonalMatrix(_ v: Tensor) -> Tensor {
    let n = v.shape[v.dim - 1]
    return v.unsqueeze(-1) * Tensor.eye(n, dtype: v.dtype)
}

/// Replaces the diagonal of each matrix in `x` by `d` (zeros when `nil`).
private func withDiagonal(_ x: Tensor, _ d: Tensor?) -> Tensor {
    let n = x.shape[x.dim - 1]
    let offDiagonal = x * (1 - Tensor.eye(n, dtype: x.dtype))
    return d.map { offDiagonal + diagonalMatrix($0) } ?? offDiagonal
}

/// The derivative of eigh (real symmetric case): with E_ij = λⱼ - λᵢ,
/// gA = V (diag(gλ) + (Vᵀ gV)/E off the diagonal) Vᵀ, taking the part of Vᵀ gV that
/// keeps the eigenvectors orthonormal.
private func eighBackward(gL: Tensor?, gV: Tensor?, l: Tensor, v: Tensor, n: Int) -> Tensor {
    let vt = v.transpose(-2, -1)
    guard let gV else { return matmul(v * gL!.unsqueeze(-2), vt) }
    let vtgv = matmul(vt, gV)
    let projected = (vtgv - vtgv.transpose(-2, -1)) * 0.5
    var gaps = l.unsqueeze(-2) - l.unsqueeze(-1)
    gaps = withDiagonal(gaps, Tensor.ones(Array(l.shape), dtype: l.dtype))
    let inner = withDiagonal(projected / gaps, gL)
    return matmul(matmul(v, inner), vt)
}

/// The derivative of the SVD (real case, distinct singular values), as in PyTorch's
/// `svd_backward`: the square core from the skew parts of Uᵀ gU and Vᵀ gV divided by
/// S_j² - S_i², plus the terms for the parts of U or V outside the k-dimensional span.
private func svdBackward(gU: Tensor?, gS: Tensor?, gVh: Tensor?, u: Tensor, s: Tensor, vh: Tensor,
                         m: Int, n: Int, full: Bool) -> Tensor {
    let k = Swift.min(m, n)
    // Full matrices: only the first k columns of U / rows of Vh enter A.
    let uk = full && m > k ? u.narrow(-1, 0, k) : u
    let vhk = full && n > k ? vh.narrow(-2, 0, k) : vh
    let gUk = gU.map { full && m > k ? $0.narrow(-1, 0, k) : $0 }
    let gVhk = gVh.map { full && n > k ? $0.narrow(-2, 0, k) : $0 }
    if gUk == nil && gVhk == nil {
        return matmul(uk * gS!.unsqueeze(-2), vhk)
    }
    let v = vhk.transpose(-2, -1)
    let gV = gVhk?.transpose(-2, -1)
    let ut = uk.transpose(-2, -1)
    let sRow = s.unsqueeze(-2), sCol = s.unsqueeze(-1)
    var core = Tensor.zeros(Array(s.shape) + [k], dtype: s.dtype)
    if let gUk { core = core + skew(matmul(ut, gUk)) * sRow }
    if let gV { core = core + sCol * skew(matmul(v.transpose(-2, -1), gV)) }
    let s2 = s * s
    let gaps = withDiagonal(s2.unsqueeze(-2) - s2.unsqueeze(-1), Tensor.ones(Array(s.shape), dtype: s.dtype))
    core = withDiagonal(core / gaps, gS)
    var gA = matmul(matmul(uk, core), vhk)
    if m > k, let gUk {
        gA = gA + matmul((gUk - matmul(uk, matmul(ut, gUk))) / sRow, vhk)
    }
    if n > k, let gV {
        gA = gA + matmul(uk, ((gV - matmul(v, matmul(v.transpose(-2, -1), gV))) / sRow).transpose(-2, -1))
    }
    return gA
}

private struct SVDKernel: DTypeVisitor {
    let a: Tensor, u: Tensor, s: Tensor, vh: Tensor
    let full: Bool

    func visit<T: TensorScalar>(_: T.Type) {
        if T.self == Float.self { run(Float.self) } else if T.self == Double.self { run(Double.self) } else { notImplemented("linalg (LAPACK)", for: T.dtype) }
    }

    private func run<T: LAPACKScalar>(_: T.Type) {
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

private struct EigenKernel: DTypeVisitor {
    let a: Tensor, values: Tensor, vectors: Tensor
    let upper: Bool

    func visit<T: TensorScalar>(_: T.Type) {
        if T.self == Float.self { run(Float.self) } else if T.self == Double.self { run(Double.self) } else { notImplemented("linalg (LAPACK)", for: T.dtype) }
    }

    private func run<T: LAPACKScalar>(_: T.Type) {
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
