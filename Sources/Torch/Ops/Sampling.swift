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
    let out = result.pointer(as: Int64.self)
    let gen = generator ?? currentDefaultGenerator
    let raceSampling = !replacement || numSamples == 1
    switch input.dtype {
    case .float32:
        if raceSampling {
            exponentialRace(input, probs, Float.self, samples: numSamples, into: out, gen)
        } else {
            gen.draw { multinomialWithReplacementKernel(probs, Float.self, samples: numSamples, into: out, &$0) }
        }
    default:
        if raceSampling {
            exponentialRace(input, probs, Double.self, samples: numSamples, into: out, gen)
        } else {
            gen.draw { multinomialWithReplacementKernel(probs, Double.self, samples: numSamples, into: out, &$0) }
        }
    }
    return result
}

/// Sampling without replacement as PyTorch does it: `q = empty_like(input).exponential_(1)`
/// (so `q` follows `input`'s layout and draw order), `input / q` in the input's dtype, then
/// each row's top indices, largest first (the lower index first among equal keys).
private func exponentialRace<T: TensorScalar & BinaryFloatingPoint>(
    _ input: Tensor, _ probs: Tensor, _: T.Type, samples: Int, into out: UnsafeMutablePointer<Int64>,
    _ gen: Generator
) {
    let rows = probs.shape[0], categories = probs.shape[1]
    let p = probs.storage.data.assumingMemoryBound(to: T.self)
    var valid = true, zeroRow = false
    for i in 0..<rows {
        var sum: T = 0
        for j in 0..<categories {
            let v = p[probs.offset + i * probs.strides[0] + j * probs.strides[1]]
            if !(v >= 0 && v < T.infinity) { valid = false }
            sum += v
        }
        if sum == 0 { zeroRow = true }
    }
    if !valid { torchFatal("RuntimeError: probability tensor contains either `inf`, `nan` or element < 0") }
    if zeroRow { torchFatal("RuntimeError: invalid multinomial distribution (sum of probabilities <= 0)") }

    let q = emptyLikeForRandom(input, dtype: input.dtype)
    gen.draw { exponentialKernel(q, lambda: 1, &$0) }
    let qRows = input.dim == 2 ? q : q.makeView(shape: [1, categories], strides: [0, q.strides[0]], offset: 0)
    let qp = qRows.storage.data.assumingMemoryBound(to: T.self)
    var keys = [T](repeating: 0, count: categories)
    var order = Array(0..<categories)
    for i in 0..<rows {
        for j in 0..<categories {
            keys[j] = p[probs.offset + i * probs.strides[0] + j * probs.strides[1]]
                / qp[qRows.offset + i * qRows.strides[0] + j * qRows.strides[1]]
        }
        if samples == 1 {
            var best = 0
            for j in 1..<max(categories, 1) where keys[j] > keys[best] { best = j }
            out[i] = Int64(best)
            continue
        }
        for j in 0..<categories { order[j] = j }
        order.sort { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : $0 < $1 }
        for s in 0..<samples { out[i * samples + s] = Int64(order[s]) }
    }
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
    switch out.dtype {
    case .float32: scaleAndShift(out, Float.self, scale: scale, shift: shift)
    case .float64: scaleAndShift(out, Double.self, scale: scale, shift: shift)
    case .float16: scaleAndShift(out, Float16.self, scale: scale, shift: shift)
    case .bfloat16: scaleAndShift(out, BFloat16.self, scale: scale, shift: shift)
    default: break  // normal_ has already refused non-floating dtypes
    }
}

private func scaleAndShift<T: TensorScalar & BinaryFloatingPoint>(_ out: Tensor, _: T.Type, scale: Tensor?, shift: Tensor) {
    let o = out.pointer(as: T.self)
    let n = out.numel
    func values(_ t: Tensor) -> [T] {
        expandForRandom(t.to(out.dtype), to: out.shape).contiguous().toArray(T.self)
    }
    if let scale {
        let s = values(scale)
        for i in 0..<n { o[i] = o[i] * s[i] }
    }
    let m = values(shift)
    for i in 0..<n { o[i] = o[i] + m[i] }
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
