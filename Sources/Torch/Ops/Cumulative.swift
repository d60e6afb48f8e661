/// Running sums and products along a dim: `cumsum`, `cumprod`. Integers and booleans give
/// int64, as in PyTorch; `dtype:` converts the input first.

/// A scan of `x` along `dim` in the result dtype.
private func scan(_ x: Tensor, dim: Int, dtype: DType?, product: Bool) -> Tensor {
    let d = normalizeDim(dim, rank: x.dim)
    let resultType = dtype ?? (x.dtype.isFloatingPoint ? x.dtype : .int64)
    let input = x.converted(to: resultType)
    let out = Tensor(uninitializedShape: x.shape, dtype: resultType, zeroed: false)
    guard x.dim > 0 else {
        // A 0-d tensor is its own running sum.
        copyElements(from: input, to: out)
        return out
    }
    scanKernel(input, dim: d, product: product, into: out)
    return out
}

extension Tensor {
    /// Running sums along `dim` (`x.cumsum(dim: 0)`).
    public func cumsum(dim: Int, dtype: DType? = nil) -> Tensor { scan(self, dim: dim, dtype: dtype, product: false) }

    /// Running products along `dim` (`x.cumprod(dim: 0)`).
    public func cumprod(dim: Int, dtype: DType? = nil) -> Tensor { scan(self, dim: dim, dtype: dtype, product: true) }
}

/// `x.cumsum(dim:)` as a free function (`torch.cumsum`).
public func cumsum(_ x: Tensor, dim: Int, dtype: DType? = nil) -> Tensor { x.cumsum(dim: dim, dtype: dtype) }
/// `x.cumprod(dim:)` as a free function (`torch.cumprod`).
public func cumprod(_ x: Tensor, dim: Int, dtype: DType? = nil) -> Tensor { x.cumprod(dim: dim, dtype: dtype) }
