import Torch

/// `creation.jsonl`: factories and `torch.tensor`.
let creationOps: [String: OpImplementation] = [
    "zeros": { c in
        if let device = c[kw: "device"].string { _ = Tensor.zeros([1]).to(try Device(device)) }
        return .tensor(Tensor.zeros(c[0].ints ?? [], dtype: c.dtype))
    },
    "ones": { c in .tensor(Tensor.ones(c[0].ints ?? [], dtype: c.dtype)) },
    "empty": { c in .tensor(Tensor.empty(c[0].ints ?? [], dtype: c.dtype)) },
    "full": { c in .tensor(Tensor.full(c[0].ints ?? [], c[1].scalar ?? 0, dtype: c.dtype)) },
    "eye": { c in .tensor(Tensor.eye(c[0].int ?? 0, c[1].int, dtype: c.dtype)) },
    "arange": { c in
        switch c.args.count {
        case 1: return .tensor(Tensor.arange(c[0].scalar!, dtype: c.dtype))
        case 2: return .tensor(Tensor.arange(c[0].scalar!, c[1].scalar!, dtype: c.dtype))
        default: return .tensor(Tensor.arange(c[0].scalar!, c[1].scalar!, step: c[2].scalar!, dtype: c.dtype))
        }
    },
    "linspace": { c in .tensor(Tensor.linspace(c[0].scalar!, c[1].scalar!, steps: c[2].int!, dtype: c.dtype)) },
    "zeros_like": { c in .tensor(Tensor.zerosLike(c.tensor(0), dtype: c.dtype)) },
    "ones_like": { c in .tensor(Tensor.onesLike(c.tensor(0), dtype: c.dtype)) },
    "full_like": { c in .tensor(Tensor.fullLike(c.tensor(0), c[1].scalar ?? 0, dtype: c.dtype)) },
    "tensor": { c in
        let (shape, values) = flattenNested(c.rawInputs.first ?? .null)
        return .tensor(Tensor(shape: shape, values: values, dtype: c.dtype))
    },
]

/// Flattens a nested JSON list into a shape and row-major numbers, like `torch.tensor`.
func flattenNested(_ json: JSON) -> ([Int], [Scalar]) { flattenNested(OpArgument(json)) }

/// Flattens a nested list argument (recorded or evaluated) into a shape and row-major
/// numbers, like `torch.tensor`; anything but a number reads as NaN.
func flattenNested(_ argument: OpArgument) -> ([Int], [Scalar]) {
    var shape: [Int] = []
    var values: [Scalar] = []
    func walk(_ a: OpArgument, depth: Int) {
        if case .list(let items) = a {
            if depth == shape.count { shape.append(items.count) }
            for item in items { walk(item, depth: depth + 1) }
        } else {
            values.append(a.scalar ?? .double(.nan))
        }
    }
    walk(argument, depth: 0)
    return (shape, values)
}
