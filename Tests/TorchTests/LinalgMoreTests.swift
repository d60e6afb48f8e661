import Foundation
import Testing
@testable import Torch

/// `unique(dim:)`, `linalg.lstsq`, `linalg.householderProduct` and `linalg.eig`/`eigvals`
/// against PyTorch (`scripts/record-linalg-more.py`).
@Suite struct LinalgMoreTests {
    static func record(_ name: String) -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/linalg_more.json")
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return json[name] as! [String: Any]
    }

    static func pattern(_ shape: [Int], _ a: Double, _ b: Double) -> Tensor {
        NNMore.pattern(shape, a, b, dtype: .float64)
    }

    func longs(_ t: Tensor?) -> [Int] { t!.toArray(Int64.self).map(Int.init) }

    @Test func uniqueOverSlicesMatchesPyTorch() {
        func check(_ name: String, _ result: (values: Tensor, inverse: Tensor?, counts: Tensor?)) {
            let r = Self.record(name)
            #expect(result.values.shape == NNMore.ints(r["shape"]), "\(name) shape")
            #expect(NNMore.close(result.values, NNMore.values(r["values"])), "\(name) values")
            #expect(longs(result.inverse) == NNMore.ints(r["inverse"]) && longs(result.counts) == NNMore.ints(r["counts"]),
                    "\(name) inverse/counts")
        }
        let ints = Tensor([[1, 2, 3], [0, 5, 1], [1, 2, 3], [0, 5, 0], [1, 2, 3]])
        check("unique_dim0", unique(ints, returnInverse: true, returnCounts: true, dim: 0))
        check("unique_dim1", unique(Tensor([[1, 0, 1, 1], [2, 0, 2, 1], [3, 7, 3, 0]]), returnInverse: true,
                                    returnCounts: true, dim: 1))
        let floats = Tensor([[[0.5, 1.0, 0.5, -2.0], [1.0, 1.0, 1.0, 3.0], [2.0, 0.0, 2.0, 3.0]],
                             [[0.5, 1.0, 0.5, -2.0], [4.0, 1.5, 4.0, 3.0], [0.0, 0.0, 0.0, 3.0]]] as [[[Float]]])
        check("unique_dim_last", unique(floats, returnInverse: true, returnCounts: true, dim: -1))
        check("unique_consecutive_dim0", uniqueConsecutive(Tensor([[1, 2], [1, 2], [0, 5], [1, 2]]), returnInverse: true,
                                                           returnCounts: true, dim: 0))
        // A zero-length dimension that is the one selected gives empty results.
        let empty = unique(Tensor.zeros(0, 3), returnInverse: true, returnCounts: true, dim: 0)
        #expect(empty.values.shape == [0, 3] && empty.inverse!.shape == [0] && empty.counts!.shape == [0])
    }

    /// Checks the four results of `lstsq` against the recording (solution to `tolerance`:
    /// PyTorch runs MKL's LAPACK, SwiftTorch OpenBLAS's).
    func checkLstsq(_ name: String, _ r: (solution: Tensor, residuals: Tensor, rank: Tensor, singularValues: Tensor),
                    tolerance: Double = 1e-10) {
        let w = Self.record(name)
        #expect(r.solution.shape == NNMore.ints(w["solution_shape"]), "\(name) solution shape")
        #expect(NNMore.close(r.solution, NNMore.values(w["solution"]), tolerance: tolerance), "\(name) solution")
        #expect(r.residuals.shape == NNMore.ints(w["residuals_shape"]), "\(name) residuals shape")
        #expect(NNMore.close(r.residuals, NNMore.values(w["residuals"]), tolerance: tolerance), "\(name) residuals")
        #expect(r.rank.shape == NNMore.ints(w["rank_shape"]) && longs(r.rank) == NNMore.ints(w["rank"]), "\(name) rank")
        #expect(r.singularValues.shape == NNMore.ints(w["singular_shape"]), "\(name) singular shape")
        #expect(NNMore.close(r.singularValues, NNMore.values(w["singular"]), tolerance: tolerance), "\(name) singular")
    }

    let a = LinalgMoreTests.pattern([5, 3], 0.37, 2.1) + Tensor.eye(5, 3, dtype: .float64)
    let b = LinalgMoreTests.pattern([5, 2], 0.53, 1.7)

    @Test func lstsqDriversMatchPyTorch() {
        for driver in ["gels", "gelsd", "gelss"] { checkLstsq("lstsq_" + driver, linalg.lstsq(a, b, driver: driver)) }
        let deficient = a.clone()
        deficient[.all, 2] = deficient[.all, 0] * 2
        for driver in ["gelsy", "gelsd"] {
            checkLstsq("lstsq_deficient_" + driver, linalg.lstsq(deficient, b, driver: driver), tolerance: 1e-8)
        }
        checkLstsq("lstsq_f32", linalg.lstsq(a.float(), b.float(), rcond: 1e-3), tolerance: 1e-5)
    }

    @Test func lstsqGradientsMatchPyTorch() {
        func run(_ name: String, _ x: Tensor, _ y: Tensor, driver: String? = nil) {
            let ax = x.clone().requiresGrad_(), by = y.clone().requiresGrad_()
            let r = linalg.lstsq(ax, by, driver: driver)
            checkLstsq(name, r)
            (r.solution * Self.pattern(r.solution.shape, 0.61, 1.9)).sum().backward()
            let w = Self.record(name)
            #expect(NNMore.close(ax.grad!, NNMore.values(w["grad_a"]), tolerance: 1e-9), "\(name) grad a")
            #expect(NNMore.close(by.grad!, NNMore.values(w["grad_b"]), tolerance: 1e-9), "\(name) grad b")
        }
        run("lstsq_gelsy", a, b)
        run("lstsq_under", Self.pattern([3, 5], 0.29, 1.3) + Tensor.eye(3, 5, dtype: .float64), Self.pattern([3, 2], 0.41, 1.1))
        run("lstsq_batched_vector", Self.pattern([2, 4, 3], 0.31, 1.9) + Tensor.eye(4, 3, dtype: .float64),
            Self.pattern([2, 4], 0.17, 1.3), driver: "gelsd")
        let x = a.clone().requiresGrad_(), y = b.clone().requiresGrad_()
        #expect(gradcheck({ linalg.lstsq($0[0], $0[1]).solution }, inputs: [x, y]).passed)
    }

    @Test func householderProductMatchesPyTorch() {
        for name in ["householder", "householder_short_tau"] {
            let w = Self.record(name)
            let x = Tensor(shape: NNMore.ints(w["a_shape"]), scalars: NNMore.values(w["a"])).requiresGrad_()
            let tau = Tensor(shape: NNMore.ints(w["tau_shape"]), scalars: NNMore.values(w["tau"])).requiresGrad_()
            let q = linalg.householderProduct(x, tau)
            #expect(NNMore.close(q, NNMore.values(w["value"]), tolerance: 1e-12), "\(name) value")
            (q * Self.pattern(q.shape, 0.61, 1.9)).sum().backward()
            #expect(NNMore.close(x.grad!, NNMore.values(w["grad_a"]), tolerance: 1e-10), "\(name) grad a")
            #expect(NNMore.close(tau.grad!, NNMore.values(w["grad_tau"]), tolerance: 1e-10), "\(name) grad tau")
        }
        let x = Self.pattern([4, 3], 0.37, 1.1).requiresGrad_(), tau = Self.pattern([2], 0.7, 1.9).requiresGrad_()
        #expect(gradgradcheck({ linalg.householderProduct($0[0], $0[1]) }, inputs: [x, tau]).passed)
    }

    @Test func eigMatchesPyTorch() {
        let m = Tensor([[2.0, -1.0, 0.5, 0.0], [1.0, 3.0, 0.0, 1.0], [0.0, 0.5, -1.0, 2.0], [1.5, 0.0, 1.0, 0.5]], dtype: .float64)
        let w = Self.record("eig")
        let (values, vectors) = linalg.eig(m)
        #expect(NNMore.close(values.real, NNMore.values(w["values_re"]), tolerance: 1e-12))
        #expect(NNMore.close(values.imag, NNMore.values(w["values_im"]), tolerance: 1e-12))
        // Eigenvectors are fixed up to a sign (LAPACK's normalisation); their moduli are not.
        let modulus = (vectors.real * vectors.real + vectors.imag * vectors.imag).sqrt()
        #expect(NNMore.close(modulus, NNMore.values(w["vectors_abs"]), tolerance: 1e-10))
        // A V = V Λ, in real and imaginary parts.
        let lr = values.real.unsqueeze(0), li = values.imag.unsqueeze(0)
        let residualRe = matmul(m, vectors.real) - (vectors.real * lr - vectors.imag * li)
        let residualIm = matmul(m, vectors.imag) - (vectors.real * li + vectors.imag * lr)
        #expect(residualRe.abs().max().item() < 1e-12 && residualIm.abs().max().item() < 1e-12)
        let batched = stack([m, m.transpose(0, 1) * 0.5 + Tensor.eye(4, dtype: .float64)]).float()
        let (re, im) = linalg.eigvals(batched)
        let wb = Self.record("eigvals_batched_f32")
        #expect(NNMore.close(re, NNMore.values(wb["re"]), tolerance: 1e-5) && NNMore.close(im, NNMore.values(wb["im"]), tolerance: 1e-5))
    }
    /// The loss the recording differentiates: weighted real and imaginary parts of the
    /// eigenvalues, weighted squared moduli of the eigenvectors (independent of each
    /// eigenvector's phase, which LAPACK and MKL may choose differently).
    static func eigLoss(_ a: Tensor, vectors: Bool = true) -> Tensor {
        let c1 = pattern([4], 0.37, 1.3), c2 = pattern([4], 0.53, 1.1), c3 = pattern([4, 4], 0.61, 1.9)
        if !vectors {
            let (re, im) = linalg.eigvals(a)
            return (re * c1).sum() + (im * c2).sum()
        }
        let (values, v) = linalg.eig(a)
        return (values.real * c1).sum() + (values.imag * c2).sum() + ((v.real * v.real + v.imag * v.imag) * c3).sum()
    }

    static let eigInput = Tensor([[2.0, -1.0, 0.5, 0.0], [1.0, 3.0, 0.0, 1.0], [0.0, 0.5, -1.0, 2.0], [1.5, 0.0, 1.0, 0.5]],
                                 dtype: .float64)

    @Test func eigGradientsMatchPyTorch() {
        for vectors in [true, false] {
            let a = Self.eigInput.detach().requiresGrad_()
            Self.eigLoss(a, vectors: vectors).backward()
            let want = Self.record(vectors ? "eig_grad" : "eigvals_grad")
            #expect(NNMore.close(a.grad!, NNMore.values(want["grad"]), tolerance: 1e-9), "vectors \(vectors)")
            // And against finite differences of the same loss.
            let check = gradcheck({ Self.eigLoss($0[0], vectors: vectors) }, inputs: [Self.eigInput.detach().requiresGrad_()])
            #expect(check.passed, "\(check)")
        }
    }

    @Test func eigRefusesALossThatDependsOnThePhase() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = LinalgMoreTests.eigInput.detach().requiresGrad_()
            linalg.eig(a).eigenvectors.real.sum().backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains(Self.record("eig_phase_error")["message"] as! String))
    }
}
