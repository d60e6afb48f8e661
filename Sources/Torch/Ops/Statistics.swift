/// Spread and size: `var` and `std` (with Bessel's `correction`, 1 by default, as
/// PyTorch's `unbiased=True`) and vector norms (`norm(p:)`: 2, 1, ±inf, 0, "fro", any p).
/// All of them need a floating tensor, as in PyTorch.

/// `var` or `std` over `dims` (all when empty).
private func variance(_ x: Tensor, dims: [Int], correction: Double, keepdim: Bool, takeSqrt: Bool) -> Tensor {
    guard x.dtype.isFloatingPoint else {
        torchFatal("NotImplementedError: std and var only support floating point and complex dtypes")
    }
    let set = reductionDims(dims, rank: x.dim)
    let out = reductionOutput(x, dims: set, keepdim: keepdim, dtype: x.dtype)
    varianceKernel(x, dims: set, correction: correction, takeSqrt: takeSqrt, into: out)
    if needsGrad(x) {
        let name = takeSqrt ? "StdBackward0" : "VarBackward0"
        let sx = SavedTensor(x), so = SavedTensor(output: out, producer: name)
        let shape = x.shape
        let n = x.dim == 0 ? 1 : set.reduce(1) { $0 * shape[$1] }
        record(name, input: x, outputs: [out]) { g in
            let v = sx.unpack()
            let centered = v - v.mean(dims: Array(set), keepdim: true)
            var grad = expandReduced(g[0]!, to: shape, dims: set, keepdim: keepdim) * centered * (2.0 / (Double(n) - correction))
            if takeSqrt { grad = grad / (2.0 * expandReduced(so.unpack(), to: shape, dims: set, keepdim: keepdim)) }
            return [grad]
        }
    }
    return out
}

extension Tensor {
    /// The variance of all elements, dividing by `n - correction` (`x.var()`,
    /// `x.var(correction: 0)` for the population variance) (`torch.Tensor.var`).
    public func `var`(correction: some ScalarConvertible = 1) -> Tensor {
        let correction = correction.scalarValue.doubleValue
        return variance(self, dims: [], correction: correction, keepdim: false, takeSqrt: false)
    }

    /// The variance along `dim` (`torch.Tensor.var`).
    public func `var`(dim: Int, correction: some ScalarConvertible = 1, keepdim: Bool = false) -> Tensor {
        let correction = correction.scalarValue.doubleValue
        return variance(self, dims: [dim], correction: correction, keepdim: keepdim, takeSqrt: false)
    }

    /// The variance over several dims (all when empty) (`torch.Tensor.var`).
    public func `var`(dims: [Int], correction: some ScalarConvertible = 1, keepdim: Bool = false) -> Tensor {
        let correction = correction.scalarValue.doubleValue
        return variance(self, dims: dims, correction: correction, keepdim: keepdim, takeSqrt: false)
    }

    /// The variance with PyTorch's older flag: `unbiased` divides by `n - 1`, else by `n`
    /// (`torch.Tensor.var`).
    public func `var`(dims: [Int] = [], unbiased: Bool, keepdim: Bool = false) -> Tensor {
        variance(self, dims: dims, correction: unbiased ? 1 : 0, keepdim: keepdim, takeSqrt: false)
    }

    /// The standard deviation of all elements (`x.std()`), dividing by `n - correction`
    /// (`torch.Tensor.std`).
    public func std(correction: some ScalarConvertible = 1) -> Tensor {
        let correction = correction.scalarValue.doubleValue
        return variance(self, dims: [], correction: correction, keepdim: false, takeSqrt: true)
    }

    /// The standard deviation along `dim` (`torch.Tensor.std`).
    public func std(dim: Int, correction: some ScalarConvertible = 1, keepdim: Bool = false) -> Tensor {
        let correction = correction.scalarValue.doubleValue
        return variance(self, dims: [dim], correction: correction, keepdim: keepdim, takeSqrt: true)
    }

    /// The standard deviation over several dims (all when empty) (`torch.Tensor.std`).
    public func std(dims: [Int], correction: some ScalarConvertible = 1, keepdim: Bool = false) -> Tensor {
        let correction = correction.scalarValue.doubleValue
        return variance(self, dims: dims, correction: correction, keepdim: keepdim, takeSqrt: true)
    }

    /// The standard deviation with PyTorch's older `unbiased` flag (`torch.Tensor.std`).
    public func std(dims: [Int] = [], unbiased: Bool, keepdim: Bool = false) -> Tensor {
        variance(self, dims: dims, correction: unbiased ? 1 : 0, keepdim: keepdim, takeSqrt: true)
    }
}

/// `x.var(correction:)` as a free function (`torch.var`).
public func `var`(_ x: Tensor, dims: [Int] = [], correction: some ScalarConvertible = 1,
                  keepdim: Bool = false) -> Tensor {
    let correction = correction.scalarValue.doubleValue
    return x.var(dims: dims, correction: correction, keepdim: keepdim)
}
/// `x.var(dim:correction:keepdim:)` as a free function (`torch.var`).
public func `var`(_ x: Tensor, dim: Int, correction: some ScalarConvertible = 1, keepdim: Bool = false) -> Tensor {
    let correction = correction.scalarValue.doubleValue
    return x.var(dim: dim, correction: correction, keepdim: keepdim)
}
/// `x.std(correction:)` as a free function (`torch.std`).
public func std(_ x: Tensor, dims: [Int] = [], correction: some ScalarConvertible = 1,
                keepdim: Bool = false) -> Tensor {
    let correction = correction.scalarValue.doubleValue
    return x.std(dims: dims, correction: correction, keepdim: keepdim)
}
/// `x.std(dim:correction:keepdim:)` as a free function (`torch.std`).
public func std(_ x: Tensor, dim: Int, correction: some ScalarConvertible = 1, keepdim: Bool = false) -> Tensor {
    let correction = correction.scalarValue.doubleValue
    return x.std(dim: dim, correction: correction, keepdim: keepdim)
}

/// A vector norm of order `p` over `dims` (all when empty).
private func vectorNorm(_ x: Tensor, p: Double, dims: [Int], keepdim: Bool, dtype: DType?) -> Tensor {
    guard x.dtype.isFloatingPoint else {
        torchFatal("NotImplementedError: linalg.vector_norm: Expected a floating point or complex tensor as input. Got \(x.dtype.scalarTypeName)")
    }
    let input = dtype.map { x.converted(to: $0) } ?? x
    let set = reductionDims(dims, rank: input.dim)
    if p.isInfinite && input.numel == 0 {
        // The max and min of nothing have no value.
        let name = p > 0 ? "inf" : "-inf"
        if dims.isEmpty {
            torchFatal("RuntimeError: linalg.vector_norm cannot compute the \(name) norm on an empty tensor because the operation does not have an identity")
        }
        for d in set.sorted() where input.dim > 0 && input.shape[d] == 0 {
            torchFatal("RuntimeError: linalg.vector_norm cannot compute the \(name) norm on the dimension \(d) because this dimension is empty and the operation does not have an identity")
        }
    }
    let out = reductionOutput(input, dims: set, keepdim: keepdim, dtype: input.dtype)
    normKernel(input, order: NormOrder(p), dims: set, into: out)
    if needsGrad(x) {
        let sx = SavedTensor(input), so = SavedTensor(output: out, producer: "LinalgVectorNormBackward0")
        let shape = input.shape, sourceType = x.dtype
        record("LinalgVectorNormBackward0", input: x, outputs: [out]) { g in
            let v = sx.unpack()
            let n = expandReduced(so.unpack(), to: shape, dims: set, keepdim: keepdim)
            let grad = expandReduced(g[0]!, to: shape, dims: set, keepdim: keepdim)
            let dx: Tensor
            if p == 2 {
                dx = grad * Torch.where(n .== 0.0, 0.0, v / n)
            } else if p == 1 {
                dx = grad * sign(v)
            } else if p.isInfinite {
                let hits = (abs(v) .== n).to(v.dtype)
                let count = expandReduced(hits.sum(dims: Array(set), keepdim: keepdim), to: shape, dims: set, keepdim: keepdim)
                dx = grad * sign(v) * hits / count
            } else if p == 0 {
                dx = Tensor.zerosLike(v)
            } else {
                dx = grad * Torch.where(n .== 0.0, 0.0, v * pow(abs(v), .double(p - 2)) / pow(n, .double(p - 1)))
            }
            return [dx.to(sourceType)]
        }
    }
    return out
}

extension Tensor {
    /// The `p`-norm over `dims` (all when empty): 2 (Euclidean, the default), 1, `.infinity`
    /// (largest magnitude), `-.infinity` (smallest), 0 (count of non-zeros), or any other
    /// `p` as `(Σ|x|^p)^(1/p)` (`x.norm()`, `x.norm(p: 1, dim: 1)`, `torch.Tensor.norm`).
    public func norm(p: some ScalarConvertible = 2, dims: [Int] = [], keepdim: Bool = false,
                     dtype: DType? = nil) -> Tensor {
        let p = p.scalarValue.doubleValue
        return vectorNorm(self, p: p, dims: dims, keepdim: keepdim, dtype: dtype)
    }

    /// The `p`-norm along `dim` (`torch.Tensor.norm`).
    public func norm(p: some ScalarConvertible = 2, dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        let p = p.scalarValue.doubleValue
        return vectorNorm(self, p: p, dims: [dim], keepdim: keepdim, dtype: dtype)
    }

    /// A named norm: `"fro"` (Frobenius: the 2-norm over `dims`). `"nuc"` needs a singular
    /// value decomposition, which SwiftTorch does not have yet (`torch.Tensor.norm`).
    public func norm(p: String, dims: [Int] = [], keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        switch p {
        case "fro":
            if dims.count > 2 {
                torchFatal("RuntimeError: linalg.matrix_norm: dim must be a 2-tuple. Got \(dims.map(String.init).joined(separator: " "))")
            }
            return vectorNorm(self, p: 2, dims: dims, keepdim: keepdim, dtype: dtype)
        case "nuc":
            torchFatal("RuntimeError: norm(p: \"nuc\") is not supported yet (it needs an SVD)")
        default:
            torchFatal("RuntimeError: linalg.matrix_norm: Order \(p) not supported.")
        }
    }
}

/// `x.norm(p:dims:keepdim:)` as a free function (`torch.norm`).
public func norm(_ x: Tensor, p: some ScalarConvertible = 2, dims: [Int] = [], keepdim: Bool = false,
                 dtype: DType? = nil) -> Tensor {
    let p = p.scalarValue.doubleValue
    return x.norm(p: p, dims: dims, keepdim: keepdim, dtype: dtype)
}
/// `x.norm(p:dim:keepdim:)` as a free function (`torch.norm`).
public func norm(_ x: Tensor, p: some ScalarConvertible = 2, dim: Int, keepdim: Bool = false,
                 dtype: DType? = nil) -> Tensor {
    let p = p.scalarValue.doubleValue
    return x.norm(p: p, dim: dim, keepdim: keepdim, dtype: dtype)
}

extension Tensor {
    /// `x.norm(2, 1, keepdim=True)`: the order and the dimension by position (`torch.Tensor.norm`).
    public func norm(_ p: some ScalarConvertible, _ dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        norm(p: p, dim: dim, keepdim: keepdim, dtype: dtype)
    }
}
