import COpenBLAS

/// LU-based kernels on one square matrix at a time, through OpenBLAS's LAPACK.
///
/// Matrices are handed over in column-major scratch buffers the caller fills; LAPACK
/// overwrites them.
protocol LAPACKScalar: TensorScalar & BinaryFloatingPoint {
    /// LU factorisation in place (`?getrf`); returns LAPACK's `info`.
    static func getrf(_ n: Int, _ a: UnsafeMutablePointer<Self>, _ pivots: UnsafeMutablePointer<Int32>) -> Int
    /// Solves `A X = B` in place (`?gesv`); returns LAPACK's `info`.
    static func gesv(_ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Self>, _ pivots: UnsafeMutablePointer<Int32>,
                     _ b: UnsafeMutablePointer<Self>) -> Int
    /// SVD of the column-major `m × n` matrix `a` (destroyed) by `?gesdd`; `job` is `A`
    /// (full U and Vᵀ) or `S` (reduced). Returns LAPACK's `info`.
    static func gesdd(_ job: UInt8, _ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ s: UnsafeMutablePointer<Self>,
                      _ u: UnsafeMutablePointer<Self>, _ ldu: Int, _ vt: UnsafeMutablePointer<Self>, _ ldvt: Int) -> Int
    /// Eigenvalues (ascending) and, with `job` `V`, eigenvectors (overwriting `a`) of the
    /// symmetric column-major `n × n` matrix `a`, reading the `uplo` triangle (`?syevd`).
    static func syevd(_ job: UInt8, _ uplo: UInt8, _ n: Int, _ a: UnsafeMutablePointer<Self>,
                      _ w: UnsafeMutablePointer<Self>) -> Int
}

/// Runs a LAPACK routine twice, as LAPACK asks: once with sizes of -1 to learn the
/// workspace it wants, then with that workspace.
@inline(__always)
func withLAPACKWorkspace<T: LAPACKScalar>(
    _ body: (_ work: UnsafeMutablePointer<T>, _ lwork: Int32, _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int32) -> Int32
) -> Int {
    var queryWork = T.zero
    var queryIWork: Int32 = 0
    let info = body(&queryWork, -1, &queryIWork, -1)
    guard info == 0 else { return Int(info) }
    let lwork = max(1, Int(queryWork)), liwork = max(1, Int(queryIWork))
    let work = UnsafeMutablePointer<T>.allocate(capacity: lwork)
    let iwork = UnsafeMutablePointer<Int32>.allocate(capacity: liwork)
    defer { work.deallocate(); iwork.deallocate() }
    return Int(body(work, Int32(lwork), iwork, Int32(liwork)))
}

extension Float: LAPACKScalar {
    static func gesdd(_ job: UInt8, _ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>,
                      _ u: UnsafeMutablePointer<Float>, _ ldu: Int, _ vt: UnsafeMutablePointer<Float>, _ ldvt: Int) -> Int {
        var jobz = CChar(bitPattern: job), mm = Int32(m), nn = Int32(n), lda = Int32(max(m, 1))
        var ldU = Int32(max(ldu, 1)), ldVt = Int32(max(ldvt, 1))
        // gesdd's integer workspace is 8·min(m, n), not reported by the size query.
        let iwork = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, 8 * min(m, n)))
        defer { iwork.deallocate() }
        return withLAPACKWorkspace { (work: UnsafeMutablePointer<Float>, lwork, _, _) in
            var lw = lwork, info: Int32 = 0
            sgesdd_(&jobz, &mm, &nn, a, &lda, s, u, &ldU, vt, &ldVt, work, &lw, iwork, &info)
            return info
        }
    }
    static func syevd(_ job: UInt8, _ uplo: UInt8, _ n: Int, _ a: UnsafeMutablePointer<Float>,
                      _ w: UnsafeMutablePointer<Float>) -> Int {
        var jobz = CChar(bitPattern: job), up = CChar(bitPattern: uplo), nn = Int32(n), lda = Int32(max(n, 1))
        return withLAPACKWorkspace { (work: UnsafeMutablePointer<Float>, lwork, iwork, liwork) in
            var lw = lwork, liw = liwork, info: Int32 = 0
            ssyevd_(&jobz, &up, &nn, a, &lda, w, work, &lw, iwork, &liw, &info)
            return info
        }
    }
    static func getrf(_ n: Int, _ a: UnsafeMutablePointer<Float>, _ pivots: UnsafeMutablePointer<Int32>) -> Int {
        var m = Int32(n), nn = Int32(n), lda = Int32(max(n, 1)), info: Int32 = 0
        sgetrf_(&m, &nn, a, &lda, pivots, &info)
        return Int(info)
    }
    static func gesv(_ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Float>, _ pivots: UnsafeMutablePointer<Int32>,
                     _ b: UnsafeMutablePointer<Float>) -> Int {
        var nn = Int32(n), r = Int32(nrhs), lda = Int32(max(n, 1)), ldb = Int32(max(n, 1)), info: Int32 = 0
        sgesv_(&nn, &r, a, &lda, pivots, b, &ldb, &info)
        return Int(info)
    }
}

extension Double: LAPACKScalar {
    static func gesdd(_ job: UInt8, _ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>,
                      _ u: UnsafeMutablePointer<Double>, _ ldu: Int, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int) -> Int {
        var jobz = CChar(bitPattern: job), mm = Int32(m), nn = Int32(n), lda = Int32(max(m, 1))
        var ldU = Int32(max(ldu, 1)), ldVt = Int32(max(ldvt, 1))
        // gesdd's integer workspace is 8·min(m, n), not reported by the size query.
        let iwork = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, 8 * min(m, n)))
        defer { iwork.deallocate() }
        return withLAPACKWorkspace { (work: UnsafeMutablePointer<Double>, lwork, _, _) in
            var lw = lwork, info: Int32 = 0
            dgesdd_(&jobz, &mm, &nn, a, &lda, s, u, &ldU, vt, &ldVt, work, &lw, iwork, &info)
            return info
        }
    }
    static func syevd(_ job: UInt8, _ uplo: UInt8, _ n: Int, _ a: UnsafeMutablePointer<Double>,
                      _ w: UnsafeMutablePointer<Double>) -> Int {
        var jobz = CChar(bitPattern: job), up = CChar(bitPattern: uplo), nn = Int32(n), lda = Int32(max(n, 1))
        return withLAPACKWorkspace { (work: UnsafeMutablePointer<Double>, lwork, iwork, liwork) in
            var lw = lwork, liw = liwork, info: Int32 = 0
            dsyevd_(&jobz, &up, &nn, a, &lda, w, work, &lw, iwork, &liw, &info)
            return info
        }
    }
    static func getrf(_ n: Int, _ a: UnsafeMutablePointer<Double>, _ pivots: UnsafeMutablePointer<Int32>) -> Int {
        var m = Int32(n), nn = Int32(n), lda = Int32(max(n, 1)), info: Int32 = 0
        dgetrf_(&m, &nn, a, &lda, pivots, &info)
        return Int(info)
    }
    static func gesv(_ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Double>, _ pivots: UnsafeMutablePointer<Int32>,
                     _ b: UnsafeMutablePointer<Double>) -> Int {
        var nn = Int32(n), r = Int32(nrhs), lda = Int32(max(n, 1)), ldb = Int32(max(n, 1)), info: Int32 = 0
        dgesv_(&nn, &r, a, &lda, pivots, b, &ldb, &info)
        return Int(info)
    }
}

/// Copies the `rows × cols` matrix at `src` (strides in elements) into column-major `dst`.
@inline(__always)
func packColumnMajor<T: TensorScalar>(_ src: UnsafePointer<T>, rows: Int, cols: Int, rowStride: Int, colStride: Int,
                                      into dst: UnsafeMutablePointer<T>) {
    for j in 0..<cols {
        for i in 0..<rows { dst[j * rows + i] = src[i * rowStride + j * colStride] }
    }
}

/// Copies column-major `src` into a row-major contiguous `rows × cols` block at `dst`.
@inline(__always)
func unpackColumnMajor<T: TensorScalar>(_ src: UnsafePointer<T>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<T>) {
    for i in 0..<rows {
        for j in 0..<cols { dst[i * cols + j] = src[j * rows + i] }
    }
}

/// What ``luKernel(_:_:_:into:)`` computes from each LU factorisation.
enum LUMode { case inverse, determinant, solve }

/// The LU driver: packs each matrix of `a` (and `b`) column-major, factors or solves it
/// with LAPACK, and unpacks the result into dense `out` — the inverse, the determinant
/// (one value per matrix) or the solution of `A X = B`. A singular matrix stops with
/// PyTorch's message (`inv`, `solve`); its determinant is 0.
func luKernel(_ mode: LUMode, _ a: Tensor, _ b: Tensor?, into out: Tensor) {
    a.dtype.dispatchSIMDFloat(LUKernel(a: a, b: b, out: out, mode: mode))
}

/// ``luKernel(_:_:_:into:)``'s body for one element type.
private struct LUKernel: SIMDFloatVisitor {
    let a: Tensor
    let b: Tensor?
    let out: Tensor
    let mode: LUMode

    func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }

    func run<T: LAPACKScalar>(_: T.Type) {
        let n = a.shape[a.dim - 1]
        let rs = a.strides[a.dim - 2], cs = a.strides[a.dim - 1]
        let aOffsets = batchOffsets(a)
        let nrhs = mode == .solve ? b!.shape[b!.dim - 1] : n
        let work = UnsafeMutablePointer<T>.allocate(capacity: max(n * n, 1))
        let rhs = UnsafeMutablePointer<T>.allocate(capacity: max(n * nrhs, 1))
        let pivots = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { work.deallocate(); rhs.deallocate(); pivots.deallocate() }
        let pa = a.storage.data.assumingMemoryBound(to: T.self)
        let po = out.storage.data.assumingMemoryBound(to: T.self)
        let bOffsets = b.map { batchOffsets($0) } ?? []
        for (i, ao) in aOffsets.enumerated() {
            packColumnMajor(pa + ao, rows: n, cols: n, rowStride: rs, colStride: cs, into: work)
            switch mode {
            case .determinant:
                let info = T.getrf(n, work, pivots)
                var det: T = 1
                if info <= 0 {
                    for j in 0..<n {
                        det *= work[j * n + j]
                        if pivots[j] != Int32(j + 1) { det = -det }
                    }
                } else {
                    det = 0
                }
                po[i] = det
            case .inverse:
                for j in 0..<(n * n) { rhs[j] = j % (n + 1) == 0 ? 1 : 0 }
                let info = T.gesv(n, n, work, pivots, rhs)
                if info > 0 {
                    torchFatal("RuntimeError: linalg.inv: The diagonal element \(info) is zero, the inversion could not be completed because the input matrix is singular.")
                }
                unpackColumnMajor(rhs, rows: n, cols: n, into: po + i * n * n)
            case .solve:
                let bt = b!
                let pb = bt.storage.data.assumingMemoryBound(to: T.self)
                packColumnMajor(pb + bOffsets[i], rows: n, cols: nrhs, rowStride: bt.strides[bt.dim - 2],
                                colStride: bt.strides[bt.dim - 1], into: rhs)
                let info = T.gesv(n, nrhs, work, pivots, rhs)
                if info > 0 {
                    torchFatal("RuntimeError: torch.linalg.solve: The solver failed because the input matrix is singular.")
                }
                unpackColumnMajor(rhs, rows: n, cols: nrhs, into: po + i * n * nrhs)
            }
        }
    }
}
