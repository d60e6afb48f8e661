import Torch

/// In-place methods (`y.fill_(0.5)`, `y.mul_(b)`, ...) and `detach`, as `program` and
/// `expr` cases call them; each returns the tensor it changed.
let inPlaceOps: [String: OpImplementation] = [
    "Tensor.fill_": { c in .tensor(c.tensor(0).fill_(c[1].scalar ?? 0)) },
    "Tensor.zero_": { c in .tensor(c.tensor(0).zero_()) },
    "Tensor.copy_": { c in .tensor(c.tensor(0).copy_(c.tensor(1))) },
    "Tensor.add_": { c in
        let alpha = c[kw: "alpha"].scalar ?? 1
        if let b = c[1].tensor { return .tensor(c.tensor(0).add_(b, alpha: alpha)) }
        return .tensor(c.tensor(0).add_(c[1].scalar ?? 0, alpha: alpha))
    },
    "Tensor.sub_": { c in
        let alpha = c[kw: "alpha"].scalar ?? 1
        if let b = c[1].tensor { return .tensor(c.tensor(0).sub_(b, alpha: alpha)) }
        return .tensor(c.tensor(0).sub_(c[1].scalar ?? 0, alpha: alpha))
    },
    "Tensor.mul_": { c in
        if let b = c[1].tensor { return .tensor(c.tensor(0).mul_(b)) }
        return .tensor(c.tensor(0).mul_(c[1].scalar ?? 1))
    },
    "Tensor.div_": { c in
        if let b = c[1].tensor { return .tensor(c.tensor(0).div_(b)) }
        return .tensor(c.tensor(0).div_(c[1].scalar ?? 1))
    },
    "Tensor.clamp_": { c in
        .tensor(c.tensor(0).clamp_(min: c[1].scalar ?? c[kw: "min"].scalar, max: c[2].scalar ?? c[kw: "max"].scalar))
    },
    "Tensor.relu_": { c in .tensor(c.tensor(0).relu_()) },
    "Tensor.exp_": { c in .tensor(c.tensor(0).exp_()) },
    "Tensor.neg_": { c in .tensor(c.tensor(0).neg_()) },
    "Tensor.masked_fill_": { c in .tensor(c.tensor(0).maskedFill_(c.tensor(1), c[2].scalar ?? 0)) },
    "Tensor.index_add_": { c in
        .tensor(c.tensor(0).indexAdd_(c[1].int ?? 0, c.tensor(2), c.tensor(3), alpha: c[kw: "alpha"].scalar ?? 1))
    },
    "Tensor.scatter_": { c in
        if let src = c[3].tensor { return .tensor(c.tensor(0).scatter_(c[1].int ?? 0, c.tensor(2), src)) }
        return .tensor(c.tensor(0).scatter_(c[1].int ?? 0, c.tensor(2), value: c[3].scalar ?? c[kw: "value"].scalar ?? 0))
    },
    "Tensor.unsqueeze_": { c in .tensor(c.tensor(0).unsqueeze_(c[1].int ?? 0)) },
    "Tensor.squeeze_": { c in
        if let d = c[1].int { return .tensor(c.tensor(0).squeeze_(d)) }
        return .tensor(c.tensor(0).squeeze_())
    },
    "Tensor.t_": { c in .tensor(c.tensor(0).t_()) },
    "Tensor.transpose_": { c in .tensor(c.tensor(0).transpose_(c[1].int ?? 0, c[2].int ?? 1)) },
    "Tensor.detach": { c in .tensor(c.tensor(0).detach()) },
]
