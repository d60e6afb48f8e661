import Testing
@testable import Torch

@Suite struct LinearAlgebraTests {
    let a = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    let b = Tensor([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]])

    @Test func mmMatchesHandProduct() {
        let c = mm(a, b)
        #expect(c.shape == [2, 2])
        #expect(c.toArray(Float.self) == [7, -1, 16, -1])
        #expect(a.mm(b).toArray(Float.self) == [7, -1, 16, -1])
        #expect(mm(a.double(), b.double()).toArray(Double.self) == [7, -1, 16, -1])
        #expect(mm(a.long(), b.long()).toArray(Int.self) == [7, -1, 16, -1])
    }

    @Test func transposedOperandsNeedNoCopy() {
        // aᵀ as a strided view: BLAS reads it with the transpose flag.
        let at = a.asStrided([3, 2], [1, 3])
        #expect(BLASOperand(rows: 3, cols: 2, rowStride: 1, colStride: 3)?.transposed == true)
        #expect(mm(at, Tensor([[1.0], [1.0]])).toArray(Float.self) == [5, 7, 9])
        // A layout BLAS cannot take (every other column) is copied and still right.
        let wide = Tensor([[1.0, 9.0, 2.0, 9.0], [3.0, 9.0, 4.0, 9.0]]).asStrided([2, 2], [4, 2])
        #expect(BLASOperand(rows: 2, cols: 2, rowStride: 4, colStride: 2) == nil)
        #expect(mm(wide, Tensor([[1.0, 0.0], [0.0, 1.0]])).toArray(Float.self) == [1, 2, 3, 4])
    }

    @Test func largeFloat32GoesThroughOneDNN() {
        let n = 64
        let x = Tensor(shape: [n, n], scalars: (0..<n * n).map { Float($0 % 7) - 3 })
        let y = mm(x, Tensor.eye(n))
        #expect(y.toArray(Float.self) == x.toArray(Float.self))
    }

    @Test func bmmMvDotOuter() {
        let batch = Tensor([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]]])
        #expect(bmm(batch, batch).toArray(Float.self) == [7, 10, 15, 22, 1, 0, 0, 1])
        #expect(mv(a, Tensor([1.0, 1.0, 1.0])).toArray(Float.self) == [6, 15])
        let d = dot(Tensor([1.0, 2.0, 3.0]), Tensor([4.0, 5.0, 6.0]))
        #expect(d.shape == [])
        #expect(d.item() == 32)
        #expect(outer(Tensor([1, 2]), Tensor([3, 4, 5])).toArray(Int.self) == [3, 4, 5, 6, 8, 10])
        #expect(ger(Tensor([1.0, 2.0]), Tensor([1.0])).shape == [2, 1])
    }

    @Test func matmulBroadcastsBatchesAndPromotesVectors() {
        // Values recorded from PyTorch 2.15.
        let a = Tensor(shape: [2, 1, 2, 3], scalars: (0..<12).map(Float.init))
        let b = Tensor(shape: [3, 3, 4], scalars: (0..<36).map(Float.init))
        let c = matmul(a, b)
        #expect(c.shape == [2, 3, 2, 4])
        #expect(Array(c.toArray(Float.self).prefix(8)) == [20, 23, 26, 29, 56, 68, 80, 92])
        #expect(c.toArray(Float.self).reduce(0, +) == 14244)
        let v = Tensor([1.0, 2.0, 3.0])
        let vb = matmul(v, b)
        #expect(vb.shape == [3, 4])
        #expect(vb.toArray(Float.self) == [32, 38, 44, 50, 104, 110, 116, 122, 176, 182, 188, 194])
        #expect(matmul(a, Tensor([1.0, 0.0, -1.0])).toArray(Float.self) == [-2, -2, -2, -2])
        #expect(matmul(a, Tensor([1.0, 0.0, -1.0])).shape == [2, 1, 2])
        #expect(a.matmul(b).shape == [2, 3, 2, 4])
    }

    @Test func shapeMismatchFailsWithPyTorchMessage() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = mm(Tensor.zeros(3, 4), Tensor.zeros(5, 2))
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("mat1 and mat2 shapes cannot be multiplied (3x4 and 5x2)"))
    }
}

@Suite struct LinalgTests {
    @Test func inverseDeterminantSolve() {
        let a = Tensor([[4.0, 7.0], [2.0, 6.0]], dtype: .float64)
        // inv = 1/10 * [[6, -7], [-2, 4]]
        let inv = linalg.inv(a).toArray(Double.self)
        let expected = [0.6, -0.7, -0.2, 0.4]
        for (x, e) in zip(inv, expected) { #expect(abs(x - e) < 1e-12) }
        #expect(abs(linalg.det(a).item() - 10) < 1e-12)
        // A permutation flips the sign.
        #expect(abs(linalg.det(Tensor([[0.0, 1.0], [1.0, 0.0]])).item() + 1) < 1e-6)
        let x = linalg.solve(a, Tensor([1.0, 2.0], dtype: .float64))
        #expect(x.shape == [2])
        let xs = x.toArray(Double.self)
        #expect(abs(xs[0] - (0.6 - 1.4)) < 1e-12 && abs(xs[1] - (-0.2 + 0.8)) < 1e-12)
    }

    @Test func batchedAndBroadcast() {
        let a = Tensor([[[2.0, 0.0], [0.0, 4.0]], [[1.0, 0.0], [0.0, 1.0]]])
        #expect(linalg.det(a).toArray(Float.self) == [8, 1])
        #expect(linalg.inv(a).toArray(Float.self) == [0.5, 0, 0, 0.25, 1, 0, 0, 1])
        // B of shape A.shape[:-1] is a batch of vectors.
        let x = linalg.solve(a, Tensor([[2.0, 4.0], [3.0, 5.0]]))
        #expect(x.shape == [2, 2])
        #expect(x.toArray(Float.self) == [1, 1, 3, 5])
        // A single matrix B broadcasts over A's batch.
        let y = linalg.solve(a, Tensor([[2.0], [4.0]]).asStrided([2, 1], [1, 1]))
        #expect(y.shape == [2, 2, 1])
    }

    @Test func norms() {
        let v = Tensor([3.0, -4.0])
        #expect(linalg.norm(v).item() == 5)
        #expect(linalg.norm(v, ord: 1).item() == 7)
        #expect(linalg.norm(v, ord: .infinity).item() == 4)
        let m = Tensor([[1.0, 2.0], [2.0, 4.0]])
        #expect(linalg.norm(m, ord: "fro").item() == 5)
    }

    @Test func singularInverseFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = linalg.inv(Tensor([[1.0, 2.0], [2.0, 4.0]]))
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("linalg.inv: The diagonal element 2 is zero"))
    }
}
