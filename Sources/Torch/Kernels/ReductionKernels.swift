/// Shared pieces of the reductions; the loop driver is ReductionDriver.swift, the kernels
/// SumKernels.swift, ExtremaKernels.swift, StatisticsKernels.swift and friends.

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

/// Sums `x` over `dims` into a new tensor of `dtype` (cascade summation in the float
/// dtype; integers and booleans in wrapping `Int64`); see SumKernels.swift.
func reduceSum(_ x: Tensor, dims: Set<Int>, keepdim: Bool, dtype: DType) -> Tensor {
    sumKernel(x, dims: dims, keepdim: keepdim, dtype: dtype)
}
