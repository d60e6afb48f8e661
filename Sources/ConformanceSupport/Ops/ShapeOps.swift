import Torch

/// The view ops of `shape.jsonl` built so far.
let shapeOps: [String: OpImplementation] = [
    "Tensor.view": { c in .tensor(c.tensor(0).view(c[1].ints ?? [])) },
    "reshape": { c in .tensor(c.tensor(0).reshape(c[1].ints ?? [])) },
    "permute": { c in .tensor(c.tensor(0).permute(c[1].ints ?? [])) },
    "transpose": { c in .tensor(c.tensor(0).transpose(c[1].int ?? 0, c[2].int ?? 1)) },
    "Tensor.t": { c in .tensor(c.tensor(0).t()) },
    "squeeze": { c in
        switch c[kw: "dim"] {
        case .list(let dims): return .tensor(c.tensor(0).squeeze(dims: dims.compactMap(\.int)))
        case .scalar(let d): return .tensor(c.tensor(0).squeeze(Int(d.int64Value)))
        default:
            if let d = c[1].int { return .tensor(c.tensor(0).squeeze(d)) }
            return .tensor(c.tensor(0).squeeze())
        }
    },
    "unsqueeze": { c in .tensor(c.tensor(0).unsqueeze(c[1].int ?? c[kw: "dim"].int ?? 0)) },
    "flatten": { c in
        .tensor(c.tensor(0).flatten(startDim: c[kw: "start_dim"].int ?? c[1].int ?? 0, endDim: c[kw: "end_dim"].int ?? c[2].int ?? -1))
    },
    "Tensor.expand": { c in .tensor(c.tensor(0).expand(c[1].ints ?? [])) },
    "narrow": { c in .tensor(c.tensor(0).narrow(c[1].int ?? 0, c[2].int ?? 0, c[3].int ?? 0)) },
]
