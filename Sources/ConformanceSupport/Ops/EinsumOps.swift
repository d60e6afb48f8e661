import Torch

/// `einsum.jsonl`: `torch.einsum(kwargs.equation, *inputs)`.
let einsumOps: [String: OpImplementation] = [
    "einsum": { c in
        .tensor(einsum(c[kw: "equation"].string ?? "", c.args.compactMap(\.tensor)))
    },
]
