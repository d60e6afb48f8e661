/// `torch.linalg.lstsq`: least-squares solutions by LAPACK's drivers (PyTorch's CPU default
/// `gelsy`, and `gels`, `gelsd`, `gelss`), with PyTorch's output conventions per driver and
/// its gradient of the solution, written through the pseudo-inverse.

extension linalg {
    /// The least-squares solution of `A X ≈ B` (`torch.linalg.lstsq`).
    ///
    /// - Parameters:
    ///   - a: `(*, m, n)`.
    ///   - b: `(*, m, k)`, or `(*, m)` (one dimension fewer than `a`) for a vector right-hand side.
    ///     Batch dimensions broadcast.
    ///   - rcond: singular values (or pivoted-QR diagonal ratios) below `rcond·σ_max` count
    ///     as zero; default the dtype's eps times `max(m, n)`. Unused by `gels`.
    ///   - driver: `"gelsy"` (default), `"gels"` (full rank only), `"gelsd"` or `"gelss"`.
    /// - Returns: PyTorch's four results: `solution` `(*, n, k)` (or `(*, n)`);
    ///   `residuals` — the squared residual norms per column `(*, k)`, only when m > n, the
    ///   driver is not `gelsy` and (for `gelsd`/`gelss`) every matrix has full rank, else an
    ///   empty tensor; `rank` (int64 `(*)`, empty for `gels`); `singularValues`
    ///   (`(*, min(m, n))` for `gelsd`/`gelss`, else empty). The solution is differentiable in
    ///   `a` and `b` (PyTorch's `linalg_lstsq_backward`: the derivative of `A⁺ B`); residuals,
    ///   rank and singular values carry no gradient.
    public static func lstsq(_ a: Tensor, _ b: Tensor, rcond: (any ScalarConvertible)? = nil, driver: String? = nil)
        -> (solution: Tensor, residuals: Tensor, rank: Tensor, singularValues: Tensor) {
        guard a.dim >= 2 else { torchFatal("RuntimeError: torch.linalg.lstsq: input must have at least 2 dimensions.") }
        guard b.dim >= 1 else { torchFatal("RuntimeError: torch.linalg.lstsq: other must have at least 1 dimension.") }
        guard a.dtype == b.dtype else {
            torchFatal("RuntimeError: torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype \(a.dtype.scalarTypeName) and other's dtype \(b.dtype.scalarTypeName)")
        }
        guard a.dtype == .float32 || a.dtype == .float64 else {
            torchFatal("RuntimeError: torch.linalg.lstsq: Expected a floating point or complex tensor as input. Got \(a.dtype.scalarTypeName)")
        }
        let dimDifference = a.dim - b.dim
        guard dimDifference == 0 || dimDifference == 1 else {
            torchFatal("RuntimeError: torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1")
        }
        let vectorCase = dimDifference == 1
        let b2 = vectorCase ? b.unsqueeze(-1) : b
        let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1], k = b2.shape[b2.dim - 1]
        guard b2.shape[b2.dim - 2] == m else {
            torchFatal("RuntimeError: torch.linalg.lstsq: input.size(-2) should match other.size(\(vectorCase ? -1 : -2))")
        }
        let driverName = driver ?? "gelsy"
        guard let lapackDriver = LeastSquaresDriver(rawValue: driverName) else {
            torchFatal("RuntimeError: torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
        }
        let batch = broadcastShapes(Array(a.shape.dropLast(2)), Array(b2.shape.dropLast(2)))
        let ab = a.expand(batch + [m, n]), bb = b2.expand(batch + [m, k])
        let count = batch.reduce(1, *), rows = Swift.max(m, n), minMN = Swift.min(m, n)
        let cutoff = rcond?.scalarValue.doubleValue ?? a.dtype.machineEpsilon * Double(rows)
        let dense = noGrad { (ab.contiguous(), bb.contiguous()) }

        let r = leastSquaresKernel(dense.0, dense.1, count: count, m: m, n: n, k: k, driver: lapackDriver, rcond: cutoff,
                                   solutionShape: batch + [rows, k], singularShape: batch + [minMN])
        checkLeastSquaresInfo(r.info, driver: lapackDriver)
        let raw = r.solutions, singular = r.singular, ranks = r.ranks
        let solution2 = noGrad { raw.narrow(-2, 0, n).contiguous() }
        let empty = Tensor.empty([0], dtype: a.dtype)
        var residuals = empty
        if m > n && lapackDriver != .gelsy
            && (lapackDriver == .gels || ranks.allSatisfy { $0 == n }) {
            // LAPACK leaves the residual's components in rows n..<m of each right-hand side.
            residuals = noGrad { raw.narrow(-2, n, m - n).pow(2).sum(dims: [-2]) }
        }
        let rank = lapackDriver == .gels ? Tensor.empty([0], dtype: .int64)
            : Tensor(shape: batch, scalars: ranks.map(Int64.init))
        let singularValues = lapackDriver == .gelsd || lapackDriver == .gelss ? singular : empty
        let solution = vectorCase ? solution2.squeeze(-1) : solution2
        if needsGrad(ab, bb) {
            // `ab` and `bb` are expanded views of the caller's tensors: saved with version checks.
            let sa = SavedTensor(ab), sb = SavedTensor(bb), needA = ab.requiresGrad, needB = bb.requiresGrad
            record("LinalgLstsqBackward0", inputs: (ab, bb), outputs: [solution]) { g in
                let ab = sa.unpack(), bb = sb.unpack()
                let gx = vectorCase ? g[0]!.unsqueeze(-1) : g[0]!
                let pinvA = linalg.pinv(ab)
                let gradA = needA ? linalg.pinvBackward(matmul(gx, bb.transpose(-2, -1)), pinv: pinvA, ab) : nil
                let gradB = needB ? matmul(pinvA.transpose(-2, -1), gx) : nil
                return [gradA, gradB]
            }
        }
        return (solution, residuals, rank, singularValues)
    }
}

/// PyTorch's errors for a failed least-squares solve: `gels` on a rank-deficient matrix, an
/// SVD that does not converge.
private func checkLeastSquaresInfo(_ infos: [Int], driver: LeastSquaresDriver) {
    guard let (batch, info) = infos.enumerated().first(where: { $0.element != 0 }).map({ ($0.offset, $0.element) }) else { return }
    let prefix = infos.count > 1 ? "torch.linalg.lstsq (Batch element \(batch)): " : "torch.linalg.lstsq: "
    if info < 0 { torchFatal("RuntimeError: \(prefix)Argument \(-info) has illegal value.") }
    if driver == .gels {
        torchFatal("RuntimeError: \(prefix)The least squares solution could not be computed because the input matrix does not have full rank (error code: \(info)).")
    }
    torchFatal("RuntimeError: \(prefix)The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated singular values (error code: \(info)).")
}
