/// More index-driven writes: `indexCopy`, `indexFill`, `maskedScatter`, `scatterReduce`,
/// composed from `scatter`/`where` and recorded under PyTorch's node names.

/// `index` (a vector of positions along `dim`) shaped to address every element of a
/// tensor of `shape` whose `dim` has `index.numel` entries.
private func expandedIndex(_ index: Tensor, dim: Int, shape: [Int]) -> Tensor {
    var view = [Int](repeating: 1, count: shape.count)
    view[dim] = index.numel
    return index.reshape(view).expand(shape)
}

extension Tensor {
    /// A copy with slice `i` of `source` written at position `index[i]` along `dim`
    /// (`torch.index_copy`).
    public func indexCopy(_ dim: Int, _ index: Tensor, _ source: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: Swift.max(self.dim, 1))
        guard index.dim <= 1 else { torchFatal("IndexError: index_copy_(): Index should have dimension 1 or 0 (got \(index.dim))") }
        return composite("IndexCopyBackward0", [self, source], saving: [index], forward: {
            scatter(d, expandedIndex(index, dim: d, shape: source.shape), source)
        }) { g, saved in [g.indexFill(d, saved[0], 0), g.indexSelect(d, saved[0])] }
    }

    /// A copy with `value` in every slice `index` along `dim` (`torch.index_fill`).
    public func indexFill(_ dim: Int, _ index: Tensor, _ value: Scalar) -> Tensor {
        let d = normalizeDim(dim, rank: Swift.max(self.dim, 1))
        var shape = self.shape
        shape[d] = index.numel
        return composite("IndexFillBackward0", [self], saving: [index], forward: {
            scatter(d, expandedIndex(index, dim: d, shape: shape), value: value)
        }) { g, saved in [g.indexFill(d, saved[0], 0)] }
    }

    /// A copy with `source`'s elements, in order, written where `mask` is true
    /// (`torch.masked_scatter`).
    public func maskedScatter(_ mask: Tensor, _ source: Tensor) -> Tensor {
        guard mask.dtype == .bool else { torchFatal("RuntimeError: masked_scatter_ only supports boolean masks, but got mask with dtype \(mask.dtype.name)") }
        let shape = broadcastShapes(self.shape, mask.shape)
        let m = mask.expand(shape).contiguous()
        let count = Int(m.sum().item())
        guard source.numel >= count else {
            torchFatal("RuntimeError: masked_scatter: expected source to have at least \(count) elements, got \(source.numel)")
        }
        let positions = m.reshape([-1]).nonzero().reshape([-1])
        let sourceShape = source.shape, sourceCount = source.numel, selfShape = self.shape
        return composite("MaskedScatterBackward0", [self, source], saving: [m], forward: {
            let flat = expand(shape).contiguous().reshape([-1])
            return flat.scatter(0, positions, source.reshape([-1]).narrow(0, 0, count)).reshape(shape)
        }) { g, saved in
            let taken = g.reshape([-1]).indexSelect(0, positions)
            let padded = cat([taken, Tensor.zeros([sourceCount - count], dtype: g.dtype)]).reshape(sourceShape)
            return [sumTo(`where`(saved[0], Tensor.zeros([], dtype: g.dtype), g), selfShape), padded]
        }
    }

    /// `src` reduced into a copy of this tensor at `index` along `dim` with `reduce`
    /// (`"sum"`, `"prod"`, `"mean"`, `"amax"`, `"amin"`), counting this tensor's own values
    /// unless `includeSelf` is false (`torch.scatter_reduce`).
    public func scatterReduce(_ dim: Int, _ index: Tensor, _ src: Tensor, reduce: String, includeSelf: Bool = true) -> Tensor {
        let d = normalizeDim(dim, rank: Swift.max(self.dim, 1))
        guard ["sum", "prod", "mean", "amax", "amin"].contains(reduce) else {
            torchFatal("RuntimeError: reduce argument must be either sum, prod, mean, amax or amin, got \(reduce)")
        }
        let ones = Tensor.ones(src.shape, dtype: dtype)
        // How many values land on each position (this tensor's own counts once if included).
        let hits = noGrad { Tensor.zeros(shape, dtype: dtype).scatterAdd(d, index, ones) }
        let counts = noGrad { hits + (includeSelf ? 1.0 : 0.0) }
        let touched = noGrad { hits .> 0.0 }
        let identity: Double
        switch reduce {
        case "prod": identity = 1
        case "amax": identity = -.infinity
        case "amin": identity = .infinity
        default: identity = 0
        }
        let out = noGrad { () -> Tensor in
            let start = includeSelf ? self : `where`(touched, Tensor.full([], .double(identity), dtype: dtype), self)
            let values = start.to(.float64).contiguous().toArray(Double.self)
            var result = values
            let source = src.to(.float64).contiguous().toArray(Double.self)
            let positions = index.contiguous().toArray(Int64.self)
            let outStrides = contiguousStrides(for: shape)
            for (flat, p) in positions.enumerated() {
                let idx = unravel(flat, index.shape)
                guard p >= 0 && Int(p) < shape[d] else {
                    torchFatal("RuntimeError: index \(p) is out of bounds for dimension \(d) with size \(shape[d])")
                }
                var o = 0
                for k in 0..<idx.count { o += (k == d ? Int(p) : idx[k]) * outStrides[k] }
                var s = 0, step = 1
                for k in Swift.stride(from: idx.count - 1, through: 0, by: -1) { s += idx[k] * step; step *= src.shape[k] }
                let v = source[s]
                switch reduce {
                case "prod": result[o] *= v
                case "amax": result[o] = v.isNaN || result[o].isNaN ? .nan : Swift.max(result[o], v)
                case "amin": result[o] = v.isNaN || result[o].isNaN ? .nan : Swift.min(result[o], v)
                default: result[o] += v
                }
            }
            var reduced = Tensor(shape: shape, scalars: result)
            if reduce == "mean" { reduced = `where`(touched, reduced / counts.to(.float64).clamp(min: 1), reduced) }
            if reduce == "mean" && !dtype.isFloatingPoint { reduced = Torch.floor(reduced) }
            return reduced.to(dtype)
        }
        guard needsGrad(self, src) else { return out }
        // The result is saved as an output (held directly it would make the node own it, a
        // cycle); the input, index and source values are read by prod, amax and amin.
        let readsValues = reduce == "prod" || reduce == "amax" || reduce == "amin"
        let savedOut = readsValues ? SavedTensor(output: out, producer: "ScatterReduceBackward0") : nil
        let savedSelf = readsValues ? SavedTensor(self) : nil, savedSrc = readsValues ? SavedTensor(src) : nil
        let savedIndex = SavedTensor(index), selfShape = self.shape
        record("ScatterReduceBackward0", inputs: (self, src), outputs: [out]) { g in
            let grad = g[0]!, index = savedIndex.unpack()
            switch reduce {
            case "sum":
                // Positions that dropped their own value (includeSelf false) pass no gradient to it.
                return [includeSelf ? grad : `where`(touched, Tensor.zeros([], dtype: grad.dtype), grad), grad.gather(d, index)]
            case "mean":
                let share = grad / counts.clamp(min: 1)
                return [includeSelf ? `where`(touched, share, grad) : `where`(touched, Tensor.zeros([], dtype: grad.dtype), grad),
                        share.gather(d, index)]
            case "prod":
                // d/dx of a product: the product without x (no zeros assumed).
                let out = savedOut!.unpack(), this = savedSelf!.unpack(), src = savedSrc!.unpack()
                return [includeSelf ? `where`(touched, grad * out / this, grad) : `where`(touched, Tensor.zeros([], dtype: grad.dtype), grad),
                        (grad * out).gather(d, index) / src]
            default:
                // amax/amin: the gradient is shared evenly among the values equal to the result.
                let out = savedOut!.unpack(), this = savedSelf!.unpack(), src = savedSrc!.unpack()
                let selfHits = includeSelf ? (this .== out).to(grad.dtype) : Tensor.zeros(selfShape, dtype: grad.dtype)
                let srcHits = (src .== out.gather(d, index)).to(grad.dtype)
                let ties = selfHits.scatterAdd(d, index, srcHits)
                let share = grad / ties.clamp(min: 1)
                return [`where`(touched, share * selfHits, includeSelf ? grad : grad * selfHits + (Torch.logicalNot(touched).to(grad.dtype) * grad)),
                        share.gather(d, index) * srcHits]
            }
        }
        return out
    }

    /// The `q`-quantile along `dim` (all elements when `nil`), interpolating linearly
    /// between order statistics (`torch.quantile`); NaN if a line holds one.
    public func quantile(_ q: some ScalarConvertible, dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        let q = q.scalarValue.doubleValue
        return quantiles(q, dim: dim, keepdim: keepdim, ignoreNaN: false)
    }

    /// `quantile` ignoring NaN (`torch.nanquantile`).
    public func nanquantile(_ q: some ScalarConvertible, dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        let q = q.scalarValue.doubleValue
        return quantiles(q, dim: dim, keepdim: keepdim, ignoreNaN: true)
    }

    private func quantiles(_ q: Double, dim: Int?, keepdim: Bool, ignoreNaN: Bool) -> Tensor {
        guard (0...1).contains(q) else { torchFatal("RuntimeError: quantile() q must be in the range [0, 1] but got \(q)") }
        guard dtype.isFloatingPoint else {
            torchFatal("RuntimeError: quantile() input tensor must be either float or double dtype")
        }
        let input = dim == nil ? reshape([-1]) : self
        let d = normalizeDim(dim ?? 0, rank: Swift.max(input.dim, 1))
        let sorted = input.sort(dim: d).values   // NaN last
        let n = input.shape[d]
        let valid = noGrad { logicalNot(input.isnan()).sum(dims: [d], keepdim: true).to(.float64) }
        // Position q·(count - 1) in each line; NaN lines use the full length (and give NaN).
        let count = ignoreNaN ? valid : Tensor.full(valid.shape, .double(Double(n)), dtype: .float64)
        let position = noGrad { (count - 1).clamp(min: 0) * q }
        let lower = noGrad { Torch.floor(position).to(.int64).clamp(min: 0, max: .int(Int64(Swift.max(n - 1, 0)))) }
        let upper = noGrad { Torch.ceil(position).to(.int64).clamp(min: 0, max: .int(Int64(Swift.max(n - 1, 0)))) }
        let weight = noGrad { (position - Torch.floor(position)).to(dtype) }
        let lo = sorted.gather(d, lower), hi = sorted.gather(d, upper)
        var result = lo + (hi - lo) * weight
        let anyNaN = noGrad { ignoreNaN ? valid .== 0.0 : valid .< Double(n) }
        result = `where`(anyNaN, Tensor.full([], .double(.nan), dtype: dtype), result)
        if dim == nil { return keepdim ? result.reshape([Int](repeating: 1, count: self.dim)) : result.reshape([]) }
        return keepdim ? result : result.squeeze(d)
    }
}

/// `x.indexCopy(dim, index, source)` (`torch.index_copy`).
public func indexCopy(_ x: Tensor, _ dim: Int, _ index: Tensor, _ source: Tensor) -> Tensor { x.indexCopy(dim, index, source) }
/// `x.indexFill(dim, index, value)` (`torch.index_fill`).
public func indexFill(_ x: Tensor, _ dim: Int, _ index: Tensor, _ value: Scalar) -> Tensor { x.indexFill(dim, index, value) }
/// `x.maskedScatter(mask, source)` (`torch.masked_scatter`).
public func maskedScatter(_ x: Tensor, _ mask: Tensor, _ source: Tensor) -> Tensor { x.maskedScatter(mask, source) }
/// `x.scatterReduce(...)` (`torch.scatter_reduce`).
public func scatterReduce(_ x: Tensor, _ dim: Int, _ index: Tensor, _ src: Tensor, reduce: String, includeSelf: Bool = true) -> Tensor {
    x.scatterReduce(dim, index, src, reduce: reduce, includeSelf: includeSelf)
}
/// `x.quantile(q, dim:keepdim:)` (`torch.quantile`).
public func quantile(_ x: Tensor, _ q: some ScalarConvertible, dim: Int? = nil, keepdim: Bool = false) -> Tensor {
    let q = q.scalarValue.doubleValue
    return x.quantile(q, dim: dim, keepdim: keepdim)
}
/// `x.nanquantile(q, dim:keepdim:)` (`torch.nanquantile`).
public func nanquantile(_ x: Tensor, _ q: some ScalarConvertible, dim: Int? = nil, keepdim: Bool = false) -> Tensor {
    let q = q.scalarValue.doubleValue
    return x.nanquantile(q, dim: dim, keepdim: keepdim)
}
