/// Index-driven ops: `indexSelect gather scatterAdd maskedFill maskedSelect unfold`.
/// Each is checks + the element offsets + its derivative; the loops that move elements are
/// in `Kernels/ScatterKernels.swift` and `Kernels/IndexCopyKernels.swift`.

/// The storage offset of element `flat` (row-major) of `t`.
private func elementOffset(_ t: Tensor, _ flat: Int) -> Int {
    var rest = flat, o = t.offset
    for d in stride(from: t.dim - 1, through: 0, by: -1) {
        let s = Swift.max(t.shape[d], 1)
        o += (rest % s) * t.strides[d]
        rest /= s
    }
    return o
}

/// For `gather`/`scatterAdd`: pairs (offset in `index`-shaped walk of `other`, offset in
/// `data`) where `data`'s coordinate along `dim` is replaced by the index value.
private func gatherPairs(data: Tensor, index: Tensor, dim d: Int, op: String) -> [(Int, Int)] {
    let values = index.toArray(Int64.self)
    var pairs: [(Int, Int)] = []
    pairs.reserveCapacity(values.count)
    for (flat, v) in values.enumerated() {
        let idx = unravel(flat, index.shape)
        let size = data.shape[d]
        guard v >= 0 && Int(v) < size else {
            torchFatal("RuntimeError: index \(v) is out of bounds for dimension \(d) with size \(size)")
        }
        var o = data.offset
        for k in 0..<data.dim { o += (k == d ? Int(v) : idx[k]) * data.strides[k] }
        pairs.append((flat, o))
    }
    return pairs
}

extension Tensor {
    /// The entries of dim `dim` listed in `index` (`x.index_select(dim, index)`,
    /// `torch.Tensor.index_select`).
    public func indexSelect(_ dim: Int, _ index: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        guard index.dim <= 1, !index.dtype.isFloatingPoint else {
            torchFatal("IndexError: index_select(): Index is supposed to be a vector")
        }
        let items = [TensorIndex](repeating: .all, count: d) + [.tensor(index.dim == 0 ? index.reshape([1]) : index)]
        let out = noGrad { self.index(items) }
        if needsGrad(self) {
            let shape = self.shape, savedIndex = SavedTensor(index)
            record("IndexSelectBackward0", input: self, outputs: [out]) { g in
                [scatterAdded(Tensor.zeros(shape, dtype: g[0]!.dtype), dim: d, positions: savedIndex.unpack(), source: g[0]!)]
            }
        }
        return out
    }

    /// `out[i][j] = self[i][index[i][j]]` along `dim` (`torch.gather`).
    public func gather(_ dim: Int, _ index: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        guard index.dim == self.dim else {
            torchFatal("RuntimeError: Index tensor must have the same number of dimensions as input tensor")
        }
        for k in 0..<self.dim where k != d && index.shape[k] > shape[k] {
            torchFatal("RuntimeError: Size does not match at dimension \(k) expected index \(index.shape) to be no larger than self \(shape) apart from dimension \(d)")
        }
        let out = gatherKernel(self, dim: d, index: index.dtype == .int64 ? index : index.to(.int64))
        if needsGrad(self) {
            let shape = self.shape, savedIndex = SavedTensor(index)
            record("GatherBackward0", input: self, outputs: [out]) { g in
                [Tensor.zeros(shape, dtype: g[0]!.dtype).scatterAdd(d, savedIndex.unpack(), g[0]!)]
            }
        }
        return out
    }

    /// A copy with `src` added at `index` along `dim` (`torch.scatter_add`).
    public func scatterAdd(_ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        let out = noGrad { () -> Tensor in
            if index.dtype == .int64, src.dtype == dtype, index.dim == self.dim,
               (0..<self.dim).allSatisfy({ index.shape[$0] <= src.shape[$0] && ($0 == d || index.shape[$0] <= shape[$0]) }) {
                let fast = clone()
                if scatterAddKernel(into: fast, dim: d, index: index, src: src) { return fast }
            }
            // Accumulates in float64 (floats) or exactly in int64 (integers), then converts back.
            let wide: DType = dtype.isFloatingPoint ? .float64 : .int64
            let base = clone().converted(to: wide)
            let values = src.converted(to: wide).contiguous()
            let srcShapeStrides = contiguousStrides(for: src.shape)
            let pairs = gatherPairs(data: base, index: index, dim: d, op: "scatter_add").map { flat, o in
                let idx = unravel(flat, index.shape)
                var s = values.offset
                for k in 0..<idx.count { s += idx[k] * srcShapeStrides[k] }
                return (to: o, from: s)
            }
            addElements(at: pairs, from: values, into: base)
            return base.converted(to: dtype)
        }
        if needsGrad(self, src) {
            let savedIndex = src.requiresGrad ? SavedTensor(index) : nil
            record("ScatterAddBackward0", inputs: (self, src), outputs: [out]) { g in
                [g[0]!, savedIndex.map { g[0]!.gather(d, $0.unpack()) }]
            }
        }
        return out
    }

    /// A copy with `src`'s elements written at `index` along `dim` (`torch.scatter`); where
    /// an index repeats, the last write wins.
    public func scatter(_ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        let out = noGrad { () -> Tensor in
            let out = clone()
            let source = src.to(dtype).contiguous()
            let sourceStrides = contiguousStrides(for: src.shape)
            let pairs = gatherPairs(data: out, index: index, dim: d, op: "scatter").map { flat, o in
                let idx = unravel(flat, index.shape)
                var s = source.offset
                for k in 0..<idx.count { s += idx[k] * sourceStrides[k] }
                return (to: o, from: s)
            }
            copyElements(at: pairs, from: source, into: out)
            return out
        }
        if needsGrad(self, src) {
            let needsSource = src.requiresGrad, savedIndex = SavedTensor(index)
            record("ScatterBackward0", inputs: (self, src), outputs: [out]) { g in
                let index = savedIndex.unpack()
                return [g[0]!.scatter(d, index, value: 0), needsSource ? g[0]!.gather(d, index) : nil]
            }
        }
        return out
    }

    /// A copy with `value` written at `index` along `dim` (`torch.scatter(x, dim, index, value)`).
    public func scatter(_ dim: Int, _ index: Tensor, value: Scalar) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        let out = noGrad { scatter(d, index, Tensor.full(index.shape, value, dtype: dtype)) }
        if needsGrad(self) {
            let savedIndex = SavedTensor(index)
            record("ScatterBackward1", input: self, outputs: [out]) { g in [g[0]!.scatter(d, savedIndex.unpack(), value: 0)] }
        }
        return out
    }

    /// `scatter` in place (`x.scatter_(dim, index, src)`, `torch.Tensor.scatter_`).
    @discardableResult
    public func scatter_(_ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
        inPlace(src) { $0.scatter(dim, index, src) }
    }

    /// `scatter` of a number in place (`x.scatter_(dim, index, value)`, `torch.Tensor.scatter_`).
    @discardableResult
    public func scatter_(_ dim: Int, _ index: Tensor, value: Scalar) -> Tensor {
        inPlace { $0.scatter(dim, index, value: value) }
    }

    /// A copy with `alpha * source` added at the positions `index` along `dim`
    /// (`torch.index_add`): slice `i` of `source` goes to slice `index[i]`.
    public func indexAdd(_ dim: Int, _ index: Tensor, _ source: Tensor, alpha: Scalar = 1) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        guard index.dim <= 1, index.dtype == .int64 || index.dtype == .int32 else {
            torchFatal("IndexError: index_add_(): Index is supposed to be a vector")
        }
        let scaled = alpha == 1 ? source : source * alpha
        return scatterAdded(self, dim: d, positions: index, source: scaled)
    }

    /// `indexAdd` in place (`x.index_add_(dim, index, source)`, `torch.Tensor.index_add_`).
    @discardableResult
    public func indexAdd_(_ dim: Int, _ index: Tensor, _ source: Tensor, alpha: Scalar = 1) -> Tensor {
        inPlace(source) { $0.indexAdd(dim, index, source, alpha: alpha) }
    }

    /// `maskedFill` in place (`x.masked_fill_(mask, value)`, `torch.Tensor.masked_fill_`).
    @discardableResult
    public func maskedFill_(_ mask: Tensor, _ value: Scalar) -> Tensor {
        inPlace { $0.maskedFill(mask, value) }
    }

    /// `value` where `mask` is true, else this tensor's element (`x.masked_fill(mask, v)`,
    /// `torch.Tensor.masked_fill`).
    public func maskedFill(_ mask: Tensor, _ value: Scalar) -> Tensor {
        guard mask.dtype == .bool else {
            torchFatal("RuntimeError: masked_fill_ only supports boolean masks, but got mask with dtype \(mask.dtype.name)")
        }
        let fill = Tensor(shape: [], values: [value], dtype: dtype)
        let out = noGrad { Torch.where(mask, fill, self) }
        if needsGrad(self) {
            let inputShape = shape, savedMask = SavedTensor(mask)
            record("MaskedFillBackward0", input: self, outputs: [out]) { g in
                [sumTo(Torch.where(savedMask.unpack(), Tensor.zeros([], dtype: g[0]!.dtype), g[0]!), inputShape)]
            }
        }
        return out
    }

    /// The elements where `mask` (broadcast) is true, as a 1-D tensor (`x.masked_select`,
    /// `torch.Tensor.masked_select`).
    public func maskedSelect(_ mask: Tensor) -> Tensor {
        let shape = broadcastShapes(self.shape, mask.shape)
        let x = broadcastView(to: shape), m = mask.broadcastView(to: shape).contiguous()
        let out = noGrad { x.index([.tensor(m)]) }
        if needsGrad(self) {
            let inputShape = self.shape, savedMask = SavedTensor(m)
            record("MaskedSelectBackward0", input: self, outputs: [out]) { g in
                let m = savedMask.unpack()
                return [linearBackward(g[0]!, name: "MaskedSelectBackwardBackward0", adjoint: { gradOut in
                    let full = Tensor.zeros(shape, dtype: gradOut.dtype)
                    full.indexPut_([.tensor(m)], gradOut)
                    return sumTo(full, inputShape)
                }, forward: { gg in gg.maskedSelect(m) })]
            }
        }
        return out
    }

    /// Windows of `size` elements every `step` along `dim`, as a view with a new last dim
    /// (`x.unfold(0, 3, 2)`, `torch.Tensor.unfold`).
    public func unfold(_ dim: Int, _ size: Int, _ step: Int) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        let n = self.dim == 0 ? 1 : shape[d]
        guard size <= n else {
            torchFatal("RuntimeError: maximum size for tensor at dimension \(d) is \(n) but size is \(size)")
        }
        guard step > 0 else { torchFatal("RuntimeError: step is \(step) but must be > 0") }
        var newShape = shape, newStrides = strides
        newShape[d] = (n - size) / step + 1
        newStrides[d] = strides[d] * step
        let out = makeView(shape: newShape + [size], strides: newStrides + [strides[d]], offset: offset)
        if needsGrad(self) {
            let original = shape
            record("UnfoldBackward0", input: self, outputs: [out]) { g in
                // Overlapping windows add up: accumulate window by window.
                var full = Tensor.zeros(original, dtype: g[0]!.dtype)
                for w in 0..<newShape[d] {
                    let window = g[0]!.select(d, w).movedLast(to: d)
                    let pad = Tensor.zeros(original, dtype: g[0]!.dtype)
                    noGrad { copyElements(from: window, to: pad.narrow(d, w * step, size)) }
                    full = full + pad
                }
                return [full]
            }
        }
        return out
    }

    /// The last dim moved to position `d`.
    fileprivate func movedLast(to d: Int) -> Tensor {
        var order = Array(0..<(dim - 1))
        order.insert(dim - 1, at: d)
        return permute(order)
    }
}

/// `base` with `source` added at `positions` along `dim` (the gradient of `indexSelect`).
private func scatterAdded(_ base: Tensor, dim d: Int, positions: Tensor, source: Tensor) -> Tensor {
    // index_select's gradient: index_add of the gradient rows back into zeros.
    var shape = source.shape
    let count = positions.numel
    var expandedIndex = [Int](repeating: 1, count: source.dim)
    expandedIndex[d] = count
    shape[d] = count
    let idx = positions.reshape([count]).reshape(expandedIndex).expand(source.shape).contiguous()
    return base.scatterAdd(d, idx, source)
}
