/// In-place sampling: `uniform_`, `normal_`, `bernoulli_`, `exponential_`, `random_`,
/// `cauchy_`, `logNormal_`, `geometric_`. Checks and messages follow PyTorch's
/// `DistributionTemplates.h`; the loops are in Kernels/RandomKernels.swift.

extension Tensor {
    /// Runs one sampling kernel on this tensor under the generator's lock, then marks the
    /// tensor as written (its version counter, for autograd's saved-tensor checks).
    @inline(__always)
    fileprivate func sampleInPlace(_ generator: Generator?, name: String, _ kernel: (inout RandomCursor) -> Void) -> Tensor {
        checkInPlaceAllowed(self)
        checkNoInternalOverlap(self)
        if numel > 0 && !isSkippingInit { (generator ?? currentDefaultGenerator).draw(kernel) }
        storage.bumpVersion()
        // Samples do not depend on the old values: a tensor with history gets a node
        // whose gradient is zero, as PyTorch's `NormalBackward0` and friends.
        recordOverwritten(self, name: name)
        return self
    }

    /// Fills with samples from U[from, to) (`x.uniform_(from, to)`); floating dtypes only
    /// (`torch.Tensor.uniform_`).
    @discardableResult
    public func uniform_(from: some ScalarConvertible = 0, to: some ScalarConvertible = 1,
                         generator: Generator? = nil) -> Tensor {
        let from = from.scalarValue.doubleValue
        let to = to.scalarValue.doubleValue
        guard dtype.isFloatingPoint else {
            notImplemented("check_uniform_bounds", for: dtype)
        }
        let limit = dtype.greatestFiniteValue
        if !(from >= -limit && from <= limit) {
            torchFatal("RuntimeError: from is out of bounds for \(dtype.name)")
        }
        if !(to >= -limit && to <= limit) {
            torchFatal("RuntimeError: to is out of bounds for \(dtype.name)")
        }
        if !(from <= to) {
            torchFatal("RuntimeError: uniform_ expects to return a [from, to) range, but found from=\(formatRandomArgument(from)) > to=\(formatRandomArgument(to))")
        }
        if to - from > limit {
            torchFatal("RuntimeError: uniform_ expects to-from <= std::numeric_limits<\(dtype.name)>::max(), but found to=\(formatRandomArgument(to)) and from=\(formatRandomArgument(from)) which result in to-from to exceed the limit")
        }
        return sampleInPlace(generator, name: "UniformBackward0") { uniformKernel(self, from: from, to: to, &$0) }
    }

    /// Fills with samples from N(mean, std²) (`x.normal_(mean, std)`); floating dtypes only
    /// (`torch.Tensor.normal_`).
    @discardableResult
    public func normal_(mean: some ScalarConvertible = 0, std: some ScalarConvertible = 1,
                        generator: Generator? = nil) -> Tensor {
        let mean = mean.scalarValue.doubleValue
        let std = std.scalarValue.doubleValue
        if !(std >= 0) {
            torchFatal("RuntimeError: normal expects std >= 0.0, but found std \(formatRandomArgument(std))")
        }
        guard dtype.isFloatingPoint else {
            notImplemented("normal_kernel_cpu", for: dtype)
        }
        return sampleInPlace(generator, name: "NormalBackward0") { normalKernel(self, mean: mean, std: std, &$0) }
    }

    /// Fills with 1 (probability `p`) or 0 (`x.bernoulli_(p)`), in this tensor's dtype
    /// (`torch.Tensor.bernoulli_`).
    @discardableResult
    public func bernoulli_(p: some ScalarConvertible = 0.5, generator: Generator? = nil) -> Tensor {
        let p = p.scalarValue.doubleValue
        if !(p >= 0 && p <= 1) {
            torchFatal("RuntimeError: bernoulli_ expects p to be in [0, 1], but got p=\(formatRandomArgument(p))")
        }
        return sampleInPlace(generator, name: "BernoulliBackward1") { bernoulliScalarKernel(self, p: p, &$0) }
    }

    /// Fills with 1 or 0, each element with its own probability from `p` (broadcast to this
    /// tensor's shape) (`x.bernoulli_(p)` with a tensor) (`torch.Tensor.bernoulli_`).
    @discardableResult
    public func bernoulli_(_ p: Tensor, generator: Generator? = nil) -> Tensor {
        guard p.dtype.isFloatingPoint else {
            notImplemented("bernoulli_tensor_cpu_p_", for: p.dtype)
        }
        let expanded = expandForRandom(p, to: shape)
        return sampleInPlace(generator, name: "BernoulliBackward2") { bernoulliTensorKernel(self, probabilities: expanded, &$0) }
    }

    /// Fills with samples from Exp(lambd) (`x.exponential_(lambd)`); floating dtypes only
    /// (`torch.Tensor.exponential_`).
    @discardableResult
    public func exponential_(lambd: some ScalarConvertible = 1, generator: Generator? = nil) -> Tensor {
        let lambd = lambd.scalarValue.doubleValue
        if !(lambd > 0) {
            torchFatal("RuntimeError: exponential_ expects lambda > 0.0, but found lambda=\(formatRandomArgument(lambd))")
        }
        return sampleInPlace(generator, name: "ExponentialBackward0") { exponentialKernel(self, lambda: lambd, &$0) }
    }

    /// Fills with samples from Cauchy(median, sigma) (`x.cauchy_`); floating dtypes only
    /// (`torch.Tensor.cauchy_`).
    @discardableResult
    public func cauchy_(median: some ScalarConvertible = 0, sigma: some ScalarConvertible = 1,
                        generator: Generator? = nil) -> Tensor {
        let median = median.scalarValue.doubleValue
        let sigma = sigma.scalarValue.doubleValue
        if !(sigma > 0) {
            torchFatal("RuntimeError: cauchy_ expects sigma > 0.0, but found sigma=\(formatRandomArgument(sigma))")
        }
        guard dtype.isFloatingPoint else {
            torchFatal("RuntimeError: Cauchy distribution is a continuous probability distribution. dtype must be a floating point but you specified \(dtype.name)")
        }
        return sampleInPlace(generator, name: "CauchyBackward0") { cauchyKernel(self, median: median, sigma: sigma, &$0) }
    }

    /// Fills with samples whose logarithm is N(mean, std²) (`x.log_normal_`); floating only
    /// (`torch.Tensor.log_normal_`).
    @discardableResult
    public func logNormal_(mean: some ScalarConvertible = 1, std: some ScalarConvertible = 2,
                           generator: Generator? = nil) -> Tensor {
        let mean = mean.scalarValue.doubleValue
        let std = std.scalarValue.doubleValue
        if !(std > 0) {
            torchFatal("RuntimeError: log_normal_ expects std > 0.0, but found std=\(formatRandomArgument(std))")
        }
        return sampleInPlace(generator, name: "LogNormalBackward0") { logNormalKernel(self, mean: mean, std: std, &$0) }
    }

    /// Fills with the number of Bernoulli(p) trials up to the first success (`x.geometric_`,
    /// `torch.Tensor.geometric_`).
    @discardableResult
    public func geometric_(p: some ScalarConvertible, generator: Generator? = nil) -> Tensor {
        let p = p.scalarValue.doubleValue
        if !(p > 0 && p < 1) {
            torchFatal("RuntimeError: geometric_ expects p to be in (0, 1), but got p=\(formatRandomArgument(p))")
        }
        if dtype == .bool { torchFatal("RuntimeError: \"geometric_cpu\" not implemented for 'Bool'") }
        return sampleInPlace(generator, name: "GeometricBackward0") { geometricKernel(self, p: p, &$0) }
    }

    /// Fills with integers from [0, max] of this dtype — [0, 2^24] for float32, [0, 2^53]
    /// for float64, 0 or 1 for bool (`x.random_()`, `torch.Tensor.random_`).
    @discardableResult
    public func random_(generator: Generator? = nil) -> Tensor {
        sampleInPlace(generator, name: "RandomBackward0") { randomDefaultKernel(self, &$0) }
    }

    /// Fills with integers from [0, to) (`x.random_(to)`, `torch.Tensor.random_`).
    @discardableResult
    public func random_(_ to: Int, generator: Generator? = nil) -> Tensor {
        random_(0, to, generator: generator)
    }

    /// Fills with integers from [from, to), or from [from, max of the dtype] when `to` is
    /// `nil` (`x.random_(from, to)`); `from == Int.min` with no `to` covers all 64 bits
    /// (`torch.Tensor.random_`).
    @discardableResult
    public func random_(_ from: Int, _ to: Int?, generator: Generator? = nil) -> Tensor {
        var lo = Int64(from)
        if let to {
            var hi = Int64(to)
            if !(lo < hi) {
                torchFatal("RuntimeError: random_ expects 'from' to be less than 'to', but got from=\(lo) >= to=\(hi)")
            }
            if let digits = dtype.significandDigits.map(Int64.init) {
                lo = roundedUpFrom(lo, dtype: dtype, digits: digits)
                hi = roundedDownTo(hi, dtype: dtype, digits: digits)
                if !(lo < hi) {
                    torchFatal("RuntimeError: random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=\(lo) >= to=\(hi)")
                }
            }
            checkRandomBounds(from: lo, toInclusive: hi - 1)
            let range = UInt64(bitPattern: hi) &- UInt64(bitPattern: lo)
            return sampleInPlace(generator, name: "RandomBackward1") { randomFromToKernel(self, range: range, base: lo, &$0) }
        }
        if lo != Int64.min {
            let toInclusive: Int64
            if let digits = dtype.significandDigits.map(Int64.init) {
                toInclusive = Int64(1) << digits
                lo = roundedUpFrom(lo, dtype: dtype, digits: digits)
                if !(lo < toInclusive) {
                    torchFatal("RuntimeError: random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=\(lo) > to_inc=\(toInclusive)")
                }
            } else {
                toInclusive = dtype.integerRange.max
            }
            checkRandomBounds(from: lo, toInclusive: toInclusive)
            let range = UInt64(bitPattern: toInclusive) &- UInt64(bitPattern: lo) &+ 1
            return sampleInPlace(generator, name: "RandomBackward1") { randomFromToKernel(self, range: range, base: lo, &$0) }
        }
        guard dtype == .int64 || dtype.isFloatingPoint else {
            torchFatal("RuntimeError: random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16")
        }
        return sampleInPlace(generator, name: "RandomBackward1") { randomFull64Kernel(self, &$0) }
    }

    /// PyTorch's `check_from_to_in_range`: both ends must be representable in the dtype.
    private func checkRandomBounds(from: Int64, toInclusive: Int64) {
        if dtype.isFloatingPoint {
            let limit = dtype.greatestFiniteValue
            if Double(from) < -limit || Double(from) > limit { torchFatal("RuntimeError: from is out of bounds for \(dtype.name)") }
            if Double(toInclusive) < -limit || Double(toInclusive) > limit { torchFatal("RuntimeError: to - 1 is out of bounds for \(dtype.name)") }
            return
        }
        let (lo, hi) = dtype.integerRange
        if from < lo || from > hi { torchFatal("RuntimeError: from is out of bounds for \(dtype.name)") }
        if toInclusive < lo || toInclusive > hi { torchFatal("RuntimeError: to - 1 is out of bounds for \(dtype.name)") }
    }
}

/// `static_cast<int64_t>(static_cast<scalar_t>(v))`, with x86's answer for overflow.
private func roundTripThroughFloat(_ v: Int64, _ d: DType) -> Int64 {
    let f = roundedToElementType(v, d)
    return Int64(exactly: f) ?? (f >= 0x1p63 ? Int64.min : Int64(f))
}

/// PyTorch's `update_from`: moves `from` up to the next value the float dtype can hold, so
/// no sample rounds below it.
private func roundedUpFrom(_ from: Int64, dtype: DType, digits: Int64) -> Int64 {
    let fromPlus1 = roundTripThroughFloat(from &+ 1, dtype)
    guard fromPlus1 < from else { return from }
    let n = Int64(63 - (from &+ 1).magnitude.leadingZeroBitCount)
    return fromPlus1 &+ (1 << (n - digits + 1))
}

/// PyTorch's `update_to`: moves `to` down so no sample rounds up onto it.
private func roundedDownTo(_ to: Int64, dtype: DType, digits: Int64) -> Int64 {
    let toMinus1 = roundTripThroughFloat(to &- 1, dtype)
    guard toMinus1 >= to else { return to }
    let n = Int64(63 - (to &- 1).magnitude.leadingZeroBitCount)
    return toMinus1 &- (1 << (n - digits + 1))
}

/// A view of `t` broadcast to `shape` (stride 0 along new or size-1 dimensions), failing
/// with PyTorch's message when the shapes do not broadcast.
func expandForRandom(_ t: Tensor, to shape: [Int]) -> Tensor {
    if t.shape == shape { return t }
    let lead = shape.count - t.dim
    guard lead >= 0 else {
        torchFatal("RuntimeError: The expanded size of the tensor (\(shape.first ?? 0)) must match the existing size (\(t.shape.first ?? 0)) at non-singleton dimension 0.  Target sizes: \(shape).  Tensor sizes: \(t.shape)")
    }
    var strides = [Int](repeating: 0, count: shape.count)
    for d in 0..<t.dim {
        let size = t.shape[d]
        if size == shape[lead + d] {
            strides[lead + d] = t.strides[d]
        } else if size != 1 {
            torchFatal("RuntimeError: The expanded size of the tensor (\(shape[lead + d])) must match the existing size (\(size)) at non-singleton dimension \(lead + d).  Target sizes: \(shape).  Tensor sizes: \(t.shape)")
        }
    }
    return t.makeView(shape: shape, strides: strides, offset: t.offset)
}

/// A number as C++'s `operator<<` prints it in PyTorch's messages (`1`, `0.5`, `-inf`).
func formatRandomArgument(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    return String(x)
}
