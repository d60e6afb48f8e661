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

/// Stops with PyTorch's message when any of `count` positions lies outside `0..<size`:
/// the range first (a loop the compiler vectorises), the offending index only on failure.
private func checkIndexRange(_ positions: UnsafePointer<Int64>, count: Int, size: Int, dim: Int) {
    var lowest = Int64.max, highest = Int64.min
    for i in 0..<count {
        lowest = Swift.min(lowest, positions[i])
        highest = Swift.max(highest, positions[i])
    }
    guard count > 0, lowest < 0 || highest >= Int64(size) else { return }
    for i in 0..<count where positions[i] < 0 || Int(positions[i]) >= size {
        torchFatal("RuntimeError: index \(positions[i]) is out of bounds for dimension \(dim) with size \(size)")
    }
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
    checkIndexRange(positions, count: idx.numel, size: size, dim: dim)
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

/// `out[i][j] = data[i][index[i][j]]` along `dim` (`torch.gather`): `out` has `index`'s
/// shape and `data`'s dtype; `index` is int64 and no larger than `data` in any other
/// dimension (the caller checks). Elements are copied by their width, so one loop serves
/// every dtype; rows of the last dimension are split across cores for large outputs.
func gatherKernel(_ data: Tensor, dim: Int, index: Tensor) -> Tensor {
    let idx = index.denseForKernel
    let out = Tensor(uninitializedShape: idx.shape, dtype: data.dtype, zeroed: false)
    let count = idx.numel
    guard count > 0 else { return out }
    let rank = Swift.max(idx.dim, 1)
    let shape = idx.dim == 0 ? [1] : idx.shape
    let strides = data.dim == 0 ? [0] : data.strides
    let size = data.dim == 0 ? 1 : data.shape[dim]
    let positions = idx.pointer(as: Int64.self)
    checkIndexRange(positions, count: count, size: size, dim: dim)
    let width = shape[rank - 1], rows = count / width
    // Along the last dimension: the data stride between neighbours (0 when `dim` is that
    // dimension: the index alone moves along it).
    let step = dim == rank - 1 ? 0 : strides[rank - 1]
    let dimStride = strides[dim]
    func run<T: FixedWidthInteger>(_: T.Type) {
        let src = data.storage.data.assumingMemoryBound(to: T.self) + data.offset
        let dst = out.storage.data.assumingMemoryBound(to: T.self) + out.offset
        forEachRange(rows, work: count) { start, end in
            // The coordinates of row `start` over the leading dimensions, then an odometer.
            var coordinate = [Int](repeating: 0, count: rank)
            var rest = start
            for k in stride(from: rank - 2, through: 0, by: -1) {
                coordinate[k] = rest % shape[k]
                rest /= shape[k]
            }
            for row in start..<end {
                var base = 0
                for k in 0..<(rank - 1) where k != dim { base += coordinate[k] * strides[k] }
                let from = src + base, to = dst + row * width, at = positions + row * width
                for j in 0..<width { to[j] = from[j * step + Int(at[j]) * dimStride] }
                var k = rank - 2
                while k >= 0 {
                    coordinate[k] += 1
                    if coordinate[k] < shape[k] { break }
                    coordinate[k] = 0
                    k -= 1
                }
            }
        }
    }
    switch data.dtype.itemSize {
    case 1: run(UInt8.self)
    case 2: run(UInt16.self)
    case 4: run(UInt32.self)
    default: run(UInt64.self)
    }
    return out
}
