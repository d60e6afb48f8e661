import Testing
@testable import Torch

/// float32 products whose `A` is read transposed from a tall matrix with a long inner
/// dimension (a weight gradient `gᵀ·x`) go to OpenBLAS split over the pool, the rest to
/// oneDNN. Both routes must give the product: checked against the float64 product of the
/// same values (each element a sum of k products of numbers in [-1, 1]).
@Suite struct GEMMRoutingTests {
    @Test(arguments: [(600, 20, 300), (520, 7, 256), (40, 16, 300), (20, 40, 300), (600, 20, 64)])
    func transposedLeftOperandProducts(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let gen = Generator().manualSeed(UInt64(m + n + k))
        let a = Tensor.rand([k, m], generator: gen) * 2 - 1, b = Tensor.rand([k, n], generator: gen) * 2 - 1
        let routed = openBLASBeatsOneDNN(m: m, n: n, k: k, BLASOperand(rows: m, cols: k, rowStride: 1, colStride: m)!,
                                         BLASOperand(rows: k, cols: n, rowStride: n, colStride: 1)!)
        #expect(routed == (k >= 256 && m >= 2 * n))
        let got = a.t().mm(b).toArray(Double.self)
        let want = a.to(.float64).t().mm(b.to(.float64)).toArray(Double.self)
        let worst = zip(got, want).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "\(shape): largest error \(worst)")
    }

    /// Batched products large enough to split run whole batches on the pool's workers, each
    /// product on one thread, and the batches left over from an even share one after another
    /// split as usual. Every batch must get its own product: each case is checked against the
    /// definition summed in float64 here. The cases: an odd batch count (one left over), a
    /// transposed `A` with a long inner dimension (the OpenBLAS route, on a worker and left
    /// over), a broadcast `B` (batch stride 0), many products too small to split (attention's
    /// heads), float64.
    @Test(arguments: [
        (5, 64, 64, 64, false, false, DType.float32), (3, 40, 16, 300, true, false, .float32),
        (4, 48, 40, 56, false, true, .float32), (40, 35, 35, 100, false, false, .float32),
        (3, 64, 64, 64, true, true, .float64),
    ])
    func batchesSplitOverThePool(_ c: (Int, Int, Int, Int, Bool, Bool, DType)) {
        let (batches, m, n, k, transposeA, broadcastB, dtype) = c
        let gen = Generator().manualSeed(UInt64(batches * m + n + k))
        let a = transposeA ? (Tensor.rand([batches, k, m], generator: gen) * 2 - 1).transpose(1, 2)
                           : Tensor.rand([batches, m, k], generator: gen) * 2 - 1
        let b = broadcastB ? (Tensor.rand([1, k, n], generator: gen) * 2 - 1).expand([batches, k, n])
                           : Tensor.rand([batches, k, n], generator: gen) * 2 - 1
        let got = bmm(a.to(dtype), b.to(dtype)).toArray(Double.self)
        let av = a.contiguous().toArray(Double.self), bv = b.contiguous().toArray(Double.self)
        var worst = 0.0
        for s in 0..<batches {
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k { sum += av[(s * m + i) * k + p] * bv[(s * k + p) * n + j] }
                    worst = max(worst, abs(got[(s * m + i) * n + j] - sum))
                }
            }
        }
        #expect(worst < (dtype == .float64 ? 1e-12 : 1e-4), "\(c): largest error \(worst)")
    }
}
