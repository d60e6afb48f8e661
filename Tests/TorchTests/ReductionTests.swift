import CTorchSIMD
import Testing
@testable import Torch

/// Reductions, with values printed by PyTorch 2.15 for the same inputs (or derived by hand).
@Suite struct ReductionTests {
    /// A 3x4 matrix with exact binary fractions, so most sums are exact.
    static let x = Tensor([[1.5, -2.0, 3.25, 0.5], [4.0, 1.0, -1.5, 2.0], [0.25, 3.0, 2.0, -4.0]])

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
    }

    @Test func sumAndMean() {
        let x = Self.x
        #expect(x.sum().item() == 10)
        #expect(x.sum().shape == [])
        #expect(x.sum(dim: 1).toArray(Float.self) == [3.25, 5.5, 1.25])
        #expect(x.sum(dim: 0).toArray(Float.self) == [5.75, 2, 3.75, -1.5])
        #expect(x.sum(dim: -1, keepdim: true).shape == [3, 1])
        #expect(x.sum(dims: [0, 1]).item() == 10)
        #expect(sum(x).item() == 10)
        #expect(Swift.abs(x.mean().item() - 0.8333333134651184) < 1e-7)
        #expect(x.mean(dim: 1).toArray(Float.self) == [0.8125, 1.375, 0.3125])
        #expect(mean(x, dim: 1, keepdim: true).shape == [3, 1])
        // Transposed input: the reduced dim is the contiguous one.
        #expect(x.t().sum(dim: 0).toArray(Float.self) == [3.25, 5.5, 1.25])
        #expect(x.t().sum(dim: 1).toArray(Float.self) == [5.75, 2, 3.75, -1.5])
    }

    @Test func sumDtypes() {
        let i = Tensor([[1, 2], [3, 4]])
        #expect(i.sum().dtype == .int64 && i.sum().item(as: Int.self) == 10)
        #expect(Tensor([1, 2], dtype: .int32).sum().dtype == .int64)
        #expect(Tensor([true, true, false]).sum().item(as: Int.self) == 2)
        #expect(Tensor([true, true, false]).sum().dtype == .int64)
        #expect(Tensor([200, 100], dtype: .uint8).sum().item(as: Int.self) == 300)
        #expect(i.sum(dtype: .float64).dtype == .float64)
        #expect(Tensor([1.5, 1.5]).sum(dtype: .int64).item(as: Int.self) == 2)  // cast first, as PyTorch
        #expect(Tensor([1, 2]).mean(dtype: .float32).item() == 1.5)
        #expect(Tensor.zeros([0, 3]).sum(dim: 0).toArray(Float.self) == [0, 0, 0])
        #expect(Tensor.zeros([0]).sum().item() == 0)
        #expect(Tensor.zeros([0]).mean().item().isNaN)
    }

    @Test func largeSumsStayAccurate() {
        // 1 + 2 + ... + 10^6 in float32: PyTorch gives the correctly rounded 500000489472.
        let y = Tensor.arange(1, 1_000_001, dtype: .float32)
        #expect(y.sum().item() == 500_000_489_472)
        // Summed down the columns (the outer path) and along rows.
        let m = y.reshape([1000, 1000])
        #expect(m.sum(dim: 0).sum(dtype: .float64).item() == 500_000_500_000)
        #expect(Swift.abs(m.sum(dim: 1).toArray(Float.self)[999] - Float(999_500_480)) <= 64)  // 999_500_500 rounded to float32
        // A million float32 0.1s: the exact sum is 100000.0015, PyTorch prints 100000.0078125
        // (one ulp up); identical terms round the same way at every level, so allow two ulps.
        #expect(Swift.abs(Tensor.full([1_000_000], 0.1).sum().item() - 100_000.0015) < 0.02)
    }

    @Test func product() {
        let x = Self.x
        #expect(x.prod().item() == -351)
        #expect(x.prod(dim: 1).toArray(Float.self) == [-4.875, -12, -6])
        #expect(prod(x, dim: 1, keepdim: true).shape == [3, 1])
        #expect(Tensor([1, 2, 3], dtype: .int32).prod().dtype == .int64)
        #expect(Tensor([1, 2, 3]).prod().item(as: Int.self) == 6)
        #expect(Tensor([true, false]).prod().item(as: Int.self) == 0)
        #expect(Tensor([2.0, 0.0, 3.0]).prod().item() == 0)
        #expect(Tensor.zeros([0]).prod().item() == 1)
    }

    @Test func maxMinAndIndices() {
        let x = Self.x
        #expect(x.max().item() == 4)
        #expect(max(x).item() == 4)
        #expect(x.min().item() == -4)
        let (values, indices) = x.max(dim: 1)
        #expect(values.toArray(Float.self) == [3.25, 4, 3])
        #expect(indices.toArray(Int.self) == [2, 0, 1])
        #expect(indices.dtype == .int64)
        let (mv, mi) = x.min(dim: 0, keepdim: true)
        #expect(mv.shape == [1, 4] && mv.toArray(Float.self) == [0.25, -2, -1.5, -4])
        #expect(mi.toArray(Int.self) == [2, 0, 1, 2])
        #expect(x.amax(dim: 0).toArray(Float.self) == [4, 3, 3.25, 2])
        #expect(x.amin(dims: [0, 1]).item() == -4)
        #expect(amax(x, dims: [1], keepdim: true).shape == [3, 1])
        #expect(x.argmax().item(as: Int.self) == 4)
        #expect(x.argmax(dim: 1).toArray(Int.self) == [2, 0, 1])
        #expect(argmin(x, dim: 0).toArray(Int.self) == [2, 0, 1, 2])
        #expect(x.argmax(keepdim: true).shape == [1, 1])
        #expect(Tensor([5, 9, 2]).max().item(as: Int.self) == 9)
        #expect(Tensor([true, false]).max().item(as: Bool.self))
        // A 0-d tensor reduces over dim 0 to itself.
        let (sv, si) = Tensor(5.0).max(dim: 0)
        #expect(sv.item() == 5 && si.item(as: Int.self) == 0)
    }

    @Test func tiesAndNaN() {
        // Ties: the first occurrence wins, as in PyTorch.
        let t = Tensor([3.0, 1.0, 3.0, 3.0])
        #expect(t.argmax().item(as: Int.self) == 0)
        #expect(t.max(dim: 0).indices.item(as: Int.self) == 0)
        #expect(Tensor([[2, 7, 7], [1, 1, 0]]).argmax(dim: 1).toArray(Int.self) == [1, 0])
        // NaN propagates; argmax and argmin both pick the first NaN.
        let n = Tensor([1.0, .nan, 3.0, .nan])
        #expect(n.max().item().isNaN && n.min().item().isNaN)
        #expect(n.argmax().item(as: Int.self) == 1)
        #expect(n.argmin().item(as: Int.self) == 1)
        #expect(n.amax(dim: 0).item().isNaN)
        let columns = Tensor([[Double.nan, 1.0], [2.0, .nan]])
        let (v, i) = columns.max(dim: 0)
        #expect(v.toArray(Float.self).allSatisfy { $0.isNaN })
        #expect(i.toArray(Int.self) == [0, 1])
        #expect(columns.amax(dim: 0).toArray(Float.self).allSatisfy { $0.isNaN })
        #expect(columns.amin(dim: 1).toArray(Float.self).allSatisfy { $0.isNaN })
    }

    @Test func varianceAndStd() {
        let x = Self.x
        #expect(Swift.abs(x.std().item() - 2.3556830883026123) < 1e-6)
        #expect(Swift.abs(x.std(correction: 0).item() - 2.255394697189331) < 1e-6)
        #expect(Self.close(x.std(dim: 1).toArray(Float.self), [2.192553758621216, 2.2867372035980225, 3.091486930847168]))
        #expect(Self.close(x.var(dim: 0).toArray(Float.self), [3.6458332538604736, 6.333333492279053, 6.0625, 9.75]))
        #expect(Self.close(x.var(dim: 0, correction: 0).toArray(Float.self), [2.430555582046509, 4.222222328186035, 4.041666507720947, 6.5]))
        #expect(x.var(dims: [], unbiased: false).item() == x.var(correction: 0).item())
        let r = Tensor.arange(0, 12, dtype: .float32).reshape([3, 4])
        #expect(r.std(dim: 0).toArray(Float.self) == [4, 4, 4, 4])
        #expect(Self.close(r.std(dim: 1).toArray(Float.self), [1.29099440574646, 1.29099440574646, 1.29099440574646]))
        // A large offset does not swamp the spread (float64 accumulation, two passes).
        let shifted = Tensor.arange(0, 100_000, dtype: .float32) * 0.001 + 10_000
        #expect(Swift.abs(shifted.std().item() - 28.867658615112305) < 1e-3)
        #expect(Tensor([5.0]).std().item().isNaN)                    // n - correction = 0
        #expect(Tensor([1.0, 2.0, 3.0]).std(correction: 5).item().isInfinite)
        #expect(Swift.abs(Tensor([1.0, 2.0]).var(correction: -1).item() - 0.1666666716337204) < 1e-7)
        #expect(Tensor([1.0, 2.0], dtype: .float64).var(dim: 0, keepdim: true).dtype == .float64)
    }

    @Test func norms() {
        let x = Self.x
        #expect(Swift.abs(x.norm().item() - 8.3291654586792) < 1e-5)
        #expect(x.norm(p: 1).item() == 25)
        #expect(x.norm(p: .infinity).item() == 4)
        #expect(x.norm(p: -Double.infinity).item() == 0.25)
        #expect(x.norm(p: 0).item() == 12)
        #expect(Self.close(x.norm(p: 3, dim: 1).toArray(Float.self), [3.578579902648926, 4.24277925491333, 4.626308441162109]))
        #expect(Swift.abs(x.norm(p: "fro", dims: [0, 1]).item() - 8.3291654586792) < 1e-5)
        #expect(norm(x, p: 2, dim: 0, keepdim: true).shape == [1, 4])
        #expect(Tensor([Double.nan, 1.0]).norm(p: .infinity).item().isNaN)
        #expect(Tensor([Double.nan, 1.0]).norm(p: 0).item() == 2)
        #expect(Tensor([0.0, 2.0]).norm(p: -1).item() == 0)
        #expect(Tensor([1.0, 1.0]).norm(dtype: .float64).dtype == .float64)
    }

    @Test func softmaxFamily() {
        let big = Tensor([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]])
        #expect(Self.close(big.softmax(dim: 1).toArray(Float.self),
                           [0.09003057330846786, 0.2447284758090973, 0.6652409434318542,
                            0.6652409434318542, 0.2447284758090973, 0.09003057330846786]))
        #expect(Self.close(logSoftmax(big, dim: 1).toArray(Float.self),
                           [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536,
                            -0.40760594606399536, -1.4076058864593506, -2.4076058864593506]))
        #expect(Self.close(big.logsumexp(dim: 1).toArray(Float.self), [1002.4075927734375, -999.5924072265625]))
        let x = Self.x
        #expect(Self.close(x.softmax(dim: 0).toArray(Float.self),
                           [0.07424456626176834, 0.0058997501619160175, 0.7721074819564819, 0.18205657601356506,
                            0.9044840335845947, 0.11849965155124664, 0.006680038757622242, 0.8159209489822388,
                            0.02127142623066902, 0.8756005764007568, 0.2212125062942505, 0.0020224659238010645]))
        #expect(Self.close(logsumexp(x, dim: 1).toArray(Float.self), [3.467487096786499, 4.173288345336914, 3.35957407951355]))
        #expect(Self.close([Float(x.logsumexp(dims: [0, 1]).item())], [4.834388256072998]))
        #expect(softmax(Tensor([1, 2, 3]), dim: 0, dtype: .float64).dtype == .float64)
        #expect(Tensor([1, 2]).logsumexp(dim: 0).dtype == .float32)
        #expect(Tensor([-Double.infinity, -.infinity]).logsumexp(dim: 0).item() == -.infinity)
        #expect(Tensor([Double.infinity, 1]).logsumexp(dim: 0).item() == .infinity)
        #expect(Tensor.zeros([0, 3]).logsumexp(dim: 0).toArray(Float.self) == [-.infinity, -.infinity, -.infinity])
        // Rows sum to one, in both layouts, on a tensor large enough to split across cores.
        let wide = Tensor.arange(0, 300_000, dtype: .float32).reshape([300, 1000]) * 0.001
        #expect(Self.close(wide.softmax(dim: 1).sum(dim: 1).toArray(Float.self), [Float](repeating: 1, count: 300)))
        #expect(Self.close(wide.softmax(dim: 0).sum(dim: 0).toArray(Float.self), [Float](repeating: 1, count: 1000)))
    }

    @Test func cumulative() {
        let x = Self.x
        #expect(x.cumsum(dim: 1).toArray(Float.self) == [1.5, -0.5, 2.75, 3.25, 4, 5, 3.5, 5.5, 0.25, 3.25, 5.25, 1.25])
        #expect(cumsum(x, dim: 0).toArray(Float.self) == [1.5, -2, 3.25, 0.5, 5.5, -1, 1.75, 2.5, 5.75, 2, 3.75, -1.5])
        #expect(x.cumprod(dim: 1).toArray(Float.self) == [1.5, -3, -9.75, -4.875, 4, 4, -6, -12, 0.25, 0.75, 1.5, -6])
        #expect(Tensor([true, true, false]).cumsum(dim: 0).toArray(Int.self) == [1, 2, 2])
        #expect(Tensor([1, 2, 3], dtype: .int32).cumsum(dim: 0).dtype == .int64)
        #expect(Tensor([1, 2, 3], dtype: .uint8).cumprod(dim: 0).toArray(Int.self) == [1, 2, 6])
        #expect(Tensor([1.5, 2.5]).cumsum(dim: 0, dtype: .int64).toArray(Int.self) == [1, 3])
        #expect(Tensor(5.0).cumsum(dim: 0).item() == 5)
    }

    @Test func logical() {
        let b = Tensor([[true, false, true], [true, true, true]])
        #expect(!b.all().item(as: Bool.self) && b.any().item(as: Bool.self))
        #expect(b.all(dim: 1).toArray(Bool.self) == [false, true])
        #expect(all(b, dim: 0, keepdim: true).shape == [1, 3])
        #expect(Tensor([1.0, .nan]).all().item(as: Bool.self))
        #expect(Tensor([0, 0, 1]).any().dtype == .bool)
        let u = Tensor([1, 2, 0], dtype: .uint8)
        #expect(u.all().dtype == .uint8 && u.all().item(as: Int.self) == 0)
        #expect(u.any().item(as: Int.self) == 1)
        #expect(Tensor.zeros([0], dtype: .bool).all().item(as: Bool.self))
        #expect(!Tensor.zeros([0], dtype: .bool).any().item(as: Bool.self))
        #expect(Tensor([[1, 2]]).all(dims: []).shape == [1, 2])  // PyTorch: an empty dim list reduces nothing
    }

    @Test func outerAndParallelPaths() {
        // Reducing dim 0 of a contiguous matrix walks rows into the output vector; large
        // shapes split across cores by output or by rows.
        let rows = 2000, cols = 300
        let m = (Tensor.arange(0, .int(Int64(rows * cols)), dtype: .float32) .< Double(rows * cols / 2)).to(.float32).reshape([rows, cols])
        #expect(m.sum(dim: 0).toArray(Float.self) == [Float](repeating: 1000, count: cols))
        #expect(m.sum(dim: 1).sum().item() == Double(rows * cols / 2))
        #expect(m.amax(dim: 0).toArray(Float.self) == [Float](repeating: 1, count: cols))
        #expect(m.argmin(dim: 0).toArray(Int.self) == [Int](repeating: 1000, count: cols))
        let narrow = Tensor.ones([100_000, 3])
        #expect(narrow.sum(dim: 0).toArray(Float.self) == [100_000, 100_000, 100_000])
        #expect(narrow.var(dim: 0).toArray(Float.self) == [0, 0, 0])
        let long = Tensor.arange(0, 1_000_000, dtype: .float64)
        #expect(long.argmax().item(as: Int.self) == 999_999)
        #expect(long.max(dim: 0).indices.item(as: Int.self) == 999_999)
    }

    @Test func broadcastViews() {
        // Stride-0 dims (expand) are read in place, never materialised.
        let e = Tensor([1.0, 2.0, 3.0]).expand(4, 3)
        #expect(e.sum(dim: 0).toArray(Float.self) == [4, 8, 12])
        #expect(e.sum(dim: 1).toArray(Float.self) == [6, 6, 6, 6])
        #expect(e.amax(dim: 1).toArray(Float.self) == [3, 3, 3, 3])
        #expect(e.std(dim: 0).toArray(Float.self) == [0, 0, 0])
        #expect(e.softmax(dim: 0).toArray(Float.self) == [Float](repeating: 0.25, count: 12))
        #expect(e.cumsum(dim: 0).toArray(Float.self) == [1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12])
        #expect(e.argmax(dim: 1).toArray(Int.self) == [2, 2, 2, 2])
    }

    @Test(arguments: [512, 256, 0] as [Int32])
    func vectorLoopsAtEveryWidth(width: Int32) {
        st_simd_force_width_on_this_thread(width)
        defer { st_simd_force_width_on_this_thread(-1) }
        let n = 1000 + 13
        let xs = (0..<n).map { Float(($0 * 7919) % 2000) / 1000 - 1 }
        let exact = xs.reduce(0.0) { $0 + Double($1) }
        #expect(Swift.abs(Double(st_sum_f32(xs, n)) - exact) < 1e-3)
        #expect(st_max_f32(xs, n) == xs.max()! && st_min_f32(xs, n) == xs.min()!)
        var withNaN = xs
        withNaN[n - 3] = .nan
        #expect(st_max_f32(withNaN, n).isNaN && st_min_f32(withNaN, n).isNaN)
        var y = [Float](repeating: 0, count: n)
        st_softmax_f32(xs, &y, n)
        #expect(Swift.abs(y.reduce(0, +) - 1) < 1e-5)
        st_log_softmax_f32(xs, &y, n)
        let lse = st_logsumexp_f32(xs, n)
        #expect(Swift.abs(y[0] - (xs[0] - lse)) < 1e-5)
        var acc = [Float](repeating: 1, count: 37)
        st_add_rows_f32(&acc, xs, 37, 27, 37)
        let column5 = (0..<27).reduce(Float(1)) { $0 + xs[$1 * 37 + 5] }
        #expect(Swift.abs(acc[5] - column5) < 1e-4)
        var maxima = [Float](repeating: -.infinity, count: 37)
        withNaN[2 * 37 + 7] = .nan
        st_max_rows_f32(&maxima, withNaN, 37, 27, 37)
        #expect(maxima[7].isNaN && maxima[6] == (0..<27).map { xs[$0 * 37 + 6] }.max()!)
    }

    @Test func meanOfIntegersFails() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2]).mean()
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long"))
    }

    @Test func badDimFails() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).sum(dim: 2)
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("Dimension out of range (expected to be in range of [-2, 1], but got 2)"))
    }

    @Test func emptyMaxFails() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([0]).max()
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("max(): Expected reduction dim to be specified for input.numel() == 0."))
    }

    @Test func argmaxOfBoolFails() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([true, false]).argmax()
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("argmax(): does not support bool input"))
    }

    @Test func stdOfIntegersFails() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2, 3]).std()
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("std and var only support floating point and complex dtypes"))
    }
}
