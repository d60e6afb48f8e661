/// `all` and `any`: whether every (some) element is non-zero. The result is bool, except
/// for uint8 input, which gives uint8 as PyTorch does.

/// `all` or `any` over `dims`; `nil` means every dim. An explicit empty list reduces
/// nothing (each element is tested on its own), as in PyTorch.
private func logicalReduction(_ x: Tensor, dims: [Int]?, keepdim: Bool, isAll: Bool) -> Tensor {
    let set: Set<Int> = dims.map { $0.isEmpty ? [] : reductionDims($0, rank: x.dim) } ?? Set(0..<x.dim)
    let out = reductionOutput(x, dims: set, keepdim: dims == nil ? false : keepdim, dtype: x.dtype == .uint8 ? .uint8 : .bool)
    logicalReductionKernel(x, isAll: isAll, dims: set, into: out)
    return out
}

extension Tensor {
    /// Whether every element is non-zero, a 0-d bool tensor (`x.all()`, `torch.Tensor.all`).
    public func all() -> Tensor { logicalReduction(self, dims: nil, keepdim: false, isAll: true) }

    /// Whether every element along `dim` is non-zero (`torch.Tensor.all`).
    public func all(dim: Int, keepdim: Bool = false) -> Tensor { logicalReduction(self, dims: [dim], keepdim: keepdim, isAll: true) }

    /// Whether every element over `dims` is non-zero (`torch.Tensor.all`).
    public func all(dims: [Int], keepdim: Bool = false) -> Tensor { logicalReduction(self, dims: dims, keepdim: keepdim, isAll: true) }

    /// Whether some element is non-zero, a 0-d bool tensor (`x.any()`, `torch.Tensor.any`).
    public func any() -> Tensor { logicalReduction(self, dims: nil, keepdim: false, isAll: false) }

    /// Whether some element along `dim` is non-zero (`torch.Tensor.any`).
    public func any(dim: Int, keepdim: Bool = false) -> Tensor { logicalReduction(self, dims: [dim], keepdim: keepdim, isAll: false) }

    /// Whether some element over `dims` is non-zero (`torch.Tensor.any`).
    public func any(dims: [Int], keepdim: Bool = false) -> Tensor { logicalReduction(self, dims: dims, keepdim: keepdim, isAll: false) }
}

/// `x.all()` as a free function (`torch.all`).
public func all(_ x: Tensor) -> Tensor { x.all() }
/// `x.all(dim:keepdim:)` as a free function (`torch.all`).
public func all(_ x: Tensor, dim: Int, keepdim: Bool = false) -> Tensor { x.all(dim: dim, keepdim: keepdim) }
/// `x.any()` as a free function (`torch.any`).
public func any(_ x: Tensor) -> Tensor { x.any() }
/// `x.any(dim:keepdim:)` as a free function (`torch.any`).
public func any(_ x: Tensor, dim: Int, keepdim: Bool = false) -> Tensor { x.any(dim: dim, keepdim: keepdim) }
