import CTorchSIMD

/// Sums and products. Floating sums use cascade summation in the input's own precision,
/// as PyTorch's CPU kernel does: partial sums of at most a few dozen terms are added into
/// the next level, so every addition combines numbers of similar magnitude and the error
/// grows with the number of levels rather than the number of elements. A float32 sum of
/// 10 million values therefore stays within a few ulps without a float64 accumulator.

/// A float element type with the vectorised contiguous loops of CTorchSIMD's
/// torch_reduce.h (AVX-512 or AVX2 picked at run time).
///
/// `Float` and `Double` are also the types of the LAPACK, fused-optimizer and gamma-sampler
/// loops, so those protocols are stated here and every kernel reached through
/// `dispatchSIMDFloat` is specialised without a cast.
protocol SIMDFloatElement: FloatElement, ArithmeticElement, ExtremumElement, SIMDScalar, Codable,
    LeastSquaresScalar, FusedOptimizerScalar, GammaScalar {
    /// The cascade sum of `n` contiguous elements.
    static func contiguousSum(_ p: UnsafePointer<Self>, _ n: Int) -> Self
    /// The largest of `n` contiguous elements; NaN if any is NaN.
    static func contiguousMax(_ p: UnsafePointer<Self>, _ n: Int) -> Self
    /// The smallest of `n` contiguous elements; NaN if any is NaN.
    static func contiguousMin(_ p: UnsafePointer<Self>, _ n: Int) -> Self
    /// `y = softmax(x)` over `n` contiguous elements.
    static func softmaxRow(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// `y = logSoftmax(x)` over `n` contiguous elements.
    static func logSoftmaxRow(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    /// `log Σ exp(x)` over `n` contiguous elements.
    static func logSumExpRow(_ x: UnsafePointer<Self>, _ n: Int) -> Self
    /// The product of `n` contiguous elements.
    static func contiguousProduct(_ p: UnsafePointer<Self>, _ n: Int) -> Self
    /// `acc[j] += Σ_r p[r * rowStride + j]` for `j < width`, cascading over the rows.
    static func addRows(_ acc: UnsafeMutablePointer<Self>, _ p: UnsafePointer<Self>, width: Int, rows: Int, rowStride: Int)
    /// Mean and sum of squared deviations of `n > 0` contiguous elements, two-pass in double.
    static func moments(_ p: UnsafePointer<Self>, _ n: Int) -> (mean: Double, m2: Double)
}

extension Float: SIMDFloatElement {
    @inline(__always) static func contiguousSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float { st_sum_f32(p, n) }
    @inline(__always) static func contiguousMax(_ p: UnsafePointer<Float>, _ n: Int) -> Float { st_max_f32(p, n) }
    @inline(__always) static func contiguousMin(_ p: UnsafePointer<Float>, _ n: Int) -> Float { st_min_f32(p, n) }
    @inline(__always) static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        st_softmax_f32(x, y, n)
    }
    @inline(__always) static func logSoftmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        st_log_softmax_f32(x, y, n)
    }
    @inline(__always) static func logSumExpRow(_ x: UnsafePointer<Float>, _ n: Int) -> Float { st_logsumexp_f32(x, n) }
    @inline(__always) static func contiguousProduct(_ p: UnsafePointer<Float>, _ n: Int) -> Float { st_prod_f32(p, n) }
    @inline(__always)
    static func addRows(_ acc: UnsafeMutablePointer<Float>, _ p: UnsafePointer<Float>, width: Int, rows: Int, rowStride: Int) {
        st_add_rows_f32(acc, p, width, rows, rowStride)
    }
    @inline(__always) static func moments(_ p: UnsafePointer<Float>, _ n: Int) -> (mean: Double, m2: Double) {
        var mean = 0.0, m2 = 0.0
        st_moments_f32(p, n, &mean, &m2)
        return (mean, m2)
    }
}

extension Double: SIMDFloatElement {
    @inline(__always) static func contiguousSum(_ p: UnsafePointer<Double>, _ n: Int) -> Double { st_sum_f64(p, n) }
    @inline(__always) static func contiguousMax(_ p: UnsafePointer<Double>, _ n: Int) -> Double { st_max_f64(p, n) }
    @inline(__always) static func contiguousMin(_ p: UnsafePointer<Double>, _ n: Int) -> Double { st_min_f64(p, n) }
    @inline(__always) static func softmaxRow(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        st_softmax_f64(x, y, n)
    }
    @inline(__always) static func logSoftmaxRow(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        st_log_softmax_f64(x, y, n)
    }
    @inline(__always) static func logSumExpRow(_ x: UnsafePointer<Double>, _ n: Int) -> Double { st_logsumexp_f64(x, n) }
    @inline(__always) static func contiguousProduct(_ p: UnsafePointer<Double>, _ n: Int) -> Double { st_prod_f64(p, n) }
    @inline(__always)
    static func addRows(_ acc: UnsafeMutablePointer<Double>, _ p: UnsafePointer<Double>, width: Int, rows: Int, rowStride: Int) {
        st_add_rows_f64(acc, p, width, rows, rowStride)
    }
    @inline(__always) static func moments(_ p: UnsafePointer<Double>, _ n: Int) -> (mean: Double, m2: Double) {
        var mean = 0.0, m2 = 0.0
        st_moments_f64(p, n, &mean, &m2)
        return (mean, m2)
    }
}

/// ⌈log2(n)⌉ for n ≥ 1.
@inline(__always)
func ceilLog2(_ n: Int) -> Int {
    n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
}

/// How many items each cascade level adds before passing its sum up: 2^(log2(n)/3), at
/// least 16, so three levels cover any length.
@inline(__always)
private func cascadeLevelPower(_ n: Int) -> Int {
    max(4, ceilLog2(n) / 3)
}

/// The sum of `n` elements `stride` apart, by cascade summation over four accumulators.
@inline(__always)
func cascadeSumStrided<T: SIMDFloatElement>(_ p: UnsafePointer<T>, _ n: Int, _ stride: Int) -> T {
    let blocks = n / 4
    var total = T.zero
    if blocks > 0 {
        let power = cascadeLevelPower(blocks)
        let step = 1 << power, mask = step - 1
        var level1 = SIMD4<T>(), level2 = SIMD4<T>(), level3 = SIMD4<T>()
        var b = 0
        var a = SIMD4<T>()
        while b < blocks {
            let q = p + 4 * b * stride
            a += SIMD4(q[0], q[stride], q[2 * stride], q[3 * stride])
            b += 1
            if b & mask == 0 {
                level1 += a
                a = SIMD4()
                if (b >> power) & mask == 0 {
                    level2 += level1
                    level1 = SIMD4()
                    if (b >> (2 * power)) & mask == 0 {
                        level3 += level2
                        level2 = SIMD4()
                    }
                }
            }
        }
        total = (a + level1 + level2 + level3).sum()
    }
    for i in (blocks * 4)..<n { total += p[i * stride] }
    return total
}

/// `sum` of a floating tensor, in its own precision.
struct FloatSumReducer<T: SIMDFloatElement>: Reducer {
    var identity: T { 0 }
    @inline(__always) func fold(_ acc: inout T, _ x: T, at index: Int) { acc += x }
    @inline(__always) func combine(_ acc: T, _ later: T) -> T { acc + later }
    @inline(__always) func finish(_ acc: T) -> T { acc }
    @inline(__always)
    func foldRun(_ acc: inout T, _ p: UnsafePointer<T>, count: Int, stride: Int, firstIndex: Int) {
        acc += stride == 1 ? T.contiguousSum(p, count) : cascadeSumStrided(p, count, stride)
    }
    @inline(__always)
    func foldRows(_ acc: UnsafeMutablePointer<T>, _ p: UnsafePointer<T>, width: Int, rows: Int, rowStride: Int, firstIndex: Int) {
        T.addRows(acc, p, width: width, rows: rows, rowStride: rowStride)
    }
}

/// `sum` of an integer or boolean tensor: wrapping `Int64` arithmetic, then a cast to the
/// output dtype (int64 unless `dtype:` asked for another).
struct IntegerSumReducer<T: TensorScalar, O: TensorScalar>: Reducer {
    var identity: Int64 { 0 }
    @inline(__always) func fold(_ acc: inout Int64, _ x: T, at index: Int) { acc &+= x.int64Value }
    @inline(__always) func combine(_ acc: Int64, _ later: Int64) -> Int64 { acc &+ later }
    @inline(__always) func finish(_ acc: Int64) -> O { O(castingInt64: acc) }
    @inline(__always)
    func foldRows(_ acc: UnsafeMutablePointer<Int64>, _ p: UnsafePointer<T>, width: Int, rows: Int, rowStride: Int, firstIndex: Int) {
        for r in 0..<rows {
            let row = p + r * rowStride
            for j in 0..<width { acc[j] &+= row[j].int64Value }
        }
    }
}

/// `prod` of a floating tensor, in its own precision.
struct FloatProductReducer<T: SIMDFloatElement>: Reducer {
    var identity: T { 1 }
    @inline(__always) func fold(_ acc: inout T, _ x: T, at index: Int) { acc *= x }
    @inline(__always) func combine(_ acc: T, _ later: T) -> T { acc * later }
    @inline(__always) func finish(_ acc: T) -> T { acc }
    @inline(__always)
    func foldRun(_ acc: inout T, _ p: UnsafePointer<T>, count: Int, stride: Int, firstIndex: Int) {
        if stride == 1 {
            acc *= T.contiguousProduct(p, count)
        } else {
            var a = acc
            for i in 0..<count { a *= p[i * stride] }
            acc = a
        }
    }
    @inline(__always)
    func foldRows(_ acc: UnsafeMutablePointer<T>, _ p: UnsafePointer<T>, width: Int, rows: Int, rowStride: Int, firstIndex: Int) {
        for r in 0..<rows {
            let row = p + r * rowStride
            for j in 0..<width { acc[j] *= row[j] }
        }
    }
}

/// `prod` of an integer or boolean tensor: wrapping `Int64` arithmetic.
struct IntegerProductReducer<T: TensorScalar, O: TensorScalar>: Reducer {
    var identity: Int64 { 1 }
    @inline(__always) func fold(_ acc: inout Int64, _ x: T, at index: Int) { acc &*= x.int64Value }
    @inline(__always) func combine(_ acc: Int64, _ later: Int64) -> Int64 { acc &* later }
    @inline(__always) func finish(_ acc: Int64) -> O { O(castingInt64: acc) }
    @inline(__always)
    func foldRows(_ acc: UnsafeMutablePointer<Int64>, _ p: UnsafePointer<T>, width: Int, rows: Int, rowStride: Int, firstIndex: Int) {
        for r in 0..<rows {
            let row = p + r * rowStride
            for j in 0..<width { acc[j] &*= row[j].int64Value }
        }
    }
}

/// Sums `x` (already in a floating output dtype, or integer/boolean) over `dims` into a
/// new tensor of `dtype`.
func sumKernel(_ x: Tensor, dims: Set<Int>, keepdim: Bool, dtype: DType) -> Tensor {
    if dtype.isReducedPrecisionFloat {
        // Accumulated in float32 and rounded once, as PyTorch sums halves.
        return sumKernel(x.widenedForKernel, dims: dims, keepdim: keepdim, dtype: .float32).convertedForKernel(to: dtype)
    }
    // An integer result of a floating input sums the converted values, as PyTorch casts
    // the input to the result dtype first.
    let input = (!dtype.isFloatingPoint && x.dtype.isFloatingPoint) || (dtype.isFloatingPoint && x.dtype != dtype)
        ? x.converted(to: dtype) : x
    let out = reductionOutput(input, dims: dims, keepdim: keepdim, dtype: dtype)
    if input.dtype.isFloatingPoint {
        input.dtype.dispatchSIMDFloat(FloatReductionVisitor(x: input, dims: dims, out: out, kind: .sum))
    } else {
        input.dtype.dispatch(IntegerReductionVisitor(x: input, dims: dims, out: out, kind: .sum))
    }
    return out
}

/// Multiplies `x` over `dims` into a new tensor of `dtype`.
func prodKernel(_ x: Tensor, dims: Set<Int>, keepdim: Bool, dtype: DType) -> Tensor {
    if dtype.isReducedPrecisionFloat {
        return prodKernel(x.widenedForKernel, dims: dims, keepdim: keepdim, dtype: .float32).convertedForKernel(to: dtype)
    }
    let input = (!dtype.isFloatingPoint && x.dtype.isFloatingPoint) || (dtype.isFloatingPoint && x.dtype != dtype)
        ? x.converted(to: dtype) : x
    let out = reductionOutput(input, dims: dims, keepdim: keepdim, dtype: dtype)
    if input.dtype.isFloatingPoint {
        input.dtype.dispatchSIMDFloat(FloatReductionVisitor(x: input, dims: dims, out: out, kind: .product))
    } else {
        input.dtype.dispatch(IntegerReductionVisitor(x: input, dims: dims, out: out, kind: .product))
    }
    return out
}

/// Which additive or multiplicative fold a visitor runs.
enum FoldKind {
    case sum, product
}

private struct FloatReductionVisitor: SIMDFloatVisitor {
    let x: Tensor
    let dims: Set<Int>
    let out: Tensor
    let kind: FoldKind

    func visit<T: SIMDFloatElement>(_: T.Type) {
        switch kind {
        case .sum: runReduction(FloatSumReducer<T>(), x, dims: dims, into: out)
        case .product: runReduction(FloatProductReducer<T>(), x, dims: dims, into: out)
        }
    }
}

private struct IntegerReductionVisitor: DTypeVisitor {
    let x: Tensor
    let dims: Set<Int>
    let out: Tensor
    let kind: FoldKind

    func visit<T: TensorScalar>(_: T.Type) {
        out.dtype.dispatch(Inner<T>(x: x, dims: dims, out: out, kind: kind))
    }

    struct Inner<T: TensorScalar>: DTypeVisitor {
        let x: Tensor
        let dims: Set<Int>
        let out: Tensor
        let kind: FoldKind

        func visit<O: TensorScalar>(_: O.Type) {
            switch kind {
            case .sum: runReduction(IntegerSumReducer<T, O>(), x, dims: dims, into: out)
            case .product: runReduction(IntegerProductReducer<T, O>(), x, dims: dims, into: out)
            }
        }
    }
}
