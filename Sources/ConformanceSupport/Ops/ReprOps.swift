import Torch

/// `repr.jsonl`: `str(tensor)` under the case's print options.
let reprOps: [String: OpImplementation] = [
    "repr": { c in
        let saved = printOptions()
        defer { setPrintOptions(saved) }
        var o = saved
        if let p = c[kw: "precision"].int { o.precision = p }
        if let t = c[kw: "threshold"].int { o.threshold = t }
        if let e = c[kw: "edgeitems"].int { o.edgeitems = e }
        if let l = c[kw: "linewidth"].int { o.linewidth = l }
        if case .scalar(.bool(let b)) = c[kw: "sci_mode"] { o.sciMode = b }
        setPrintOptions(o)
        let t = c.tensor(0)
        if case .scalar(.bool(true)) = c[kw: "requires_grad"] { t.requiresGrad_(true) }
        return .string(t.description)
    },
]
