import Torch

/// The API-breadth ops of issue 16, recorded by `scripts/record-conformance.py` into
/// `ext_*.jsonl`.

private func flag(_ c: OpCall, _ name: String, default value: Bool = false) -> Bool {
    c[kw: name].double.map { $0 != 0 } ?? value
}

private func pair(_ r: (values: Tensor, indices: Tensor)) -> OpValue { .tensors([r.values, r.indices]) }

private func unary(_ f: @escaping @Sendable (Tensor) -> Tensor) -> OpImplementation {
    { c in .tensor(f(c.tensor(0))) }
}

private func binary(_ f: @escaping @Sendable (Tensor, Tensor) -> Tensor) -> OpImplementation {
    { c in .tensor(f(c.tensor(0), c.tensor(1))) }
}

/// Sorting, order statistics and the float-classification and elementwise extras.
let extensionOps: [String: OpImplementation] = [
    "sort": { c in
        pair(c.tensor(0).sort(dim: c[kw: "dim"].int ?? -1, descending: flag(c, "descending"), stable: flag(c, "stable")))
    },
    "argsort": { c in .tensor(c.tensor(0).argsort(dim: c[kw: "dim"].int ?? -1, descending: flag(c, "descending"))) },
    "msort": unary { $0.msort() },
    "topk": { c in
        pair(c.tensor(0).topk(c[kw: "k"].int ?? c[1].int!, dim: c[kw: "dim"].int ?? -1, largest: flag(c, "largest", default: true),
                              sorted: flag(c, "sorted", default: true)))
    },
    "kthvalue": { c in
        pair(c.tensor(0).kthvalue(c[kw: "k"].int ?? c[1].int!, dim: c[kw: "dim"].int ?? -1, keepdim: flag(c, "keepdim")))
    },
    "median": { c in
        guard let dim = c[kw: "dim"].int else { return .tensor(c.tensor(0).median()) }
        return pair(c.tensor(0).median(dim: dim, keepdim: flag(c, "keepdim")))
    },
    "mode": { c in pair(c.tensor(0).mode(dim: c[kw: "dim"].int ?? -1, keepdim: flag(c, "keepdim"))) },
    "isnan": unary(isnan), "isinf": unary(isinf), "isposinf": unary(isposinf), "isneginf": unary(isneginf),
    "isfinite": unary(isfinite), "signbit": unary(signbit),
    "nan_to_num": { c in
        .tensor(nanToNum(c.tensor(0), nan: c[kw: "nan"].double ?? 0, posinf: c[kw: "posinf"].double, neginf: c[kw: "neginf"].double))
    },
    "frac": unary(frac), "fix": unary(fix), "sinc": unary(sinc), "deg2rad": unary(deg2rad), "rad2deg": unary(rad2deg),
    "heaviside": binary(heaviside), "copysign": binary(copysign), "logaddexp": binary(logaddexp),
    "logaddexp2": binary(logaddexp2), "hypot": binary(hypot), "xlogy": binary(xlogy),
    "clamp_max": { c in .tensor(clampMax(c.tensor(0), c[1].scalar ?? c[kw: "max"].scalar!)) },
]

private func dims(_ c: OpCall) -> [Int] { c[kw: "dim"].int.map { [$0] } ?? [] }

/// NaN-aware and paired reductions, running extrema.
let extensionReductionOps: [String: OpImplementation] = [
    "nansum": { c in .tensor(c.tensor(0).nansum(dims: dims(c), keepdim: flag(c, "keepdim"))) },
    "nanmean": { c in .tensor(c.tensor(0).nanmean(dims: dims(c), keepdim: flag(c, "keepdim"))) },
    "var_mean": { c in
        let r = c.tensor(0).varMean(dims: dims(c), correction: c[kw: "correction"].double ?? 1, keepdim: flag(c, "keepdim"))
        return .tensors([r.variance, r.mean])
    },
    "std_mean": { c in
        let r = c.tensor(0).stdMean(dims: dims(c), correction: c[kw: "correction"].double ?? 1, keepdim: flag(c, "keepdim"))
        return .tensors([r.std, r.mean])
    },
    "aminmax": { c in
        let r = c.tensor(0).aminmax(dim: c[kw: "dim"].int, keepdim: flag(c, "keepdim"))
        return .tensors([r.min, r.max])
    },
    "logcumsumexp": { c in .tensor(c.tensor(0).logcumsumexp(dim: c[kw: "dim"].int!)) },
    "cummax": { c in pair(c.tensor(0).cummax(dim: c[kw: "dim"].int!)) },
    "cummin": { c in pair(c.tensor(0).cummin(dim: c[kw: "dim"].int!)) },
]

/// Splits, differences, rotations, grids and other layout helpers.
let extensionShapeOps: [String: OpImplementation] = [
    "tensor_split": { c in
        if case .list(let items) = c[kw: "indices"] {
            return .tensors(c.tensor(0).tensorSplit(indices: items.compactMap(\.int), dim: c[kw: "dim"].int ?? 0))
        }
        return .tensors(c.tensor(0).tensorSplit(c[kw: "sections"].int!, dim: c[kw: "dim"].int ?? 0))
    },
    "hsplit": { c in .tensors(c.tensor(0).hsplit(c[kw: "sections"].int!)) },
    "vsplit": { c in .tensors(c.tensor(0).vsplit(c[kw: "sections"].int!)) },
    "dsplit": { c in .tensors(c.tensor(0).dsplit(c[kw: "sections"].int!)) },
    "diff": { c in
        .tensor(c.tensor(0).diff(n: c[kw: "n"].int ?? 1, dim: c[kw: "dim"].int ?? -1, prepend: c[1].tensor, append: c[2].tensor))
    },
    "repeat_interleave": { c in
        if let repeats = c[1].tensor { return .tensor(c.tensor(0).repeatInterleave(repeats, dim: c[kw: "dim"].int)) }
        return .tensor(c.tensor(0).repeatInterleave(c[kw: "repeats"].int!, dim: c[kw: "dim"].int))
    },
    "rot90": { c in .tensor(c.tensor(0).rot90(c[kw: "k"].int ?? 1, dims: c[kw: "dims"].ints ?? [0, 1])) },
    "take_along_dim": { c in .tensor(c.tensor(0).takeAlongDim(c.tensor(1), dim: c[kw: "dim"].int)) },
    "diag_embed": { c in .tensor(c.tensor(0).diagEmbed(offset: c[kw: "offset"].int ?? 0)) },
    "meshgrid": { c in .tensors(meshgrid([c.tensor(0), c.tensor(1)], indexing: c[kw: "indexing"].string ?? "ij")) },
    "tril_indices": { c in .tensor(trilIndices(c[0].int!, c[1].int!, offset: c[kw: "offset"].int ?? 0)) },
    "triu_indices": { c in .tensor(triuIndices(c[0].int!, c[1].int!, offset: c[kw: "offset"].int ?? 0)) },
    "linalg.cross": { c in .tensor(cross(c.tensor(0), c.tensor(1), dim: c[kw: "dim"].int ?? -1)) },
]

private func uniqueResult(_ r: (values: Tensor, inverse: Tensor?, counts: Tensor?)) -> OpValue {
    let extra = [r.inverse, r.counts].compactMap { $0 }
    return extra.isEmpty ? .tensor(r.values) : .tensors([r.values] + extra)
}

/// Searching, counting, set operations, closeness and distances.
let extensionSearchOps: [String: OpImplementation] = [
    "searchsorted": { c in .tensor(searchsorted(c.tensor(0), c.tensor(1), right: flag(c, "right"))) },
    "bucketize": { c in .tensor(bucketize(c.tensor(0), c.tensor(1), right: flag(c, "right"))) },
    "bincount": { c in .tensor(bincount(c.tensor(0), weights: c[1].tensor, minlength: c[kw: "minlength"].int ?? 0)) },
    "histc": { c in
        .tensor(histc(c.tensor(0), bins: c[kw: "bins"].int ?? 100, min: c[kw: "min"].double ?? 0, max: c[kw: "max"].double ?? 0))
    },
    "unique": { c in
        uniqueResult(unique(c.tensor(0), returnInverse: flag(c, "return_inverse"), returnCounts: flag(c, "return_counts")))
    },
    "unique_consecutive": { c in
        uniqueResult(uniqueConsecutive(c.tensor(0), returnInverse: flag(c, "return_inverse"), returnCounts: flag(c, "return_counts")))
    },
    "isclose": { c in
        .tensor(isclose(c.tensor(0), c.tensor(1), rtol: c[kw: "rtol"].double ?? 1e-5, atol: c[kw: "atol"].double ?? 1e-8,
                        equalNan: flag(c, "equal_nan")))
    },
    "cdist": { c in .tensor(cdist(c.tensor(0), c.tensor(1), p: c[kw: "p"].double ?? 2)) },
]

/// Index-driven writes and quantiles.
let extensionIndexOps: [String: OpImplementation] = [
    "index_copy": { c in .tensor(c.tensor(0).indexCopy(c[kw: "dim"].int!, c.tensor(1), c.tensor(2))) },
    "index_fill": { c in .tensor(c.tensor(0).indexFill(c[kw: "dim"].int!, c.tensor(1), c[kw: "value"].scalar!)) },
    "masked_scatter": { c in .tensor(c.tensor(0).maskedScatter(c.tensor(1), c.tensor(2))) },
    "scatter_reduce": { c in
        .tensor(c.tensor(0).scatterReduce(c[kw: "dim"].int!, c.tensor(1), c.tensor(2), reduce: c[kw: "reduce"].string!,
                                          includeSelf: flag(c, "include_self", default: true)))
    },
    "quantile": { c in .tensor(c.tensor(0).quantile(c[kw: "q"].double!, dim: c[kw: "dim"].int, keepdim: flag(c, "keepdim"))) },
    "nanquantile": { c in .tensor(c.tensor(0).nanquantile(c[kw: "q"].double!, dim: c[kw: "dim"].int, keepdim: flag(c, "keepdim"))) },
]

/// The added `torch.linalg` functions.
let extensionLinalgOps: [String: OpImplementation] = [
    "linalg.cholesky": { c in .tensor(linalg.cholesky(c.tensor(0))) },
    "linalg.cholesky_ex": { c in
        let r = linalg.choleskyEx(c.tensor(0))
        return .tensors([r.L, r.info])
    },
    "linalg.qr": { c in
        let r = linalg.qr(c.tensor(0))
        return .tensors([r.Q, r.R])
    },
    "linalg.slogdet": { c in
        let r = linalg.slogdet(c.tensor(0))
        return .tensors([r.sign, r.logabsdet])
    },
    "linalg.pinv": { c in .tensor(linalg.pinv(c.tensor(0))) },
    "linalg.matrix_rank": { c in .tensor(linalg.matrixRank(c.tensor(0))) },
    "linalg.matrix_norm": { c in
        if let ord = c[kw: "ord"].string { return .tensor(linalg.matrixNorm(c.tensor(0), ord: ord)) }
        return .tensor(linalg.matrixNorm(c.tensor(0), ord: c[kw: "ord"].double ?? 2))
    },
    "linalg.matrix_power": { c in .tensor(linalg.matrixPower(c.tensor(0), c[kw: "n"].int!)) },
    "linalg.matrix_exp": { c in .tensor(linalg.matrixExp(c.tensor(0))) },
    "linalg.multi_dot": { c in .tensor(linalg.multiDot((0..<c.args.count).map { c.tensor($0) })) },
    "linalg.householder_product": { c in .tensor(linalg.householderProduct(c.tensor(0), c.tensor(1))) },
]

/// `ext_special.jsonl`: the gamma-function family, 3-D pooling and adaptive max pooling's
/// indices.
let extensionSpecialOps: [String: OpImplementation] = [
    "lgamma": unary(lgamma),
    "digamma": unary(digamma),
    "polygamma": { c in .tensor(polygamma(c[0].int!, c.tensor(1))) },
    "nn.functional.max_pool3d": { c in
        .tensor(maxPool3d(c.tensor(0), c[kw: "kernel_size"].ints!, stride: c[kw: "stride"].ints,
                          padding: c[kw: "padding"].ints ?? [0], dilation: c[kw: "dilation"].ints ?? [1],
                          ceilMode: flag(c, "ceil_mode")))
    },
    "nn.functional.avg_pool3d": { c in
        .tensor(avgPool3d(c.tensor(0), c[kw: "kernel_size"].ints!, stride: c[kw: "stride"].ints,
                          padding: c[kw: "padding"].ints ?? [0], ceilMode: flag(c, "ceil_mode"),
                          countIncludePad: flag(c, "count_include_pad", default: true),
                          divisorOverride: c[kw: "divisor_override"].int))
    },
    "nn.functional.adaptive_max_pool2d": { c in
        let r = adaptiveMaxPool2dWithIndices(c.tensor(0), c[kw: "output_size"].ints!)
        return flag(c, "return_indices") ? .tensors([r.values, r.indices]) : .tensor(r.values)
    },
]
