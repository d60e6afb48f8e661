/// Sorting along one dimension: each line of `x` along `dim` is ordered with a stable sort
/// (equal elements keep their order, as PyTorch's CPU sort does), NaN counting as larger
/// than every number (so it comes last ascending, first descending, as in PyTorch).

/// The permutation that sorts each line of `x` along `dim`: an int64 tensor of `x`'s
/// shape holding, at position `i` of each line, the index of the `i`-th element in order.
/// With `limit` (float32 only, for `topk`) the lines may stop after `limit` positions;
/// callers narrow whatever comes back.
func sortIndicesKernel(_ x: Tensor, dim: Int, descending: Bool, limit: Int? = nil) -> Tensor {
    let input = x.denseForKernel
    if x.dtype == .float32 && x.dim > 0 && x.shape[dim] < Int(UInt32.max) {
        return selectFloatLines(input, dim: dim, descending: descending, keep: limit ?? x.shape[dim])
    }
    let out = Tensor(uninitializedShape: x.shape, dtype: .int64, zeroed: false)
    guard x.numel > 0 else { return out }
    input.dtype.dispatchExtremum(SortVisitor(x: input, dim: dim, descending: descending, out: out))
    return out
}

/// A float32's position in the sort order as an unsigned key: NaN largest, -0 equal to +0
/// (the tie then goes by position, as PyTorch's stable sort has it).
@inline(__always)
private func orderKey(_ v: Float) -> UInt64 {
    if v.isNaN { return 0xFFFF_FFFF }
    let bits = v == 0 ? 0 : v.bitPattern
    return UInt64(bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000)
}

/// The first `keep` positions of each float32 line in order: keys packed with positions
/// into `UInt64`s (so equal values stay in position order), a full sort when every element
/// is kept, else a bounded heap of the best `keep` (as `topk`).
private func selectFloatLines(_ x: Tensor, dim: Int, descending: Bool, keep: Int) -> Tensor {
    let size = x.shape[dim]
    let inner = x.shape[(dim + 1)...].reduce(1, *)
    let outer = x.numel / Swift.max(size * inner, 1)
    var outShape = x.shape
    outShape[dim] = keep
    let out = Tensor(uninitializedShape: outShape, dtype: .int64, zeroed: false)
    guard x.numel > 0, keep > 0 else { return out }
    let src = x.pointer(as: Float.self), dst = out.pointer(as: Int64.self)
    forEachRange(outer * inner, work: x.numel * 4) { start, end in
        var keys = [UInt64](repeating: 0, count: size)
        for line in start..<end {
            let o = line / inner, i = line % inner
            let base = o * size * inner + i, outBase = o * keep * inner + i
            for k in 0..<size {
                let key = orderKey(src[base + k * inner])
                keys[k] = ((descending ? 0xFFFF_FFFF - key : key) << 32) | UInt64(k)
            }
            if keep == size {
                keys.sort()
            } else {
                selectSmallest(&keys, keep)
            }
            for k in 0..<keep { dst[outBase + k * inner] = Int64(keys[k] & 0xFFFF_FFFF) }
        }
    }
    return out
}

/// Moves the `k` smallest keys, in order, to the front of `keys` (a max-heap of the best
/// `k` seen so far, then sorted).
private func selectSmallest(_ keys: inout [UInt64], _ k: Int) {
    var heap = Array(keys[0..<k])
    func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var largest = i
            if l < k && heap[l] > heap[largest] { largest = l }
            if r < k && heap[r] > heap[largest] { largest = r }
            if largest == i { return }
            heap.swapAt(i, largest)
            i = largest
        }
    }
    for i in stride(from: k / 2 - 1, through: 0, by: -1) { siftDown(i) }
    for j in k..<keys.count where keys[j] < heap[0] {
        heap[0] = keys[j]
        siftDown(0)
    }
    heap.sort()
    for i in 0..<k { keys[i] = heap[i] }
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
