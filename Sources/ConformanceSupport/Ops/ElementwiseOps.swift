import Torch

/// A binary op whose second (or first) argument may be a tensor or a Python number.
private func binary(
    _ tensorForm: @escaping @Sendable (Tensor, Tensor) -> Tensor,
    _ scalarForm: @escaping @Sendable (Tensor, Scalar) -> Tensor
) -> OpImplementation {
    { c in
        switch (c[0], c[1]) {
        case (.tensor(let a), .tensor(let b)): return .tensor(tensorForm(a, b))
        case (.tensor(let a), .scalar(let s)): return .tensor(scalarForm(a, s))
        case (.scalar(let s), .tensor(let b)):
            return .tensor(tensorForm(Tensor(shape: [], values: [s], dtype: resultType(b, s)), b))
        default: fatalError("\(c.id): unsupported arguments")
        }
    }
}

private func unary(_ f: @escaping @Sendable (Tensor) -> Tensor) -> OpImplementation {
    { c in .tensor(f(c.tensor(0))) }
}

/// `elementwise.jsonl` and the arithmetic of `promotion.jsonl`.
let elementwiseOps: [String: OpImplementation] = [
    "neg": unary(neg), "abs": unary(abs), "exp": unary(exp), "log": unary(log), "log2": unary(log2),
    "log10": unary(log10), "log1p": unary(log1p), "expm1": unary(expm1), "sqrt": unary(sqrt),
    "rsqrt": unary(rsqrt), "sin": unary(sin), "cos": unary(cos), "tan": unary(tan), "asin": unary(asin),
    "asinh": unary(asinh), "acosh": unary(acosh), "atanh": unary(atanh),
    "acos": unary(acos), "atan": unary(atan), "sinh": unary(sinh), "cosh": unary(cosh), "tanh": unary(tanh),
    "sigmoid": unary(sigmoid), "relu": unary(relu), "sign": unary(sign), "floor": unary(floor),
    "ceil": unary(ceil), "trunc": unary(trunc), "reciprocal": unary(reciprocal), "square": unary(square),
    "erf": unary(erf), "logical_not": unary(logicalNot),
    "round": { c in .tensor(round(c.tensor(0), decimals: c[kw: "decimals"].int ?? 0)) },
    "clamp": { c in
        if case .tensor(let lo) = c[1] { return .tensor(clamp(c.tensor(0), min: lo, max: c[2].tensor)) }
        if c.args.count > 1 { return .tensor(clamp(c.tensor(0), min: c[1].scalar, max: c[2].scalar)) }
        return .tensor(clamp(c.tensor(0), min: c[kw: "min"].scalar, max: c[kw: "max"].scalar))
    },
    "pow": { c in
        if case .scalar(let base) = c[0] { return .tensor(pow(base, c.tensor(1))) }
        return try binary({ pow($0, $1) }, { pow($0, $1) })(c)
    },
    "add": { c in
        let alpha = c[kw: "alpha"].scalar ?? 1
        return try binary({ add($0, $1, alpha: alpha) }, { add($0, $1, alpha: alpha) })(c)
    },
    "sub": { c in
        let alpha = c[kw: "alpha"].scalar ?? 1
        return try binary({ sub($0, $1, alpha: alpha) }, { sub($0, $1, alpha: alpha) })(c)
    },
    "mul": binary({ mul($0, $1) }, { mul($0, $1) }),
    "div": { c in
        let mode = c[kw: "rounding_mode"].string
        return try binary({ div($0, $1, roundingMode: mode) }, { div($0, $1, roundingMode: mode) })(c)
    },
    "maximum": binary(maximum, { maximum($0, wrappedScalar($1, $0)) }),
    "minimum": binary(minimum, { minimum($0, wrappedScalar($1, $0)) }),
    "atan2": binary(atan2, { atan2($0, wrappedScalar($1, $0)) }),
    "remainder": binary({ remainder($0, $1) }, { remainder($0, $1) }),
    "fmod": binary({ fmod($0, $1) }, { fmod($0, $1) }),
    "floor_divide": binary({ floorDivide($0, $1) }, { floorDivide($0, $1) }),
    "eq": binary(eq, { $0 .== $1 }), "ne": binary(ne, { $0 .!= $1 }),
    "lt": binary(lt, { $0 .< $1 }), "le": binary(le, { $0 .<= $1 }),
    "gt": binary(gt, { $0 .> $1 }), "ge": binary(ge, { $0 .>= $1 }),
    "logical_and": binary(logicalAnd, { logicalAnd($0, wrappedScalar($1, $0)) }),
    "logical_or": binary(logicalOr, { logicalOr($0, wrappedScalar($1, $0)) }),
    "logical_xor": binary(logicalXor, { logicalXor($0, wrappedScalar($1, $0)) }),
    "where": { c in
        let cond = c.tensor(0)
        switch (c[1], c[2]) {
        case (.tensor(let a), .tensor(let b)): return .tensor(Torch.where(cond, a, b))
        case (.tensor(let a), .scalar(let s)): return .tensor(Torch.where(cond, a, s))
        case (.scalar(let s), .tensor(let b)): return .tensor(Torch.where(cond, s, b))
        case (.scalar(let s), .scalar(let t)):
            let dt = resultType([.scalar(s), .scalar(t)])
            return .tensor(Torch.where(cond, Tensor(shape: [], values: [s], dtype: dt), Tensor(shape: [], values: [t], dtype: dt)))
        default: fatalError("\(c.id): unsupported arguments")
        }
    },
    "lerp": { c in
        if case .tensor(let w) = c[2] { return .tensor(lerp(c.tensor(0), c.tensor(1), weight: w)) }
        return .tensor(lerp(c.tensor(0), c.tensor(1), weight: c[2].scalar ?? 0))
    },
    "addcmul": { c in .tensor(addcmul(c.tensor(0), c.tensor(1), c.tensor(2), value: c[kw: "value"].scalar ?? 1)) },
    "addcdiv": { c in .tensor(addcdiv(c.tensor(0), c.tensor(1), c.tensor(2), value: c[kw: "value"].scalar ?? 1)) },
    "nn.functional.gelu": { c in .tensor(gelu(c.tensor(0), approximate: c[kw: "approximate"].string ?? "none")) },
    "nn.functional.silu": unary(silu),
    "nn.functional.softplus": { c in
        .tensor(softplus(c.tensor(0), beta: c[kw: "beta"].double ?? 1, threshold: c[kw: "threshold"].double ?? 20))
    },
    "nn.functional.leaky_relu": { c in
        .tensor(leakyRelu(c.tensor(0), negativeSlope: c[kw: "negative_slope"].double ?? c[1].double ?? 0.01))
    },
    "nn.functional.elu": { c in .tensor(elu(c.tensor(0), alpha: c[kw: "alpha"].double ?? 1)) },
    "nn.functional.hardtanh": { c in
        .tensor(hardtanh(c.tensor(0), minVal: c[kw: "min_val"].double ?? -1, maxVal: c[kw: "max_val"].double ?? 1))
    },
    "nn.functional.mish": unary(mish),
    "nn.functional.logsigmoid": unary(logsigmoid),
]

/// A Python number as a 0-d tensor of the dtype it promotes to with `t`.
private func wrappedScalar(_ s: Scalar, _ t: Tensor) -> Tensor {
    Tensor(shape: [], values: [s], dtype: resultType(t, s))
}
