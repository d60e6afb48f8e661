import Foundation
import Testing
@testable import Torch

/// Laplace, OneHotCategorical, Independent and MultivariateNormal against PyTorch
/// (`scripts/record-distributions.py`): seeded draws, densities, entropies, gradients.
@Suite struct MoreDistributionTests {
    static func close(_ t: Tensor, _ key: String) -> Bool { DistributionTests.close(t, key) }
    let loc = Tensor([0.5, -1.0, 2.0] as [Float]), scale = Tensor([1.0, 0.5, 2.0] as [Float])
    let value = Tensor([0.3, -0.2, 1.5] as [Float])
    let catProbs = Tensor([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]] as [[Float]])

    @Test func laplaceMatchesPyTorch() {
        let lap = Laplace(loc, scale)
        #expect(withDefaultGenerator(Generator().manualSeed(2)) { Self.close(lap.sample([4]), "laplace_sample") })
        #expect(Self.close(lap.logProb(value), "laplace_log_prob"))
        #expect(Self.close(lap.entropy(), "laplace_entropy") && Self.close(lap.variance, "laplace_variance"))
        let l = loc.clone().requiresGrad_(), s = scale.clone().requiresGrad_()
        // Seed 2 again after the sample above (the script draws its rsample after the sample).
        withDefaultGenerator(Generator().manualSeed(2)) {
            _ = Laplace(loc, scale).sample([4])
            Laplace(l, s).rsample([3]).pow(2).sum().backward()
        }
        #expect(Self.close(l.grad!, "laplace_rsample_grad_loc") && Self.close(s.grad!, "laplace_rsample_grad_scale"))
    }

    @Test func oneHotCategoricalAndIndependentMatchPyTorch() {
        let oh = OneHotCategorical(probs: catProbs)
        #expect(withDefaultGenerator(Generator().manualSeed(3)) { Self.close(oh.sample([3]), "onehot_sample") })
        #expect(Self.close(oh.logProb(Tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]] as [[Float]])), "onehot_log_prob"))
        #expect(Self.close(oh.entropy(), "onehot_entropy"))
        let ind = Independent(Normal(loc.reshape([1, 3]).expand([2, 3]), scale.reshape([1, 3]).expand([2, 3])), 1)
        #expect(ind.batchShape == [2])
        let v = value.reshape([1, 3]).expand([2, 3]) * Tensor([[1.0], [0.5]] as [[Float]])
        #expect(Self.close(ind.logProb(v), "independent_log_prob") && Self.close(ind.entropy(), "independent_entropy"))
    }

    @Test func multivariateNormalMatchesPyTorch() {
        let cov = Tensor([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]] as [[Float]])
        let mvn = MultivariateNormal(Tensor([0.5, -1.0, 0.25] as [Float]), covarianceMatrix: cov)
        #expect(Self.close(mvn.scaleTril, "mvn_scale_tril"))
        #expect(withDefaultGenerator(Generator().manualSeed(4)) { Self.close(mvn.sample([2]), "mvn_sample") })
        #expect(Self.close(mvn.logProb(Tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]] as [[Float]])), "mvn_log_prob"))
        #expect(Self.close(mvn.entropy(), "mvn_entropy"))
        #expect(allclose(mvn.covarianceMatrix, cov, atol: 1e-6))
    }
}
