import Torch

/// The `dim` keyword (or the first positional argument after the tensor): `nil` when
/// absent, else the list of dims (an int becomes a one-element list).
private func dims(_ c: OpCall, position: Int = 1) -> [Int]? {
    switch c[kw: "dim"] {
    case .list(let l): return l.compactMap(\.int)
    case .scalar(let s): return [Int(s.int64Value)]
    default:
        switch c[position] {
        case .list(let l): return l.compactMap(\.int)
        case .scalar(let s): return [Int(s.int64Value)]
        default: return nil
        }
    }
}

/// Whether `dim` was given as a plain int (not a list).
private func singleDim(_ c: OpCall, position: Int = 1) -> Int? {
    if case .scalar(let s) = c[kw: "dim"] { return Int(s.int64Value) }
    if c[kw: "dim"].list == nil, case .scalar(let s) = c[position] { return Int(s.int64Value) }
    return nil
}

private func keepdim(_ c: OpCall) -> Bool {
    if case .scalar(.bool(let b)) = c[kw: "keepdim"] { return b }
    return false
}

/// `correction` (a number) or `unbiased` (a bool); 1 when neither is given.
private func correction(_ c: OpCall) -> Double {
    if let d = c[kw: "correction"].double { return d }
    if case .scalar(.bool(let b)) = c[kw: "unbiased"] { return b ? 1 : 0 }
    return 1
}

/// `p` for `norm`: a number, `inf`/`-inf` (decoded as doubles), or a name like `"fro"`.
private enum NormArgument {
    case number(Double)
    case name(String)
}

private func normOrder(_ c: OpCall) -> NormArgument {
    let p = c[kw: "p"]
    if let s = p.string { return .name(s) }
    if let d = p.double { return .number(d) }
    if let s = c[1].string { return .name(s) }
    if let d = c[1].double { return .number(d) }
    return .number(2)
}

/// An extremum op: `max`/`min` without dim give the value, with dim the pair.
private func extremum(
    _ all: @escaping @Sendable (Tensor) -> Tensor,
    _ along: @escaping @Sendable (Tensor, Int, Bool) -> (values: Tensor, indices: Tensor)
) -> OpImplementation {
    { c in
        guard let d = singleDim(c) else { return .tensor(all(c.tensor(0))) }
        let (values, indices) = along(c.tensor(0), d, keepdim(c))
        return .tensors([values, indices])
    }
}

/// `reduction.jsonl` and the reduction cases of `errors.jsonl`.
let reductionOps: [String: OpImplementation] = [
    "sum": { c in
        let x = c.tensor(0)
        guard let d = dims(c) else { return .tensor(x.sum(dtype: c.dtype)) }
        return .tensor(x.sum(dims: d, keepdim: keepdim(c), dtype: c.dtype))
    },
    "mean": { c in
        let x = c.tensor(0)
        guard let d = dims(c) else { return .tensor(x.mean(dtype: c.dtype)) }
        return .tensor(x.mean(dims: d, keepdim: keepdim(c), dtype: c.dtype))
    },
    "prod": { c in
        let x = c.tensor(0)
        guard let d = singleDim(c) else { return .tensor(x.prod(dtype: c.dtype)) }
        return .tensor(x.prod(dim: d, keepdim: keepdim(c), dtype: c.dtype))
    },
    "max": extremum({ $0.max() }, { $0.max(dim: $1, keepdim: $2) }),
    "min": extremum({ $0.min() }, { $0.min(dim: $1, keepdim: $2) }),
    "amax": { c in .tensor(c.tensor(0).amax(dims: dims(c) ?? [], keepdim: keepdim(c))) },
    "amin": { c in .tensor(c.tensor(0).amin(dims: dims(c) ?? [], keepdim: keepdim(c))) },
    "argmax": { c in .tensor(c.tensor(0).argmax(dim: singleDim(c), keepdim: keepdim(c))) },
    "argmin": { c in .tensor(c.tensor(0).argmin(dim: singleDim(c), keepdim: keepdim(c))) },
    "std": { c in .tensor(c.tensor(0).std(dims: dims(c) ?? [], correction: correction(c), keepdim: keepdim(c))) },
    "var": { c in .tensor(c.tensor(0).var(dims: dims(c) ?? [], correction: correction(c), keepdim: keepdim(c))) },
    "norm": { c in
        let x = c.tensor(0)
        let d = dims(c, position: 2) ?? []
        switch normOrder(c) {
        case .number(let p): return .tensor(x.norm(p: p, dims: d, keepdim: keepdim(c), dtype: c.dtype))
        case .name(let name): return .tensor(x.norm(p: name, dims: d, keepdim: keepdim(c), dtype: c.dtype))
        }
    },
    "logsumexp": { c in .tensor(c.tensor(0).logsumexp(dims: dims(c) ?? [], keepdim: keepdim(c))) },
    "softmax": { c in .tensor(c.tensor(0).softmax(dim: singleDim(c) ?? -1, dtype: c.dtype)) },
    "log_softmax": { c in .tensor(c.tensor(0).logSoftmax(dim: singleDim(c) ?? -1, dtype: c.dtype)) },
    "nn.functional.softmax": { c in .tensor(c.tensor(0).softmax(dim: singleDim(c) ?? -1, dtype: c.dtype)) },
    "nn.functional.log_softmax": { c in .tensor(c.tensor(0).logSoftmax(dim: singleDim(c) ?? -1, dtype: c.dtype)) },
    "cumsum": { c in .tensor(c.tensor(0).cumsum(dim: singleDim(c) ?? 0, dtype: c.dtype)) },
    "cumprod": { c in .tensor(c.tensor(0).cumprod(dim: singleDim(c) ?? 0, dtype: c.dtype)) },
    "all": { c in
        let x = c.tensor(0)
        guard let d = dims(c) else { return .tensor(x.all()) }
        return .tensor(x.all(dims: d, keepdim: keepdim(c)))
    },
    "any": { c in
        let x = c.tensor(0)
        guard let d = dims(c) else { return .tensor(x.any()) }
        return .tensor(x.any(dims: d, keepdim: keepdim(c)))
    },
]
