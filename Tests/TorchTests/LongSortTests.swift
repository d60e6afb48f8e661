import Foundation
import Testing
@testable import Torch

/// `sort`, `topk` and `unique` on lines long enough for the radix sort, the split `topk` and
/// the counted `unique` (`Kernels/RadixSort.swift`, `SortKernels.swift`,
/// `UniqueKernels.swift`), against PyTorch (`scripts/record-long-sorts.py`); the recorded
/// corpus's lines are all shorter.
@Suite struct LongSortTests {
    /// The whole recording (read on each call: `[String: Any]` is not `Sendable`).
    static var record: [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/long_sorts.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static func entry(_ name: String) -> [String: Any] { record[name] as! [String: Any] }
    static func longs(_ t: Tensor) -> [Int] { t.toArray(Int64.self).map(Int.init) }

    /// The script's `special_floats`: ((i·7919) mod 1013 − 506)/8, many ties, with NaN, −0,
    /// +inf and −inf at multiples of 97, 101, 103 and 107 (later ones win).
    static func specialFloats(_ n: Int, dtype: DType) -> Tensor {
        let values = (0..<n).map { i -> Double in
            if i % 107 == 0 { return -.infinity }
            if i % 103 == 0 { return .infinity }
            if i % 101 == 0 { return -0.0 }
            if i % 97 == 0 { return .nan }
            return Double((i * 7919) % 1013 - 506) / 8
        }
        return Tensor(shape: [n], scalars: values).to(dtype)
    }

    @Test func floatLinesSortAsPyTorch() {
        let x = Self.specialFloats(3 * 1500, dtype: .float32).reshape([3, 1500])
        #expect(Self.longs(x.sort(dim: -1).indices) == NNMore.ints(Self.entry("float32_rows_asc")["indices"]))
        #expect(Self.longs(x.sort(dim: -1, descending: true).indices) == NNMore.ints(Self.entry("float32_rows_desc")["indices"]))
        #expect(Self.longs(x.t().sort(dim: 0).indices) == NNMore.ints(Self.entry("float32_columns_asc")["indices"]))
        let d = Self.specialFloats(2000, dtype: .float64)
        let sorted = d.sort(descending: true)
        #expect(Self.longs(sorted.indices) == NNMore.ints(Self.entry("float64_desc")["indices"]))
        // The values are the input at those positions: NaNs first when descending.
        #expect(sorted.values[0].item(as: Double.self).isNaN && sorted.values[1999].item(as: Double.self) == -.infinity)
    }

    @Test func integerLinesSortAsPyTorch() {
        let wide = (Tensor.arange(0, 3000) * 7919) % Tensor(1009) * Tensor(Int64(1) << 33) - Tensor(Int64(1) << 40)
        #expect(Self.longs(wide.sort().indices) == NNMore.ints(Self.entry("int64_wide_asc")["indices"]))
        let small = ((Tensor.arange(0, 1200) * 31) % Tensor(257) - Tensor(128)).to(.int32)
        #expect(Self.longs(small.sort(descending: true).indices) == NNMore.ints(Self.entry("int32_desc")["indices"]))
    }

    @Test func uniqueOfWideAndNarrowRangesAsPyTorch() {
        let wide = (Tensor.arange(0, 3000) * 7919) % Tensor(1009) * Tensor(Int64(1) << 33) - Tensor(Int64(1) << 40)
        let w = unique(wide, returnInverse: true, returnCounts: true)
        let want = Self.entry("int64_wide_unique")
        #expect(Self.longs(w.values) == NNMore.ints(want["values"]))
        #expect(Self.longs(w.inverse!) == NNMore.ints(want["inverse"]))
        #expect(Self.longs(w.counts!) == NNMore.ints(want["counts"]))

        let narrow = (Tensor.arange(0, 20000) * 7919) % Tensor(1000) - Tensor(500)
        let n = unique(narrow, returnInverse: true, returnCounts: true)
        let recorded = Self.entry("int64_narrow_unique")
        #expect(Self.longs(n.values) == NNMore.ints(recorded["values"]))
        #expect(Self.longs(n.counts!) == NNMore.ints(recorded["counts"]))
        #expect(Array(Self.longs(n.inverse!).prefix(300)) == NNMore.ints(recorded["inverse_head"]))
        // Every element's inverse points at its own value.
        #expect(equal(n.values.indexSelect(0, n.inverse!), narrow))
        // Without the inverse, and for a narrow dtype, the same values.
        #expect(Self.longs(unique(narrow.to(.int16)).values) == NNMore.ints(recorded["values"]))
        #expect(unique(Tensor([true, false, true])).values.toArray(Bool.self) == [false, true])
    }

    @Test func topkOfLongLinesAsPyTorch() {
        let line = ((Tensor.arange(0, 300_000) * 7919) % Tensor(300_007)).to(.float32)
        line[123_456] = Tensor(Float.nan)
        line[777] = Tensor(-Float.infinity)
        for largest in [true, false] {
            let want = Self.entry("topk_long_\(largest ? "largest" : "smallest")")
            let got = line.topk(7, largest: largest)
            #expect(NNMore.close(got.values, NNMore.values(want["values"])), "largest \(largest)")
            #expect(Self.longs(got.indices) == NNMore.ints(want["indices"]), "largest \(largest)")
        }
        let rows = line[0..<4000].reshape([4, 1000]).topk(10, dim: 1)
        #expect(NNMore.close(rows.values, NNMore.values(Self.entry("topk_rows")["values"])))
        #expect(Self.longs(rows.indices) == NNMore.ints(Self.entry("topk_rows")["indices"]))
    }
}
