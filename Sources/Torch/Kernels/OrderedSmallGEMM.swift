/// Tiny float32 matrix products summed in plain order, as PyTorch's CPU build computes them.
///
/// For small row-major products PyTorch's BLAS (MKL in its wheels) returns, for each output,
/// `((a₀b₀ + a₁b₁) + a₂b₂) + …` with every product rounded before it is added: measured on
/// PyTorch 2.15, whenever the left matrix has one row, or at most 8 rows and the right
/// matrix at least 2 columns (`scripts/check-small-gemm-order.py` shows the table). OpenBLAS
/// sums the same terms with fused multiply-adds in blocks, an ulp or two away. Up to
/// ``orderedGEMMLimit`` multiply-adds this loop is as fast as calling BLAS at all, so these
/// products take it and agree with PyTorch to the bit; larger ones, transposed operands and
/// matrix-vector shapes (where PyTorch's own order is its gemv's) stay on BLAS.

/// The largest `m·n·k` summed by ``orderedSmallGEMM``: a few microseconds of scalar work.
let orderedGEMMLimit = 4096

/// Whether `a · b → out` is a product PyTorch sums in plain order (see the file comment).
func isOrderedSmallGEMM(a: Tensor, b: Tensor, out: Tensor) -> Bool {
    guard a.dtype == .float32, b.dtype == .float32, out.dtype == .float32, a.dim == 2, b.dim == 2,
          a.isContiguous, b.isContiguous, out.isContiguous else { return false }
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    guard m * n * k <= orderedGEMMLimit else { return false }
    return m == 1 || (m <= 8 && n >= 2)
}

/// `out = a · b` for a contiguous float32 `a` (m×k) and `b` (k×n), each output the ordered sum
/// of rounded products. The loop runs along a row of `b` for each `k`, so the compiler can
/// vectorise across outputs while every output still accumulates in `k` order.
func orderedSmallGEMM(a: Tensor, b: Tensor, out: Tensor) {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    let pa = a.pointer(as: Float.self), pb = b.pointer(as: Float.self), pc = out.pointer(as: Float.self)
    for i in 0..<m {
        let row = pc + i * n
        row.update(repeating: 0, count: n)
        for p in 0..<k {
            let x = pa[i * k + p], bRow = pb + p * n
            for j in 0..<n {
                let product = x * bRow[j]   // rounded on its own: Swift does not fuse into an FMA
                row[j] += product
            }
        }
    }
}
