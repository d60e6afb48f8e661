import CDNNL
import COpenBLAS

/// Matrix multiplication kernels: `C = alpha * op(A) * op(B) + beta * C`, row-major.
///
/// float32 goes to oneDNN's `dnnl_sgemm` (94% of peak here with no setting), except for
/// tiny products where OpenBLAS's lower call overhead wins and for the weight-gradient
/// shape oneDNN handles worst (see ``openBLASBeatsOneDNN(m:n:k:_:_:)``); float64 goes to
/// OpenBLAS.
/// Integer dtypes use a plain loop (PyTorch's CPU path for them is a loop too).

/// How a 2-D strided view enters BLAS: as is or transposed, with its leading dimension.
struct BLASOperand: Equatable {
    /// Whether BLAS should read the matrix transposed.
    let transposed: Bool
    /// The leading dimension (elements between rows of the stored layout).
    let ld: Int

    /// The BLAS description of a `rows × cols` view with the given strides, or `nil` when
    /// the layout cannot be expressed with a transpose flag and a leading dimension.
    init?(rows: Int, cols: Int, rowStride: Int, colStride: Int) {
        if (colStride == 1 || cols == 1) && (rowStride >= max(cols, 1) || rows == 1) {
            transposed = false
            ld = max(rows == 1 ? cols : rowStride, cols, 1)
        } else if (rowStride == 1 || rows == 1) && (colStride >= max(rows, 1) || cols == 1) {
            transposed = true
            ld = max(cols == 1 ? rows : colStride, rows, 1)
        } else {
            return nil
        }
    }
}

/// Products below this many multiply-adds go to OpenBLAS even for float32.
let smallGEMMThreshold = 32 * 32 * 32

/// float32 GEMM into a row-major `c` with leading dimension `ldc`; with `onThisThread` the
/// product runs on the calling thread only (a pool worker running its share of a batch).
func sgemm(
    m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, _ opA: BLASOperand,
    b: UnsafePointer<Float>, _ opB: BLASOperand,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, onThisThread: Bool = false
) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        scaleOutput(c, m: m, n: n, ldc: ldc, beta: beta)
        return
    }
    // One OpenBLAS call over `m × n` of the output, for both OpenBLAS routes below.
    let openBLAS = { (m: Int, n: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) in
        cblas_sgemm(
            CblasRowMajor, opA.transposed ? CblasTrans : CblasNoTrans, opB.transposed ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(opA.ld), b, Int32(opB.ld), beta, c, Int32(ldc))
    }
    if m * n * k < smallGEMMThreshold {
        openBLAS(m, n, a, b, c)
        return
    }
    if openBLASBeatsOneDNN(m: m, n: n, k: k, opA, opB) {
        splitOverPool(m: m, n: n, k: k, a: a, opA, b: b, opB, c: c, ldc: ldc, onThisThread: onThisThread, gemm: openBLAS)
        return
    }
    // oneDNN opens a parallel region per call; below the GEMM threshold it runs on this
    // thread alone, so a small product (an LSTM cell's, an MLP's) never wakes the pool.
    // Inside a worker of the pool it runs on that worker alone (oneDNN does not nest).
    if !onThisThread { setLibraryThreads(forWork: m * n * k, family: .gemm) }
    let status = dnnl_sgemm(
        opA.transposed ? CChar(UInt8(ascii: "T")) : CChar(UInt8(ascii: "N")),
        opB.transposed ? CChar(UInt8(ascii: "T")) : CChar(UInt8(ascii: "N")),
        Int64(m), Int64(n), Int64(k), alpha, a, Int64(opA.ld), b, Int64(opB.ld), beta, c, Int64(ldc))
    if status != dnnl_success {
        torchFatal("RuntimeError: oneDNN sgemm failed with status \(status.rawValue) for \(m)x\(k) @ \(k)x\(n)")
    }
}

/// float64 GEMM into a row-major `c` with leading dimension `ldc`; with `onThisThread` the
/// product runs on the calling thread only.
func dgemm(
    m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, _ opA: BLASOperand,
    b: UnsafePointer<Double>, _ opB: BLASOperand,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, onThisThread: Bool = false
) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        scaleOutput(c, m: m, n: n, ldc: ldc, beta: beta)
        return
    }
    splitOverPool(m: m, n: n, k: k, a: a, opA, b: b, opB, c: c, ldc: ldc, onThisThread: onThisThread) { m, n, a, b, c in
        cblas_dgemm(
            CblasRowMajor, opA.transposed ? CblasTrans : CblasNoTrans, opB.transposed ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(opA.ld), b, Int32(opB.ld), beta, c, Int32(ldc))
    }
}

/// Whether OpenBLAS (split over the pool) is faster than oneDNN's sgemm for this product:
/// `op(A)` read transposed from a tall matrix, with a long inner dimension — a linear
/// layer's weight gradient `gᵀ·x` with many more output features than input ones.
/// Measured (2026-12-03, this machine, both libraries as Debian ships them, best of 4):
/// 33278×200×700 (the LSTM language model's decoder) 86 ms against oneDNN's 116 ms on two
/// threads, 120 against 167 on one; 2048×512×512 8.2 against 10.7 and 12.5 against 16.5;
/// 800×200×700 1.6 against 2.0. oneDNN stays ahead when the inner dimension is short
/// (4096×256×64: 1.0 against 2.0) or the output wide (200×800×700: 1.6 against 2.3).
@inline(__always)
func openBLASBeatsOneDNN(m: Int, n: Int, k: Int, _ opA: BLASOperand, _ opB: BLASOperand) -> Bool {
    opA.transposed && !opB.transposed && k >= 256 && m >= 2 * n
}

/// Runs an OpenBLAS product, which runs single-threaded (torch_environment.c), split into
/// blocks of rows (or of columns, when there are fewer rows than cores) on the OpenMP pool,
/// each block one call of `gemm(rows, columns, a, b, c)`, so one set of workers serves
/// every kernel; `onThisThread` keeps it to one call on the calling thread.
private func splitOverPool<T>(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, _ opA: BLASOperand, b: UnsafePointer<T>, _ opB: BLASOperand,
    c: UnsafeMutablePointer<T>, ldc: Int, onThisThread: Bool,
    gemm: (Int, Int, UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) -> Void
) {
    let parts = onThisThread || openBLASThreadedByUser ? 1 : parallelPartCount(elements: m * n * k, family: .gemm)
    guard parts > 1, max(m, n) >= parts else {
        gemm(m, n, a, b, c)
        return
    }
    let byRows = m >= parts
    let size = byRows ? m : n
    withoutActuallyEscaping(gemm) { gemm in
        let box = GEMMBox(a: a, b: b, c: c, gemm: gemm)
        parallelFor(parts) { p in
            let lo = size * p / parts, hi = size * (p + 1) / parts
            guard hi > lo else { return }
            if byRows {
                // Row i of op(A) starts at i·lda when stored as is, at i when read transposed.
                box.gemm(hi - lo, n, box.a + lo * (opA.transposed ? 1 : opA.ld), box.b, box.c + lo * ldc)
            } else {
                // Column j of op(B) starts at j when stored as is, at j·ldb when read transposed.
                box.gemm(m, hi - lo, box.a, box.b + lo * (opB.transposed ? opB.ld : 1), box.c + lo)
            }
        }
    }
}

/// Carries the operand pointers and the library call into the pool's workers, which finish
/// before `splitOverPool` returns.
private struct GEMMBox<T>: @unchecked Sendable {
    let a: UnsafePointer<T>, b: UnsafePointer<T>, c: UnsafeMutablePointer<T>
    let gemm: (Int, Int, UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) -> Void
}

/// `C = beta * C` for an empty inner dimension (BLAS would read nothing and may not scale).
private func scaleOutput<T: BinaryFloatingPoint>(_ c: UnsafeMutablePointer<T>, m: Int, n: Int, ldc: Int, beta: T) {
    for i in 0..<m {
        for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
    }
}

/// Integer GEMM by loops over arbitrary strides: `c = beta * c + alpha * a @ b`,
/// accumulating in the element type with wrapping, as PyTorch does for integers.
func integerGEMM<T: TensorScalar & FixedWidthInteger>(
    m: Int, n: Int, k: Int, alpha: T,
    a: UnsafePointer<T>, aRowStride: Int, aColStride: Int,
    b: UnsafePointer<T>, bRowStride: Int, bColStride: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var acc: T = 0
            for p in 0..<k {
                acc &+= a[i * aRowStride + p * aColStride] &* b[p * bRowStride + j * bColStride]
            }
            c[i * ldc + j] = beta == 0 ? alpha &* acc : beta &* c[i * ldc + j] &+ alpha &* acc
        }
    }
}
