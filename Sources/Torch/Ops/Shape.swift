/// Shape ops that build new tensors: `cat stack split chunk flip roll repeat tril triu
/// diag diagonal trace`. Each records its derivative next to it.

/// Joins tensors along an existing dim (`torch.cat`); dtypes promote.
public func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    guard let first = tensors.first else { torchFatal("RuntimeError: torch.cat(): expected a non-empty list of Tensors") }
    let d = normalizeDim(dim, rank: first.dim)
    var dtype = first.dtype
    for t in tensors.dropFirst() { dtype = promoteTypes(dtype, t.dtype) }
    var size = 0
    for (i, t) in tensors.enumerated() {
        guard t.dim == first.dim else {
            torchFatal("RuntimeError: Tensors must have same number of dimensions: got \(first.dim) and \(t.dim)")
        }
        for k in 0..<t.dim where k != d && t.shape[k] != first.shape[k] {
            torchFatal("RuntimeError: Sizes of tensors must match except in dimension \(d). Expected size \(first.shape[k]) but got size \(t.shape[k]) for tensor number \(i) in the list.")
        }
        size += t.shape[d]
    }
    var shape = first.shape
    shape[d] = size
    let out = Tensor(uninitializedShape: shape, dtype: dtype, zeroed: false)
    var start = 0
    for t in tensors {
        let n = t.shape[d]
        copyElements(from: t, to: slice(out, start, start + n, d))
        start += n
    }
    if needsGrad(tensors) {
        // Sizes, dtypes and flags only: the inputs' memory is not kept.
        let sizes = tensors.map { $0.shape[d] }, wanted = tensors.map { $0.requiresGrad ? $0.dtype : nil }
        record("CatBackward0", inputs: tensors, outputs: [out]) { g in
            var offset = 0
            return zip(wanted, sizes).map { dtype, n in
                defer { offset += n }
                return dtype.map { g[0]!.narrow(d, offset, n).to($0) }
            }
        }
    }
    return out
}

/// Joins same-shaped tensors along a new dim (`torch.stack`).
public func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    guard let first = tensors.first else { torchFatal("RuntimeError: stack expects a non-empty TensorList") }
    for (i, t) in tensors.enumerated() where t.shape != first.shape {
        torchFatal("RuntimeError: stack expects each tensor to be equal size, but got \(first.shape) at entry 0 and \(t.shape) at entry \(i)")
    }
    let d = normalizeDim(dim, rank: first.dim + 1)
    let out = noGrad { cat(tensors.map { $0.unsqueeze(d) }, dim: d) }
    if needsGrad(tensors) {
        let wanted = tensors.map { $0.requiresGrad ? $0.dtype : nil }
        record("StackBackward0", inputs: tensors, outputs: [out]) { g in
            wanted.enumerated().map { i, dtype in dtype.map { g[0]!.narrow(d, i, 1).squeeze(d).to($0) } }
        }
    }
    return out
}

extension Tensor {
    /// Views of `size` elements along `dim` (the last one shorter) (`x.split(2)`,
    /// `torch.Tensor.split`).
    public func split(_ size: Int, dim: Int = 0) -> [Tensor] {
        let d = normalizeDim(dim, rank: self.dim)
        guard size > 0 || shape[d] == 0 else { torchFatal("RuntimeError: split_size can only be 0 if dimension size is 0, but got dimension size of \(shape[d])") }
        let sizes = Swift.stride(from: 0, to: Swift.max(shape[d], 1), by: Swift.max(size, 1)).map { Swift.min(size, shape[d] - $0) }
        return splitViews(sizes, dim: d, node: "SplitBackward0")
    }

    /// Views with the given sizes along `dim` (`x.split([1, 3], dim: 1)`, `torch.Tensor.split`).
    public func split(_ sizes: [Int], dim: Int = 0) -> [Tensor] {
        let d = normalizeDim(dim, rank: self.dim)
        guard sizes.reduce(0, +) == shape[d] else {
            torchFatal("RuntimeError: split_with_sizes expects split_sizes to sum exactly to \(shape[d]) (input tensor's size at dimension \(d)), but got split_sizes=\(sizes)")
        }
        return splitViews(sizes, dim: d, node: "SplitWithSizesBackward0")
    }

    /// The views of `split`, recorded as one node as PyTorch does: its backward concatenates
    /// the pieces' gradients (zeros for a piece without one) in one pass, where a node per
    /// piece made each backward allocate, zero and add a whole input-sized gradient (an LSTM
    /// cell's four gate chunks, every step).
    private func splitViews(_ sizes: [Int], dim d: Int, node: String) -> [Tensor] {
        var start = 0
        let pieces = noGrad { sizes.map { n in defer { start += n }; return narrow(d, start, n) } }
        if needsGrad(self) {
            let dtype = self.dtype, shape = self.shape
            record(node, input: self, outputs: pieces) { grads in
                let parts = grads.enumerated().map { i, g in
                    g ?? Tensor.zeros(shape.enumerated().map { $0.offset == d ? sizes[i] : $0.element }, dtype: dtype)
                }
                return [parts.count == 1 ? parts[0] : cat(parts, dim: d)]
            }
        }
        return pieces
    }

    /// At most `chunks` views of equal size along `dim` (the last one shorter) (`x.chunk(3)`,
    /// `torch.Tensor.chunk`).
    public func chunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
        guard chunks > 0 else { torchFatal("RuntimeError: chunk expects `chunks` to be greater than 0, got: \(chunks)") }
        let d = normalizeDim(dim, rank: self.dim)
        return split((shape[d] + chunks - 1) / chunks, dim: d)
    }

    /// A copy with the order of elements reversed along `dims` (`x.flip([0])`,
    /// `torch.Tensor.flip`).
    public func flip(_ dims: [Int]) -> Tensor {
        let set = Set(dims.map { normalizeDim($0, rank: dim) })
        var strides = self.strides
        var start = offset
        for d in set where shape[d] > 0 {
            start += (shape[d] - 1) * strides[d]
            strides[d] = -strides[d]
        }
        // The reversed view has no history of its own; the copy records FlipBackward0.
        let out = makeView(shape: shape, strides: strides, offset: start).clone()
        if needsGrad(self) {
            record("FlipBackward0", input: self, outputs: [out]) { g in [g[0]!.flip(dims)] }
        }
        return out
    }

    /// Elements shifted cyclically by `shifts` along `dims`; with no dims, over the
    /// flattened tensor (`x.roll(1)`, `x.roll([1, -1], dims: [0, 1])`, `torch.Tensor.roll`).
    public func roll(_ shifts: [Int], dims: [Int] = []) -> Tensor {
        guard dims.isEmpty || shifts.count == dims.count else {
            torchFatal("RuntimeError: shifts and dimensions must align. shifts: \(shifts.count), dims:\(dims.count)")
        }
        let out = noGrad { () -> Tensor in
            if dims.isEmpty { return flatten().rolled(shifts, dims: [0]).reshape(shape) }
            return rolled(shifts, dims: dims)
        }
        if needsGrad(self) {
            record("RollBackward0", input: self, outputs: [out]) { g in [g[0]!.roll(shifts.map { -$0 }, dims: dims)] }
        }
        return out
    }

    /// `roll` along explicit dims, as slices joined by `cat` (no recording of its own).
    private func rolled(_ shifts: [Int], dims: [Int]) -> Tensor {
        var out = self
        for (s, dimension) in zip(shifts, dims) {
            let d = normalizeDim(dimension, rank: dim)
            let n = shape[d]
            guard n > 0 else { continue }
            let k = ((s % n) + n) % n
            if k == 0 { continue }
            out = cat([out.narrow(d, n - k, k), out.narrow(d, 0, n - k)], dim: d)
        }
        return out === self ? clone() : out
    }

    /// `roll` by one shift (`torch.Tensor.roll`).
    public func roll(_ shift: Int, dims: [Int] = []) -> Tensor { roll([shift], dims: dims) }

    /// The tensor tiled `sizes` times along each dim (`x.repeat(2, 1)`); extra leading sizes
    /// add dims (`torch.Tensor.repeat`).
    public func `repeat`(_ sizes: [Int]) -> Tensor {
        guard sizes.count >= dim else {
            torchFatal("RuntimeError: Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        }
        let padded = [Int](repeating: 1, count: sizes.count - dim) + shape
        // View as (1, s0, 1, s1, ...), expand to (r0, s0, r1, s1, ...), then merge pairs.
        let interleaved = padded.flatMap { [1, $0] }
        let expanded = zip(sizes, padded).flatMap { [$0, $1] }
        let outShape = zip(sizes, padded).map { $0 * $1 }
        let out = noGrad { reshape(interleaved).expand(expanded).contiguous().reshape(outShape) }
        if needsGrad(self) {
            let shape = self.shape
            record("RepeatBackward0", input: self, outputs: [out]) { g in
                let repeatDims = (0..<sizes.count).map { 2 * $0 }
                return [g[0]!.reshape(expanded).sum(dims: repeatDims).reshape(shape)]
            }
        }
        return out
    }

    /// `repeat` with variadic sizes (`torch.Tensor.repeat`).
    public func `repeat`(_ sizes: Int...) -> Tensor { `repeat`(sizes) }

    /// The lower triangle (`j - i <= diagonal`) of the last two dims, zeros elsewhere (`x.tril()`,
    /// `torch.Tensor.tril`).
    public func tril(_ diagonal: Int = 0) -> Tensor { triangle(diagonal, lower: true) }

    /// The upper triangle (`j - i >= diagonal`), zeros elsewhere (`x.triu()`, `torch.Tensor.triu`).
    public func triu(_ diagonal: Int = 0) -> Tensor { triangle(diagonal, lower: false) }

    private func triangle(_ diagonal: Int, lower: Bool) -> Tensor {
        guard dim >= 2 else { torchFatal("RuntimeError: \(lower ? "tril" : "triu"): input tensor must have at least 2 dimensions") }
        let rows = shape[dim - 2], cols = shape[dim - 1]
        let i = Tensor.arange(.int(Int64(rows))).reshape([rows, 1]), j = Tensor.arange(.int(Int64(cols))).reshape([1, cols])
        let mask = lower ? (j - i) .<= Scalar.int(Int64(diagonal)) : (j - i) .>= Scalar.int(Int64(diagonal))
        let out = noGrad { Torch.where(mask, self, Tensor.zeros([], dtype: dtype)) }
        if needsGrad(self) {
            record(lower ? "TrilBackward0" : "TriuBackward0", input: self, outputs: [out]) { g in
                [Torch.where(mask, g[0]!, Tensor.zeros([], dtype: g[0]!.dtype))]
            }
        }
        return out
    }

    /// The diagonal at `offset` of dims `dim1`, `dim2`, as a view moved to the end
    /// (`x.diagonal()`, `torch.Tensor.diagonal`).
    public func diagonal(offset: Int = 0, dim1: Int = 0, dim2: Int = 1) -> Tensor {
        let view = diagonalGeometry(strides: strides, offset: self.offset, diagonal: offset, dim1: dim1, dim2: dim2)
        let dense = diagonalGeometry(strides: contiguousStrides(for: shape), offset: 0, diagonal: offset, dim1: dim1, dim2: dim2)
        return stridedDiagonal(self, shape: view.shape, strides: view.strides, offset: view.offset,
                               denseStrides: dense.strides, denseOffset: dense.offset)
    }

    fileprivate func diagonalView(offset: Int, dim1: Int, dim2: Int) -> Tensor {
        let g = diagonalGeometry(strides: strides, offset: self.offset, diagonal: offset, dim1: dim1, dim2: dim2)
        return makeView(shape: g.shape, strides: g.strides, offset: g.offset)
    }

    /// Where the `diagonal`-th diagonal of dims `dim1`, `dim2` lies for this shape laid out
    /// with `strides` from `offset`: the other dims first, the diagonal last.
    private func diagonalGeometry(strides: [Int], offset start: Int, diagonal offset: Int, dim1: Int, dim2: Int)
        -> (shape: [Int], strides: [Int], offset: Int) {
        let a = normalizeDim(dim1, rank: dim), b = normalizeDim(dim2, rank: dim)
        guard a != b else { torchFatal("RuntimeError: diagonal dimensions cannot be identical \(dim1), \(dim2)") }
        let length = Swift.max(0, offset >= 0 ? Swift.min(shape[a], shape[b] - offset) : Swift.min(shape[a] + offset, shape[b]))
        let first = length == 0 ? start : start + (offset >= 0 ? offset * strides[b] : -offset * strides[a])
        let kept = (0..<dim).filter { $0 != a && $0 != b }
        return (kept.map { shape[$0] } + [length], kept.map { strides[$0] } + [strides[a] + strides[b]], first)
    }

    /// The sum of the main diagonal of a matrix (`x.trace()`, `torch.Tensor.trace`).
    public func trace() -> Tensor {
        guard dim == 2 else { torchFatal("RuntimeError: trace: expected a matrix, but got tensor with dim \(dim)") }
        let out = noGrad { diagonalView(offset: 0, dim1: 0, dim2: 1).sum() }
        if needsGrad(self) {
            let shape = self.shape
            record("TraceBackward0", input: self, outputs: [out]) { g in
                [Tensor.eye(shape[0], shape[1], dtype: g[0]!.dtype) * g[0]!]
            }
        }
        return out
    }
}

/// A 1-D tensor as the `diagonal`-th diagonal of a square matrix, or a matrix's diagonal as
/// a 1-D copy (`torch.diag`).
public func diag(_ x: Tensor, diagonal: Int = 0) -> Tensor {
    switch x.dim {
    case 1:
        let n = x.shape[0] + Swift.abs(diagonal)
        let out = Tensor.zeros([n, n], dtype: x.dtype)
        copyElements(from: x, to: out.diagonalView(offset: diagonal, dim1: 0, dim2: 1))
        if needsGrad(x) {
            record("DiagEmbedBackward0", input: x, outputs: [out]) { g in [g[0]!.diagonal(offset: diagonal)] }
        }
        return out
    case 2:
        let out = noGrad { x.diagonalView(offset: diagonal, dim1: 0, dim2: 1).clone() }
        if needsGrad(x) {
            let shape = x.shape, type = x.dtype
            record("DiagonalBackward0_copy", input: x, outputs: [out]) { g in
                [regionBackward(g[0]!, name: "DiagonalBackwardBackward0", shape: shape, dtype: type) {
                    $0.diagonal(offset: diagonal, dim1: 0, dim2: 1)
                }]
            }
        }
        return out
    default:
        torchFatal("RuntimeError: diag(): Supports 1D or 2D tensors. Got \(x.dim)D")
    }
}

/// `x.trace()` as a free function (`torch.trace`).
public func trace(_ x: Tensor) -> Tensor { x.trace() }

/// A view of `t` walking a diagonal (`x.diagonal()`, repeated einsum labels): `shape`,
/// `strides`, `offset` address it in `t`'s storage, `denseStrides`/`denseOffset` the same
/// elements of a contiguous tensor of `t`'s shape, where the gradient is scattered back.
func stridedDiagonal(_ t: Tensor, shape: [Int], strides: [Int], offset: Int, denseStrides: [Int], denseOffset: Int) -> Tensor {
    let out = t.makeView(shape: shape, strides: strides, offset: offset)
    if needsGrad(t) {
        let original = t.shape
        record("DiagonalBackward0", input: t, outputs: [out]) { g in
            // The same diagonal of a contiguous tensor of the input's shape.
            [regionBackward(g[0]!, name: "DiagonalBackwardBackward0", shape: original, dtype: g[0]!.dtype) { t in
                let dense = t.contiguous()
                return stridedDiagonal(dense, shape: shape, strides: denseStrides, offset: dense.offset + denseOffset,
                                       denseStrides: denseStrides, denseOffset: denseOffset)
            }]
        }
    }
    return out
}

/// `torch.cat(tensors, 1)`: the dimension by position.
public func cat(_ tensors: [Tensor], _ dim: Int) -> Tensor { cat(tensors, dim: dim) }
