/// `nonzero`, `argwhere` and one-argument `where`: the positions of the non-zero elements.

/// The index of every non-zero element, one row each in row-major order: an `int64`
/// tensor of shape `[count, x.dim]` (`torch.nonzero(x)`; a 0-d input gives `[0 or 1, 0]`).
public func nonzero(_ x: Tensor) -> Tensor {
    let (coords, count) = nonzeroCoordinates(x, rank: x.dim)
    return Tensor(shape: [count, x.dim], scalars: coords)
}

/// The same as ``nonzero(_:)`` (`torch.argwhere`).
public func argwhere(_ x: Tensor) -> Tensor { nonzero(x) }

/// One `int64` index tensor per dim, together naming every element where `condition` is
/// non-zero (`torch.where(condition)`, i.e. `torch.nonzero(condition, as_tuple=True)`).
///
/// Indexing with them (`x[idx[0], idx[1]]`) selects those elements. As in PyTorch, a 0-d
/// condition is read as 1-d, giving one tensor, `[0]` or empty.
public func `where`(_ condition: Tensor) -> [Tensor] {
    let rank = Swift.max(condition.dim, 1)
    let (coords, count) = nonzeroCoordinates(condition, rank: rank)
    return (0..<rank).map { d in
        Tensor(shape: [count], scalars: (0..<count).map { coords[$0 * rank + d] })
    }
}

extension Tensor {
    /// The index of every non-zero element (`x.nonzero()`, `torch.Tensor.nonzero`).
    public func nonzero() -> Tensor { Torch.nonzero(self) }
    /// The same as ``nonzero()`` (`x.argwhere()`, `torch.Tensor.argwhere`).
    public func argwhere() -> Tensor { Torch.nonzero(self) }
}

/// The coordinates of the non-zero elements, row-major, `rank` numbers per element, and
/// how many elements there were (needed when `rank` is 0 and the list says nothing).
private func nonzeroCoordinates(_ x: Tensor, rank: Int) -> ([Int64], Int) {
    let flags = x.toArray(Bool.self)
    let shape = x.dim == 0 ? [Int](repeating: 1, count: rank) : x.shape
    var out: [Int64] = []
    var count = 0
    for (i, flag) in flags.enumerated() where flag {
        count += 1
        var rest = i
        var coords = [Int64](repeating: 0, count: rank)
        for d in stride(from: rank - 1, through: 0, by: -1) {
            coords[d] = Int64(rest % shape[d])
            rest /= shape[d]
        }
        out.append(contentsOf: coords)
    }
    return (out, count)
}
