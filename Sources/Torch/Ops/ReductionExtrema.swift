/// Maxima and minima: `max`/`min` (all elements, or one dim with indices), `amax`/`amin`
/// (values over any dims), `argmax`/`argmin` (indices). NaN propagates and wins, and ties
/// go to the first occurrence, as in PyTorch.

/// Fails like PyTorch when an extremum has no element to pick: a full reduction of an
/// empty tensor, or a reduced dim of size zero.
private func checkNonEmptyExtremum(_ x: Tensor, dims: [Int], set: Set<Int>, op: String) {
    guard x.numel == 0 else { return }
    if dims.isEmpty {
        let kind = op.hasPrefix("arg") ? "IndexError" : "RuntimeError"
        let hint = op.hasPrefix("arg") ? "" : " Specify the reduction dim with the 'dim' argument."
        torchFatal("\(kind): \(op)(): Expected reduction dim to be specified for input.numel() == 0.\(hint)")
    }
    for d in set.sorted() where x.dim > 0 && x.shape[d] == 0 {
        torchFatal("IndexError: \(op)(): Expected reduction dim \(d) to have non-zero size.")
    }
}

/// The values of an extremum over `dims` (all when empty).
private func extremumValues<Order: ExtremumOrder>(_ x: Tensor, _ order: Order.Type, dims: [Int], keepdim: Bool, op: String) -> Tensor {
    let set = reductionDims(dims, rank: x.dim)
    checkNonEmptyExtremum(x, dims: dims, set: set, op: op)
    let out = reductionOutput(x, dims: set, keepdim: keepdim, dtype: x.dtype)
    extremumValues(order, x, dims: set, into: out)
    if needsGrad(x) {
        let names = ["max": "MaxBackward1", "min": "MinBackward1", "amax": "AmaxBackward0", "amin": "AminBackward0"]
        let name = names[op] ?? "MaxBackward1"
        let sx = SavedTensor(x), so = SavedTensor(output: out, producer: name)
        let shape = x.shape
        record(name, input: x, outputs: [out]) { g in
            // Ties share the gradient evenly, as PyTorch does.
            let hits = (sx.unpack() .== expandReduced(so.unpack(), to: shape, dims: set, keepdim: keepdim)).to(g[0]!.dtype)
            let count = expandReduced(hits.sum(dims: Array(set), keepdim: keepdim), to: shape, dims: set, keepdim: keepdim)
            return [expandReduced(g[0]!, to: shape, dims: set, keepdim: keepdim) * hits / count]
        }
    }
    return out
}

/// Values and indices of an extremum along one dim.
private func extremumAlongDim<Order: ExtremumOrder>(_ x: Tensor, _ order: Order.Type, dim: Int, keepdim: Bool, op: String) -> (values: Tensor, indices: Tensor) {
    let d = normalizeDim(dim, rank: x.dim)
    checkNonEmptyExtremum(x, dims: [d], set: [d], op: op)
    let values = reductionOutput(x, dims: [d], keepdim: keepdim, dtype: x.dtype)
    let indices = reductionOutput(x, dims: [d], keepdim: keepdim, dtype: .int64)
    extremumWithIndex(order, x, dims: [d], values: values, indices: indices)
    if needsGrad(x) {
        let name = op == "min" ? "MinBackward0" : "MaxBackward0"
        let shape = x.shape, savedIndices = SavedTensor(indices)
        record(name, input: x, outputs: [values, indices]) { g in
            guard let grad = g[0] else { return [nil] }
            // The gradient lands on the chosen index only.
            let indices = savedIndices.unpack()
            let idx = keepdim ? indices : indices.unsqueeze(d)
            var positionShape = [Int](repeating: 1, count: shape.count)
            positionShape[d] = shape[d]
            let positions = Tensor.arange(.int(Int64(shape[d]))).reshape(positionShape)
            let hit = (positions .== idx).to(grad.dtype)
            return [(keepdim ? grad : grad.unsqueeze(d)) * hit]
        }
        indices.autogradMeta = nil
    }
    return (values, indices)
}

/// Indices of an extremum along `dim`, or over the flattened tensor when `dim` is nil.
private func extremumIndex<Order: ExtremumOrder>(_ x: Tensor, _ order: Order.Type, dim: Int?, keepdim: Bool, op: String) -> Tensor {
    if x.dtype == .bool {
        torchFatal("NotImplementedError: \(op)(): does not support bool input")
    }
    guard let dim else {
        checkNonEmptyExtremum(x, dims: [], set: [], op: op)
        let c = x.contiguous()
        let flat = c.makeView(shape: [c.numel], strides: [1], offset: c.offset)
        let out = Tensor(uninitializedShape: keepdim ? [Int](repeating: 1, count: x.dim) : [], dtype: .int64, zeroed: false)
        extremumWithIndex(order, flat, dims: [0], values: nil, indices: out)
        return out
    }
    let d = normalizeDim(dim, rank: x.dim)
    checkNonEmptyExtremum(x, dims: [d], set: [d], op: op)
    let out = reductionOutput(x, dims: [d], keepdim: keepdim, dtype: .int64)
    extremumWithIndex(order, x, dims: [d], values: nil, indices: out)
    return out
}

extension Tensor {
    /// The largest element, a 0-d tensor (`x.max()`); NaN if any element is NaN
    /// (`torch.Tensor.max`).
    public func max() -> Tensor { extremumValues(self, Greatest.self, dims: [], keepdim: false, op: "max") }

    /// The largest elements along `dim` and their indices (`x.max(dim: 1)`); the first
    /// occurrence wins a tie (`torch.Tensor.max`).
    public func max(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extremumAlongDim(self, Greatest.self, dim: dim, keepdim: keepdim, op: "max")
    }

    /// The smallest element, a 0-d tensor (`x.min()`); NaN if any element is NaN
    /// (`torch.Tensor.min`).
    public func min() -> Tensor { extremumValues(self, Least.self, dims: [], keepdim: false, op: "min") }

    /// The smallest elements along `dim` and their indices (`torch.Tensor.min`).
    public func min(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extremumAlongDim(self, Least.self, dim: dim, keepdim: keepdim, op: "min")
    }

    /// The largest values over `dims` (all when empty), without indices (`torch.amax`).
    public func amax(dims: [Int] = [], keepdim: Bool = false) -> Tensor {
        extremumValues(self, Greatest.self, dims: dims, keepdim: keepdim, op: "amax")
    }

    /// The largest values along `dim` (`torch.Tensor.amax`).
    public func amax(dim: Int, keepdim: Bool = false) -> Tensor { amax(dims: [dim], keepdim: keepdim) }

    /// The smallest values over `dims` (all when empty), without indices (`torch.amin`).
    public func amin(dims: [Int] = [], keepdim: Bool = false) -> Tensor {
        extremumValues(self, Least.self, dims: dims, keepdim: keepdim, op: "amin")
    }

    /// The smallest values along `dim` (`torch.Tensor.amin`).
    public func amin(dim: Int, keepdim: Bool = false) -> Tensor { amin(dims: [dim], keepdim: keepdim) }

    /// The index of the largest element along `dim`, or in the flattened tensor when `dim`
    /// is nil (`x.argmax(dim: 1)`); int64, first occurrence on ties, a NaN counts as largest
    /// (`torch.Tensor.argmax`).
    public func argmax(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        extremumIndex(self, Greatest.self, dim: dim, keepdim: keepdim, op: "argmax")
    }

    /// The index of the smallest element along `dim`, or in the flattened tensor
    /// (`torch.Tensor.argmin`).
    public func argmin(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        extremumIndex(self, Least.self, dim: dim, keepdim: keepdim, op: "argmin")
    }
}

/// `x.max()` as a free function (`torch.max(x)`).
public func max(_ x: Tensor) -> Tensor { x.max() }
/// `x.max(dim:keepdim:)` as a free function (`torch.max(x, dim)`).
public func max(_ x: Tensor, dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    x.max(dim: dim, keepdim: keepdim)
}
/// `x.min()` as a free function (`torch.min(x)`).
public func min(_ x: Tensor) -> Tensor { x.min() }
/// `x.min(dim:keepdim:)` as a free function (`torch.min`).
public func min(_ x: Tensor, dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    x.min(dim: dim, keepdim: keepdim)
}
/// `x.amax(dims:keepdim:)` as a free function (`torch.amax`).
public func amax(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) -> Tensor { x.amax(dims: dims, keepdim: keepdim) }
/// `x.amax(dim:keepdim:)` as a free function (`torch.amax`).
public func amax(_ x: Tensor, dim: Int, keepdim: Bool = false) -> Tensor { x.amax(dim: dim, keepdim: keepdim) }
/// `x.amin(dims:keepdim:)` as a free function (`torch.amin`).
public func amin(_ x: Tensor, dims: [Int] = [], keepdim: Bool = false) -> Tensor { x.amin(dims: dims, keepdim: keepdim) }
/// `x.amin(dim:keepdim:)` as a free function (`torch.amin`).
public func amin(_ x: Tensor, dim: Int, keepdim: Bool = false) -> Tensor { x.amin(dim: dim, keepdim: keepdim) }
/// `x.argmax(dim:keepdim:)` as a free function (`torch.argmax`).
public func argmax(_ x: Tensor, dim: Int? = nil, keepdim: Bool = false) -> Tensor { x.argmax(dim: dim, keepdim: keepdim) }
/// `x.argmin(dim:keepdim:)` as a free function (`torch.argmin`).
public func argmin(_ x: Tensor, dim: Int? = nil, keepdim: Bool = false) -> Tensor { x.argmin(dim: dim, keepdim: keepdim) }

extension Tensor {
    /// `x.argmax(1)`: the positions of the maxima along `dim`, given by position
    /// (`torch.Tensor.argmax`).
    public func argmax(_ dim: Int, keepdim: Bool = false) -> Tensor { argmax(dim: dim, keepdim: keepdim) }
}
