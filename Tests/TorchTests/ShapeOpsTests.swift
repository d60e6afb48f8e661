import Testing
@testable import Torch

@Suite struct ShapeOpsTests {
    let m = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])

    @Test func joiningAndSplitting() {
        #expect(cat([m, m], dim: 0).shape == [4, 3])
        #expect(cat([m, Tensor([[7.0], [8.0]])], dim: 1).toArray(Float.self) == [1, 2, 3, 7, 4, 5, 6, 8])
        #expect(stack([Tensor([1, 2]), Tensor([3, 4])], dim: 1).toArray(Int.self) == [1, 3, 2, 4])
        #expect(Tensor.arange(0, 5).split(2).map { $0.toArray(Int.self) } == [[0, 1], [2, 3], [4]])
        #expect(Tensor.arange(0, 5).chunk(3).map(\.numel) == [2, 2, 1])
        #expect(m.split([1, 2], dim: 1).map(\.shape) == [[2, 1], [2, 2]])
    }

    @Test func reorderingAndTiling() {
        #expect(m.flip([1]).toArray(Float.self) == [3, 2, 1, 6, 5, 4])
        #expect(m.roll(1).toArray(Float.self) == [6, 1, 2, 3, 4, 5])
        #expect(m.roll([1], dims: [1]).toArray(Float.self) == [3, 1, 2, 6, 4, 5])
        #expect(Tensor([1, 2]).`repeat`(2, 2).toArray(Int.self) == [1, 2, 1, 2, 1, 2, 1, 2])
    }

    /// Permuted copies, including those that move the source's contiguous dimension
    /// outwards (copied in tiles), equal the element-by-element definition
    /// `out[i0, i1, …] = x[i_perm⁻¹…]`, for float32, int32, int64 and a casting copy.
    @Test(arguments: [
        ([12, 8, 16, 16, 16], [4, 1, 3, 2, 0]),  // einsum's transposing copy
        ([37, 21], [1, 0]),                       // a plain transpose with ragged tiles
        ([5, 33, 3, 19], [3, 2, 0, 1]),
        ([3, 4, 5], [2, 0, 1]),                   // too small for tiles
        ([2, 17, 1, 20], [3, 2, 1, 0]),
    ])
    func permutedCopiesMatchTheDefinition(shape: [Int], permutation: [Int]) {
        let n = shape.reduce(1, *)
        let x = Tensor.arange(0, n).reshape(shape)
        let permutedShape = permutation.map { shape[$0] }
        let sourceStrides = contiguousStrides(for: shape)
        var expected = [Int](repeating: 0, count: n)
        for flat in 0..<n {
            var rest = flat, source = 0
            for d in stride(from: permutedShape.count - 1, through: 0, by: -1) {
                source += (rest % permutedShape[d]) * sourceStrides[permutation[d]]
                rest /= permutedShape[d]
            }
            expected[flat] = source
        }
        #expect(x.permute(permutation).contiguous().toArray(Int.self) == expected)
        #expect(x.to(.float32).permute(permutation).contiguous().toArray(Float.self) == expected.map(Float.init))
        // Whole 16×16 tiles of 4-byte elements are transposed in registers (any 4-byte type).
        #expect(x.to(.int32).permute(permutation).contiguous().toArray(Int.self) == expected)
        #expect(x.permute(permutation).to(.float64).toArray(Double.self) == expected.map(Double.init))
    }

    @Test func trianglesAndDiagonals() {
        let s = Tensor([[1.0, 2.0], [3.0, 4.0]])
        #expect(s.tril().toArray(Float.self) == [1, 0, 3, 4])
        #expect(s.triu(1).toArray(Float.self) == [0, 2, 0, 0])
        #expect(s.diagonal().toArray(Float.self) == [1, 4])
        #expect(s.trace().item() == 5)
        #expect(diag(Tensor([1.0, 2.0])).toArray(Float.self) == [1, 0, 0, 2])
        #expect(diag(m, diagonal: 1).toArray(Float.self) == [2, 6])
    }

    @Test func derivativesPassGradcheck() {
        let a = Tensor([[0.3, -0.7, 1.2], [0.5, 0.1, -0.4]], dtype: .float64, requiresGrad: true)
        let b = Tensor([[1.3, 0.5, -0.8]], dtype: .float64, requiresGrad: true)
        let checks: [(String, ([Tensor]) -> Tensor)] = [
            ("cat", { cat([$0[0], $0[1]], dim: 0) }),
            ("stack", { stack([$0[0].narrow(0, 0, 1), $0[1]]) }),
            ("flip", { $0[0].flip([0, 1]) * $0[1] }),
            ("roll", { $0[0].roll([1], dims: [1]) * $0[1] }),
            ("repeat", { $0[0].`repeat`(2, 1) }),
            ("tril", { $0[0].tril() + $0[1] }),
            ("diagonal", { $0[0].diagonal(offset: 1) }),
            ("trace", { $0[0].narrow(1, 0, 2).trace() * $0[1].sum() }),
        ]
        for (name, f) in checks {
            let r = gradcheck(f, inputs: [a, b])
            #expect(r.passed, Comment(rawValue: "\(name): \(r)"))
        }
    }

    @Test func catShapeMismatchFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = cat([Tensor.zeros(2, 3), Tensor.zeros(2, 4)], dim: 0)
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list."))
    }
}
