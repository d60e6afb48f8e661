import Testing
@testable import Torch

@Suite struct EinsumTests {
    private func close(_ a: [Float], _ b: [Float], tol: Float = 1e-4) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    @Test func seedThreeOperandContraction() {
        // T[i,n,r,s] = Σ_{k,m,o} A[i,k,m,n,o] B[m,o,r] C[k,m,r,s]; values from PyTorch 2.15.
        let a = Tensor(shape: [2, 2, 3, 2, 2], scalars: (0..<48).map { Float($0) / 10 })
        let b = Tensor(shape: [3, 2, 2], scalars: (0..<12).map { Float($0) / 10 })
        let c = Tensor(shape: [2, 3, 2, 2], scalars: (0..<24).map { Float($0) / 10 })
        let t = einsum("ikmno,mor,kmrs->inrs", a, b, c)
        #expect(t.shape == [2, 2, 2, 2])
        #expect(close(t.toArray(Float.self), [11.784, 12.548, 15.384, 16.274, 13.24, 14.124, 17.368, 18.402,
                                               29.256, 31.46, 39.192, 41.81, 30.712, 33.036, 41.176, 43.938]))
    }

    @Test func threeOperandValuesAndGradientsMatchTheDefinition() {
        // Sizes all different, so a wrong pairing of labels cannot pass; reference: the
        // definition, summed in float64.
        let (I, K, M, N, O, R, S) = (3, 2, 4, 2, 3, 5, 3)
        func values(_ count: Int, _ seed: Int) -> [Double] { (0..<count).map { Double(($0 * 37 + seed) % 23) / 11 - 1 } }
        let a = Tensor(shape: [I, K, M, N, O], scalars: values(I * K * M * N * O, 1))
        let b = Tensor(shape: [M, O, R], scalars: values(M * O * R, 5))
        let c = Tensor(shape: [K, M, R, S], scalars: values(K * M * R * S, 9))
        let (av, bv, cv) = (a.toArray(Double.self), b.toArray(Double.self), c.toArray(Double.self))
        var expected = [Double](repeating: 0, count: I * N * R * S)
        for i in 0..<I { for n in 0..<N { for r in 0..<R { for s in 0..<S {
            var sum = 0.0
            for k in 0..<K { for m in 0..<M { for o in 0..<O {
                sum += av[(((i * K + k) * M + m) * N + n) * O + o] * bv[(m * O + o) * R + r] * cv[((k * M + m) * R + r) * S + s]
            } } }
            expected[((i * N + n) * R + r) * S + s] = sum
        } } } }
        let t = einsum("ikmno,mor,kmrs->inrs", a, b, c)
        #expect(t.shape == [I, N, R, S])
        #expect(zip(t.toArray(Double.self), expected).allSatisfy { abs($0 - $1) < 1e-12 })
        // The same through a non-contiguous first operand.
        let aT = a.permute([4, 1, 2, 3, 0]).contiguous().permute([4, 1, 2, 3, 0])
        #expect(zip(einsum("ikmno,mor,kmrs->inrs", aT, b, c).toArray(Double.self), expected).allSatisfy { abs($0 - $1) < 1e-12 })
        let inputs = [a, b, c].map { $0.detach().requiresGrad_() }
        #expect(gradcheck({ einsum("ikmno,mor,kmrs->inrs", $0[0], $0[1], $0[2]) }, inputs: inputs).passed)
    }

    @Test func diagonalsTracesAndImplicitOutput() {
        let m = Tensor(shape: [3, 3], scalars: (0..<9).map(Float.init))
        #expect(einsum("ii->i", m).toArray(Float.self) == [0, 4, 8])
        #expect(einsum("ii", m).item() == 12)
        #expect(einsum("ij", m).shape == [3, 3])
        #expect(einsum("ba", Tensor.zeros(3, 2)).shape == [2, 3])
        let batch = Tensor(shape: [2, 3, 3], scalars: (0..<18).map(Float.init))
        #expect(einsum("...ii->...i", batch).toArray(Float.self) == [0, 4, 8, 9, 13, 17])
        #expect(einsum("i,j->ij", Tensor([1, 2]), Tensor([3, 4])).toArray(Int.self) == [3, 4, 6, 8])
        #expect(einsum("ij,jk->ik", Tensor([[1.0, 2.0]]), Tensor([[3.0], [4.0]])).item() == 11)
    }

    @Test func badEquationsNameTheProblem() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = einsum("ij->k", Tensor.zeros(2, 3))
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("einsum(): output subscript k does not appear in the equation for any input operand"))
        let sizes = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = einsum("ij,jk->ik", Tensor.zeros(2, 3), Tensor.zeros(4, 2))
        }
        #expect(String(decoding: sizes.standardErrorContent, as: UTF8.self)
            .contains("einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3"))
        await #expect(processExitsWith: .failure) { _ = einsum("ij,jk->ik", Tensor.zeros(2, 3)) }
        await #expect(processExitsWith: .failure) { _ = einsum("i1->i", Tensor.zeros(2, 3)) }
    }
}
