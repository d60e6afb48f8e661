/// `prod`: the product of all elements or along one dim, with PyTorch's result dtypes
/// (integers and booleans multiply in int64; `dtype:` converts the input first).

/// The dtype `prod` gives: integers and booleans widen to `int64`.
private func productDtype(_ x: Tensor, _ dtype: DType?) -> DType {
    dtype ?? (x.dtype.isFloatingPoint ? x.dtype : .int64)
}

extension Tensor {
    /// The product of all elements, a 0-d tensor (`x.prod()`).
    public func prod(dtype: DType? = nil) -> Tensor {
        prodKernel(self, dims: Set(0..<dim), keepdim: false, dtype: productDtype(self, dtype))
    }

    /// The product along `dim` (`x.prod(dim: 1, keepdim: true)`).
    public func prod(dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        return prodKernel(self, dims: [d], keepdim: keepdim, dtype: productDtype(self, dtype))
    }
}

/// `x.prod()` as a free function (`torch.prod`).
public func prod(_ x: Tensor, dtype: DType? = nil) -> Tensor { x.prod(dtype: dtype) }
/// `x.prod(dim:keepdim:)` as a free function.
public func prod(_ x: Tensor, dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
    x.prod(dim: dim, keepdim: keepdim, dtype: dtype)
}
