/// Searching, counting and set operations: `searchsorted`, `bucketize`, `bincount`,
/// `histc`, `unique`, `uniqueConsecutive`, `isclose`, and the pairwise `cdist`.

/// For each of `values`, the index where it would be inserted into the sorted last
/// dimension of `sortedSequence` to keep it sorted (`torch.searchsorted`): the first such
/// index, or the last with `right: true`. A 1-D sequence serves every value; otherwise the
/// leading dimensions must match.
public func searchsorted(_ sortedSequence: Tensor, _ values: Tensor, right: Bool = false, side: String? = nil) -> Tensor {
    let upper = side.map { $0 == "right" } ?? right
    let sequence = sortedSequence.to(.float64).contiguous()
    let queries = values.to(.float64).contiguous()
    let length = sequence.shape.last ?? 0
    guard sequence.dim == 1 || Array(sequence.shape.dropLast()) == Array(queries.shape.dropLast()) else {
        torchFatal("RuntimeError: torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor \(Size(sortedSequence.shape)) and input value tensor \(Size(values.shape))")
    }
    let s = sequence.toArray(Double.self), q = queries.toArray(Double.self)
    let perLine = queries.dim == 0 ? 1 : queries.shape[queries.dim - 1]
    var out = [Int64](repeating: 0, count: q.count)
    for (i, v) in q.enumerated() {
        let base = sequence.dim == 1 ? 0 : (i / Swift.max(perLine, 1)) * length
        var lo = 0, hi = length
        while lo < hi {
            let mid = (lo + hi) / 2, m = s[base + mid]
            // PyTorch's bounds, comparisons with NaN being false: a NaN query goes last.
            if upper ? !(m > v) : !(m >= v) { lo = mid + 1 } else { hi = mid }
        }
        out[i] = Int64(lo)
    }
    return Tensor(shape: values.shape, scalars: out)
}

/// The bucket of each element given sorted `boundaries` (`torch.bucketize`).
public func bucketize(_ input: Tensor, _ boundaries: Tensor, right: Bool = false) -> Tensor {
    guard boundaries.dim == 1 else { torchFatal("RuntimeError: boundaries tensor must be 1 dimension, but got dim(\(boundaries.dim))") }
    return searchsorted(boundaries, input, right: right)
}

/// Occurrences of each non-negative integer in a 1-D tensor, or the sums of `weights` at
/// them (`torch.bincount`).
public func bincount(_ input: Tensor, weights: Tensor? = nil, minlength: Int = 0) -> Tensor {
    guard input.dim == 1, !input.dtype.isFloatingPoint else { torchFatal("RuntimeError: bincount only supports 1-d non-negative integral inputs.") }
    let values = input.toArray(Int64.self)
    guard values.allSatisfy({ $0 >= 0 }) else { torchFatal("RuntimeError: bincount only supports 1-d non-negative integral inputs.") }
    guard minlength >= 0 else { torchFatal("RuntimeError: minlength should be >= 0") }
    let size = Swift.max(minlength, (values.max().map { Int($0) + 1 }) ?? 0)
    guard let weights else {
        var counts = [Int64](repeating: 0, count: size)
        for v in values { counts[Int(v)] += 1 }
        return Tensor(shape: [size], scalars: counts)
    }
    guard weights.shape == input.shape else { torchFatal("RuntimeError: weights should be 1-d and have the same length as input") }
    let w = weights.to(.float64).toArray(Double.self)
    var sums = [Double](repeating: 0, count: size)
    for (v, x) in zip(values, w) { sums[Int(v)] += x }
    // Float weights keep their dtype; integer weights give float64, as in PyTorch.
    let dtype: DType = weights.dtype.isFloatingPoint ? weights.dtype : .float64
    return Tensor(shape: [size], scalars: sums).to(dtype)
}

/// A histogram of `bins` equal bins over `[min, max]` (the data's range when both are 0);
/// elements outside are ignored, `max` itself falls in the last bin (`torch.histc`).
public func histc(_ input: Tensor, bins: Int = 100, min: some ScalarConvertible = 0,
                  max: some ScalarConvertible = 0) -> Tensor {
    let min = min.scalarValue.doubleValue
    let max = max.scalarValue.doubleValue
    guard input.dtype.isFloatingPoint else { notImplemented("histogram_cpu", for: input.dtype) }
    guard bins > 0 else { torchFatal("RuntimeError: torch.histc(): bins must be > 0, but got \(bins) for bins") }
    let values = input.to(.float64).contiguous().toArray(Double.self)
    var lo = min, hi = max
    if lo == hi && !values.isEmpty {
        lo = values.min()!
        hi = values.max()!
    }
    if lo == hi { lo -= 1; hi += 1 }
    guard lo < hi else { torchFatal("RuntimeError: torch.histc(): max must be larger than min") }
    var counts = [Double](repeating: 0, count: bins)
    for v in values where v >= lo && v <= hi {
        let b = Swift.min(Int((v - lo) * Double(bins) / (hi - lo)), bins - 1)
        counts[b] += 1
    }
    return Tensor(shape: [bins], scalars: counts).to(input.dtype)
}

/// The distinct elements, sorted, with (optionally) where each input element went and how
/// often each value occurs (`torch.unique`, flattened; with `dim:`, the overload below).
public func unique(_ x: Tensor, sorted: Bool = true, returnInverse: Bool = false, returnCounts: Bool = false)
    -> (values: Tensor, inverse: Tensor?, counts: Tensor?) {
    let flat = x.reshape([-1])
    if !x.dtype.isFloatingPoint {
        // Integers and booleans: counted or radix-sorted as int64 (UniqueKernels.swift).
        let (values, inverse, counts) = uniqueIntegersKernel(flat.to(.int64).contiguous(), inverse: returnInverse)
        return (values.to(x.dtype), inverse?.reshape(x.shape), returnCounts ? counts : nil)
    }
    let (sortedValues, order) = noGrad { flat.sort(stable: true) }
    return consecutiveRuns(sortedValues, order: order, count: flat.numel, shape: x.shape,
                           returnInverse: returnInverse, returnCounts: returnCounts)
}

/// Collapses runs of equal consecutive elements (`torch.unique_consecutive`, flattened).
public func uniqueConsecutive(_ x: Tensor, returnInverse: Bool = false, returnCounts: Bool = false)
    -> (values: Tensor, inverse: Tensor?, counts: Tensor?) {
    let flat = x.reshape([-1])
    return consecutiveRuns(flat, order: Tensor.arange(0, flat.numel), count: flat.numel, shape: x.shape,
                           returnInverse: returnInverse, returnCounts: returnCounts)
}

/// The distinct slices of `x` along `dim` (`torch.unique(x, dim=d)`), sorted
/// lexicographically (element by element, as PyTorch compares them; `sorted` is accepted for
/// PyTorch's signature and, as there, always sorts). `inverse[i]` is the position of slice `i`
/// among the unique ones, `counts[j]` how many slices equal unique slice `j`.
public func unique(_ x: Tensor, sorted: Bool = true, returnInverse: Bool = false, returnCounts: Bool = false, dim: Int)
    -> (values: Tensor, inverse: Tensor?, counts: Tensor?) {
    uniqueSlices(x, dim: dim, consecutive: false, returnInverse: returnInverse, returnCounts: returnCounts)
}

/// Collapses runs of equal consecutive slices along `dim` (`torch.unique_consecutive(x, dim=d)`).
public func uniqueConsecutive(_ x: Tensor, returnInverse: Bool = false, returnCounts: Bool = false, dim: Int)
    -> (values: Tensor, inverse: Tensor?, counts: Tensor?) {
    uniqueSlices(x, dim: dim, consecutive: true, returnInverse: returnInverse, returnCounts: returnCounts)
}

/// PyTorch's `_unique_dim` and `unique_dim_consecutive`: each slice along `dim` flattened,
/// sorted lexicographically (unless `consecutive`), runs of equal slices collapsed (NaN
/// never equals NaN, as `at::equal`).
private func uniqueSlices(_ x: Tensor, dim: Int, consecutive: Bool, returnInverse: Bool, returnCounts: Bool)
    -> (values: Tensor, inverse: Tensor?, counts: Tensor?) {
    guard x.dim > 0 else { torchFatal("IndexError: Dimension specified as \(dim) but tensor has no dimensions") }
    let d = normalizeDim(dim, rank: x.dim)
    let size = x.shape[d]
    let emptyLong = Tensor.empty([0], dtype: .int64)
    if x.numel == 0 {
        guard x.shape.filter({ $0 == 0 }).count == 1 else {
            torchFatal("RuntimeError: Number of zero sized dimensions is more than one, so unique cannot be applied ")
        }
        guard size == 0 else {
            torchFatal("RuntimeError: There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")
        }
        return (x, returnInverse ? emptyLong : nil, returnCounts ? emptyLong : nil)
    }
    let order = [d] + (0..<x.dim).filter { $0 != d }
    let moved = noGrad { x.permute(order).contiguous() }
    let width = x.numel / size
    // Comparisons in each dtype's own values: integers exactly, floats as doubles.
    let keys: [Double], exact: [Int64]
    if x.dtype.isFloatingPoint {
        keys = moved.to(.float64).toArray(Double.self)
        exact = []
    } else {
        keys = []
        exact = moved.to(.int64).toArray(Int64.self)
    }
    func less(_ a: Int, _ b: Int) -> Bool {
        for i in 0..<width {
            if exact.isEmpty {
                let l = keys[a * width + i], r = keys[b * width + i]
                if l < r { return true }
                if l > r { return false }
            } else {
                let l = exact[a * width + i], r = exact[b * width + i]
                if l < r { return true }
                if l > r { return false }
            }
        }
        return false
    }
    func equal(_ a: Int, _ b: Int) -> Bool {
        for i in 0..<width {
            if exact.isEmpty ? keys[a * width + i] != keys[b * width + i] : exact[a * width + i] != exact[b * width + i] {
                return false
            }
        }
        return true
    }
    let indices = consecutive ? Array(0..<size) : (0..<size).sorted(by: less)
    var firsts: [Int64] = [], counts: [Int64] = [], inverse = [Int64](repeating: 0, count: size)
    for (position, index) in indices.enumerated() {
        if position == 0 || !equal(indices[position - 1], index) {
            firsts.append(Int64(index))
            counts.append(0)
        }
        counts[counts.count - 1] += 1
        inverse[index] = Int64(firsts.count - 1)
    }
    let picked = noGrad { moved.indexSelect(0, Tensor(firsts)) }
    // Back to the original layout: the inverse of `order`.
    var back = [Int](repeating: 0, count: order.count)
    for (i, o) in order.enumerated() { back[o] = i }
    let values = noGrad { picked.permute(back).contiguous() }
    return (values, returnInverse ? Tensor(inverse) : nil, returnCounts ? Tensor(counts) : nil)
}

/// Runs of equal elements in `values` (the elements of positions `order`): one value per
/// run, each position's run, each run's length.
private func consecutiveRuns(_ values: Tensor, order: Tensor, count: Int, shape: [Int], returnInverse: Bool, returnCounts: Bool)
    -> (values: Tensor, inverse: Tensor?, counts: Tensor?) {
    let v = values.to(.float64).toArray(Double.self), positions = order.toArray(Int64.self)
    var starts: [Int64] = [], runOf = [Int64](repeating: 0, count: count), lengths: [Int64] = []
    for i in 0..<count {
        let same = i > 0 && v[i] == v[i - 1]   // NaNs are each distinct, as in PyTorch
        if !same {
            starts.append(Int64(i))
            lengths.append(0)
        }
        lengths[lengths.count - 1] += 1
        runOf[Int(positions[i])] = Int64(starts.count - 1)
    }
    let distinct = noGrad { values.indexSelect(0, Tensor(starts)) }
    return (distinct, returnInverse ? Tensor(shape: shape, scalars: runOf) : nil, returnCounts ? Tensor(lengths) : nil)
}

/// `|a - b| <= atol + rtol · |b|` elementwise; equal infinities are close, NaN only with
/// `equalNan` (`torch.isclose`).
public func isclose(_ a: Tensor, _ b: Tensor, rtol: some ScalarConvertible = 1e-5, atol: some ScalarConvertible = 1e-8,
                    equalNan: Bool = false) -> Tensor {
    let rtol = rtol.scalarValue.doubleValue
    let atol = atol.scalarValue.doubleValue
    guard a.dtype == b.dtype else {
        torchFatal("RuntimeError: \(a.dtype.scalarTypeName) did not match \(b.dtype.scalarTypeName)")
    }
    return noGrad {
        let exact = a .== b
        guard a.dtype.isFloatingPoint else { return exact .| (abs(a - b).to(.float64) .<= (atol + rtol * abs(b).to(.float64))) }
        let finite = (abs(a - b) .<= (abs(b) * rtol + atol)) .& isfinite(a) .& isfinite(b)
        let close = exact .| finite
        return equalNan ? close .| (isnan(a) .& isnan(b)) : close
    }
}

/// Pairwise p-norm distances between the rows of `x1` (`…, P, M`) and `x2` (`…, R, M`):
/// `(…, P, R)` (`torch.cdist`).
public func cdist(_ x1: Tensor, _ x2: Tensor, p: some ScalarConvertible = 2) -> Tensor {
    let p = p.scalarValue.doubleValue
    guard x1.dim >= 2, x2.dim >= 2, x1.shape.last == x2.shape.last else {
        torchFatal("RuntimeError: X1 and X2 must have the same number of columns. X1: \(x1.shape.last ?? 0) X2: \(x2.shape.last ?? 0)")
    }
    guard p >= 0 else { torchFatal("RuntimeError: cdist only supports non-negative p values") }
    func difference(_ x1: Tensor, _ x2: Tensor) -> Tensor { x1.unsqueeze(-2) - x2.unsqueeze(-3) }   // (…, P, R, M)
    let dtype = x1.dtype
    return composite("CdistBackward0", [x1, x2], saving: [x1, x2], savingOutput: true, forward: {
        let d = abs(difference(x1, x2))
        if p == 0 { return (d .!= 0.0).to(dtype).sum(dim: -1) }
        if p.isInfinite { return d.amax(dim: -1) }
        if p == 1 { return d.sum(dim: -1) }
        if p == 2 { return sqrt((d * d).sum(dim: -1)) }
        return pow(pow(d, .double(p)).sum(dim: -1), .double(1 / p))
    }) { g, saved in
        let diff = difference(saved[0], saved[1]), dist = saved.output!
        let gd = g.unsqueeze(-1), dd = dist.unsqueeze(-1)
        let zero = Tensor.zeros([], dtype: diff.dtype)
        let local: Tensor
        if p == 0 {
            local = Tensor.zerosLike(diff)
        } else if p == 1 {
            local = sign(diff)
        } else if p.isInfinite {
            local = sign(diff) * (abs(diff) .== dd).to(diff.dtype)
        } else {
            // sign(d)|d|^(p-1) / dist^(p-1), 0 where the distance is 0.
            let safe = `where`(dd .== 0.0, Tensor.ones([], dtype: dd.dtype), dd)
            local = `where`(dd .== 0.0, zero, sign(diff) * pow(abs(diff), .double(p - 1)) / pow(safe, .double(p - 1)))
        }
        let contribution = gd * local   // (…, P, R, M)
        return [contribution.sum(dim: -2), -contribution.sum(dim: -3)]
    }
}

extension Tensor {
    /// `isclose(self, other, ...)` (`x.isclose`, `torch.Tensor.isclose`).
    public func isclose(_ other: Tensor, rtol: some ScalarConvertible = 1e-5, atol: some ScalarConvertible = 1e-8,
                        equalNan: Bool = false) -> Tensor {
        let rtol = rtol.scalarValue.doubleValue
        let atol = atol.scalarValue.doubleValue
        return Torch.isclose(self, other, rtol: rtol, atol: atol, equalNan: equalNan)
    }
}
