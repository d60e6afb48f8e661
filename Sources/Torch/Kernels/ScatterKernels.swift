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
    // The range first (a loop the compiler vectorises), the offending index only on failure.
    var lowest = Int64.max, highest = Int64.min
    for i in 0..<idx.numel {
        lowest = Swift.min(lowest, positions[i])
        highest = Swift.max(highest, positions[i])
    }
    if idx.numel > 0 && (lowest < 0 || highest >= Int64(size)) {
        for i in 0..<idx.numel where positions[i] < 0 || Int(positions[i]) >= size {
            torchFatal("RuntimeError: index \(positions[i]) is out of bounds for dimension \(dim) with size \(size)")
        }
    }
    let outer = offsets(over: 0..<dim, of: shape, strides: out.strides)
    let inner = offsets(over: (dim + 1)..<rank, of: shape, strides: out.strides)
    let srcOuter = offsets(over: 0..<dim, of: shape, strides: source.strides)
    let srcInner = offsets(over: (dim + 1)..<rank, of: shape, strides: source.strides)
    let mid = rank == 0 ? 1 : shape[dim]
    let outStride = out.strides.isEmpty ? 0 : out.strides[dim], srcStride = source.strides.isEmpty ? 0 : source.strides[dim]
    // Rows of `out` and `src` whose positions after `dim` are consecutive (the usual case)
    // are walked by pointer instead of through the offset tables.
    let consecutive = inner.enumerated().allSatisfy { $0.offset == $0.element }
        && srcInner.enumerated().allSatisfy { $0.offset == $0.element }
    func run<T: ArithmeticElement>(_: T.Type) {
        let o = out.pointer(as: T.self), s = source.pointer(as: T.self)
        let width = inner.count
        outer.withUnsafeBufferPointer { outer in
            srcOuter.withUnsafeBufferPointer { srcOuter in
                inner.withUnsafeBufferPointer { inner in
                    srcInner.withUnsafeBufferPointer { srcInner in
                        var row = positions
                        for a in 0..<outer.count {
                            let target = o + outer[a]
                            for m in 0..<mid {
                                let from = s + srcOuter[a] + m * srcStride
                                if consecutive {
                                    for b in 0..<width {
                                        let t = target + Int(row[b]) * outStride + b
                                        t.pointee = T.plus(t.pointee, from[b])
                                    }
                                } else {
                                    for b in 0..<width {
                                        let t = target + Int(row[b]) * outStride + inner[b]
                                        t.pointee = T.plus(t.pointee, from[srcInner[b]])
                                    }
                                }
                                row += width
                            }
                        }
                    }
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
