import Foundation
import Testing
@testable import Torch

/// How work is shared between threads: float64 products split over the OpenMP pool, and
/// OpenBLAS kept single-threaded so its own workers never compete with the pool's.
@Suite struct ThreadingTests {
    /// `a @ b` by plain loops (integer-valued inputs: every sum is exact in float64).
    private func reference(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for p in 0..<k {
                for j in 0..<n { c[i * n + j] += a[i * k + p] * b[p * n + j] }
            }
        }
        return c
    }

    private func values(_ count: Int, seed: Int) -> [Double] {
        (0..<count).map { Double(($0 * 7919 + seed) % 11) - 5 }
    }

    /// As in PyTorch, the thread count before any `setNumThreads` is `OMP_NUM_THREADS` (its
    /// first entry when it lists nested levels), and `setNumThreads(0)` returns to it. In a
    /// child process, where the variable is read for the first time.
    @Test func defaultThreadCountFollowsOMPNumThreads() async {
        await #expect(processExitsWith: .success) {
            setenv("OMP_NUM_THREADS", "1,4", 1)
            guard getNumThreads() == 1 else { exit(1) }
            setNumThreads(0)
            guard getNumThreads() == 1 else { exit(2) }
            // A product large enough to split still gives every row (one thread does it all).
            let c = mm(Tensor.ones(300, 200), Tensor.ones(200, 100))
            guard c.sum().item(as: Double.self) == 300 * 100 * 200 else { exit(3) }
        }
    }

    @Test func float64ProductSplitByRowsMatchesLoops() {
        // 96·70·80 = 537600 multiply-adds: above the GEMM threshold, split into row blocks.
        let (m, k, n) = (96, 70, 80)
        let a = values(m * k, seed: 1), b = values(k * n, seed: 2)
        let c = mm(Tensor(shape: [m, k], scalars: a), Tensor(shape: [k, n], scalars: b))
        #expect(c.toArray(Double.self) == reference(a, b, m: m, k: k, n: n))
    }

    @Test func float64ProductWithOneRowSplitsColumns() {
        // One row cannot be split: the columns of b are, each block read at its own offset.
        let (m, k, n) = (1, 1024, 600)
        let a = values(m * k, seed: 3), b = values(k * n, seed: 4)
        let c = mm(Tensor(shape: [m, k], scalars: a), Tensor(shape: [k, n], scalars: b))
        #expect(c.toArray(Double.self) == reference(a, b, m: m, k: k, n: n))
    }

    @Test func float64ProductOfTransposedViewsMatchesLoops() {
        // Both operands read transposed: row blocks start at column offsets of the storage.
        let (m, k, n) = (90, 80, 75)
        let a = values(m * k, seed: 5), b = values(k * n, seed: 6)
        let at = Tensor(shape: [m, k], scalars: a).t().contiguous().t()
        let bt = Tensor(shape: [k, n], scalars: b).t().contiguous().t()
        #expect(!at.isContiguous && !bt.isContiguous)
        #expect(mm(at, bt).toArray(Double.self) == reference(a, b, m: m, k: k, n: n))
        // And the column split (one row) through a transposed b.
        let row = Tensor(shape: [1, k], scalars: Array(a.prefix(k)))
        let wide = Tensor(shape: [k, 7000], scalars: values(k * 7000, seed: 7))
        let wideT = wide.t().contiguous().t()
        #expect(mm(row, wideT).toArray(Double.self) == mm(row, wide).toArray(Double.self))
    }

    @Test func openBLASRunsSingleThreadedUnlessAsked() {
        // Start-up sets OpenBLAS to one thread unless OPENBLAS_NUM_THREADS says otherwise.
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil {
            #expect(BLASInfo.threadCount == 1)
        }
    }
}
