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
        checkLAPACKDType(a.dtype)
        svdKernel(a, u: u, s: s, vh: vh, full: fullMatrices)
        if needsGrad(a) {
            let su = SavedTensor(output: u, producer: "LinalgSvdBackward0")
            let ss = SavedTensor(output: s, producer: "LinalgSvdBackward0")
            let sv = SavedTensor(output: vh, producer: "LinalgSvdBackward0")
            record("LinalgSvdBackward0", input: a, outputs: [u, s, vh], savedShapes: [a.shape]) { g in
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
        checkLAPACKDType(a.dtype)
        symmetricEigenKernel(a, values: values, vectors: vectors, upper: UPLO == "U")
        if needsGrad(a) {
            let sl = SavedTensor(output: values, producer: "LinalgEighBackward0")
            let sv = SavedTensor(output: vectors, producer: "LinalgEighBackward0")
            record("LinalgEighBackward0", input: a, outputs: [values, vectors], savedShapes: [a.shape]) { g in
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

