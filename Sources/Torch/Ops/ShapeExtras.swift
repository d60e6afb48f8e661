/// Shape and layout helpers PyTorch composes from views and indexing: `tensorSplit`,
/// `hsplit`/`vsplit`/`dsplit`, `diff`, `rot90`, `meshgrid`, `repeatInterleave`,
/// `trilIndices`/`triuIndices`, `diagEmbed`, `takeAlongDim`, `cross`, `newEmpty`,
/// `newTensor`, `mH`. Built from recorded ops, so gradients come as PyTorch's do.

extension Tensor {
    /// Splits into `sections` nearly equal parts along `dim` (the first `n % sections` one
    /// longer) (`torch.tensor_split` with a count).
    public func tensorSplit(_ sections: Int, dim: Int = 0) -> [Tensor] {
        guard sections > 0 else { torchFatal("RuntimeError: number of sections must be larger than 0, got \(sections)") }
        let d = normalizeDim(dim, rank: self.dim)
        let n = shape[d], base = n / sections, extra = n % sections
        var start = 0
        return (0..<sections).map { i in
            let length = base + (i < extra ? 1 : 0)
            defer { start += length }
            return narrow(d, start, length)
        }
    }

    /// Splits at the given indices along `dim` (`torch.tensor_split` with indices).
    public func tensorSplit(indices: [Int], dim: Int = 0) -> [Tensor] {
        let d = normalizeDim(dim, rank: self.dim)
        let n = shape[d]
        var bounds = [0] + indices.map { Swift.min(Swift.max($0 < 0 ? $0 + n : $0, 0), n) } + [n]
        for i in 1..<bounds.count { bounds[i] = Swift.max(bounds[i], bounds[i - 1]) }
        return (0..<(bounds.count - 1)).map { narrow(d, bounds[$0], bounds[$0 + 1] - bounds[$0]) }
    }

    /// Splits along the columns: dim 1, or dim 0 for 1-D tensors (`torch.hsplit`).
    public func hsplit(_ sections: Int) -> [Tensor] {
        let d = self.dim == 1 ? 0 : 1
        guard self.dim >= 1, shape[d] % sections == 0 else {
            torchFatal("RuntimeError: torch.hsplit attempted to split along dimension \(d), but the size of the dimension \(self.dim >= 1 ? shape[d] : 0) is not divisible by the split_size \(sections)!")
        }
        return tensorSplit(sections, dim: d)
    }

    /// Splits along the rows (dim 0; at least 2-D) (`torch.vsplit`).
    public func vsplit(_ sections: Int) -> [Tensor] {
        guard self.dim >= 2 else {
            torchFatal("RuntimeError: torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with \(self.dim) dimensions!")
        }
        guard shape[0] % sections == 0 else {
            torchFatal("RuntimeError: torch.vsplit attempted to split along dimension 0, but the size of the dimension \(shape[0]) is not divisible by the split_size \(sections)!")
        }
        return tensorSplit(sections, dim: 0)
    }

    /// Splits along the depth (dim 2; at least 3-D) (`torch.dsplit`).
    public func dsplit(_ sections: Int) -> [Tensor] {
        guard self.dim >= 3 else {
            torchFatal("RuntimeError: torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with \(self.dim) dimensions!")
        }
        guard shape[2] % sections == 0 else {
            torchFatal("RuntimeError: torch.dsplit attempted to split along dimension 2, but the size of the dimension \(shape[2]) is not divisible by the split_size \(sections)!")
        }
        return tensorSplit(sections, dim: 2)
    }

    /// The `n`-th forward difference along `dim` (`torch.diff`), with optional values
    /// prepended and appended first.
    public func diff(n: Int = 1, dim: Int = -1, prepend: Tensor? = nil, append: Tensor? = nil) -> Tensor {
        guard self.dim > 0 else { torchFatal("RuntimeError: diff expects input to be at least one-dimensional") }
        let d = normalizeDim(dim, rank: self.dim)
        var x = self
        if prepend != nil || append != nil { x = cat([prepend, self, append].compactMap { $0 }, dim: d) }
        for _ in 0..<n {
            let length = x.shape[d]
            guard length > 0 else { break }
            x = dtype == .bool ? (x.narrow(d, 1, length - 1) .!= x.narrow(d, 0, length - 1))
                : x.narrow(d, 1, length - 1) - x.narrow(d, 0, length - 1)
        }
        return x
    }

    /// Rotated by 90° `k` times in the plane of `dims`, from the first toward the second
    /// (`torch.rot90`).
    public func rot90(_ k: Int = 1, dims: [Int] = [0, 1]) -> Tensor {
        guard dims.count == 2 else { torchFatal("RuntimeError: expected total rotation dims == 2, but got dims = \(dims.count)") }
        guard self.dim >= 2 else { torchFatal("RuntimeError: expected total dims >= 2, but got total dims = \(self.dim)") }
        let d0 = normalizeDim(dims[0], rank: self.dim), d1 = normalizeDim(dims[1], rank: self.dim)
        guard d0 != d1 else { torchFatal("RuntimeError: expected rotation dims to be different, but got dim0 = \(d0) and dim1 = \(d1)") }
        return composite("Rot90Backward0", [self], forward: {
            switch ((k % 4) + 4) % 4 {
            case 1: return flip([d1]).transpose(d0, d1).contiguous()
            case 2: return flip([d0, d1])
            case 3: return flip([d0]).transpose(d0, d1).contiguous()
            default: return clone()
            }
        }) { g, _ in [g.rot90(-k, dims: [d0, d1])] }
    }

    /// Each element repeated `repeats` times along `dim` (flattened when `nil`)
    /// (`torch.repeat_interleave`).
    public func repeatInterleave(_ repeats: Int, dim: Int? = nil) -> Tensor {
        guard repeats >= 0 else { torchFatal("RuntimeError: repeats can not be negative") }
        // As PyTorch: each element gets a new axis, expanded and folded into `dim`.
        let input = dim == nil ? reshape([-1]) : self
        let d = normalizeDim(dim ?? 0, rank: input.dim)
        var expanded = input.shape
        expanded.insert(repeats, at: d + 1)
        var folded = input.shape
        folded[d] *= repeats
        return input.unsqueeze(d + 1).expand(expanded).contiguous().view(folded)
    }

    /// Element `i` repeated `repeats[i]` times along `dim` (`torch.repeat_interleave`).
    public func repeatInterleave(_ repeats: Tensor, dim: Int? = nil) -> Tensor {
        let input = dim == nil ? reshape([-1]) : self
        let d = normalizeDim(dim ?? 0, rank: input.dim)
        let n = input.shape[d]
        let counts = repeats.numel == 1 ? [Int64](repeating: repeats.reshape([]).item(as: Int64.self), count: n)
            : repeats.toArray(Int64.self)
        guard counts.count == n else { torchFatal("RuntimeError: repeats must have the same size as input along dim, but got repeats.size(0) = \(counts.count) and input.size(\(d)) = \(n)") }
        guard counts.allSatisfy({ $0 >= 0 }) else { torchFatal("RuntimeError: repeats can not be negative") }
        var index: [Int64] = []
        for (i, c) in counts.enumerated() { index += [Int64](repeating: Int64(i), count: Int(c)) }
        return input.indexSelect(d, Tensor(index))
    }

    /// Values of `self` at `indices` along `dim` (flattened when `nil`), broadcasting the
    /// other dimensions (`torch.take_along_dim`).
    public func takeAlongDim(_ indices: Tensor, dim: Int? = nil) -> Tensor {
        guard let dim else { return reshape([-1]).gather(0, indices.reshape([-1])) }
        let d = normalizeDim(dim, rank: self.dim)
        var selfShape = shape, indexShape = indices.shape
        selfShape[d] = 1
        indexShape[d] = 1
        let broadcast = broadcastShapes(selfShape, indexShape)
        var s = broadcast, i = broadcast
        s[d] = shape[d]
        i[d] = indices.shape[d]
        return expand(s).gather(d, indices.expand(i))
    }

    /// `diag_embed`: the last dimension placed on the diagonal of new trailing matrices
    /// (`torch.diag_embed`; `dim1`/`dim2` -2 and -1 only).
    public func diagEmbed(offset: Int = 0) -> Tensor {
        let m = shape[self.dim - 1], n = m + Swift.abs(offset)
        let lead = Array(shape.dropLast())
        return composite("DiagEmbedBackward0", [self], forward: {
            // out[..., i, i + offset] = self[..., i], as flat positions in each n·n matrix.
            let flat = (0..<m).map { Int64(($0 + Swift.max(-offset, 0)) * n + $0 + Swift.max(offset, 0)) }
            return Tensor.zeros(lead + [n * n], dtype: dtype).scatter(self.dim - 1, Tensor(flat).expand(shape), self)
                .reshape(lead + [n, n])
        }) { g, _ in [g.diagonal(offset: offset, dim1: -2, dim2: -1)] }
    }

    /// An uninitialised tensor of `shape` with this tensor's dtype (`x.new_empty`,
    /// `torch.Tensor.new_empty`).
    public func newEmpty(_ shape: [Int], dtype: DType? = nil) -> Tensor { Tensor.empty(shape, dtype: dtype ?? self.dtype) }

    /// A tensor of `values` in this tensor's dtype (`x.new_tensor`, `torch.Tensor.new_tensor`).
    public func newTensor(_ values: [some ScalarConvertible], dtype: DType? = nil) -> Tensor {
        let values = values.map(\.scalarValue.doubleValue)
        return Tensor(values, dtype: dtype ?? self.dtype)
    }

    /// The conjugate transpose of the last two dimensions (`x.mH`); real tensors: `mT`
    /// (`torch.Tensor.mH`).
    public var mH: Tensor { mT }

    /// The cross product along `dim` (size 3) (`torch.linalg.cross`).
    public func cross(_ other: Tensor, dim: Int = -1) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        guard shape[d] == 3, other.shape[normalizeDim(dim, rank: other.dim)] == 3 else {
            torchFatal("RuntimeError: linalg.cross: inputs dimension \(dim) must have length 3. Got \(shape[d]) and \(other.shape[normalizeDim(dim, rank: other.dim)])")
        }
        return composite("LinalgCrossBackward0", [self, other], saving: [self, other],
                         forward: { crossProduct(self, other, dim: dim) }) { g, saved in
            // d(a × b · g)/da = b × g, d/db = g × a.
            [crossProduct(saved[1], g, dim: dim), crossProduct(g, saved[0], dim: dim)]
        }
    }
}

/// `a × b` along `dim` from slices (broadcasting the other dimensions), recorded.
private func crossProduct(_ a: Tensor, _ b: Tensor, dim: Int) -> Tensor {
    let da = normalizeDim(dim, rank: a.dim), db = normalizeDim(dim, rank: b.dim)
    func x(_ i: Int) -> Tensor { a.narrow(da, i, 1) }
    func y(_ i: Int) -> Tensor { b.narrow(db, i, 1) }
    return cat([x(1) * y(2) - x(2) * y(1), x(2) * y(0) - x(0) * y(2), x(0) * y(1) - x(1) * y(0)], dim: da)
}

/// Coordinate grids from 1-D tensors (`torch.meshgrid`): `indexing: "ij"` (matrix) or
/// `"xy"` (Cartesian, the first two dimensions swapped).
public func meshgrid(_ tensors: [Tensor], indexing: String = "ij") -> [Tensor] {
    guard indexing == "ij" || indexing == "xy" else {
        torchFatal("RuntimeError: torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: \(indexing)")
    }
    let swap = indexing == "xy" && tensors.count >= 2
    var inputs = tensors.map { $0.reshape([-1]) }
    if swap { inputs.swapAt(0, 1) }
    let shape = inputs.map { $0.numel }
    var grids = inputs.enumerated().map { i, t -> Tensor in
        var viewShape = [Int](repeating: 1, count: shape.count)
        viewShape[i] = shape[i]
        return t.view(viewShape).expand(shape)
    }
    if swap { grids.swapAt(0, 1) }
    return grids
}

/// The row and column indices of the lower triangle of a `rows × cols` matrix, row by row
/// (`torch.tril_indices`): a `2 × N` int64 tensor.
public func trilIndices(_ rows: Int, _ cols: Int, offset: Int = 0) -> Tensor {
    triangleIndices(rows, cols) { r, c in c - r <= offset }
}

/// The upper triangle's indices (`torch.triu_indices`).
public func triuIndices(_ rows: Int, _ cols: Int, offset: Int = 0) -> Tensor {
    triangleIndices(rows, cols) { r, c in c - r >= offset }
}

private func triangleIndices(_ rows: Int, _ cols: Int, _ keep: (Int, Int) -> Bool) -> Tensor {
    var r: [Int64] = [], c: [Int64] = []
    for i in 0..<rows { for j in 0..<cols where keep(i, j) { r.append(Int64(i)); c.append(Int64(j)) } }
    return Tensor(shape: [2, r.count], scalars: r + c)
}

/// `x.tensorSplit(sections, dim:)` (`torch.tensor_split`).
public func tensorSplit(_ x: Tensor, _ sections: Int, dim: Int = 0) -> [Tensor] { x.tensorSplit(sections, dim: dim) }
/// `x.diff(...)` (`torch.diff`).
public func diff(_ x: Tensor, n: Int = 1, dim: Int = -1, prepend: Tensor? = nil, append: Tensor? = nil) -> Tensor {
    x.diff(n: n, dim: dim, prepend: prepend, append: append)
}
/// `x.rot90(k, dims:)` (`torch.rot90`).
public func rot90(_ x: Tensor, _ k: Int = 1, dims: [Int] = [0, 1]) -> Tensor { x.rot90(k, dims: dims) }
/// `x.repeatInterleave(repeats, dim:)` (`torch.repeat_interleave`).
public func repeatInterleave(_ x: Tensor, _ repeats: Int, dim: Int? = nil) -> Tensor { x.repeatInterleave(repeats, dim: dim) }
/// `x.takeAlongDim(indices, dim:)` (`torch.take_along_dim`).
public func takeAlongDim(_ x: Tensor, _ indices: Tensor, dim: Int? = nil) -> Tensor { x.takeAlongDim(indices, dim: dim) }
/// `x.diagEmbed(offset:)` (`torch.diag_embed`).
public func diagEmbed(_ x: Tensor, offset: Int = 0) -> Tensor { x.diagEmbed(offset: offset) }
/// `a.cross(b, dim:)` (`torch.linalg.cross`).
public func cross(_ a: Tensor, _ b: Tensor, dim: Int = -1) -> Tensor { a.cross(b, dim: dim) }
