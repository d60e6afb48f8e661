import Foundation
import Testing
@testable import Torch

/// `lgamma`/`digamma`/`polygamma`, `Gamma`, `Beta`, `Dirichlet`, their KL pairs and
/// Bernoulli's clamp against PyTorch (`scripts/record-gamma-family.py`): seeded draws equal
/// PyTorch's (same sampler on the same stream), as do the approximate rsample gradients.
@Suite struct GammaFamilyTests {
    static func record() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gamma_family.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static func close(_ t: Tensor, _ want: Any?, tolerance: Double = 1e-5) -> Bool {
        NNMore.close(t, NNMore.values(want), tolerance: tolerance)
    }

    func seeded<R>(_ seed: Int, _ body: () -> R) -> R { withDefaultGenerator(Generator().manualSeed(seed), body) }

    @Test func specialFunctionsMatchPyTorch() {
        let r = Self.record()
        let xs: [Double] = [-2.5, -1.5, -0.3, 0.0, 0.2, 0.5, 1.0, 2.5, 7.0, 10.0, 23.5, 1e3]
        for (dtype, tag) in [(DType.float32, "f32"), (.float64, "f64")] {
            let x = Tensor(shape: [xs.count], scalars: xs).to(dtype)
            let tolerance = dtype == .float32 ? 2e-6 : 1e-12
            #expect(Self.close(lgamma(x), r["lgamma_" + tag], tolerance: tolerance), "lgamma \(tag)")
            #expect(Self.close(digamma(x), r["digamma_" + tag], tolerance: tolerance), "digamma \(tag)")
            for n in 1...3 {
                #expect(Self.close(polygamma(n, x), r["polygamma\(n)_" + tag], tolerance: tolerance), "polygamma \(n) \(tag)")
            }
        }
        let x = Tensor([0.3, 1.7, 4.0, 12.5], dtype: .float64).requiresGrad_()
        (lgamma(x).sum() + digamma(x).sum() * 0.5 + polygamma(2, x).sum() * 0.25).backward()
        #expect(Self.close(x.grad!, r["special_grad"], tolerance: 1e-12))
        let y = Tensor([0.7, 2.2, 5.5], dtype: .float64).requiresGrad_()
        #expect(gradcheck({ lgamma($0[0]) + digamma($0[0]) + polygamma(1, $0[0]) }, inputs: [y]).passed)
        #expect(gradgradcheck({ lgamma($0[0]) }, inputs: [y]).passed)
    }

    let concentration = Tensor([0.5, 1.0, 2.5, 9.0, 30.0] as [Float])
    let rate = Tensor([1.0, 2.0, 0.5, 3.0, 1.5] as [Float])

    @Test func gammaMatchesPyTorch() {
        let r = Self.record()
        seeded(0) {
            #expect(Self.close(Gamma(concentration, rate).sample([3]), r["gamma_sample_f32"]))
            #expect(Self.close(Gamma(concentration.double(), rate.double()).sample([2]), r["gamma_sample_f64"], tolerance: 1e-12))
        }
        let c = concentration.clone().requiresGrad_(), b = rate.clone().requiresGrad_()
        let x = seeded(1) { Gamma(c, b).rsample([4]) }
        NNMore.weightedBackward(x)
        #expect(Self.close(x, r["gamma_rsample"]))
        #expect(Self.close(c.grad!, r["gamma_rsample_grad_concentration"], tolerance: 1e-4))
        #expect(Self.close(b.grad!, r["gamma_rsample_grad_rate"]))
        let g = Gamma(concentration, rate)
        let value = Tensor([0.3, 1.0, 4.0, 2.5, 21.0] as [Float])
        #expect(Self.close(g.logProb(value), r["gamma_log_prob"]) && Self.close(g.entropy(), r["gamma_entropy"]))
        #expect(Self.close(g.mean, r["gamma_mean"]) && Self.close(g.variance, r["gamma_variance"]) && Self.close(g.mode, r["gamma_mode"]))
        let c2 = concentration.clone().requiresGrad_()
        (Gamma(c2, rate).logProb(value).sum() + Gamma(c2, rate).entropy().sum()).backward()
        #expect(Self.close(c2.grad!, r["gamma_log_prob_entropy_grad"]))
    }

    let dirichletConcentration = Tensor([[0.3, 1.5, 2.0], [4.0, 7.0, 8.0], [0.2, 0.5, 0.9]] as [[Float]])

    @Test func dirichletMatchesPyTorch() {
        let r = Self.record()
        seeded(2) {
            #expect(Self.close(Dirichlet(dirichletConcentration).sample([2]), r["dirichlet_sample"]))
            #expect(Self.close(Dirichlet(dirichletConcentration.double()).sample(), r["dirichlet_sample_f64"], tolerance: 1e-12))
        }
        let c = dirichletConcentration.clone().requiresGrad_()
        let x = seeded(3) { Dirichlet(c).rsample([2]) }
        NNMore.weightedBackward(x)
        #expect(Self.close(x, r["dirichlet_rsample"]))
        #expect(Self.close(c.grad!, r["dirichlet_rsample_grad"], tolerance: 1e-4))
        let d = Dirichlet(dirichletConcentration)
        let value = Tensor([[0.2, 0.3, 0.5], [0.1, 0.45, 0.45], [0.6, 0.3, 0.1]] as [[Float]])
        #expect(Self.close(d.logProb(value), r["dirichlet_log_prob"]) && Self.close(d.entropy(), r["dirichlet_entropy"]))
        #expect(Self.close(d.mean, r["dirichlet_mean"]) && Self.close(d.variance, r["dirichlet_variance"]))
        #expect(Self.close(d.mode, r["dirichlet_mode"]))
        #expect(d.batchShape == [3] && d.eventShape == [3])
    }

    let c1 = Tensor([0.4, 2.0, 8.0, 0.9] as [Float]), c0 = Tensor([0.7, 3.0, 9.0, 12.0] as [Float])

    @Test func betaMatchesPyTorch() {
        let r = Self.record()
        #expect(seeded(4) { Self.close(Beta(c1, c0).sample([3]), r["beta_sample"]) })
        let a1 = c1.clone().requiresGrad_(), a0 = c0.clone().requiresGrad_()
        let x = seeded(5) { Beta(a1, a0).rsample([5]) }
        NNMore.weightedBackward(x)
        #expect(Self.close(x, r["beta_rsample"]))
        #expect(Self.close(a1.grad!, r["beta_rsample_grad1"], tolerance: 1e-4) && Self.close(a0.grad!, r["beta_rsample_grad0"], tolerance: 1e-4))
        let b = Beta(c1, c0)
        let value = Tensor([0.1, 0.5, 0.45, 0.02] as [Float])
        #expect(Self.close(b.logProb(value), r["beta_log_prob"]) && Self.close(b.entropy(), r["beta_entropy"]))
        #expect(Self.close(b.mean, r["beta_mean"]) && Self.close(b.variance, r["beta_variance"]) && Self.close(b.mode, r["beta_mode"]))
    }

    @Test func klPairsMatchPyTorch() {
        let kl = Self.record()["kl"] as! [String: Any]
        let g = Gamma(concentration, rate), g2 = Gamma(concentration.flip([0]), rate)
        let b = Beta(c1, c0), b2 = Beta(c0, c1)
        let d = Dirichlet(dirichletConcentration), d2 = Dirichlet(dirichletConcentration.flip([-1]) + 0.5)
        let e = Exponential(Tensor([0.5, 1.0, 2.0, 3.0, 0.7] as [Float]))
        let n = Normal(Tensor([0.0, 1.0, -1.0, 2.0, 0.5] as [Float]), Tensor([1.0, 0.5, 2.0, 1.5, 3.0] as [Float]))
        let u = Uniform(Tensor([0.1, 0.0, 0.2, 0.5, -0.1] as [Float]), Tensor([0.9, 1.0, 0.3, 1.5, 0.5] as [Float]))
        let u4 = Uniform(Tensor([0.1, 0.0, 0.2, -0.5] as [Float]), Tensor([0.9, 1.0, 0.3, 0.5] as [Float]))
        let e4 = Exponential(Tensor([0.5, 1.0, 2.0, 3.0] as [Float]))
        let n4 = Normal(Tensor([0.0, 1.0, -1.0, 2.0] as [Float]), Tensor([1.0, 0.5, 2.0, 1.5] as [Float]))
        let g4 = Gamma(Tensor([0.5, 1.0, 2.5, 9.0] as [Float]), Tensor([1.0, 2.0, 0.5, 3.0] as [Float]))
        let pairs: [(String, any Distribution, any Distribution)] = [
            ("gamma_gamma", g, g2), ("beta_beta", b, b2), ("dirichlet_dirichlet", d, d2), ("gamma_beta", g4, b),
            ("gamma_uniform", g, u), ("gamma_exponential", g, e), ("gamma_normal", g, n), ("exponential_gamma", e, g),
            ("beta_exponential", b, e4), ("beta_gamma", b, g4), ("beta_normal", b, n4), ("beta_uniform", b, u4),
            ("uniform_beta", u4, b), ("uniform_gamma", u, g),
        ]
        for (name, p, q) in pairs { #expect(Self.close(klDivergence(p, q), kl[name]), "\(name)") }
    }

    /// PyTorch clamps probabilities with the eps of their own dtype: a float64 probability of
    /// 1e-10 keeps its logit, float32 clamps it at 2⁻²³.
    @Test func bernoulliClampsWithTheDtypesEps() {
        let r = Self.record()
        for (dtype, tag) in [(DType.float64, "f64"), (.float32, "f32")] {
            let b = Bernoulli(probs: Tensor([1e-10, 0.5, 1 - 1e-12, 0.0], dtype: .float64).to(dtype))
            #expect(Self.close(b.logits, r["bernoulli_logits_" + tag], tolerance: 1e-9), "\(tag) logits")
            #expect(Self.close(b.logProb(Tensor([0.0, 1.0, 1.0, 0.0], dtype: dtype)), r["bernoulli_log_prob_" + tag], tolerance: 1e-9),
                    "\(tag) log_prob")
        }
    }
}
