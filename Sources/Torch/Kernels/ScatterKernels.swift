/// `out[..., index[i], ...] += src[i]` along one dimension, accumulating in the tensors'
/// own dtype as PyTorch's CPU kernel does. Index positions are checked before anything is
/// written.

/// Storage offsets, in `t`'s layout, of every position of `shape` over `dims` (row-major
/// over those dimensions); `t`'s other coordinates are 0.
private func offsets(over dims: Range<Int>, of shape: [Int], strides: [Int]) -> [Int] {
    var result = [0]
    for d in dims {
        var next: [Int] = []
        next.reserveCapacity(result.count * shape[d])
        for base in result { for k in 0..<shape[d] { next.append(base + k * strides[d]) } }
        result = next
    }
    return result
}

/// Adds `src` into `out` at `index` along `dim`; `out` is contiguous, `index` int64 and
/// `src` of `out`'s dtype, `index` no larger than either in any dimension. `false` (nothing
/// written) for dtypes without a kernel here.
func scatterAddKernel(into out: Tensor, dim: Int, index: Tensor, src: Tensor) -> Bool {
    let idx = index.denseForKernel, source = src.denseForKernel
    let shape = idx.shape, rank = shape.count
    guard rank == out.dim, rank == source.dim else { return false }
    let size = out.shape[dim]
    let positions = idx.pointer(as: Int64.self)
    for i in 0..<idx.numel where positions[i] < 0 || Int(positions[i]) >= size {
        torchFatal("RuntimeError: index \(positions[i]) is out of bounds for dimension \(dim) with size \(size)")
    }
    let outer = offsets(over: 0..<dim, of: shape, strides: out.strides)
    let inner = offsets(over: (dim + 1)..<rank, of: shape, strides: out.strides)
    let srcOuter = offsets(over: 0..<dim, of: shape, strides: source.strides)
    let srcInner = offsets(over: (dim + 1)..<rank, of: shape, strides: source.strides)
    let mid = rank == 0 ? 1 : shape[dim]
    let outStride = out.strides.isEmpty ? 0 : out.strides[dim], srcStride = source.strides.isEmpty ? 0 : source.strides[dim]
    func run<T: ArithmeticElement>(_: T.Type) {
        let o = out.pointer(as: T.self), s = source.pointer(as: T.self)
        var flat = 0
        for a in 0..<outer.count {
            for m in 0..<mid {
                for b in 0..<inner.count {
                    let target = outer[a] + Int(positions[flat]) * outStride + inner[b]
                    o[target] = T.plus(o[target], s[srcOuter[a] + m * srcStride + srcInner[b]])
                    flat += 1
                }
            }
        }
    }
    switch out.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    case .int64: run(Int64.self)
    default: return false
    }
    return true
}
