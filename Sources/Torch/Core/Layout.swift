/// Where a tensor's elements sit in its storage — shape, strides (in elements) and offset —
/// with the pure arithmetic every view is made of, in the spirit of candle's `layout.rs`:
/// permuting, transposing, slicing, narrowing, inserting and dropping size-1 dims,
/// re-viewing under another shape, broadcasting. No storage, dtype or autograd state: the view
/// ops in `Ops/Views.swift` check their arguments (failing with PyTorch's messages), take
/// the new layout from here and record their derivatives.
struct Layout: Equatable, Sendable {
    /// The size of each dimension.
    var shape: [Int]
    /// The step, in elements, between neighbours along each dimension.
    var strides: [Int]
    /// The index of the first element in the storage.
    var offset: Int

    /// A row-major layout of `shape` starting at `offset`.
    static func contiguous(_ shape: [Int], offset: Int = 0) -> Layout {
        Layout(shape: shape, strides: contiguousStrides(for: shape), offset: offset)
    }

    /// The dims reordered: dim `i` of the result is dim `dims[i]` here.
    func permuted(_ dims: [Int]) -> Layout {
        Layout(shape: dims.map { shape[$0] }, strides: dims.map { strides[$0] }, offset: offset)
    }

    /// Dims `a` and `b` swapped.
    func transposed(_ a: Int, _ b: Int) -> Layout {
        var result = self
        if !shape.isEmpty {
            result.shape.swapAt(a, b)
            result.strides.swapAt(a, b)
        }
        return result
    }

    /// Elements `start..<end` by `step` (≥ 1) along `dim`.
    func sliced(dim: Int, start: Int, end: Int, step: Int) -> Layout {
        var result = self
        result.shape[dim] = Swift.max(0, (end - start + step - 1) / step)
        result.strides[dim] *= step
        result.offset += start * strides[dim]
        return result
    }

    /// Only the dims in `kept` (in order); the others must have size 1.
    func keeping(dims kept: [Int]) -> Layout {
        Layout(shape: kept.map { shape[$0] }, strides: kept.map { strides[$0] }, offset: offset)
    }

    /// A size-1 dim inserted at `dim` (`0...rank`), strided as if it were contiguous with its
    /// neighbour, as PyTorch strides it.
    func unsqueezed(at dim: Int) -> Layout {
        var result = self
        result.shape.insert(1, at: dim)
        result.strides.insert(dim < shape.count ? strides[dim] * shape[dim] : 1, at: dim)
        return result
    }

    /// The same elements under `newShape` (same element count), or `nil` when no strides
    /// can express it without a copy (PyTorch's `computeStride`).
    func viewed(as newShape: [Int]) -> Layout? {
        if shape.reduce(1, *) == 0 || shape.isEmpty {
            return Layout(shape: newShape, strides: shape == newShape ? strides : contiguousStrides(for: newShape), offset: offset)
        }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewD = newShape.count - 1
        var chunkBaseStride = strides.last!
        var tensorNumel = 1, viewNumel = 1
        for tensorD in stride(from: shape.count - 1, through: 0, by: -1) {
            tensorNumel *= shape[tensorD]
            if tensorD == 0 || (shape[tensorD - 1] != 1 && strides[tensorD - 1] != tensorNumel * chunkBaseStride) {
                while viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBaseStride
                    viewNumel *= newShape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if tensorD > 0 {
                    chunkBaseStride = strides[tensorD - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
        }
        return viewD == -1 ? Layout(shape: newShape, strides: newStrides, offset: offset) : nil
    }

    /// Broadcast to `target` (NumPy rules: aligned from the right, size-1 dims stretch with
    /// stride 0, new leading dims stride 0), or the first dim of `target` that cannot be
    /// reached.
    func broadcast(to target: [Int]) -> Result<Layout, BroadcastMismatch> {
        guard target.count >= shape.count else { return .failure(BroadcastMismatch(dim: 0, size: shape.count, requested: target.count)) }
        let lead = target.count - shape.count
        var newStrides = [Int](repeating: 0, count: target.count)
        for d in 0..<shape.count {
            let size = shape[d]
            if size == target[lead + d] {
                newStrides[lead + d] = strides[d]
            } else if size != 1 {
                return .failure(BroadcastMismatch(dim: lead + d, size: size, requested: target[lead + d]))
            }
        }
        return .success(Layout(shape: target, strides: newStrides, offset: offset))
    }
}

/// Why a layout cannot be broadcast: `dim` of the target asks for `requested` where the
/// tensor has `size` (or, at dim 0, fewer target dims than the tensor has).
struct BroadcastMismatch: Error {
    let dim: Int
    let size: Int
    let requested: Int
}

/// The multi-index of row-major position `flat` in `shape`.
func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        index[d] = rest % max(shape[d], 1)
        rest /= max(shape[d], 1)
    }
    return index
}
