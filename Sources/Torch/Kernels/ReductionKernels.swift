/// Reductions over a set of dimensions. The input is viewed with the kept dimensions first
/// and the reduced ones last; each output element folds one reduced block, walked with the
/// strided run machinery so contiguous blocks become flat loops.

/// The shape after reducing `dims` (kept as size 1 with `keepdim`).
func reducedShape(_ shape: [Int], dims: Set<Int>, keepdim: Bool) -> [Int] {
    var out: [Int] = []
    for (d, s) in shape.enumerated() {
        if dims.contains(d) {
            if keepdim { out.append(1) }
        } else {
            out.append(s)
        }
    }
    return out
}

/// Calls `body(blockView, outputIndex)` for every output element: `blockView` is the part
/// of `x` that folds into output element `outputIndex` (row-major over the kept dims).
func forEachReductionBlock(_ x: Tensor, dims: Set<Int>, _ body: (Tensor, Int) -> Void) {
    let kept = (0..<x.dim).filter { !dims.contains($0) }
    let reduced = (0..<x.dim).filter { dims.contains($0) }
    let blockShape = reduced.map { x.shape[$0] }
    let blockStrides = reduced.map { x.strides[$0] }
    let keptShape = kept.map { x.shape[$0] }
    let keptStrides = kept.map { x.strides[$0] }
    let count = keptShape.reduce(1, *)
    if count == 0 { return }
    var index = [Int](repeating: 0, count: kept.count)
    var offset = x.offset
    for o in 0..<count {
        body(x.makeView(shape: blockShape, strides: blockStrides, offset: offset), o)
        var d = kept.count - 1
        while d >= 0 {
            index[d] += 1
            offset += keptStrides[d]
            if index[d] < keptShape[d] { break }
            offset -= keptStrides[d] * keptShape[d]
            index[d] = 0
            d -= 1
        }
    }
}

/// Sums `x` over `dims` into a new tensor of `dtype` (floats accumulate in `Double`,
/// integers and booleans in `Int64`, then convert).
func reduceSum(_ x: Tensor, dims: Set<Int>, keepdim: Bool, dtype: DType) -> Tensor {
    let out = Tensor(uninitializedShape: reducedShape(x.shape, dims: dims, keepdim: keepdim), dtype: dtype, zeroed: false)
    x.dtype.dispatch(SumKernel(x: x, dims: dims, out: out))
    return out
}

private struct SumKernel: DTypeVisitor {
    let x: Tensor
    let dims: Set<Int>
    let out: Tensor

    func visit<T: TensorScalar>(_: T.Type) {
        let p = x.storage.data.assumingMemoryBound(to: T.self)
        let floating = T.dtype.isFloatingPoint
        var sums = [Double](repeating: 0, count: out.numel)
        var intSums = [Int64](repeating: 0, count: floating ? 0 : out.numel)
        forEachReductionBlock(x, dims: dims) { block, o in
            if floating {
                var acc = 0.0
                forEachRun1(shape: block.shape, OperandStrides(strides: block.strides, offset: block.offset)) { off, n, s in
                    for i in 0..<n { acc += p[off + i * s].doubleValue }
                }
                sums[o] = acc
            } else {
                var acc: Int64 = 0
                forEachRun1(shape: block.shape, OperandStrides(strides: block.strides, offset: block.offset)) { off, n, s in
                    for i in 0..<n { acc &+= p[off + i * s].int64Value }
                }
                intSums[o] = acc
            }
        }
        let result = floating ? Tensor(shape: out.shape, scalars: sums) : Tensor(shape: out.shape, scalars: intSums)
        copyElements(from: result, to: out)
    }
}
