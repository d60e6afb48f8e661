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
}
