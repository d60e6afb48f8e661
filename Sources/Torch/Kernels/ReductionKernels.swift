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

/// Sums `x` over `dims` into a new tensor of `dtype` (cascade summation in the float
/// dtype; integers and booleans in wrapping `Int64`); see SumKernels.swift.
func reduceSum(_ x: Tensor, dims: Set<Int>, keepdim: Bool, dtype: DType) -> Tensor {
    sumKernel(x, dims: dims, keepdim: keepdim, dtype: dtype)
}
