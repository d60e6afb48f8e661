import Torch

/// Decodes the corpus's index items (`{"int": i}`, `{"slice": [a, b, c]}`, ...).
private func indexItems(_ json: JSON?) -> [TensorIndex] {
    (json?.array ?? []).map { item in
        if let i = item["int"]?.int { return .int(i) }
        if let s = item["slice"]?.array {
            return .slice(s[0].int, s[1].int, step: s.count > 2 ? (s[2].int ?? 1) : 1)
        }
        if item["none"] != nil { return .newAxis }
        if item["ellipsis"] != nil { return .ellipsis }
        if let t = item["tensor"].flatMap(decodeTensor) { return .tensor(t) }
        return .all
    }
}

/// Expression indexing (`a[0]`) arrives as plain numbers rather than corpus items.
private func items(_ c: OpCall, _ raw: JSON?) -> [TensorIndex] {
    if raw != nil { return indexItems(raw) }
    return (c[kw: "index"].list ?? []).map(expressionIndexItem)
}

/// One subscript item as an expression evaluates it: an integer, a slice, `None`, a tensor.
func expressionIndexItem(_ arg: OpArgument) -> TensorIndex {
    switch arg {
    case .tensor(let t): return .tensor(t)
    case .slice(let start, let stop, let step): return .range(start, stop, step: step)
    case .none: return .newAxis
    default: return .int(arg.int ?? 0)
    }
}

/// `indexing.jsonl`: `getitem` and `setitem`.
let indexingOps: [String: OpImplementation] = [
    "getitem": { c in .tensor(c.tensor(0).index(items(c, c.rawInputs.isEmpty ? nil : rawKwarg(c, "index")))) },
    "setitem": { c in
        let y = c.tensor(0).clone()
        let idx = items(c, rawKwarg(c, "index"))
        switch c[kw: "value"] {
        case .tensor(let v): y.indexPut_(idx, v)
        case .scalar(let s): y.indexPut_(idx, s)
        default: break
        }
        return .tensor(y)
    },
]

/// The recorded JSON of a keyword argument (index items need more than `OpArgument` keeps).
private func rawKwarg(_ c: OpCall, _ name: String) -> JSON? {
    c.rawKwargs[name]
}
