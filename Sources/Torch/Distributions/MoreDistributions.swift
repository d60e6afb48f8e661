import Foundation

/// `Laplace(loc, scale)`: density `exp(-|x - μ| / b) / 2b` (`torch.distributions.Laplace`).
public struct Laplace: Distribution {
    /// Location (the mean and median).
    public let loc: Tensor
    /// Scale `b` (> 0).
    public let scale: Tensor
    /// Creates the distribution; the parameters broadcast.
    public init(_ loc: Tensor, _ scale: Tensor) {
        (self.loc, self.scale) = broadcastPair(loc, scale, op: "Laplace")
    }
    /// The broadcast parameter shape.
    public var batchShape: [Int] { loc.shape }
    /// ``rsample(_:)`` without recording gradients.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { noGrad { rsample(sampleShape) } }
    /// `μ - b·sign(u)·log1p(-|u|)` with `u` uniform in `[eps - 1, 1)`, drawn as PyTorch draws
    /// it: differentiable in `loc` and `scale`.
    public func rsample(_ sampleShape: [Int] = []) -> Tensor {
        let shape = extendedShape(sampleShape)
        let u = noGrad { Tensor.empty(shape, dtype: loc.dtype).uniform_(from: loc.dtype.machineEpsilon - 1, to: 1) }
        return loc.expand(shape) - scale.expand(shape) * u.sign() * (-u.abs()).log1p()
    }
    /// `-log(2b) - |x - μ| / b`.
    public func logProb(_ value: Tensor) -> Tensor { -(scale * 2).log() - (value - loc).abs() / scale }
    /// `1 + log(2b)`.
    public func entropy() -> Tensor { (scale * 2).log() + 1 }
    /// `loc`.
    public var mean: Tensor { loc }
    /// `2b²`.
    public var variance: Tensor { scale * scale * 2 }
}

/// `OneHotCategorical(probs:)` / `(logits:)`: a ``Categorical`` whose draws are one-hot
/// vectors over the last dimension (`torch.distributions.OneHotCategorical`).
public struct OneHotCategorical: Distribution {
    /// The categorical distribution of the hot position.
    public let categorical: Categorical
    /// From (unnormalised) probabilities.
    public init(probs: Tensor) { categorical = Categorical(probs: probs) }
    /// From (unnormalised) logits.
    public init(logits: Tensor) { categorical = Categorical(logits: logits) }
    /// Normalised probabilities.
    public var probs: Tensor { categorical.probs }
    /// The shape without the category dimension.
    public var batchShape: [Int] { categorical.batchShape }
    /// `oneHot(Categorical.sample)`, in the probabilities' dtype.
    public func sample(_ sampleShape: [Int] = []) -> Tensor {
        let k = probs.shape[probs.dim - 1]
        return oneHot(categorical.sample(sampleShape), numClasses: k).to(probs.dtype)
    }
    /// The categorical log-probability of each vector's hot position.
    public func logProb(_ value: Tensor) -> Tensor { categorical.logProb(value.argmax(dim: -1)) }
    /// The categorical entropy.
    public func entropy() -> Tensor { categorical.entropy() }
    /// `probs`.
    public var mean: Tensor { probs }
    /// `probs·(1 - probs)`.
    public var variance: Tensor { probs * (1 - probs) }
}

/// `Independent(base, reinterpretedBatchNdims)`: the rightmost `n` batch dimensions of `base`
/// become event dimensions, so `logProb` and `entropy` sum over them (a diagonal Gaussian as
/// one multivariate distribution) (`torch.distributions.Independent`).
public struct Independent<Base: Distribution>: Distribution {
    /// The wrapped distribution.
    public let base: Base
    /// Batch dimensions moved into the event.
    public let reinterpretedBatchNdims: Int
    /// Wraps `base`; `reinterpretedBatchNdims` may not exceed its batch rank.
    public init(_ base: Base, _ reinterpretedBatchNdims: Int) {
        guard reinterpretedBatchNdims <= base.batchShape.count else {
            torchFatal("ValueError: Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual \(reinterpretedBatchNdims) vs \(base.batchShape.count)")
        }
        self.base = base
        self.reinterpretedBatchNdims = reinterpretedBatchNdims
    }
    /// `base.batchShape` without its last `reinterpretedBatchNdims` dimensions.
    public var batchShape: [Int] { Array(base.batchShape.dropLast(reinterpretedBatchNdims)) }
    /// The base's draws.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { base.sample(sampleShape) }
    /// The base's log-probabilities summed over the reinterpreted dimensions.
    public func logProb(_ value: Tensor) -> Tensor { sumRightmost(base.logProb(value)) }
    /// The base's entropies summed over the reinterpreted dimensions.
    public func entropy() -> Tensor { sumRightmost(base.entropy()) }
    /// The base's mean.
    public var mean: Tensor { base.mean }
    /// The base's variance.
    public var variance: Tensor { base.variance }
    private func sumRightmost(_ t: Tensor) -> Tensor {
        reinterpretedBatchNdims == 0 ? t : t.sum(dims: Array((t.dim - reinterpretedBatchNdims)..<t.dim))
    }
}

/// `MultivariateNormal(loc, covarianceMatrix:)` or `(loc, scaleTril:)` over vectors of
/// `loc`'s last dimension: the covariance is factored once, `Σ = L·Lᵀ` (Cholesky)
/// (`torch.distributions.MultivariateNormal`).
public struct MultivariateNormal: Distribution {
    /// Mean vector(s), `(..., k)`.
    public let loc: Tensor
    /// Lower-triangular `L` with `Σ = L·Lᵀ`, `(k, k)`.
    public let scaleTril: Tensor
    /// From a positive-definite covariance matrix `(k, k)`.
    public init(_ loc: Tensor, covarianceMatrix: Tensor) {
        self.init(loc, scaleTril: linalg.cholesky(covarianceMatrix))
    }
    /// From the covariance's lower-triangular factor `(k, k)`.
    public init(_ loc: Tensor, scaleTril: Tensor) {
        guard loc.dim >= 1 else { torchFatal("ValueError: loc must be at least one-dimensional.") }
        let k = loc.shape[loc.dim - 1]
        guard scaleTril.dim == 2, scaleTril.shape == [k, k] else {
            torchFatal("ValueError: scale_tril must be a \(k)x\(k) matrix matching loc's last dimension, got \(scaleTril.shape)")
        }
        self.loc = loc
        self.scaleTril = scaleTril
    }
    /// `loc.shape` without the event dimension.
    public var batchShape: [Int] { Array(loc.shape.dropLast()) }
    /// The vector length `k`.
    public var eventSize: Int { loc.shape[loc.dim - 1] }
    /// ``rsample(_:)`` without recording gradients.
    public func sample(_ sampleShape: [Int] = []) -> Tensor { noGrad { rsample(sampleShape) } }
    /// `μ + L·ε` with `ε ~ N(0, I)` drawn as PyTorch draws it; differentiable in `loc` and `L`.
    public func rsample(_ sampleShape: [Int] = []) -> Tensor {
        let shape = sampleShape + loc.shape
        let eps = noGrad { Tensor.empty(shape, dtype: loc.dtype).normal_() }
        return loc + matmul(scaleTril, eps.unsqueeze(-1)).squeeze(-1)
    }
    /// `-½ (k log 2π + ‖L⁻¹(x - μ)‖²) - Σ log Lᵢᵢ`.
    public func logProb(_ value: Tensor) -> Tensor {
        let diff = value - loc
        let rows = diff.reshape([-1, eventSize])
        let whitened = linalg.solve(scaleTril, rows.t())   // (k, n)
        let mahalanobis = (whitened * whitened).sum(dim: 0).reshape(Array(diff.shape.dropLast()))
        return -0.5 * (mahalanobis + Double(eventSize) * Foundation.log(2 * Double.pi)) - halfLogDet
    }
    /// `½ k (1 + log 2π) + Σ log Lᵢᵢ`, one per batch element.
    public func entropy() -> Tensor {
        let h = halfLogDet + 0.5 * Double(eventSize) * (1 + Foundation.log(2 * Double.pi))
        return batchShape.isEmpty ? h : h.expand(batchShape)
    }
    /// `loc`.
    public var mean: Tensor { loc }
    /// The diagonal of `Σ`, `Σⱼ Lᵢⱼ²`, per batch element.
    public var variance: Tensor { (scaleTril * scaleTril).sum(dim: -1).expand(loc.shape) }
    /// The covariance `L·Lᵀ`.
    public var covarianceMatrix: Tensor { matmul(scaleTril, scaleTril.t()) }
    private var halfLogDet: Tensor { scaleTril.diagonal().log().sum() }
}
