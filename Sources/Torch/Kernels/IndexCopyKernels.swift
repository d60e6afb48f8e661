/// Element moves at precomputed storage offsets: the loops behind advanced indexing
/// (`x[idx]`, `x[idx] = v` and its gradient) and `scatter`/`scatter_add`'s general paths.
/// The ops work out the offsets (with their bounds checks and messages); these loops only
/// move or add elements, so they never fail.

/// `dst[dst.offset + i] = src.storage[offsets[i]]` for every `i`, moving raw element bytes
/// (any dtype; `dst` dense from its offset, of `src`'s dtype).
func gatherElements(from src: Tensor, at offsets: [Int], into dst: Tensor) {
    let size = src.dtype.itemSize
    let from = src.storage.data, to = dst.storage.data + dst.offset * size
    for (i, o) in offsets.enumerated() { (to + i * size).copyMemory(from: from + o * size, byteCount: size) }
}

/// `dst.storage[offsets[i]] = src[src.offset + i]` for every `i`, moving raw element bytes
/// (any dtype; `src` dense from its offset, of `dst`'s dtype). Where an offset repeats, the
/// last write wins.
func scatterElements(from src: Tensor, into dst: Tensor, at offsets: [Int]) {
    let size = dst.dtype.itemSize
    let from = src.storage.data + src.offset * size, to = dst.storage.data
    for (i, o) in offsets.enumerated() { (to + o * size).copyMemory(from: from + i * size, byteCount: size) }
}

/// `dst.storage[to] = src.storage[from]` for each pair in order, moving raw element bytes
/// (any dtype, the same for both). Where a destination repeats, the last write wins.
func copyElements(at pairs: [(to: Int, from: Int)], from src: Tensor, into dst: Tensor) {
    let size = dst.dtype.itemSize
    let source = src.storage.data, target = dst.storage.data
    for (o, s) in pairs { (target + o * size).copyMemory(from: source + s * size, byteCount: size) }
}

/// `dst.storage[to] += src.storage[from]` for each pair in order, in the dtype both share
/// (floats in IEEE order, integers wrapping), so repeated destinations accumulate.
func addElements(at pairs: [(to: Int, from: Int)], from src: Tensor, into dst: Tensor) {
    struct Visitor: DTypeVisitor {
        let pairs: [(to: Int, from: Int)], src: Tensor, dst: Tensor
        func visit<T: ArithmeticElement>(_: T.Type) {
            let source = src.storage.data.assumingMemoryBound(to: T.self)
            let target = dst.storage.data.assumingMemoryBound(to: T.self)
            for (o, s) in pairs { target[o] = T.plus(target[o], source[s]) }
        }
    }
    dst.dtype.dispatch(Visitor(pairs: pairs, src: src, dst: dst))
}

/// `dst.storage[offsets[i]] += src[src.offset + i]` for every `i` (`src` dense from its
/// offset, of `dst`'s dtype), so repeated offsets accumulate.
func scatterAddElements(from src: Tensor, into dst: Tensor, at offsets: [Int]) {
    struct Visitor: DTypeVisitor {
        let src: Tensor, dst: Tensor, offsets: [Int]
        func visit<T: ArithmeticElement>(_: T.Type) {
            let source = src.pointer(as: T.self), target = dst.storage.data.assumingMemoryBound(to: T.self)
            for (i, o) in offsets.enumerated() { target[o] = T.plus(target[o], source[i]) }
        }
    }
    dst.dtype.dispatch(Visitor(src: src, dst: dst, offsets: offsets))
}
