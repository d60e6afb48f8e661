import Foundation
import Testing
@testable import Torch

/// Distributions against PyTorch (`scripts/record-distributions.py`): seeded samples,
/// log-probabilities, entropies, KL divergences and reparameterised gradients.
@Suite struct DistributionTests {
    static func record(_ key: String) -> [Double] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/distributions.json")
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (json[key] as! [NSNumber]).map(\.doubleValue)
    }

    static func close(_ t: Tensor, _ key: String) -> Bool {
        let got = t.toArray(Double.self), want = record(key)
        return got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= 1e-5 * (1 + abs($1)) }
    }

    let loc = Tensor([0.5, -1.0, 2.0] as [Float]), scale = Tensor([1.0, 0.5, 2.0] as [Float])
    let probs = Tensor([0.2, 0.7, 0.5] as [Float])
    let catProbs = Tensor([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]] as [[Float]])
    let rate = Tensor([0.5, 2.0] as [Float])

    @Test func seededDrawsAndDensitiesMatchPyTorch() {
        withDefaultGenerator(Generator().manualSeed(0)) {
            let n = Normal(loc, scale)
            #expect(Self.close(n.sample([4]), "normal_sample"))
            #expect(Self.close(n.rsample([2]), "normal_rsample"))
            #expect(Self.close(n.logProb(Tensor([0.3, -0.2, 1.5] as [Float])), "normal_log_prob"))
            #expect(Self.close(n.entropy(), "normal_entropy"))
            let b = Bernoulli(probs: probs)
            #expect(Self.close(b.sample([4]), "bernoulli_sample"))
            #expect(Self.close(b.logProb(Tensor([1.0, 0.0, 1.0] as [Float])), "bernoulli_log_prob"))
            #expect(Self.close(b.entropy(), "bernoulli_entropy"))
            let c = Categorical(probs: catProbs)
            #expect(Self.close(c.sample([5]), "categorical_sample"))
            #expect(Self.close(c.logProb(Tensor([2, 0])), "categorical_log_prob"))
            #expect(Self.close(c.entropy(), "categorical_entropy"))
            let u = Uniform(Tensor([0.0, -1.0] as [Float]), Tensor([1.0, 3.0] as [Float]))
            #expect(Self.close(u.sample([3]), "uniform_sample"))
            #expect(Self.close(u.logProb(Tensor([0.5, 2.0] as [Float])), "uniform_log_prob"))
            let e = Exponential(rate)
            #expect(Self.close(e.sample([3]), "exponential_sample"))
            #expect(Self.close(e.logProb(Tensor([1.0, 0.25] as [Float])), "exponential_log_prob"))
        }
    }

    @Test func klDivergencesMatchPyTorch() {
        #expect(Self.close(klDivergence(Normal(loc, scale), Normal(loc * 0.5, scale * 2)), "kl_normal"))
        #expect(Self.close(klDivergence(Bernoulli(probs: probs), Bernoulli(probs: probs.flip([0]))), "kl_bernoulli"))
        #expect(Self.close(klDivergence(Categorical(probs: catProbs), Categorical(probs: catProbs.flip([1]))), "kl_categorical"))
        #expect(Self.close(klDivergence(Exponential(rate), Exponential(rate * 3)), "kl_exponential"))
    }

    @Test func rsampleIsDifferentiable() {
        let l = loc.clone().requiresGrad_(), s = scale.clone().requiresGrad_()
        withDefaultGenerator(Generator().manualSeed(1)) { Normal(l, s).rsample([5]).sum().backward() }
        #expect(Self.close(l.grad!, "rsample_grad_loc") && Self.close(s.grad!, "rsample_grad_scale"))
    }
}
