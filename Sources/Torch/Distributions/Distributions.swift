import Foundation

/// Probability distributions (`torch.distributions`): `Normal`, `Uniform`, `Exponential`,
/// `Bernoulli`, `Categorical`, with `sample` (drawn as PyTorch draws, so a seeded program
/// gets PyTorch's numbers), `rsample` where the distribution is reparameterisable
/// (differentiable in its parameters), `logProb`, `entropy`, `mean`, `variance`, and
/// `klDivergence` for the pairs registered here. Parameters broadcast together; `sample`
/// prepends `sampleShape`.
public protocol Distribution {
    /// The shape of one draw (the broadcast parameter shape).
    var batchShape: [Int] { get }
    /// Draws without recording gradients.
    func sample(_ sampleShape: [Int]) -> Tensor
    /// The log density (or mass) of `value`.
    func logProb(_ value: Tensor) -> Tensor
    /// The entropy per batch element.
    func entropy() -> Tensor
    /// The mean per batch element.
    var mean: Tensor { get }
    /// The variance per batch element.
    var variance: Tensor { get }
}

extension Distribution {
    /// The standard deviation.
    public var stddev: Tensor { variance.sqrt() }
    /// `sampleShape + batchShape`.
    func extendedShape(_ sampleShape: [Int]) -> [Int] { sampleShape + batchShape }
}

/// `Normal(loc, scale)` (`torch.distributions.Normal`).
public struct Normal: Distribution {
    /// Mean.
    public let loc: Tensor
    /// Standard deviation (> 0).
    public let scale: Tensor
    /// Creates the distribution; the parameters broadcast.
    public init(_ loc: Tensor, _ scale: Tensor) {
        (self.loc, self.scale) = broadcastPair(loc, scale, op: "Normal")
    }
    /// The broadcast parameter shape.
    public var batchShape: [Int] { loc.shape }
    /// `torch.normal(loc, scale)` expanded to the sample shape.
    public func sample(_ sampleShape: [Int] = []) -> Tensor {
        noGrad {
            let shape = extendedShape(sampleShape)
            return Tensor.empty(shape, dtype: loc.dtype).normal_() * scale.expand(shape) + loc.expand(shape)
        }
    }
    /// `loc + ε·scale` with ε ~ N(0, 1): differentiable in `loc` and `scale`.
    public func rsample(_ sampleShape: [Int] = []) -> Tensor {
        let shape = extendedShape(sampleShape)
        let eps = noGrad { Tensor.empty(shape, dtype: loc.dtype).normal_() }
        return loc.expand(shape) + eps * scale.expand(shape)
    }
    /// `-((x - μ)² / 2σ²) - log σ - log √(2π)`.
    public func logProb(_ value: Tensor) -> Tensor {
        let variance = scale * scale
        return -((value - loc) * (value - loc)) / (variance * 2) - scale.log() - Foundation.log((2 * Double.pi).squareRoot())
    }
    /// `½ + ½ log(2π) + log σ`.
    public func entropy() -> Tensor { scale.log() + (0.5 + 0.5 * Foundation.log(2 * Double.pi)) }
    /// `loc`.
    public var mean: Tensor { loc }
    /// `scale²`.
    public var variance: Tensor { scale * scale }
}

/// `Uniform(low, high)` (`torch.distributions.Uniform`).
public struct Uniform: Distribution {
    /// Lower bound (inclusive).
    public let low: Tensor
    /// Upper bound (exclusive).
    public let high: Tensor
    /// Creates the distribution; the parameters broadcast.
    public init(_ low: Tensor, _ high: Tensor) {
        (self.low, self.high) = broadcastPair(low, high, op: "Uniform")
    }
    /// The broadcast parameter shape.
    public var batchShape: [Int] { low.shape }
    /// `low + rand · (high - low)`, unrecorded.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { noGrad { rsample(sampleShape) } }
    /// `low + rand · (high - low)`: differentiable in the bounds.
    public func rsample(_ sampleShape: [Int] = []) -> Tensor {
        let shape = extendedShape(sampleShape)
        let u = Tensor.rand(shape, dtype: low.dtype)
        return low.expand(shape) + u * (high - low).expand(shape)
    }
    /// `-log(high - low)` inside the support, `-inf` outside.
    public func logProb(_ value: Tensor) -> Tensor {
        let inside = noGrad { (value .>= low) .& (value .< high) }
        return inside.to(low.dtype).log() - (high - low).log()
    }
    /// `log(high - low)`.
    public func entropy() -> Tensor { (high - low).log() }
    /// The midpoint.
    public var mean: Tensor { (high + low) / 2 }
    /// `(high - low)² / 12`.
    public var variance: Tensor { (high - low) * (high - low) / 12 }
}

/// `Exponential(rate)` (`torch.distributions.Exponential`).
public struct Exponential: Distribution {
    /// The rate λ (> 0).
    public let rate: Tensor
    /// Creates the distribution.
    public init(_ rate: Tensor) { self.rate = rate }
    /// The parameter shape.
    public var batchShape: [Int] { rate.shape }
    /// `exponential_() / rate`, unrecorded.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { noGrad { rsample(sampleShape) } }
    /// `Exp(1) / rate`: differentiable in `rate`.
    public func rsample(_ sampleShape: [Int] = []) -> Tensor {
        let shape = extendedShape(sampleShape)
        return noGrad { Tensor.empty(shape, dtype: rate.dtype).exponential_() } / rate.expand(shape)
    }
    /// `log λ - λx`.
    public func logProb(_ value: Tensor) -> Tensor { rate.log() - rate * value }
    /// `1 - log λ`.
    public func entropy() -> Tensor { 1 - rate.log() }
    /// `1 / λ`.
    public var mean: Tensor { 1 / rate }
    /// `1 / λ²`.
    public var variance: Tensor { 1 / (rate * rate) }
}

/// `Bernoulli(probs:)` or `Bernoulli(logits:)` (`torch.distributions.Bernoulli`).
public struct Bernoulli: Distribution {
    /// The probability of 1.
    public let probs: Tensor
    /// `log(p / (1 - p))`.
    public let logits: Tensor
    /// From probabilities.
    public init(probs: Tensor) {
        self.probs = probs
        // PyTorch's probs_to_logits(is_binary=True): clamped into (eps, 1 - eps) with the eps
        // of the probabilities' own dtype (float64 keeps probabilities float32 would round
        // to 0 or 1), then log p - log1p(-p).
        let eps = probs.dtype.machineEpsilon
        let clamped = probs.clamp(min: .double(eps), max: .double(1 - eps))
        logits = clamped.log() - (-clamped).log1p()
    }
    /// From logits.
    public init(logits: Tensor) {
        self.logits = logits
        probs = logits.sigmoid()
    }
    /// The parameter shape.
    public var batchShape: [Int] { probs.shape }
    /// `torch.bernoulli(probs)` expanded.
    public func sample(_ sampleShape: [Int] = []) -> Tensor {
        noGrad { bernoulli(probs.expand(extendedShape(sampleShape)).contiguous()) }
    }
    /// `-BCEWithLogits(logits, value)`.
    public func logProb(_ value: Tensor) -> Tensor { -binaryCrossEntropyWithLogits(logits, value, reduction: .none) }
    /// `BCEWithLogits(logits, probs)`.
    public func entropy() -> Tensor { binaryCrossEntropyWithLogits(logits, probs, reduction: .none) }
    /// `p`.
    public var mean: Tensor { probs }
    /// `p(1 - p)`.
    public var variance: Tensor { probs * (1 - probs) }
}

/// `Categorical(probs:)` or `Categorical(logits:)` over the last dimension
/// (`torch.distributions.Categorical`).
public struct Categorical: Distribution {
    /// Normalised probabilities.
    public let probs: Tensor
    /// Normalised log-probabilities.
    public let logits: Tensor
    /// From (unnormalised) probabilities.
    public init(probs: Tensor) {
        self.probs = probs / probs.sum(dim: -1, keepdim: true)
        // PyTorch's probs_to_logits: clamped into (eps, 1 - eps) of the dtype, so a
        // probability of 0 or 1 has a finite log and the clamp's gradient is PyTorch's.
        let eps = probs.dtype.machineEpsilon
        logits = self.probs.clamp(min: .double(eps), max: .double(1 - eps)).log()
    }
    /// From (unnormalised) logits.
    public init(logits: Tensor) {
        self.logits = logits - logits.logsumexp(dim: -1, keepdim: true)
        probs = self.logits.exp()
    }
    /// The shape without the category dimension.
    public var batchShape: [Int] { Array(probs.shape.dropLast()) }
    /// `torch.multinomial(probs_2d, n, replacement: true).T`, reshaped, as PyTorch draws.
    public func sample(_ sampleShape: [Int] = []) -> Tensor {
        noGrad {
            let n = sampleShape.reduce(1, *), k = probs.shape[probs.dim - 1]
            let flat = probs.reshape([-1, k])
            return flat.multinomial(numSamples: n, replacement: true).t().reshape(extendedShape(sampleShape))
        }
    }
    /// `logits[value]`.
    public func logProb(_ value: Tensor) -> Tensor {
        let shape = broadcastShapes(value.shape, batchShape)
        let l = logits.expand(shape + [logits.shape[logits.dim - 1]])
        return l.gather(-1, value.expand(shape).unsqueeze(-1)).squeeze(-1)
    }
    /// `-Σ p log p`.
    public func entropy() -> Tensor { -(probs * logits).sum(dim: -1) }
    /// Undefined for categories (NaN, as PyTorch).
    public var mean: Tensor { Tensor.full(batchShape, .double(.nan), dtype: probs.dtype) }
    /// Undefined for categories (NaN, as PyTorch).
    public var variance: Tensor { Tensor.full(batchShape, .double(.nan), dtype: probs.dtype) }
}

/// `KL(p ‖ q)` for the pairs PyTorch registers that exist here: Normal–Normal,
/// Bernoulli–Bernoulli, Categorical–Categorical, Exponential–Exponential, Uniform–Uniform,
/// and among Gamma, Beta, Dirichlet and those: Gamma–Gamma, Beta–Beta, Dirichlet–Dirichlet,
/// Gamma–Beta and Gamma–Uniform (infinite), Gamma–Exponential, Gamma–Normal,
/// Exponential–Gamma, Beta–Exponential, Beta–Gamma, Beta–Normal, Beta–Uniform, Uniform–Beta,
/// Uniform–Gamma (`torch.distributions.kl.kl_divergence`).
public func klDivergence(_ p: any Distribution, _ q: any Distribution) -> Tensor {
    switch (p, q) {
    case let (p as Normal, q as Normal):
        let varRatio = (p.scale / q.scale) * (p.scale / q.scale)
        let t1 = ((p.loc - q.loc) / q.scale) * ((p.loc - q.loc) / q.scale)
        return (varRatio + t1 - 1 - varRatio.log()) * 0.5
    case let (p as Bernoulli, q as Bernoulli):
        let t1 = p.probs * (softplus(-q.logits) - softplus(-p.logits))
        let t2 = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
        return t1 + t2
    case let (p as Categorical, q as Categorical):
        return (p.probs * (p.logits - q.logits)).sum(dim: -1)
    case let (p as Exponential, q as Exponential):
        let ratio = q.rate / p.rate
        return ratio - ratio.log() - 1
    case let (p as Uniform, q as Uniform):
        let inside = noGrad { (q.low .<= p.low) .& (q.high .>= p.high) }
        let kl = ((q.high - q.low) / (p.high - p.low)).log()
        return `where`(inside, kl, Tensor.full([], .double(.infinity), dtype: kl.dtype))
    default:
        if let kl = gammaFamilyKL(p, q) { return kl }
        torchFatal("NotImplementedError: No KL(p || q) is implemented for \(type(of: p)) and \(type(of: q))")
    }
}
