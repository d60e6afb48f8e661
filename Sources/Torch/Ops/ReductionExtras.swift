/// Reductions PyTorch builds from others or adds NaN handling to: `nansum`, `nanmean`,
/// `varMean`, `stdMean`, `aminmax`, and the running `logcumsumexp`, `cummax`, `cummin`.

extension Tensor {
    /// The sum with NaN counted as zero (`torch.nansum`).
    public func nansum(dims: [Int] = [], keepdim: Bool = false) -> Tensor {
        guard dtype.isFloatingPoint else { return sum(dims: dims, keepdim: keepdim) }
        let zeroed = noGrad { `where`(isnan(), Tensor.zeros([], dtype: dtype), self) }
        let out = noGrad { zeroed.sum(dims: dims, keepdim: keepdim) }
        if needsGrad(self) {
            let shape = self.shape, rank = self.dim
            let reduced = Set((dims.isEmpty ? Array(0..<rank) : dims).map { normalizeDim($0, rank: rank) })
            let saved = SavedTensor(self)
            record("NansumBackward0", input: self, outputs: [out]) { g in
                let grad = expandReduced(g[0]!, to: shape, dims: reduced, keepdim: keepdim)
                return [`where`(saved.unpack().isnan(), Tensor.zeros([], dtype: grad.dtype), grad)]
            }
        }
        return out
    }

    /// The mean of the non-NaN elements (`torch.nanmean`: `nansum / count`).
    public func nanmean(dims: [Int] = [], keepdim: Bool = false) -> Tensor {
        let count = noGrad { logicalNot(isnan()).sum(dims: dims, keepdim: keepdim) }
        return nansum(dims: dims, keepdim: keepdim) / count
    }

    /// Variance and mean in one call (`torch.var_mean`), one `VarMeanBackward0` node.
    public func varMean(dims: [Int] = [], correction: some ScalarConvertible = 1,
                        keepdim: Bool = false) -> (variance: Tensor, mean: Tensor) {
        let correction = correction.scalarValue.doubleValue
        return spreadAndMean(dims: dims, correction: correction, keepdim: keepdim, takeSqrt: false)
    }

    /// Standard deviation and mean in one call (`torch.std_mean`), one `StdMeanBackward0` node.
    public func stdMean(dims: [Int] = [], correction: some ScalarConvertible = 1,
                        keepdim: Bool = false) -> (std: Tensor, mean: Tensor) {
        let correction = correction.scalarValue.doubleValue
        let r = spreadAndMean(dims: dims, correction: correction, keepdim: keepdim, takeSqrt: true)
        return (r.variance, r.mean)
    }

    private func spreadAndMean(dims: [Int], correction: Double, keepdim: Bool, takeSqrt: Bool) -> (variance: Tensor, mean: Tensor) {
        let (spread, average) = noGrad {
            (takeSqrt ? std(dims: dims, correction: correction, keepdim: keepdim) : `var`(dims: dims, correction: correction, keepdim: keepdim),
             mean(dims: dims, keepdim: keepdim))
        }
        if needsGrad(self) {
            let rank = self.dim, shape = self.shape
            let reduced = Set((dims.isEmpty ? Array(0..<rank) : dims).map { normalizeDim($0, rank: Swift.max(rank, 1)) })
            let count = Double(reduced.reduce(1) { $0 * (rank == 0 ? 1 : shape[$1]) })
            // The input is read; the spread is this node's own output 0 (held directly it
            // would make the node own its output, a cycle).
            let name = takeSqrt ? "StdMeanBackward0" : "VarMeanBackward0"
            let savedSelf = SavedTensor(self), savedSpread = takeSqrt ? SavedTensor(output: spread, producer: name) : nil
            record(name, input: self, outputs: [spread, average]) { g in
                let this = savedSelf.unpack()
                let centered = this - this.mean(dims: dims, keepdim: true)
                var grad: Tensor? = nil
                if let gs = g[0] {
                    let up = expandReduced(gs, to: shape, dims: reduced, keepdim: keepdim)
                    if takeSqrt {
                        let s = expandReduced(savedSpread!.unpack(), to: shape, dims: reduced, keepdim: keepdim)
                        grad = up * centered / (s * (count - correction))
                    } else {
                        grad = up * centered * (2 / (count - correction))
                    }
                }
                if let gm = g[1] {
                    let up = expandReduced(gm, to: shape, dims: reduced, keepdim: keepdim) / count
                    grad = grad.map { $0 + up } ?? up
                }
                return [grad]
            }
        }
        return (spread, average)
    }

    /// The smallest and largest elements (`torch.aminmax`).
    public func aminmax(dim: Int? = nil, keepdim: Bool = false) -> (min: Tensor, max: Tensor) {
        let dims = dim.map { [$0] } ?? []
        return (amin(dims: dims, keepdim: keepdim), amax(dims: dims, keepdim: keepdim))
    }

    /// `log(cumsum(exp(x)))` along `dim`, computed stably (`torch.logcumsumexp`).
    public func logcumsumexp(dim: Int) -> Tensor {
        let d = normalizeDim(dim, rank: Swift.max(self.dim, 1))
        guard self.dim > 0 else { return clone() }
        let out = noGrad { () -> Tensor in
            // Shifting by the line's maximum keeps exp in range; inf/-inf lines stay exact.
            let m = amax(dims: [d], keepdim: true)
            let shift = `where`(m.isinf(), Tensor.zeros([], dtype: dtype), m)
            return Torch.log((self - shift).exp().cumsum(dim: d)) + shift
        }
        if needsGrad(self) {
            let saved = SavedTensor(output: out, producer: "LogcumsumexpBackward0"), savedSelf = SavedTensor(self)
            record("LogcumsumexpBackward0", input: self, outputs: [out]) { g in
                // d out_j / d x_i = exp(x_i - out_j) for j ≥ i: a reversed cumulative sum.
                let y = saved.unpack()
                let weighted = g[0]! * (-y).exp()
                let reverse = weighted.sum(dim: d, keepdim: true) - weighted.cumsum(dim: d) + weighted
                return [reverse * savedSelf.unpack().exp()]
            }
        }
        return out
    }

    /// Running maximum along `dim` with the index where it was reached (`torch.cummax`);
    /// NaN propagates, ties take the later index, as PyTorch.
    public func cummax(dim: Int) -> (values: Tensor, indices: Tensor) { cumulativeExtremum(dim: dim, greatest: true) }

    /// Running minimum along `dim` with its index (`torch.cummin`).
    public func cummin(dim: Int) -> (values: Tensor, indices: Tensor) { cumulativeExtremum(dim: dim, greatest: false) }

    private func cumulativeExtremum(dim: Int, greatest: Bool) -> (values: Tensor, indices: Tensor) {
        let d = normalizeDim(dim, rank: Swift.max(self.dim, 1))
        let lines = noGrad { self.dim == 0 ? reshape([1, 1]) : transpose(d, -1).contiguous() }
        let size = lines.shape[lines.dim - 1], count = lines.numel / Swift.max(size, 1)
        let values = noGrad { lines.to(.float64).toArray(Double.self) }
        var picked = [Int64](repeating: 0, count: lines.numel)
        for line in 0..<count {
            var best = 0
            for k in 0..<size {
                let v = values[line * size + k], b = values[line * size + best]
                if k == 0 || v.isNaN || (!b.isNaN && (greatest ? v >= b : v <= b)) { best = k }
                picked[line * size + k] = Int64(best)
            }
        }
        var indices = Tensor(shape: lines.shape, scalars: picked)
        indices = self.dim == 0 ? indices.reshape([]) : indices.transpose(d, -1).contiguous()
        let name = greatest ? "CummaxBackward0" : "CumminBackward0"
        let out = noGrad { self.dim == 0 ? clone() : gather(d, indices) }
        if needsGrad(self) {
            let shape = self.shape, savedIndices = SavedTensor(indices)
            record(name, input: self, outputs: [out]) { g in
                guard !shape.isEmpty else { return [g[0]!] }
                return [Tensor.zeros(shape, dtype: g[0]!.dtype).scatterAdd(d, savedIndices.unpack(), g[0]!)]
            }
        }
        return (out, indices)
    }
}

/// `x.nansum(dims:keepdim:)` (`torch.nansum`).
public func nansum(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) -> Tensor { x.nansum(dims: dims, keepdim: keepdim) }
/// `x.nanmean(dims:keepdim:)` (`torch.nanmean`).
public func nanmean(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) -> Tensor { x.nanmean(dims: dims, keepdim: keepdim) }
/// `x.varMean(...)` (`torch.var_mean`).
public func varMean(_ x: Tensor, dims: [Int] = [], correction: some ScalarConvertible = 1,
                    keepdim: Bool = false) -> (variance: Tensor, mean: Tensor) {
    let correction = correction.scalarValue.doubleValue
    return x.varMean(dims: dims, correction: correction, keepdim: keepdim)
}
/// `x.stdMean(...)` (`torch.std_mean`).
public func stdMean(_ x: Tensor, dims: [Int] = [], correction: some ScalarConvertible = 1,
                    keepdim: Bool = false) -> (std: Tensor, mean: Tensor) {
    let correction = correction.scalarValue.doubleValue
    return x.stdMean(dims: dims, correction: correction, keepdim: keepdim)
}
/// `x.aminmax(dim:keepdim:)` (`torch.aminmax`).
public func aminmax(_ x: Tensor, dim: Int? = nil, keepdim: Bool = false) -> (min: Tensor, max: Tensor) { x.aminmax(dim: dim, keepdim: keepdim) }
/// `x.logcumsumexp(dim:)` (`torch.logcumsumexp`).
public func logcumsumexp(_ x: Tensor, dim: Int) -> Tensor { x.logcumsumexp(dim: dim) }
/// `x.cummax(dim:)` (`torch.cummax`).
public func cummax(_ x: Tensor, dim: Int) -> (values: Tensor, indices: Tensor) { x.cummax(dim: dim) }
/// `x.cummin(dim:)` (`torch.cummin`).
public func cummin(_ x: Tensor, dim: Int) -> (values: Tensor, indices: Tensor) { x.cummin(dim: dim) }
