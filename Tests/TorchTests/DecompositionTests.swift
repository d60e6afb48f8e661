import Testing
@testable import Torch

/// `linalg.svd` and `linalg.eigh` against PyTorch 2.15 — up to the sign of each singular or
/// eigen vector, which LAPACK builds choose differently — and their derivatives against
/// finite differences on sign-invariant functions.
@Suite struct DecompositionTests {
    /// Equal up to the sign of each row (`rows: true`) or column of a matrix.
    static func closeUpToSign(_ t: Tensor, _ expected: [Float], rows: Bool) -> Bool {
        let e = Tensor(shape: t.shape, scalars: expected)
        let signs = rows ? sign((t * e).sum(dim: 1, keepdim: true)) : sign((t * e).sum(dim: 0, keepdim: true))
        return close(t * signs, expected)
    }

    static func close(_ t: Tensor, _ expected: [Float], tolerance: Float = 2e-5) -> Bool {
        let a = t.toArray(Float.self)
        return a.count == expected.count && zip(a, expected).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test func svdMatchesPyTorch() {
        let a = Tensor([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0]])
        let (u, s, vh) = linalg.svd(a)
        #expect(u.shape == [2, 2] && s.shape == [2] && vh.shape == [3, 3])
        #expect(Self.closeUpToSign(u, [-0.21275046467781067, -0.9771065711975098, 0.9771065711975098, -0.21275046467781067], rows: false))
        #expect(Self.close(s, [3.7994041442871094, 2.1942036151885986]))
        #expect(Self.closeUpToSign(vh, [0.14518225193023682, 0.8275167346000671, -0.5423452258110046, -0.9875854253768921,
                                        0.15443190932273865, -0.028735846281051636, 0.05997603386640549, 0.5397841930389404,
                                        0.8396641612052917], rows: true))
        let reduced = linalg.svd(a.t(), fullMatrices: false)
        #expect(reduced.U.shape == [3, 2] && reduced.Vh.shape == [2, 2])
        #expect(Self.closeUpToSign(reduced.U, [-0.14518216252326965, 0.9875854849815369, -0.8275167942047119,
                                               -0.15443187952041626, 0.5423452258110046, 0.028735816478729248], rows: false))
        // Reconstruction, batched.
        let batch = stack([a, a * 2])
        let (bu, bs, bvh) = linalg.svd(batch, fullMatrices: false)
        #expect(allclose(matmul(bu * bs.unsqueeze(-2), bvh), batch, atol: 1e-5))
    }

    @Test func eighMatchesPyTorch() {
        let b = Tensor([[4.0, 1.0, -2.0], [1.0, 3.0, 0.5], [-2.0, 0.5, 5.0]])
        let (l, v) = linalg.eigh(b)
        #expect(Self.close(l, [1.584206223487854, 3.8393359184265137, 6.5764570236206055]))
        #expect(Self.closeUpToSign(v, [-0.6382424235343933, 0.44533953070640564, -0.6279484033584595, 0.6145470142364502,
                               0.7860143184661865, -0.06718188524246216, -0.4636577069759369, 0.4287821352481842,
                               0.7753498554229736], rows: false))
        #expect(Self.close(linalg.eigvalsh(b, UPLO: "U"), l.toArray(Float.self)))
    }

    @Test func derivativesMatchFiniteDifferences() {
        let a = Tensor([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0]], dtype: .float64).requiresGrad_()
        // Singular values; U·Vh products are sign-invariant.
        #expect(gradcheck({ linalg.svd($0[0], fullMatrices: false).S }, inputs: [a]).passed)
        #expect(gradcheck({ x in let r = linalg.svd(x[0], fullMatrices: false); return matmul(r.U, r.Vh) }, inputs: [a]).passed)
        #expect(gradcheck({ x in let r = linalg.svd(x[0].t(), fullMatrices: false); return matmul(r.U, r.Vh) }, inputs: [a]).passed)
        let b = Tensor([[4.0, 1.0, -2.0], [1.0, 3.0, 0.5], [-2.0, 0.5, 5.0]], dtype: .float64).requiresGrad_()
        func symmetric(_ x: Tensor) -> Tensor { (x + x.t()) * 0.5 }
        #expect(gradcheck({ linalg.eigh(symmetric($0[0])).eigenvalues }, inputs: [b]).passed)
        // v vᵀ of each eigenvector does not depend on its sign.
        #expect(gradcheck({ x in
            let v = linalg.eigh(symmetric(x[0])).eigenvectors
            return v * v
        }, inputs: [b]).passed)
    }

    @Test func eighRejectsNonSquare() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = linalg.eigh(Tensor.zeros(2, 3))
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices"))
    }
}
