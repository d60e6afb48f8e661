import Foundation

/// `Gamma(concentration, rate)`: density `βᵅ xᵅ⁻¹ e^(-βx) / Γ(α)` on x > 0
/// (`torch.distributions.Gamma`).
///
/// Draws come from ``standardGamma(_:generator:)``, PyTorch's Marsaglia–Tsang sampler on the
/// same random stream, so a seeded sample equals PyTorch's; `rsample` is differentiable in
/// both parameters (PyTorch's approximate implicit gradient for α).
public struct Gamma: Distribution {
    /// The shape α (> 0).
    public let concentration: Tensor
    /// The rate β (> 0), the inverse scale.
    public let rate: Tensor
    /// Creates the distribution; the parameters broadcast.
    public init(_ concentration: Tensor, _ rate: Tensor) {
        (self.concentration, self.rate) = broadcastPair(concentration, rate, op: "Gamma")
    }
    /// The broadcast parameter shape.
    public var batchShape: [Int] { concentration.shape }
    /// ``rsample(_:)`` without recording gradients.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { noGrad { rsample(sampleShape) } }
    /// `standardGamma(α) / β`, floored at the dtype's smallest normal number (outside the
    /// graph, as PyTorch's in-place clamp of the detached value).
    public func rsample(_ sampleShape: [Int] = []) -> Tensor {
        let shape = extendedShape(sampleShape)
        let value = standardGamma(concentration.expand(shape)) / rate.expand(shape)
        noGrad { _ = value.detach().clamp_(min: value.dtype.smallestNormal) }
        return value
    }
    /// `α log β + (α - 1) log x - βx - log Γ(α)` (with `xlogy`, so x = 0 at α = 1 is finite).
    public func logProb(_ value: Tensor) -> Tensor {
        let v = value.to(rate.dtype)
        return xlogy(concentration, rate) + xlogy(concentration - 1, v) - rate * v - lgamma(concentration)
    }
    /// `α - log β + log Γ(α) + (1 - α) ψ(α)`.
    public func entropy() -> Tensor {
        concentration - rate.log() + lgamma(concentration) + (1 - concentration) * digamma(concentration)
    }
    /// `α / β`.
    public var mean: Tensor { concentration / rate }
    /// `max((α - 1) / β, 0)`.
    public var mode: Tensor { ((concentration - 1) / rate).clamp(min: .double(0)) }
    /// `α / β²`.
    public var variance: Tensor { concentration / rate.pow(2) }
}

/// `Dirichlet(concentration)` over the simplex of the last dimension: one probability vector
/// per batch element (`torch.distributions.Dirichlet`).
///
/// Draws come from ``sampleDirichlet(_:generator:)`` (Gamma draws normalised, PyTorch's
/// stream); `rsample` is differentiable through PyTorch's `_Dirichlet` backward
/// (``dirichletGrad(_:_:_:)``).
public struct Dirichlet: Distribution {
    /// The concentrations α, `(*batch, K)`.
    public let concentration: Tensor
    /// Creates the distribution; `concentration` needs at least one dimension.
    public init(_ concentration: Tensor) {
        guard concentration.dim >= 1 else {
            torchFatal("ValueError: `concentration` parameter must be at least one-dimensional.")
        }
        self.concentration = concentration
    }
    /// The shape without the event dimension.
    public var batchShape: [Int] { Array(concentration.shape.dropLast()) }
    /// `[K]`.
    public var eventShape: [Int] { [concentration.shape[concentration.dim - 1]] }
    /// ``rsample(_:)`` without recording gradients.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { noGrad { rsample(sampleShape) } }
    /// A draw of shape `sampleShape + batchShape + [K]`, differentiable in `concentration`:
    /// the gradient of each coordinate is `∂x/∂α · (g - Σ x·g)`, as PyTorch's `_Dirichlet`.
    public func rsample(_ sampleShape: [Int] = []) -> Tensor {
        let alpha = concentration.expand(sampleShape + batchShape + eventShape)
        let x = sampleDirichlet(alpha)
        if needsGrad(alpha) {
            let savedAlpha = SavedTensor(alpha), savedX = SavedTensor(output: x, producer: "_DirichletBackward")
            record("_DirichletBackward", input: alpha, outputs: [x]) { g in
                let x = savedX.unpack(), alpha = savedAlpha.unpack()
                let total = alpha.sum(dim: -1, keepdim: true).expand(alpha.shape)
                let grad = noGrad { dirichletGrad(x, alpha, total) }
                return [grad * (g[0]! - (x * g[0]!).sum(dim: -1, keepdim: true))]
            }
        }
        return x
    }
    /// `Σ (αᵢ - 1) log xᵢ + log Γ(Σ αᵢ) - Σ log Γ(αᵢ)`.
    public func logProb(_ value: Tensor) -> Tensor {
        xlogy(concentration - 1, value).sum(dim: -1) + lgamma(concentration.sum(dim: -1))
            - lgamma(concentration).sum(dim: -1)
    }
    /// `Σ log Γ(αᵢ) - log Γ(α₀) - (K - α₀) ψ(α₀) - Σ (αᵢ - 1) ψ(αᵢ)`, α₀ = Σ αᵢ.
    public func entropy() -> Tensor {
        let k = Double(concentration.shape[concentration.dim - 1])
        let a0 = concentration.sum(dim: -1)
        return lgamma(concentration).sum(dim: -1) - lgamma(a0) - (k - a0) * digamma(a0)
            - ((concentration - 1) * digamma(concentration)).sum(dim: -1)
    }
    /// `α / Σ α`.
    public var mean: Tensor { concentration / concentration.sum(dim: -1, keepdim: true) }
    /// `(α - 1)₊ / Σ (α - 1)₊`; where every αᵢ < 1, the one-hot vector of the first maximum
    /// of that (NaN) ratio, as PyTorch computes it.
    public var mode: Tensor {
        let shifted = (concentration - 1).clamp(min: .double(0))
        let ratio = shifted / shifted.sum(dim: -1, keepdim: true)
        let allBelowOne = (concentration .< 1).all(dim: -1).unsqueeze(-1)
        let hot = oneHot(ratio.argmax(dim: -1), numClasses: concentration.shape[concentration.dim - 1]).to(ratio.dtype)
        return Torch.where(allBelowOne, hot, ratio)
    }
    /// `αᵢ (α₀ - αᵢ) / (α₀² (α₀ + 1))`.
    public var variance: Tensor {
        let con0 = concentration.sum(dim: -1, keepdim: true)
        return concentration * (con0 - concentration) / (con0.pow(2) * (con0 + 1))
    }
}

/// `Beta(concentration1, concentration0)` on (0, 1): the first coordinate of a two-category
/// ``Dirichlet`` with concentrations `[α, β]` (PyTorch builds it so, and draws it so)
/// (`torch.distributions.Beta`).
public struct Beta: Distribution {
    /// The Dirichlet over `[x, 1 - x]`.
    public let dirichlet: Dirichlet
    /// Creates the distribution; the parameters broadcast.
    public init(_ concentration1: Tensor, _ concentration0: Tensor) {
        let (c1, c0) = broadcastPair(concentration1, concentration0, op: "Beta")
        dirichlet = Dirichlet(stack([c1, c0], dim: -1))
    }
    /// α (the exponent of x).
    public var concentration1: Tensor { dirichlet.concentration.select(-1, 0) }
    /// β (the exponent of 1 - x).
    public var concentration0: Tensor { dirichlet.concentration.select(-1, 1) }
    /// The broadcast parameter shape.
    public var batchShape: [Int] { dirichlet.batchShape }
    /// ``rsample(_:)`` without recording gradients.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { noGrad { rsample(sampleShape) } }
    /// The first coordinate of the Dirichlet draw, differentiable in both parameters.
    public func rsample(_ sampleShape: [Int] = []) -> Tensor { dirichlet.rsample(sampleShape).select(-1, 0) }
    /// The Dirichlet log density of `[x, 1 - x]`.
    public func logProb(_ value: Tensor) -> Tensor { dirichlet.logProb(stack([value, 1 - value], dim: -1)) }
    /// The Dirichlet entropy.
    public func entropy() -> Tensor { dirichlet.entropy() }
    /// `α / (α + β)`.
    public var mean: Tensor { concentration1 / (concentration1 + concentration0) }
    /// The Dirichlet mode's first coordinate.
    public var mode: Tensor { dirichlet.mode.select(-1, 0) }
    /// `αβ / ((α + β)² (α + β + 1))`.
    public var variance: Tensor {
        let total = concentration1 + concentration0
        return concentration1 * concentration0 / (total.pow(2) * (total + 1))
    }
}

/// `KL(p ‖ q)` for the pairs PyTorch registers among Gamma, Beta, Dirichlet and the other
/// distributions here, or `nil` when the pair is not one of them.
func gammaFamilyKL(_ p: any Distribution, _ q: any Distribution) -> Tensor? {
    func infinite(_ like: Tensor) -> Tensor { Tensor.fullLike(like, .double(.infinity)) }
    func xLogX(_ t: Tensor) -> Tensor { xlogy(t, t) }
    func setInfinite(_ t: Tensor, where mask: Tensor) -> Tensor {
        let shape = broadcastShapes(t.shape, mask.shape)
        return Torch.where(mask.expand(shape), Tensor.full([], .double(.infinity), dtype: t.dtype), t.expand(shape))
    }
    switch (p, q) {
    case let (p as Gamma, q as Gamma):
        let t1 = q.concentration * (p.rate / q.rate).log()
        let t2 = lgamma(q.concentration) - lgamma(p.concentration)
        let t3 = (p.concentration - q.concentration) * digamma(p.concentration)
        let t4 = (q.rate - p.rate) * (p.concentration / p.rate)
        return t1 + t2 + t3 + t4
    case let (p as Beta, q as Beta):
        let sumP = p.concentration1 + p.concentration0, sumQ = q.concentration1 + q.concentration0
        let t1 = q.concentration1.lgamma() + q.concentration0.lgamma() + sumP.lgamma()
        let t2 = p.concentration1.lgamma() + p.concentration0.lgamma() + sumQ.lgamma()
        let t3 = (p.concentration1 - q.concentration1) * digamma(p.concentration1)
        let t4 = (p.concentration0 - q.concentration0) * digamma(p.concentration0)
        let t5 = (sumQ - sumP) * digamma(sumP)
        return t1 - t2 + t3 + t4 + t5
    case let (p as Dirichlet, q as Dirichlet):
        let sumP = p.concentration.sum(dim: -1), sumQ = q.concentration.sum(dim: -1)
        let t1 = sumP.lgamma() - sumQ.lgamma()
        let t2 = (p.concentration.lgamma() - q.concentration.lgamma()).sum(dim: -1)
        let t3 = p.concentration - q.concentration
        let t4 = p.concentration.digamma() - sumP.digamma().unsqueeze(-1)
        return t1 - t2 + (t3 * t4).sum(dim: -1)
    case let (p as Gamma, _ as Beta), let (p as Gamma, _ as Uniform):
        return infinite(p.concentration)
    case let (p as Gamma, q as Exponential):
        return -p.entropy() - q.rate.log() + q.rate * p.concentration / p.rate
    case let (p as Gamma, q as Normal):
        let varNormal = q.scale.pow(2), betaSquared = p.rate.pow(2)
        let t1 = 0.5 * (betaSquared * varNormal * 2 * Double.pi).log() - p.concentration - p.concentration.lgamma()
        let t2 = 0.5 * (p.concentration.pow(2) + p.concentration) / betaSquared
        let t3 = q.loc * p.concentration / p.rate
        let t4 = 0.5 * q.loc.pow(2)
        return t1 + (p.concentration - 1) * p.concentration.digamma() + (t2 - t3 + t4) / varNormal
    case let (p as Exponential, q as Gamma):
        let ratio = q.rate / p.rate
        let t1 = -q.concentration * ratio.log()
        return t1 + ratio + q.concentration.lgamma() + q.concentration * eulerGamma - (1 + eulerGamma)
    case let (p as Beta, q as Exponential):
        return -p.entropy() - q.rate.log() + q.rate * (p.concentration1 / (p.concentration1 + p.concentration0))
    case let (p as Beta, q as Gamma):
        let t1 = -p.entropy()
        let t2 = q.concentration.lgamma() - q.concentration * q.rate.log()
        let t3 = (q.concentration - 1) * (p.concentration1.digamma() - (p.concentration1 + p.concentration0).digamma())
        let t4 = q.rate * p.concentration1 / (p.concentration1 + p.concentration0)
        return t1 + t2 - t3 + t4
    case let (p as Beta, q as Normal):
        let meanBeta = p.concentration1 / (p.concentration1 + p.concentration0)
        let varNormal = q.scale.pow(2)
        let t1 = -p.entropy()
        let t2 = 0.5 * (varNormal * 2 * Double.pi).log()
        let t3 = (meanBeta * (1 - meanBeta) / (p.concentration1 + p.concentration0 + 1) + meanBeta.pow(2)) * 0.5
        let t4 = q.loc * meanBeta
        let t5 = q.loc.pow(2) * 0.5
        return t1 + t2 + (t3 - t4 + t5) / varNormal
    case let (p as Beta, q as Uniform):
        let result = -p.entropy() + (q.high - q.low).log()
        return setInfinite(result, where: (q.low .> 0) .| (q.high .< 1))
    case let (p as Uniform, q as Beta):
        let common = p.high - p.low
        let t1 = common.log()
        let t2 = (q.concentration1 - 1) * (xLogX(p.high) - xLogX(p.low) - common) / common
        let t3 = (q.concentration0 - 1) * (xLogX(1 - p.high) - xLogX(1 - p.low) + common) / common
        let t4 = q.concentration1.lgamma() + q.concentration0.lgamma() - (q.concentration1 + q.concentration0).lgamma()
        return setInfinite(t3 + t4 - t1 - t2, where: (p.high .> 1) .| (p.low .< 0))
    case let (p as Uniform, q as Gamma):
        let common = p.high - p.low
        let t1 = common.log()
        let t2 = q.concentration.lgamma() - q.concentration * q.rate.log()
        let t3 = (1 - q.concentration) * (xLogX(p.high) - xLogX(p.low) - common) / common
        let t4 = q.rate * (p.high + p.low) / 2
        return setInfinite(-t1 + t2 + t3 + t4, where: p.low .< 0)
    default:
        return nil
    }
}

/// The Euler–Mascheroni constant γ.
private let eulerGamma = 0.57721566490153286060
