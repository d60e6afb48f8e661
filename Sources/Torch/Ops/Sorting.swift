/// Sorting and order statistics: `sort`, `argsort`, `msort`, `topk`, `kthvalue`, `median`,
/// `mode`. Values are gathered from the input at the sorted indices; their gradient flows
/// back to the chosen positions (PyTorch's `value_selecting_reduction_backward`).

/// The gradient of values picked from `shape` at `indices` along `dim`: `g` scattered back.
private func selectedValuesBackward(_ g: Tensor, indices: Tensor, dim: Int, shape: [Int], keepdim: Bool) -> Tensor {
    guard !shape.isEmpty else { return g.reshape([]) }
    let (gg, ii) = keepdim ? (g, indices) : (g.unsqueeze(dim), indices.unsqueeze(dim))
    return Tensor.zeros(shape, dtype: g.dtype).scatter(dim, ii, gg)
}

/// Values of `x` at `indices` along `dim`, recorded as `name` for autograd.
private func selectValues(_ x: Tensor, _ indices: Tensor, dim: Int, keepdim: Bool, name: String) -> Tensor {
    let values = noGrad { () -> Tensor in
        guard x.dim > 0 else { return x.clone() }
        let picked = x.gather(dim, keepdim || indices.dim == x.dim ? indices : indices.unsqueeze(dim))
        return keepdim || indices.dim == x.dim ? picked : picked.squeeze(dim)
    }
    if needsGrad(x) {
        let shape = x.shape
        let reduced = indices.dim != x.dim
        // The indices go back to the caller too: saved with a version check, not captured.
        let savedIndices = SavedTensor(indices)
        record(name, input: x, outputs: [values]) { g in
            [selectedValuesBackward(g[0]!, indices: savedIndices.unpack(), dim: dim, shape: shape, keepdim: !reduced || keepdim)]
        }
    }
    return values
}

extension Tensor {
    /// The elements ordered along `dim`, with the permutation (`torch.sort`). The sort is
    /// stable (equal elements keep their order) and NaN sorts as the largest value.
    public func sort(dim: Int = -1, descending: Bool = false, stable: Bool = false) -> (values: Tensor, indices: Tensor) {
        let d = self.dim == 0 ? 0 : normalizeDim(dim, rank: self.dim)
        if dtype == .bool && self.dim > 0 {
            // Booleans sort as integers.
            let (_, indices) = to(.uint8).sort(dim: d, descending: descending)
            return (noGrad { gather(d, indices) }, indices)
        }
        let indices = sortIndicesKernel(self, dim: d, descending: descending)
        return (selectValues(self, indices, dim: d, keepdim: true, name: "SortBackward0"), indices)
    }

    /// The permutation that sorts along `dim` (`torch.argsort`).
    public func argsort(dim: Int = -1, descending: Bool = false, stable: Bool = false) -> Tensor {
        sort(dim: dim, descending: descending, stable: stable).indices
    }

    /// Sorted along the first dimension (`torch.msort`).
    public func msort() -> Tensor { sort(dim: 0).values }

    /// The `k` largest (or smallest) elements along `dim`, in order, with their indices
    /// (`torch.topk`).
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true) -> (values: Tensor, indices: Tensor) {
        let d = self.dim == 0 ? 0 : normalizeDim(dim, rank: self.dim)
        let size = self.dim == 0 ? 1 : shape[d]
        guard k >= 0 && k <= size else { torchFatal("RuntimeError: selected index k out of range") }
        let order = sortIndicesKernel(self, dim: d, descending: largest, limit: self.dim == 0 ? nil : k)
        let indices = self.dim == 0 || order.shape[d] == k ? order : order.narrow(d, 0, k).contiguous()
        return (selectValues(self, indices, dim: d, keepdim: true, name: "TopkBackward0"), indices)
    }

    /// The `k`-th smallest element (1-based) along `dim`, with its index (`torch.kthvalue`).
    public func kthvalue(_ k: Int, dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let d = self.dim == 0 ? 0 : normalizeDim(dim, rank: self.dim)
        let size = self.dim == 0 ? 1 : shape[d]
        guard k >= 1 && k <= size else {
            torchFatal("RuntimeError: kthvalue(): selected number k out of range for dimension \(dim)")
        }
        let order = sortIndicesKernel(self, dim: d, descending: false)
        var indices = self.dim == 0 ? order : order.narrow(d, k - 1, 1).contiguous()
        if !keepdim && self.dim > 0 { indices = indices.squeeze(d) }
        return (selectValues(self, indices, dim: d, keepdim: keepdim, name: "KthvalueBackward0"), indices)
    }

    /// The lower median along `dim` with its index (`torch.median(dim=)`); NaN if the line
    /// holds one, as PyTorch.
    public func median(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let d = self.dim == 0 ? 0 : normalizeDim(dim, rank: self.dim)
        guard self.dim == 0 || shape[d] > 0 else {
            torchFatal("IndexError: median(): Expected reduction dim \(dim) to have non-zero size.")
        }
        var indices = medianIndices(dim: d)
        if !keepdim && self.dim > 0 { indices = indices.squeeze(d) }
        return (selectValues(self, indices, dim: d, keepdim: keepdim, name: "MedianBackward1"), indices)
    }

    /// The lower median of all elements (`torch.median()`), NaN if there is one.
    public func median() -> Tensor {
        guard numel > 0 else { return Tensor.full([], .double(.nan), dtype: dtype) }
        let flat = noGrad { reshape([-1]) }
        let index = flat.medianIndices(dim: 0)
        let value = noGrad { flat.gather(0, index).reshape([]) }
        if needsGrad(self) {
            let shape = self.shape
            record("MedianBackward0", input: self, outputs: [value]) { g in
                [Tensor.zeros([shape.reduce(1, *)], dtype: g[0]!.dtype).scatter(0, index, g[0]!.reshape([1])).reshape(shape)]
            }
        }
        return value
    }

    /// Per line along `d` (kept as size 1): the index of the lower median, or of the first
    /// NaN in sorted order when the line has one.
    private func medianIndices(dim d: Int) -> Tensor {
        let order = sortIndicesKernel(self, dim: d, descending: false)
        guard self.dim > 0 else { return order }
        let size = shape[d]
        let sorted = noGrad { gather(d, order) }
        let nanCount = noGrad { sorted.isnan().sum(dims: [d], keepdim: true) }
        // Sorted ascending, NaN last: the median sits at (n - 1) / 2, or at the first NaN.
        let position = noGrad { `where`(nanCount .> 0, Tensor(Int64(size)) - nanCount, Tensor(Int64((size - 1) / 2))) }
        return noGrad { order.gather(d, position) }
    }

    /// The most frequent value along `dim` (the smallest among equally frequent ones) and the
    /// index of its last occurrence (`torch.mode`).
    public func mode(dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let d = self.dim == 0 ? 0 : normalizeDim(dim, rank: self.dim)
        let order = sortIndicesKernel(self, dim: d, descending: false)
        var indices: Tensor
        if self.dim == 0 {
            indices = order
        } else {
            let lines = noGrad { transpose(d, -1).contiguous() }, orderLines = order.transpose(d, -1).contiguous()
            let size = shape[d], count = lines.numel / Swift.max(size, 1)
            let values = noGrad { lines.reshape([count, size]).to(.float64).toArray(Double.self) }
            let perm = orderLines.reshape([count, size]).toArray(Int64.self)
            var picked = [Int64](repeating: 0, count: count)
            for line in 0..<count {
                var best = -1, bestIndex: Int64 = 0, run = 0, runMax: Int64 = -1
                for k in 0..<size {
                    let idx = perm[line * size + k]
                    let v = values[line * size + Int(idx)]
                    let previous = k > 0 ? values[line * size + Int(perm[line * size + k - 1])] : v
                    if k == 0 || v != previous && !(v.isNaN && previous.isNaN) { run = 0; runMax = -1 }
                    run += 1
                    runMax = Swift.max(runMax, idx)
                    if run > best { best = run; bestIndex = runMax }
                }
                picked[line] = bestIndex
            }
            var keptShape = lines.shape
            keptShape[keptShape.count - 1] = 1
            indices = Tensor(shape: keptShape, scalars: picked).transpose(d, -1).contiguous()
        }
        if !keepdim && self.dim > 0 { indices = indices.squeeze(d) }
        return (selectValues(self, indices, dim: d, keepdim: keepdim, name: "ModeBackward0"), indices)
    }
}

/// `x.sort(dim:descending:)` (`torch.sort`).
public func sort(_ x: Tensor, dim: Int = -1, descending: Bool = false, stable: Bool = false) -> (values: Tensor, indices: Tensor) {
    x.sort(dim: dim, descending: descending, stable: stable)
}
/// `x.argsort(dim:descending:)` (`torch.argsort`).
public func argsort(_ x: Tensor, dim: Int = -1, descending: Bool = false, stable: Bool = false) -> Tensor {
    x.argsort(dim: dim, descending: descending, stable: stable)
}
/// `x.topk(k, dim:largest:sorted:)` (`torch.topk`).
public func topk(_ x: Tensor, _ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true) -> (values: Tensor, indices: Tensor) {
    x.topk(k, dim: dim, largest: largest, sorted: sorted)
}
/// `x.kthvalue(k, dim:keepdim:)` (`torch.kthvalue`).
public func kthvalue(_ x: Tensor, _ k: Int, dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    x.kthvalue(k, dim: dim, keepdim: keepdim)
}
/// `x.median()` (`torch.median`).
public func median(_ x: Tensor) -> Tensor { x.median() }
/// `x.median(dim:keepdim:)` (`torch.median(x, dim)`).
public func median(_ x: Tensor, dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) { x.median(dim: dim, keepdim: keepdim) }
/// `x.mode(dim:keepdim:)` (`torch.mode`).
public func mode(_ x: Tensor, dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) { x.mode(dim: dim, keepdim: keepdim) }
