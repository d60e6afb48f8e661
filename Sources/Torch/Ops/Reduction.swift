/// Reductions: `sum`, `mean` (more come with the reductions work). Each reduces over all
/// elements or the given dims, with `keepdim`, and records its derivative.

/// Normalises and deduplicates reduction dims (empty means all).
func reductionDims(_ dims: [Int], rank: Int) -> Set<Int> {
    if dims.isEmpty { return Set(0..<rank) }
    var out = Set<Int>()
    for d in dims {
        let n = normalizeDim(d, rank: rank)
        guard out.insert(n).inserted else {
            torchFatal("RuntimeError: dim \(n) appears multiple times in the list of dims")
        }
    }
    return out
}

/// The dtype `sum` gives: integers and booleans widen to `int64`.
private func sumDtype(_ t: Tensor, _ dtype: DType?) -> DType {
    dtype ?? (t.dtype.isFloatingPoint ? t.dtype : .int64)
}

/// The gradient of a reduction broadcast back over the reduced dims.
func expandReduced(_ g: Tensor, to shape: [Int], dims: Set<Int>, keepdim: Bool) -> Tensor {
    let kept = keepdim ? g : g.reshape(reducedShape(shape, dims: dims, keepdim: true))
    return kept.expand(shape)
}

extension Tensor {
    /// The sum of all elements, a 0-d tensor (`x.sum()`, `torch.Tensor.sum`).
    public func sum(dtype: DType? = nil) -> Tensor { sum(dims: [], keepdim: false, dtype: dtype) }

    /// The sum over `dim` (`x.sum(dim: 1, keepdim: true)`, `torch.Tensor.sum`).
    public func sum(dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        sum(dims: [dim], keepdim: keepdim, dtype: dtype)
    }

    /// The sum over several dims (all when empty) (`torch.Tensor.sum`).
    public func sum(dims: [Int], keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        let set = reductionDims(dims, rank: dim)
        let out = reduceSum(converted(to: sumDtype(self, dtype).isFloatingPoint ? sumDtype(self, dtype) : self.dtype),
                            dims: dim == 0 ? [] : set, keepdim: keepdim, dtype: sumDtype(self, dtype))
        if needsGrad(self) {
            let shape = self.shape, inputType = self.dtype
            record(dims.isEmpty ? "SumBackward0" : "SumBackward1", input: self, outputs: [out]) { g in
                [expandReduced(g[0]!, to: shape, dims: set, keepdim: keepdim).to(inputType)]
            }
        }
        return out
    }

    /// The mean of all elements (`x.mean()`); fails for integer tensors, as in PyTorch
    /// (`torch.Tensor.mean`).
    public func mean(dtype: DType? = nil) -> Tensor { mean(dims: [], keepdim: false, dtype: dtype) }

    /// The mean over `dim` (`torch.Tensor.mean`).
    public func mean(dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        mean(dims: [dim], keepdim: keepdim, dtype: dtype)
    }

    /// The mean over several dims (all when empty) (`torch.Tensor.mean`).
    public func mean(dims: [Int], keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        let dt = dtype ?? self.dtype
        guard dt.isFloatingPoint else {
            torchFatal("RuntimeError: mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(self.dtype.scalarTypeName)")
        }
        let set = reductionDims(dims, rank: dim)
        let count = dim == 0 ? 1 : set.reduce(1) { $0 * shape[$1] }
        let out = noGrad { converted(to: dt).sum(dims: dims, keepdim: keepdim) / Double(count) }
        if needsGrad(self) {
            let shape = self.shape, inputType = self.dtype
            record(dims.isEmpty ? "MeanBackward0" : "MeanBackward1", input: self, outputs: [out]) { g in
                [(expandReduced(g[0]!, to: shape, dims: set, keepdim: keepdim) / Double(count)).to(inputType)]
            }
        }
        return out
    }
}

/// `x.sum()` as a free function (`torch.sum`).
public func sum(_ x: Tensor, dtype: DType? = nil) -> Tensor { x.sum(dtype: dtype) }
/// `x.sum(dim:keepdim:)` as a free function (`torch.sum`).
public func sum(_ x: Tensor, dim: Int, keepdim: Bool = false) -> Tensor { x.sum(dim: dim, keepdim: keepdim) }
/// `x.mean()` as a free function (`torch.mean`).
public func mean(_ x: Tensor) -> Tensor { x.mean() }
/// `x.mean(dim:keepdim:)` as a free function (`torch.mean`).
public func mean(_ x: Tensor, dim: Int, keepdim: Bool = false) -> Tensor { x.mean(dim: dim, keepdim: keepdim) }

extension Tensor {
    /// `x.mean(1)`: the mean over `dim`, given by position as PyTorch allows (`torch.Tensor.mean`).
    public func mean(_ dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        mean(dim: dim, keepdim: keepdim, dtype: dtype)
    }
}
