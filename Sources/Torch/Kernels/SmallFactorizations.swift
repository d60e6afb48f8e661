/// Cholesky and Householder QR of each matrix of a batch, computed in double precision
/// (written by hand: Debian's OpenBLAS exports the LAPACK routines but these sizes are
/// small and a plain loop keeps the layering simple; results are rounded once into the
/// input's dtype).

/// The lower Cholesky factor of each `n × n` matrix of contiguous `a` (float64 values in
/// row-major order, `count` matrices); `info[b]` is 0, or the order of the first leading
/// minor that is not positive definite (as LAPACK's `potrf`).
func choleskyKernel(_ a: [Double], n: Int, count: Int) -> (factor: [Double], info: [Int]) {
    var l = [Double](repeating: 0, count: a.count)
    var info = [Int](repeating: 0, count: count)
    for b in 0..<count {
        let base = b * n * n
        outer: for j in 0..<n {
            var diagonal = a[base + j * n + j]
            for k in 0..<j { diagonal -= l[base + j * n + k] * l[base + j * n + k] }
            guard diagonal > 0, diagonal.isFinite else {
                info[b] = j + 1
                break outer
            }
            let root = diagonal.squareRoot()
            l[base + j * n + j] = root
            for i in (j + 1)..<Swift.max(n, j + 1) {
                var s = a[base + i * n + j]
                for k in 0..<j { s -= l[base + i * n + k] * l[base + j * n + k] }
                l[base + i * n + j] = s / root
            }
        }
    }
    return (l, info)
}

/// Reduced QR of each `m × n` matrix (row-major float64, `count` of them) by Householder
/// reflections, as LAPACK's `geqrf`/`orgqr`: `Q` is `m × k`, `R` is `k × n` with
/// `k = min(m, n)`, and R's diagonal carries the signs the reflections give (so they agree
/// with PyTorch's).
func qrKernel(_ a: [Double], m: Int, n: Int, count: Int) -> (q: [Double], r: [Double]) {
    let k = Swift.min(m, n)
    var qOut = [Double](repeating: 0, count: count * m * k), rOut = [Double](repeating: 0, count: count * k * n)
    for b in 0..<count {
        var r = Array(a[(b * m * n)..<((b + 1) * m * n)])
        var vs: [[Double]] = []
        var taus: [Double] = []
        for j in 0..<k {
            // The reflector that zeroes column j below the diagonal (LAPACK's dlarfg).
            var normTail = 0.0
            for i in (j + 1)..<Swift.max(m, j + 1) { normTail += r[i * n + j] * r[i * n + j] }
            let alpha = r[j * n + j]
            var v = [Double](repeating: 0, count: m)
            v[j] = 1
            if normTail == 0 {
                vs.append(v)
                taus.append(0)
                continue
            }
            let beta = -(alpha >= 0 ? 1.0 : -1.0) * (alpha * alpha + normTail).squareRoot()
            let tau = (beta - alpha) / beta
            let scale = 1 / (alpha - beta)
            for i in (j + 1)..<m { v[i] = r[i * n + j] * scale }
            // Apply H = I - tau v vᵀ to the remaining columns.
            for c in j..<n {
                var dot = 0.0
                for i in j..<m { dot += v[i] * r[i * n + c] }
                dot *= tau
                for i in j..<m { r[i * n + c] -= dot * v[i] }
            }
            vs.append(v)
            taus.append(tau)
        }
        // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity.
        var q = [Double](repeating: 0, count: m * k)
        for i in 0..<k { q[i * k + i] = 1 }
        for j in stride(from: k - 1, through: 0, by: -1) where taus[j] != 0 {
            let v = vs[j], tau = taus[j]
            for c in 0..<k {
                var dot = 0.0
                for i in j..<m { dot += v[i] * q[i * k + c] }
                dot *= tau
                for i in j..<m { q[i * k + c] -= dot * v[i] }
            }
        }
        for i in 0..<(m * k) { qOut[b * m * k + i] = q[i] }
        for i in 0..<k { for c in 0..<n { rOut[b * k * n + i * n + c] = c >= i ? r[i * n + c] : 0 } }
    }
    return (qOut, rOut)
}
