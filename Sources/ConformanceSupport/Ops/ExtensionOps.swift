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
