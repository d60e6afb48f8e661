/// The `*_like` creators as free functions, as PyTorch spells them (`torch.randn_like(std)`
/// is `randnLike(std)`): they take a tensor first, like every other op. The same functions
/// exist as `Tensor.randnLike(_:)` and so on beside the other creators.

/// Zeros shaped like `other` (`torch.zeros_like`).
public func zerosLike(_ other: Tensor, dtype: DType? = nil) -> Tensor { Tensor.zerosLike(other, dtype: dtype) }

/// Ones shaped like `other` (`torch.ones_like`).
public func onesLike(_ other: Tensor, dtype: DType? = nil) -> Tensor { Tensor.onesLike(other, dtype: dtype) }

/// An uninitialised tensor shaped like `other` (`torch.empty_like`).
public func emptyLike(_ other: Tensor, dtype: DType? = nil) -> Tensor { Tensor.emptyLike(other, dtype: dtype) }

/// `value` everywhere, shaped like `other` (`torch.full_like`).
public func fullLike(_ other: Tensor, _ value: some ScalarConvertible, dtype: DType? = nil) -> Tensor {
    Tensor.fullLike(other, value, dtype: dtype)
}

/// U[0, 1) samples shaped like `other` (`torch.rand_like`).
public func randLike(_ other: Tensor, dtype: DType? = nil, generator: Generator? = nil) -> Tensor {
    Tensor.randLike(other, dtype: dtype, generator: generator)
}

/// N(0, 1) samples shaped like `other` (`torch.randn_like`).
public func randnLike(_ other: Tensor, dtype: DType? = nil, generator: Generator? = nil) -> Tensor {
    Tensor.randnLike(other, dtype: dtype, generator: generator)
}

/// Integers in `low..<high` shaped like `other` (`torch.randint_like`).
public func randintLike(_ other: Tensor, _ low: Int, _ high: Int, dtype: DType? = nil,
                        generator: Generator? = nil) -> Tensor {
    Tensor.randintLike(other, low, high, dtype: dtype, generator: generator)
}

/// Integers in `0..<high` shaped like `other` (`torch.randint_like(x, high)`).
public func randintLike(_ other: Tensor, _ high: Int, dtype: DType? = nil, generator: Generator? = nil) -> Tensor {
    Tensor.randintLike(other, high, dtype: dtype, generator: generator)
}
