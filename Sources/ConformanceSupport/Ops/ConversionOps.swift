import Torch

/// Dtype and device conversions, `item`, `requires_grad_` (`promotion.jsonl`, `shape.jsonl`,
/// `errors.jsonl`).
let conversionOps: [String: OpImplementation] = [
    "Tensor.to": { c in
        let t = c.tensor(0)
        if let device = c[kw: "device"].string { return .tensor(try t.to(device: device)) }
        return .tensor(t.to(c.dtype ?? t.dtype))
    },
    "Tensor.type": { c in .tensor(c.tensor(0).type(c.dtype ?? c.tensor(0).dtype)) },
    "Tensor.long": { c in .tensor(c.tensor(0).long()) },
    "Tensor.float": { c in .tensor(c.tensor(0).float()) },
    "Tensor.double": { c in .tensor(c.tensor(0).double()) },
    "Tensor.int": { c in .tensor(c.tensor(0).int()) },
    "Tensor.bool": { c in .tensor(c.tensor(0).bool()) },
    "Tensor.contiguous": { c in .tensor(c.tensor(0).contiguous()) },
    "Tensor.item": { c in .scalar(.double(c.tensor(0).item())) },
    "Tensor.requires_grad_": { c in .tensor(c.tensor(0).requiresGrad_(true)) },
]
