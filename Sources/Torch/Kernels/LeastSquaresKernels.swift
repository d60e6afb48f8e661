import COpenBLAS

/// Least squares and general (non-symmetric) eigen-decomposition on one column-major matrix
/// at a time, through OpenBLAS's LAPACK: the routines PyTorch's CPU `linalg.lstsq` drivers
/// and `linalg.eig` call (PyTorch's wheels run them from MKL, so results agree to rounding).

/// The LAPACK least-squares solver, named as `torch.linalg.lstsq`'s `driver`.
enum LeastSquaresDriver: String {
    /// QR or LQ (`?gels`): full-rank matrices only; no rank, no singular values.
    case gels
    /// Complete orthogonal factorisation with column pivoting (`?gelsy`), PyTorch's CPU default.
    case gelsy
    /// SVD by divide and conquer (`?gelsd`).
    case gelsd
    /// SVD (`?gelss`).
    case gelss
}

/// Float32 and float64 least squares and `?geev`.
protocol LeastSquaresScalar: LAPACKScalar {
    /// Solves `min ‖A X - B‖` for the column-major `m × n` `a` (destroyed) and the
    /// column-major `max(m, n) × nrhs` `b` (its first `n` rows become `X`; with `gels` and
    /// m > n, rows `n..<m` hold the residual components). `s` receives `min(m, n)` singular
    /// values for `gelsd`/`gelss`. Returns LAPACK's `info` and the effective rank (-1 for
    /// `gels`).
    static func leastSquares(_ driver: LeastSquaresDriver, m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>,
                             b: UnsafeMutablePointer<Self>, rcond: Self, s: UnsafeMutablePointer<Self>) -> (info: Int, rank: Int)
    /// Eigenvalues `wr + i·wi` and right eigenvectors (columns of `vr`, LAPACK's packing of
    /// conjugate pairs) of the column-major `n × n` `a` (destroyed), by `?geev`.
    static func geev(_ n: Int, _ a: UnsafeMutablePointer<Self>, _ wr: UnsafeMutablePointer<Self>,
                     _ wi: UnsafeMutablePointer<Self>, _ vr: UnsafeMutablePointer<Self>?) -> Int
}

/// `gelsd`'s integer workspace: 3·k·nlvl + 11·k with k = min(m, n) and nlvl the levels of
/// its divide-and-conquer tree (leaves of at most 26 rows), which older LAPACKs do not
/// report in the size query.
private func gelsdIntegerWorkspace(_ m: Int, _ n: Int) -> Int {
    let k = max(1, min(m, n))
    var levels = 0, size = k
    while size > 26 {
        size = (size + 1) / 2
        levels += 1
    }
    return 3 * k * (levels + 1) + 11 * k
}

extension Float: LeastSquaresScalar {
    static func leastSquares(_ driver: LeastSquaresDriver, m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>,
                             b: UnsafeMutablePointer<Float>, rcond: Float, s: UnsafeMutablePointer<Float>) -> (info: Int, rank: Int) {
        var mm = Int32(m), nn = Int32(n), r = Int32(nrhs), lda = Int32(max(1, m)), ldb = Int32(max(1, m, n))
        var rc = rcond, rank: Int32 = -1
        switch driver {
        case .gels:
            var trans = CChar(UInt8(ascii: "N"))
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Float>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                sgels_(&trans, &mm, &nn, &r, a, &lda, b, &ldb, work, &lw, &info)
                return info
            }
            return (info, -1)
        case .gelsy:
            let pivots = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
            pivots.initialize(repeating: 0, count: max(1, n))
            defer { pivots.deallocate() }
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Float>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                sgelsy_(&mm, &nn, &r, a, &lda, b, &ldb, pivots, &rc, &rank, work, &lw, &info)
                return info
            }
            return (info, Int(rank))
        case .gelsd:
            let iwork = UnsafeMutablePointer<Int32>.allocate(capacity: gelsdIntegerWorkspace(m, n))
            defer { iwork.deallocate() }
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Float>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                sgelsd_(&mm, &nn, &r, a, &lda, b, &ldb, s, &rc, &rank, work, &lw, iwork, &info)
                return info
            }
            return (info, Int(rank))
        case .gelss:
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Float>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                sgelss_(&mm, &nn, &r, a, &lda, b, &ldb, s, &rc, &rank, work, &lw, &info)
                return info
            }
            return (info, Int(rank))
        }
    }

    static func geev(_ n: Int, _ a: UnsafeMutablePointer<Float>, _ wr: UnsafeMutablePointer<Float>,
                     _ wi: UnsafeMutablePointer<Float>, _ vr: UnsafeMutablePointer<Float>?) -> Int {
        var jobvl = CChar(UInt8(ascii: "N")), jobvr = CChar(UInt8(ascii: vr == nil ? "N" : "V"))
        var nn = Int32(n), lda = Int32(max(1, n)), ldvl: Int32 = 1, ldvr = Int32(max(1, n))
        // LAPACK does not touch the left vectors (jobvl = N) but wants a valid pointer.
        let unused = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        defer { unused.deallocate() }
        return withLAPACKWorkspace { (work: UnsafeMutablePointer<Float>, lwork, _, _) in
            var lw = lwork, info: Int32 = 0
            sgeev_(&jobvl, &jobvr, &nn, a, &lda, wr, wi, unused, &ldvl, vr ?? unused, &ldvr, work, &lw, &info)
            return info
        }
    }
}

extension Double: LeastSquaresScalar {
    static func leastSquares(_ driver: LeastSquaresDriver, m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>,
                             b: UnsafeMutablePointer<Double>, rcond: Double, s: UnsafeMutablePointer<Double>) -> (info: Int, rank: Int) {
        var mm = Int32(m), nn = Int32(n), r = Int32(nrhs), lda = Int32(max(1, m)), ldb = Int32(max(1, m, n))
        var rc = rcond, rank: Int32 = -1
        switch driver {
        case .gels:
            var trans = CChar(UInt8(ascii: "N"))
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Double>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                dgels_(&trans, &mm, &nn, &r, a, &lda, b, &ldb, work, &lw, &info)
                return info
            }
            return (info, -1)
        case .gelsy:
            let pivots = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
            pivots.initialize(repeating: 0, count: max(1, n))
            defer { pivots.deallocate() }
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Double>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                dgelsy_(&mm, &nn, &r, a, &lda, b, &ldb, pivots, &rc, &rank, work, &lw, &info)
                return info
            }
            return (info, Int(rank))
        case .gelsd:
            let iwork = UnsafeMutablePointer<Int32>.allocate(capacity: gelsdIntegerWorkspace(m, n))
            defer { iwork.deallocate() }
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Double>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                dgelsd_(&mm, &nn, &r, a, &lda, b, &ldb, s, &rc, &rank, work, &lw, iwork, &info)
                return info
            }
            return (info, Int(rank))
        case .gelss:
            let info = withLAPACKWorkspace { (work: UnsafeMutablePointer<Double>, lwork, _, _) in
                var lw = lwork, info: Int32 = 0
                dgelss_(&mm, &nn, &r, a, &lda, b, &ldb, s, &rc, &rank, work, &lw, &info)
                return info
            }
            return (info, Int(rank))
        }
    }

    static func geev(_ n: Int, _ a: UnsafeMutablePointer<Double>, _ wr: UnsafeMutablePointer<Double>,
                     _ wi: UnsafeMutablePointer<Double>, _ vr: UnsafeMutablePointer<Double>?) -> Int {
        var jobvl = CChar(UInt8(ascii: "N")), jobvr = CChar(UInt8(ascii: vr == nil ? "N" : "V"))
        var nn = Int32(n), lda = Int32(max(1, n)), ldvl: Int32 = 1, ldvr = Int32(max(1, n))
        // LAPACK does not touch the left vectors (jobvl = N) but wants a valid pointer.
        let unused = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { unused.deallocate() }
        return withLAPACKWorkspace { (work: UnsafeMutablePointer<Double>, lwork, _, _) in
            var lw = lwork, info: Int32 = 0
            dgeev_(&jobvl, &jobvr, &nn, a, &lda, wr, wi, unused, &ldvl, vr ?? unused, &ldvr, work, &lw, &info)
            return info
        }
    }
}

/// Least squares over a batch of dense row-major matrices: `a` `count × m × n`, `b`
/// `count × m × k`. Returns the row-major `count × max(m, n) × k` LAPACK right-hand sides
/// (solution in the first `n` rows), each matrix's rank and `min(m, n)` singular values.
func leastSquaresKernel<T: LeastSquaresScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, count: Int, m: Int, n: Int, k: Int,
                                               driver: LeastSquaresDriver, rcond: T)
    -> (solutions: [T], ranks: [Int], singular: [T], info: [Int]) {
    let rows = max(m, n), minMN = min(m, n)
    var solutions = [T](repeating: 0, count: count * rows * k)
    var singular = [T](repeating: 0, count: count * minMN)
    var ranks = [Int](repeating: 0, count: count), infos = [Int](repeating: 0, count: count)
    let aCol = UnsafeMutablePointer<T>.allocate(capacity: max(1, m * n))
    let bCol = UnsafeMutablePointer<T>.allocate(capacity: max(1, rows * k))
    let s = UnsafeMutablePointer<T>.allocate(capacity: max(1, minMN))
    defer { aCol.deallocate(); bCol.deallocate(); s.deallocate() }
    for batch in 0..<count {
        packColumnMajor(a + batch * m * n, rows: m, cols: n, rowStride: n, colStride: 1, into: aCol)
        bCol.update(repeating: 0, count: max(1, rows * k))
        for j in 0..<k {
            for i in 0..<m { bCol[j * rows + i] = b[batch * m * k + i * k + j] }
        }
        let (info, rank) = T.leastSquares(driver, m: m, n: n, nrhs: k, a: aCol, b: bCol, rcond: rcond, s: s)
        infos[batch] = info
        ranks[batch] = rank
        for i in 0..<rows {
            for j in 0..<k { solutions[(batch * rows + i) * k + j] = bCol[j * rows + i] }
        }
        for i in 0..<minMN { singular[batch * minMN + i] = s[i] }
    }
    return (solutions, ranks, singular, infos)
}

/// Eigenvalues and right eigenvectors of a batch of dense row-major `n × n` matrices by
/// `?geev`, unpacked to real and imaginary parts: values `count × n`, vectors
/// `count × n × n` (column `j` belongs to eigenvalue `j`). A conjugate pair's vectors come
/// from LAPACK's two columns `v ± i·w`.
func generalEigenKernel<T: LeastSquaresScalar>(_ a: UnsafePointer<T>, count: Int, n: Int, vectors: Bool)
    -> (valuesRe: [T], valuesIm: [T], vectorsRe: [T], vectorsIm: [T], info: [Int]) {
    var wrAll = [T](repeating: 0, count: count * n), wiAll = wrAll
    var vre = [T](repeating: 0, count: vectors ? count * n * n : 0), vim = vre
    var infos = [Int](repeating: 0, count: count)
    let aCol = UnsafeMutablePointer<T>.allocate(capacity: max(1, n * n))
    let vr = UnsafeMutablePointer<T>.allocate(capacity: max(1, n * n))
    let wr = UnsafeMutablePointer<T>.allocate(capacity: max(1, n)), wi = UnsafeMutablePointer<T>.allocate(capacity: max(1, n))
    defer { aCol.deallocate(); vr.deallocate(); wr.deallocate(); wi.deallocate() }
    for batch in 0..<count {
        packColumnMajor(a + batch * n * n, rows: n, cols: n, rowStride: n, colStride: 1, into: aCol)
        infos[batch] = T.geev(n, aCol, wr, wi, vectors ? vr : nil)
        for j in 0..<n {
            wrAll[batch * n + j] = wr[j]
            wiAll[batch * n + j] = wi[j]
        }
        guard vectors else { continue }
        var j = 0
        while j < n {
            if wi[j] == 0 || j == n - 1 {
                for i in 0..<n { vre[batch * n * n + i * n + j] = vr[j * n + i] }
                j += 1
            } else {
                // Columns j and j + 1 hold the real and imaginary parts of eigenvalue j's
                // vector; eigenvalue j + 1 (its conjugate) has the conjugate vector.
                for i in 0..<n {
                    let re = vr[j * n + i], im = vr[(j + 1) * n + i]
                    vre[batch * n * n + i * n + j] = re
                    vim[batch * n * n + i * n + j] = im
                    vre[batch * n * n + i * n + j + 1] = re
                    vim[batch * n * n + i * n + j + 1] = -im
                }
                j += 2
            }
        }
    }
    return (wrAll, wiAll, vre, vim, infos)
}

/// A fresh contiguous tensor of `shape` holding `values` (row-major).
private func tensor<T: TensorScalar>(_ shape: [Int], _ values: [T]) -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: T.dtype, zeroed: false)
    copyScalars(values, into: t)
    return t
}

/// ``leastSquaresKernel(_:_:count:m:n:k:driver:rcond:)`` on dense float32/float64 `a` and `b`
/// (`count` problems), picking the element type once: the raw solutions (`max(m, n) × k`
/// per problem) shaped `solutionShape`, the singular values shaped `singularShape`, each
/// problem's rank and LAPACK `info`. `rcond` is rounded to the element type.
func leastSquaresKernel(_ a: Tensor, _ b: Tensor, count: Int, m: Int, n: Int, k: Int, driver: LeastSquaresDriver,
                        rcond: Double, solutionShape: [Int], singularShape: [Int])
    -> (solutions: Tensor, singular: Tensor, ranks: [Int], info: [Int]) {
    struct Visitor: SIMDFloatVisitor {
        let a: Tensor, b: Tensor, count: Int, m: Int, n: Int, k: Int, driver: LeastSquaresDriver, rcond: Double
        let solutionShape: [Int], singularShape: [Int]
        func visit<T: SIMDFloatElement>(_: T.Type) -> (solutions: Tensor, singular: Tensor, ranks: [Int], info: [Int]) {
            run(T.self)
        }
        func run<S: LeastSquaresScalar>(_: S.Type) -> (solutions: Tensor, singular: Tensor, ranks: [Int], info: [Int]) {
            let r = leastSquaresKernel(a.pointer(as: S.self), b.pointer(as: S.self), count: count, m: m, n: n, k: k,
                                       driver: driver, rcond: S(rcond))
            return (tensor(solutionShape, r.solutions), tensor(singularShape, r.singular), r.ranks, r.info)
        }
    }
    return a.dtype.dispatchSIMDFloat(Visitor(a: a, b: b, count: count, m: m, n: n, k: k, driver: driver, rcond: rcond,
                                             solutionShape: solutionShape, singularShape: singularShape))
}

/// ``generalEigenKernel(_:count:n:vectors:)`` on dense float32/float64 `a` (`count` square
/// `n × n` matrices, batch shape `lead`), picking the element type once: eigenvalues'
/// real and imaginary parts shaped `lead + [n]`, with `vectors` the eigenvectors' parts
/// shaped `lead + [n, n]`, and each matrix's LAPACK `info`.
func generalEigenKernel(_ a: Tensor, count: Int, n: Int, lead: [Int], vectors: Bool)
    -> (valuesRe: Tensor, valuesIm: Tensor, vectorsRe: Tensor?, vectorsIm: Tensor?, info: [Int]) {
    struct Visitor: SIMDFloatVisitor {
        let a: Tensor, count: Int, n: Int, lead: [Int], vectors: Bool
        func visit<T: SIMDFloatElement>(_: T.Type)
            -> (valuesRe: Tensor, valuesIm: Tensor, vectorsRe: Tensor?, vectorsIm: Tensor?, info: [Int]) {
            run(T.self)
        }
        func run<S: LeastSquaresScalar>(_: S.Type)
            -> (valuesRe: Tensor, valuesIm: Tensor, vectorsRe: Tensor?, vectorsIm: Tensor?, info: [Int]) {
            let r = generalEigenKernel(a.pointer(as: S.self), count: count, n: n, vectors: vectors)
            return (tensor(lead + [n], r.valuesRe), tensor(lead + [n], r.valuesIm),
                    vectors ? tensor(lead + [n, n], r.vectorsRe) : nil, vectors ? tensor(lead + [n, n], r.vectorsIm) : nil,
                    r.info)
        }
    }
    return a.dtype.dispatchSIMDFloat(Visitor(a: a, count: count, n: n, lead: lead, vectors: vectors))
}
