/// `torch.f(x, ...)` spellings of ops that SwiftTorch first wrote only as methods
/// (`x.flatten(startDim: 1)`): `flatten(x, 1)`, `squeeze(x, 0)`, `transpose(x, 0, 1)`,
/// `reshape(x, 2, 3)`, `t(x)` and the rest, so PyTorch code reads the same either way.
///
/// Each is a one-line forward to the method, which holds the semantics and the autograd
/// recording; nothing here computes.

/// Dims `startDim...endDim` merged into one (`torch.flatten(x, start_dim=1)`).
public func flatten(_ x: Tensor, startDim: Int = 0, endDim: Int = -1) -> Tensor {
    x.flatten(startDim: startDim, endDim: endDim)
}
/// `torch.flatten(x, 1)` / `torch.flatten(x, 1, 2)` with positional dims, as Python allows.
public func flatten(_ x: Tensor, _ startDim: Int, _ endDim: Int = -1) -> Tensor {
    x.flatten(startDim: startDim, endDim: endDim)
}
/// Every size-1 dim removed (`torch.squeeze(x)`).
public func squeeze(_ x: Tensor) -> Tensor { x.squeeze() }
/// Dim `d` removed if it has size 1 (`torch.squeeze(x, 0)`).
public func squeeze(_ x: Tensor, _ d: Int) -> Tensor { x.squeeze(d) }
/// The given size-1 dims removed (`torch.squeeze(x, (0, 2))`).
public func squeeze(_ x: Tensor, dims: [Int]) -> Tensor { x.squeeze(dims: dims) }
/// A size-1 dim inserted at `d` (`torch.unsqueeze(x, 0)`).
public func unsqueeze(_ x: Tensor, _ d: Int) -> Tensor { x.unsqueeze(d) }
/// Dims `d0` and `d1` swapped, as a view (`torch.transpose(x, 0, 1)`).
public func transpose(_ x: Tensor, _ d0: Int, _ d1: Int) -> Tensor { x.transpose(d0, d1) }
/// The dims reordered, as a view (`torch.permute(x, (1, 0, 2))`).
public func permute(_ x: Tensor, _ order: [Int]) -> Tensor { x.permute(order) }
/// The dims reordered, as a view (`permute(x, 1, 0, 2)`, `torch.permute`).
public func permute(_ x: Tensor, _ order: Int...) -> Tensor { x.permute(order) }
/// The same elements in `shape`, a view when possible (`torch.reshape(x, (2, -1))`).
public func reshape(_ x: Tensor, _ shape: [Int]) -> Tensor { x.reshape(shape) }
/// The same elements in `shape` (`reshape(x, 2, -1)`, `torch.reshape`).
public func reshape(_ x: Tensor, _ shape: Int...) -> Tensor { x.reshape(shape) }
/// A matrix transposed; vectors and scalars unchanged (`torch.t(x)`).
public func t(_ x: Tensor) -> Tensor { x.t() }
/// `length` elements of dim `d` from `start`, as a view (`torch.narrow(x, 1, 1, 2)`).
public func narrow(_ x: Tensor, _ d: Int, _ start: Int, _ length: Int) -> Tensor { x.narrow(d, start, length) }
/// Element `index` of dim `d`, as a view without that dim (`torch.select(x, 0, 1)`).
public func select(_ x: Tensor, _ d: Int, _ index: Int) -> Tensor { x.select(d, index) }
/// Views of `size` elements along `dim` (`torch.split(x, 2)`).
public func split(_ x: Tensor, _ size: Int, dim: Int = 0) -> [Tensor] { x.split(size, dim: dim) }
/// Views with the given sizes along `dim` (`torch.split(x, [1, 3], dim=1)`).
public func split(_ x: Tensor, _ sizes: [Int], dim: Int = 0) -> [Tensor] { x.split(sizes, dim: dim) }
/// At most `chunks` equal views along `dim` (`torch.chunk(x, 3)`).
public func chunk(_ x: Tensor, _ chunks: Int, dim: Int = 0) -> [Tensor] { x.chunk(chunks, dim: dim) }
/// A copy reversed along `dims` (`torch.flip(x, [0])`).
public func flip(_ x: Tensor, _ dims: [Int]) -> Tensor { x.flip(dims) }
/// Elements shifted cyclically (`torch.roll(x, 1)`, `torch.roll(x, [1, -1], dims=[0, 1])`).
public func roll(_ x: Tensor, _ shifts: [Int], dims: [Int] = []) -> Tensor { x.roll(shifts, dims: dims) }
/// Elements shifted cyclically by one amount (`torch.roll(x, 1, dims=0)`).
public func roll(_ x: Tensor, _ shift: Int, dims: [Int] = []) -> Tensor { x.roll(shift, dims: dims) }
/// The lower triangle from `diagonal` down, the rest zero (`torch.tril(x)`).
public func tril(_ x: Tensor, _ diagonal: Int = 0) -> Tensor { x.tril(diagonal) }
/// The upper triangle from `diagonal` up, the rest zero (`torch.triu(x)`).
public func triu(_ x: Tensor, _ diagonal: Int = 0) -> Tensor { x.triu(diagonal) }
/// The diagonal of dims `dim1`, `dim2` as a view (`torch.diagonal(x, offset=1)`).
public func diagonal(_ x: Tensor, offset: Int = 0, dim1: Int = 0, dim2: Int = 1) -> Tensor {
    x.diagonal(offset: offset, dim1: dim1, dim2: dim2)
}
/// A copy with its own storage, recorded (`torch.clone(x)`).
public func clone(_ x: Tensor) -> Tensor { x.clone() }
/// The same data without history (`torch.detach(x)`).
public func detach(_ x: Tensor) -> Tensor { x.detach() }
/// A view with an explicit layout over `x`'s storage (`torch.as_strided`).
public func asStrided(_ x: Tensor, _ shape: [Int], _ strides: [Int], offset: Int? = nil) -> Tensor {
    x.asStrided(shape, strides, offset: offset)
}
/// Slices of `x` at `index` along `dim` (`torch.index_select(x, 0, idx)`).
public func indexSelect(_ x: Tensor, _ dim: Int, _ index: Tensor) -> Tensor { x.indexSelect(dim, index) }
/// Elements of `x` picked along `dim` by `index` (`torch.gather(x, 1, idx)`).
public func gather(_ x: Tensor, _ dim: Int, _ index: Tensor) -> Tensor { x.gather(dim, index) }
/// `x` with `src` added at `index` along `dim` (`torch.scatter_add`).
public func scatterAdd(_ x: Tensor, _ dim: Int, _ index: Tensor, _ src: Tensor) -> Tensor {
    x.scatterAdd(dim, index, src)
}
/// `value` where `mask` holds, else `x` (`torch.masked_fill(x, mask, v)`), for any Swift number.
public func maskedFill(_ x: Tensor, _ mask: Tensor, _ value: some ScalarConvertible) -> Tensor {
    x.maskedFill(mask, value.scalarValue)
}
/// The elements of `x` where `mask` holds, as a 1-d tensor (`torch.masked_select`).
public func maskedSelect(_ x: Tensor, _ mask: Tensor) -> Tensor { x.maskedSelect(mask) }

extension Tensor {
    /// `x.flatten(1)` / `x.flatten(1, 2)` with positional dims, as Python allows
    /// (`torch.Tensor.flatten`).
    public func flatten(_ startDim: Int, _ endDim: Int = -1) -> Tensor {
        flatten(startDim: startDim, endDim: endDim)
    }
}
