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
}

extension Float: LAPACKScalar {
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
