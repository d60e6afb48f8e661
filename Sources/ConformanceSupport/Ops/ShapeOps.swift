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
    "cat": { c in .tensor(cat(c[0].tensors ?? [], dim: c[kw: "dim"].int ?? 0)) },
    "stack": { c in .tensor(stack(c[0].tensors ?? [], dim: c[kw: "dim"].int ?? 0)) },
    "split": { c in
        let dim = c[kw: "dim"].int ?? 0
        if case .list = c[1] { return .tensors(c.tensor(0).split(c[1].ints ?? [], dim: dim)) }
        return .tensors(c.tensor(0).split(c[1].int ?? 1, dim: dim))
    },
    "chunk": { c in .tensors(c.tensor(0).chunk(c[1].int ?? 1, dim: c[kw: "dim"].int ?? 0)) },
    "flip": { c in .tensor(c.tensor(0).flip(c[1].ints ?? c[kw: "dims"].ints ?? [])) },
    "roll": { c in
        let shifts = c[1].ints ?? c[kw: "shifts"].ints ?? [0]
        return .tensor(c.tensor(0).roll(shifts, dims: c[kw: "dims"].ints ?? []))
    },
    "Tensor.repeat": { c in .tensor(c.tensor(0).`repeat`(c[1].ints ?? [])) },
    "tril": { c in .tensor(c.tensor(0).tril(c[kw: "diagonal"].int ?? 0)) },
    "triu": { c in .tensor(c.tensor(0).triu(c[kw: "diagonal"].int ?? 0)) },
    "diag": { c in .tensor(diag(c.tensor(0), diagonal: c[kw: "diagonal"].int ?? 0)) },
    "diagonal": { c in
        .tensor(c.tensor(0).diagonal(offset: c[kw: "offset"].int ?? 0, dim1: c[kw: "dim1"].int ?? 0, dim2: c[kw: "dim2"].int ?? 1))
    },
    "trace": { c in .tensor(trace(c.tensor(0))) },
]

/// The index-driven ops of `shape.jsonl`.
let gatherOps: [String: OpImplementation] = [
    "index_select": { c in .tensor(c.tensor(0).indexSelect(c[1].int ?? 0, c.tensor(2))) },
    "gather": { c in .tensor(c.tensor(0).gather(c[1].int ?? 0, c.tensor(2))) },
    "scatter_add": { c in .tensor(c.tensor(0).scatterAdd(c[1].int ?? 0, c.tensor(2), c.tensor(3))) },
    "masked_fill": { c in .tensor(c.tensor(0).maskedFill(c.tensor(1), c[2].scalar ?? 0)) },
    "masked_select": { c in .tensor(c.tensor(0).maskedSelect(c.tensor(1))) },
    "Tensor.unfold": { c in .tensor(c.tensor(0).unfold(c[1].int ?? 0, c[2].int ?? 1, c[3].int ?? 1)) },
]
