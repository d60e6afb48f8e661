import Torch

/// `linalg.jsonl`: products and `torch.linalg` (einsum has its own family).
let linalgOps: [String: OpImplementation] = [
    "dot": { c in .tensor(dot(c.tensor(0), c.tensor(1))) },
    "mv": { c in .tensor(mv(c.tensor(0), c.tensor(1))) },
    "mm": { c in .tensor(mm(c.tensor(0), c.tensor(1))) },
    "bmm": { c in .tensor(bmm(c.tensor(0), c.tensor(1))) },
    "matmul": { c in .tensor(matmul(c.tensor(0), c.tensor(1))) },
    "outer": { c in .tensor(outer(c.tensor(0), c.tensor(1))) },
    "ger": { c in .tensor(ger(c.tensor(0), c.tensor(1))) },
    "kron": { c in .tensor(kron(c.tensor(0), c.tensor(1))) },
    "addmm": { c in
        .tensor(addmm(c.tensor(0), c.tensor(1), c.tensor(2),
                      beta: c[kw: "beta"].double ?? 1, alpha: c[kw: "alpha"].double ?? 1))
    },
    "baddbmm": { c in
        .tensor(baddbmm(c.tensor(0), c.tensor(1), c.tensor(2),
                        beta: c[kw: "beta"].double ?? 1, alpha: c[kw: "alpha"].double ?? 1))
    },
    "linalg.inv": { c in .tensor(linalg.inv(c.tensor(0))) },
    "linalg.det": { c in .tensor(linalg.det(c.tensor(0))) },
    "linalg.solve": { c in .tensor(linalg.solve(c.tensor(0), c.tensor(1))) },
]
