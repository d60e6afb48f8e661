/// Random tensor factories: `torch.rand`, `randn`, `randint`, `randperm` and their `_like`
/// forms. Each allocates and then runs the matching in-place op (`uniform_`, `normal_`,
/// `random_`), exactly as PyTorch composes them, so the streams agree.

extension Tensor {
    /// Uniform samples in [0, 1) (`torch.rand`); `dtype` must be floating.
    public static func rand(_ shape: [Int], dtype: DType? = nil, generator: Generator? = nil,
                            requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype ?? defaultDtype(), zeroed: false)
        t.uniform_(from: 0, to: 1, generator: generator)
        if requiresGrad { t.requiresGrad_(true) }
        return t
    }

    /// Uniform samples in [0, 1) (`torch.rand(3, 2)`).
    public static func rand(_ shape: Int..., dtype: DType? = nil, generator: Generator? = nil) -> Tensor {
        rand(shape, dtype: dtype, generator: generator)
    }

    /// Standard normal samples (`torch.randn`); `dtype` must be floating.
    public static func randn(_ shape: [Int], dtype: DType? = nil, generator: Generator? = nil,
                             requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype ?? defaultDtype(), zeroed: false)
        t.normal_(mean: 0, std: 1, generator: generator)
        if requiresGrad { t.requiresGrad_(true) }
        return t
    }

    /// Standard normal samples (`torch.randn(3, 5)`).
    public static func randn(_ shape: Int..., dtype: DType? = nil, generator: Generator? = nil) -> Tensor {
        randn(shape, dtype: dtype, generator: generator)
    }

    /// Integers drawn uniformly from [low, high) (`torch.randint(low, high, size)`), `int64`
    /// unless `dtype` says otherwise.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64,
                               generator: Generator? = nil) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype, zeroed: false)
        t.random_(low, high, generator: generator)
        return t
    }

    /// Integers drawn uniformly from [0, high) (`torch.randint(high, size)`).
    public static func randint(_ high: Int, _ shape: [Int], dtype: DType = .int64,
                               generator: Generator? = nil) -> Tensor {
        randint(0, high, shape, dtype: dtype, generator: generator)
    }

    /// A random permutation of 0..<n (`torch.randperm`), `int64` unless `dtype` says otherwise.
    public static func randperm(_ n: Int, dtype: DType = .int64, generator: Generator? = nil) -> Tensor {
        if n < 0 { torchFatal("RuntimeError: n must be non-negative, got\(n)") }
        if dtype == .bool { torchFatal("RuntimeError: \"randperm\" not implemented for 'Bool'") }
        if dtype == .float32 && n > (1 << 24) + 1 {
            torchFatal("RuntimeError: n cannot be greater than 2^24+1 for Float type.")
        }
        let perm = randpermKernel(n: n, generator: generator ?? currentDefaultGenerator)
        return Tensor(shape: [n], scalars: perm).to(dtype)
    }

    /// Uniform samples in [0, 1) shaped like `other` (`torch.rand_like`); a dense `other`
    /// lends its layout too, so the samples land in the same memory order as PyTorch's.
    public static func randLike(_ other: Tensor, dtype: DType? = nil, generator: Generator? = nil) -> Tensor {
        let t = emptyLikeForRandom(other, dtype: dtype ?? other.dtype)
        t.uniform_(from: 0, to: 1, generator: generator)
        return t
    }

    /// Standard normal samples shaped like `other` (`torch.randn_like`).
    public static func randnLike(_ other: Tensor, dtype: DType? = nil, generator: Generator? = nil) -> Tensor {
        let t = emptyLikeForRandom(other, dtype: dtype ?? other.dtype)
        t.normal_(mean: 0, std: 1, generator: generator)
        return t
    }

    /// Integers from [low, high) shaped like `other`, in `other`'s dtype unless told
    /// (`torch.randint_like(other, low, high)`).
    public static func randintLike(_ other: Tensor, _ low: Int, _ high: Int, dtype: DType? = nil,
                                   generator: Generator? = nil) -> Tensor {
        let t = emptyLikeForRandom(other, dtype: dtype ?? other.dtype)
        t.random_(low, high, generator: generator)
        return t
    }

    /// Integers from [0, high) shaped like `other` (`torch.randint_like(other, high)`).
    public static func randintLike(_ other: Tensor, _ high: Int, dtype: DType? = nil,
                                   generator: Generator? = nil) -> Tensor {
        randintLike(other, 0, high, dtype: dtype, generator: generator)
    }
}

/// An uninitialised tensor shaped like `other` with `other`'s strides when those describe a
/// dense, non-overlapping layout (`empty_like` with `preserve_format`), else contiguous.
/// Random fills run in memory order, so the layout decides which element gets which draw.
func emptyLikeForRandom(_ other: Tensor, dtype: DType) -> Tensor {
    if other.isContiguous || !isNonOverlappingAndDense(shape: other.shape, strides: other.strides) {
        return Tensor(uninitializedShape: other.shape, dtype: dtype, zeroed: false)
    }
    let storage = Storage(count: other.numel, dtype: dtype, zeroed: false)
    return Tensor(storage: storage, shape: other.shape, strides: other.strides, offset: 0)
}

/// Whether some permutation of the dimensions makes `strides` contiguous (size-1 dims aside).
func isNonOverlappingAndDense(shape: [Int], strides: [Int]) -> Bool {
    let dims = (0..<shape.count).filter { shape[$0] != 1 }.sorted {
        strides[$0] != strides[$1] ? strides[$0] < strides[$1] : shape[$0] < shape[$1]
    }
    var expected = 1
    for d in dims {
        if strides[d] != expected { return false }
        expected *= shape[d]
    }
    return true
}
