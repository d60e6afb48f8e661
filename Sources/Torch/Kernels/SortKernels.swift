/// Sorting along one dimension: each line of `x` along `dim` is ordered with a stable sort
/// (equal elements keep their order, as PyTorch's CPU sort does), NaN counting as larger
/// than every number (so it comes last ascending, first descending, as in PyTorch).

/// The permutation that sorts each line of `x` along `dim`: an int64 tensor of `x`'s
/// shape holding, at position `i` of each line, the index of the `i`-th element in order.
func sortIndicesKernel(_ x: Tensor, dim: Int, descending: Bool) -> Tensor {
    let input = x.denseForKernel
    let out = Tensor(uninitializedShape: x.shape, dtype: .int64, zeroed: false)
    guard x.numel > 0 else { return out }
    input.dtype.dispatchExtremum(SortVisitor(x: input, dim: dim, descending: descending, out: out))
    return out
}

private struct SortVisitor: ExtremumVisitor {
    let x: Tensor, dim: Int, descending: Bool, out: Tensor

    func visit<T: ExtremumElement>(_: T.Type) {
        let size = x.dim == 0 ? 1 : x.shape[dim]
        let inner = x.dim == 0 ? 1 : x.shape[(dim + 1)...].reduce(1, *)
        let outer = x.numel / Swift.max(size * inner, 1)
        let src = x.pointer(as: T.self), dst = out.pointer(as: Int64.self)
        let descending = self.descending
        // NaN is the largest value; otherwise `less`, flipped for descending.
        @inline(__always) func before(_ a: T, _ b: T) -> Bool {
            if a.isNaNValue || b.isNaNValue { return descending ? (a.isNaNValue && !b.isNaNValue) : (!a.isNaNValue && b.isNaNValue) }
            return descending ? T.less(b, a) : T.less(a, b)
        }
        forEachRange(outer * inner, work: x.numel * Swift.max(1, ceilLog2(size))) { start, end in
            var order = [Int](repeating: 0, count: size)
            var values = [T](repeating: T.zero, count: size)
            for line in start..<end {
                let o = line / inner, i = line % inner
                let base = o * size * inner + i
                for k in 0..<size {
                    order[k] = k
                    values[k] = src[base + k * inner]
                }
                // Stable: ties ordered by position.
                order.sort { a, b in
                    let va = values[a], vb = values[b]
                    if before(va, vb) { return true }
                    if before(vb, va) { return false }
                    return a < b
                }
                for k in 0..<size { dst[base + k * inner] = Int64(order[k]) }
            }
        }
    }
}
