/// Sampling ops that return new tensors: `bernoulli`, `multinomial`, `normal` with tensor
/// parameters. Composed as PyTorch composes them, so they use the stream identically.

extension Tensor {
    /// 1 or 0 per element, each with the probability this tensor holds (`x.bernoulli()`);
    /// the result has this tensor's dtype and shape (`torch.Tensor.bernoulli`).
    public func bernoulli(generator: Generator? = nil) -> Tensor {
        guard dtype.isFloatingPoint else {
            notImplemented("bernoulli_tensor_cpu_p_", for: dtype)
        }
        let out = emptyLikeForRandom(self, dtype: dtype)
        out.bernoulli_(self, generator: generator)
        return out
    }

    /// 1 or 0 per element with one probability `p` (`torch.bernoulli(x, p)`), shaped like
    /// this tensor.
    public func bernoulli(p: some ScalarConvertible, generator: Generator? = nil) -> Tensor {
        let p = p.scalarValue.doubleValue
        let out = emptyLikeForRandom(self, dtype: dtype)
        out.bernoulli_(p: p, generator: generator)
        return out
    }

    /// Category indices drawn from the weights in each row (`x.multinomial(n, replacement)`,
    /// `torch.Tensor.multinomial`).
    ///
    /// Without replacement (or for one sample) PyTorch's exponential race is used: the
    /// indices of the `numSamples` largest `p / q`, `q ~ Exp(1)`, largest first. With
    /// replacement, a binary search in the normalised running sum for each uniform.
    public func multinomial(numSamples: Int, replacement: Bool = false, generator: Generator? = nil) -> Tensor {
        Torch.multinomial(self, numSamples: numSamples, replacement: replacement, generator: generator)
    }
}

/// 1 or 0 per element with the probabilities in `probs` (`torch.bernoulli(probs)`).
public func bernoulli(_ probs: Tensor, generator: Generator? = nil) -> Tensor {
    probs.bernoulli(generator: generator)
}

/// Category indices drawn from the weights in each row of `input` (`torch.multinomial`):
/// a 1-D input gives `[numSamples]`, a 2-D one `[rows, numSamples]`, as `int64`.
public func multinomial(_ input: Tensor, numSamples: Int, replacement: Bool = false,
                        generator: Generator? = nil) -> Tensor {
    guard input.dim == 1 || input.dim == 2 else {
        torchFatal("RuntimeError: prob_dist must be 1 or 2 dim")
    }
    guard input.dtype.isFloatingPoint else {
        torchFatal("RuntimeError: multinomial only supports floating-point dtypes for input, got: \(input.dtype.scalarTypeName)")
    }
    guard numSamples > 0 else { torchFatal("RuntimeError: cannot sample n_sample <= 0 samples") }
    let categories = input.shape[input.dim - 1]
    guard replacement || numSamples <= categories else {
        torchFatal("RuntimeError: cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    }
    guard categories <= 1 << 24 else { torchFatal("RuntimeError: number of categories cannot exceed 2^24") }
    let rows = input.dim == 2 ? input.shape[0] : 1
    let outShape = input.dim == 2 ? [rows, numSamples] : [numSamples]
    let result = Tensor(uninitializedShape: outShape, dtype: .int64, zeroed: false)
    if result.numel == 0 { return result }
    let probs = input.dim == 2 ? input : input.makeView(shape: [1, categories], strides: [0, input.strides[0]], offset: input.offset)
    // The sampling loops exist for float32 and float64.
    guard input.dtype == .float32 || input.dtype == .float64 else { notImplemented("multinomial", for: input.dtype) }
    let gen = generator ?? currentDefaultGenerator
    if !replacement || numSamples == 1 {
        // PyTorch's race: `q = empty_like(input).exponential_(1)` (so `q` follows `input`'s
        // layout and draw order), then each row's largest `input / q`.
        checkRaceWeights(probs)
        let q = emptyLikeForRandom(input, dtype: input.dtype)
        gen.draw { exponentialKernel(q, lambda: 1, &$0) }
        let qRows = input.dim == 2 ? q : q.makeView(shape: [1, categories], strides: [0, q.strides[0]], offset: 0)
        exponentialRaceKernel(probs, noise: qRows, samples: numSamples, into: result)
    } else {
        multinomialWithReplacementKernel(probs, samples: numSamples, into: result, generator: gen)
    }
    return result
}

/// Samples from N(mean, std²) elementwise, `mean` and `std` broadcast together
/// (`torch.normal(mean, std)`): standard normals, then `* std`, then `+ mean`, each rounded,
/// in `mean`'s dtype.
public func normal(mean: Tensor, std: Tensor, generator: Generator? = nil) -> Tensor {
    let shape = broadcastShapeForRandom(mean.shape, std.shape)
    let out = Tensor(uninitializedShape: shape, dtype: mean.dtype, zeroed: false)
    checkNormalStd(std)
    out.normal_(mean: 0, std: 1, generator: generator)
    scaleAndShift(out, scale: std, shift: mean)
    return out
}

/// Samples from N(mean, std²) with one `std` for every element (`torch.normal(mean, std)`):
/// `normal_(0, std)`, then `+ mean`.
public func normal(mean: Tensor, std: some ScalarConvertible = 1, generator: Generator? = nil) -> Tensor {
    let std = std.scalarValue.doubleValue
    let out = Tensor(uninitializedShape: mean.shape, dtype: mean.dtype, zeroed: false)
    out.normal_(mean: 0, std: std, generator: generator)
    scaleAndShift(out, scale: nil, shift: mean)
    return out
}

/// Samples from N(mean, std²) with one `mean` for every element (`torch.normal(mean, std)`):
/// standard normals, then `* std`, then `+ mean`.
public func normal(mean: some ScalarConvertible, std: Tensor, generator: Generator? = nil) -> Tensor {
    let mean = mean.scalarValue.doubleValue
    checkNormalStd(std)
    let out = Tensor(uninitializedShape: std.shape, dtype: std.dtype, zeroed: false)
    out.normal_(mean: 0, std: 1, generator: generator)
    scaleAndShift(out, scale: std, shift: Tensor(shape: [], scalars: [mean]).to(out.dtype))
    return out
}

/// Samples from N(mean, std²) in a tensor of `shape` (`torch.normal(mean, std, size)`).
public func normal(mean: some ScalarConvertible, std: some ScalarConvertible, size shape: [Int], dtype: DType? = nil,
                   generator: Generator? = nil) -> Tensor {
    let mean = mean.scalarValue.doubleValue
    let std = std.scalarValue.doubleValue
    let out = Tensor(uninitializedShape: shape, dtype: dtype ?? defaultDtype(), zeroed: false)
    out.normal_(mean: mean, std: std, generator: generator)
    return out
}

/// PyTorch rejects a negative standard deviation anywhere in the tensor.
private func checkNormalStd(_ std: Tensor) {
    guard std.numel > 0 else { return }
    let values = std.to(.float64).contiguous().toArray(Double.self)
    if values.contains(where: { !($0 >= 0) && !$0.isNaN }) {
        torchFatal("RuntimeError: normal expects all elements of std >= 0.0")
    }
}

/// `out.mul_(scale)` then `out.add_(shift)`, both broadcast to `out`, in `out`'s dtype.
private func scaleAndShift(_ out: Tensor, scale: Tensor?, shift: Tensor) {
    guard out.dtype.isFloatingPoint else { return }  // normal_ has already refused non-floating dtypes
    func dense(_ t: Tensor) -> Tensor { expandForRandom(t.to(out.dtype), to: out.shape).contiguous() }
    scaleAndShiftKernel(out, scale: scale.map(dense), shift: dense(shift))
}

/// The broadcast of two shapes, failing with PyTorch's message when they do not broadcast.
private func broadcastShapeForRandom(_ a: [Int], _ b: [Int]) -> [Int] {
    let n = max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
        let da = i < n - a.count ? 1 : a[i - (n - a.count)]
        let db = i < n - b.count ? 1 : b[i - (n - b.count)]
        if da != db && da != 1 && db != 1 {
            torchFatal("RuntimeError: The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)")
        }
        out[i] = da == 1 ? db : da
    }
    return out
}
