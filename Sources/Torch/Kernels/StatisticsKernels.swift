/// Variance (`var`, `std`), vector norms (`norm`) and the logical folds (`all`, `any`).
///
/// Variance accumulates in `Double` for float32 input, as PyTorch's CPU kernel does: a
/// contiguous run is reduced in two passes (its mean, then the squared deviations from
/// it) and partial results are merged with Chan's formula, so no element's deviation is
/// taken from an inexact running mean of another magnitude.

/// Count, mean and sum of squared deviations of the elements folded so far.
struct Moments {
    var count: Double
    var mean: Double
    var m2: Double

    /// Merges `other` into these moments (Chan et al.'s pairwise update).
    @inline(__always)
    mutating func merge(_ other: Moments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = count + other.count
        let delta = other.mean - mean
        let weight = other.count / n
        mean += delta * weight
        m2 += other.m2 + delta * delta * count * weight
        count = n
    }
}

/// `var`/`std` with Bessel's `correction` (divides by `max(0, n - correction)`).
struct VarianceReducer<T: SIMDFloatElement>: Reducer {
    let correction: Double
    let takeSqrt: Bool

    var identity: Moments { Moments(count: 0, mean: 0, m2: 0) }

    @inline(__always)
    func fold(_ acc: inout Moments, _ x: T, at index: Int) {
        let v = Double(x)
        acc.count += 1
        let delta = v - acc.mean
        acc.mean += delta / acc.count
        acc.m2 += delta * (v - acc.mean)
    }
    @inline(__always) func combine(_ acc: Moments, _ later: Moments) -> Moments {
        var a = acc
        a.merge(later)
        return a
    }
    @inline(__always)
    func finish(_ acc: Moments) -> T {
        let divisor = max(0, acc.count - correction)
        let variance = acc.m2 / divisor
        return T(takeSqrt ? variance.squareRoot() : variance)
    }
    @inline(__always)
    func foldRun(_ acc: inout Moments, _ p: UnsafePointer<T>, count: Int, stride: Int, firstIndex: Int) {
        guard count > 0 else { return }
        if stride == 1 {
            let (mean, m2) = T.moments(p, count)
            acc.merge(Moments(count: Double(count), mean: mean, m2: m2))
            return
        }
        var sum = 0.0
        for i in 0..<count { sum += Double(p[i * stride]) }
        let mean = sum / Double(count)
        var m2 = 0.0
        for i in 0..<count {
            let d = Double(p[i * stride]) - mean
            m2 += d * d
        }
        acc.merge(Moments(count: Double(count), mean: mean, m2: m2))
    }

    /// Two passes over the rows per tile of columns (column means, then squared deviations),
    /// merged into each column's moments.
    @inline(__always)
    func foldRows(_ acc: UnsafeMutablePointer<Moments>, _ p: UnsafePointer<T>, width: Int, rows: Int, rowStride: Int, firstIndex: Int) {
        guard rows > 0 else { return }
        let tile = 512
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * tile) { buffer in
            let mean = buffer.baseAddress!, m2 = mean + tile
            var j0 = 0
            while j0 < width {
                let w = Swift.min(tile, width - j0)
                for j in 0..<w { mean[j] = 0; m2[j] = 0 }
                for r in 0..<rows {
                    let row = p + r * rowStride + j0
                    for j in 0..<w { mean[j] += Double(row[j]) }
                }
                let count = Double(rows)
                for j in 0..<w { mean[j] /= count }
                for r in 0..<rows {
                    let row = p + r * rowStride + j0
                    for j in 0..<w {
                        let d = Double(row[j]) - mean[j]
                        m2[j] += d * d
                    }
                }
                for j in 0..<w { acc[j0 + j].merge(Moments(count: Double(rows), mean: mean[j], m2: m2[j])) }
                j0 += w
            }
        }
    }
}

/// Runs `var` (or `std`) over `dims` of a floating `x` into `out` (same dtype).
func varianceKernel(_ x: Tensor, dims: Set<Int>, correction: Double, takeSqrt: Bool, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let x: Tensor, dims: Set<Int>, correction: Double, takeSqrt: Bool, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            runReduction(VarianceReducer<T>(correction: correction, takeSqrt: takeSqrt), x, dims: dims, into: out)
        }
    }
    let input = x.widenedForKernel
    writingThroughFloat32(out) { out in
        input.dtype.dispatchSIMDFloat(Visitor(x: input, dims: dims, correction: correction, takeSqrt: takeSqrt, out: out))
    }
}

/// The order `p` of a vector norm, as the kernels distinguish it.
enum NormOrder: Sendable, Equatable {
    /// Euclidean: sqrt of the sum of squares (`p = 2`, `"fro"`).
    case two
    /// Sum of absolute values.
    case one
    /// Largest absolute value.
    case infinity
    /// Smallest absolute value.
    case negativeInfinity
    /// Number of non-zero elements.
    case zero
    /// `(Σ|x|^p)^(1/p)`.
    case general(Double)

    init(_ p: Double) {
        switch p {
        case 2: self = .two
        case 1: self = .one
        case .infinity: self = .infinity
        case -.infinity: self = .negativeInfinity
        case 0: self = .zero
        default: self = .general(p)
        }
    }
}

/// One kind of norm: how an element enters the accumulator and how it is finished.
protocol NormKind: SendableMetatype {
    static var identity: Double { get }
    static func term(_ x: Double, _ p: Double) -> Double
    static func combine(_ a: Double, _ b: Double) -> Double
    static func finish(_ acc: Double, _ p: Double) -> Double
}

enum NormTwo: NormKind {
    static var identity: Double { 0 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double { x * x }
    @inline(__always) static func combine(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func finish(_ acc: Double, _ p: Double) -> Double { acc.squareRoot() }
}

enum NormOne: NormKind {
    static var identity: Double { 0 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double { Swift.abs(x) }
    @inline(__always) static func combine(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func finish(_ acc: Double, _ p: Double) -> Double { acc }
}

enum NormZero: NormKind {
    static var identity: Double { 0 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double { x != 0 ? 1 : 0 }
    @inline(__always) static func combine(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func finish(_ acc: Double, _ p: Double) -> Double { acc }
}

enum NormInfinity: NormKind {
    static var identity: Double { 0 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double { Swift.abs(x) }
    @inline(__always) static func combine(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    @inline(__always) static func finish(_ acc: Double, _ p: Double) -> Double { acc }
}

enum NormNegativeInfinity: NormKind {
    static var identity: Double { .infinity }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double { Swift.abs(x) }
    @inline(__always) static func combine(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
    @inline(__always) static func finish(_ acc: Double, _ p: Double) -> Double { acc }
}

enum NormGeneral: NormKind {
    static var identity: Double { 0 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double { Double.pow(Swift.abs(x), p) }
    @inline(__always) static func combine(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func finish(_ acc: Double, _ p: Double) -> Double { Double.pow(acc, 1 / p) }
}

/// A vector norm, accumulated in `Double` with four interleaved partial results per run.
struct NormReducer<T: SIMDFloatElement, Kind: NormKind>: Reducer {
    let p: Double

    var identity: Double { Kind.identity }
    @inline(__always)
    func fold(_ acc: inout Double, _ x: T, at index: Int) { acc = Kind.combine(acc, Kind.term(Double(x), p)) }
    @inline(__always) func combine(_ acc: Double, _ later: Double) -> Double { Kind.combine(acc, later) }
    @inline(__always) func finish(_ acc: Double) -> T { T(Kind.finish(acc, p)) }
    @inline(__always)
    func foldRun(_ acc: inout Double, _ p: UnsafePointer<T>, count: Int, stride: Int, firstIndex: Int) {
        var a0 = Kind.identity, a1 = Kind.identity, a2 = Kind.identity, a3 = Kind.identity
        let quads = count / 4
        for q in 0..<quads {
            let b = p + 4 * q * stride
            a0 = Kind.combine(a0, Kind.term(Double(b[0]), self.p))
            a1 = Kind.combine(a1, Kind.term(Double(b[stride]), self.p))
            a2 = Kind.combine(a2, Kind.term(Double(b[2 * stride]), self.p))
            a3 = Kind.combine(a3, Kind.term(Double(b[3 * stride]), self.p))
        }
        for i in (4 * quads)..<count { a0 = Kind.combine(a0, Kind.term(Double(p[i * stride]), self.p)) }
        acc = Kind.combine(acc, Kind.combine(Kind.combine(a0, a1), Kind.combine(a2, a3)))
    }
}

/// Runs the `order` norm over `dims` of a floating `x` into `out` (same dtype).
func normKernel(_ x: Tensor, order: NormOrder, dims: Set<Int>, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let x: Tensor, order: NormOrder, dims: Set<Int>, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            switch order {
            case .two: runReduction(NormReducer<T, NormTwo>(p: 2), x, dims: dims, into: out)
            case .one: runReduction(NormReducer<T, NormOne>(p: 1), x, dims: dims, into: out)
            case .zero: runReduction(NormReducer<T, NormZero>(p: 0), x, dims: dims, into: out)
            case .infinity: runReduction(NormReducer<T, NormInfinity>(p: .infinity), x, dims: dims, into: out)
            case .negativeInfinity:
                runReduction(NormReducer<T, NormNegativeInfinity>(p: -.infinity), x, dims: dims, into: out)
            case .general(let p): runReduction(NormReducer<T, NormGeneral>(p: p), x, dims: dims, into: out)
            }
        }
    }
    let input = x.widenedForKernel
    writingThroughFloat32(out) { out in
        input.dtype.dispatchSIMDFloat(Visitor(x: input, order: order, dims: dims, out: out))
    }
}

/// `all` (every element non-zero) or `any` (some element non-zero); NaN counts as non-zero.
struct LogicalReducer<T: ArithmeticElement, O: TensorScalar>: Reducer {
    let isAll: Bool

    var identity: Bool { isAll }
    @inline(__always)
    func fold(_ acc: inout Bool, _ x: T, at index: Int) {
        let nonZero = x != T.zero
        acc = isAll ? (acc && nonZero) : (acc || nonZero)
    }
    @inline(__always) func combine(_ acc: Bool, _ later: Bool) -> Bool { isAll ? (acc && later) : (acc || later) }
    @inline(__always) func finish(_ acc: Bool) -> O { O(castingInt64: acc ? 1 : 0) }
    @inline(__always)
    func foldRun(_ acc: inout Bool, _ p: UnsafePointer<T>, count: Int, stride: Int, firstIndex: Int) {
        // Stops at the first element that decides the result.
        guard acc == isAll else { return }
        for i in 0..<count where (p[i * stride] != T.zero) != isAll {
            acc = !isAll
            return
        }
    }
}

/// Runs `all` (or `any`) over `dims` of `x` into `out` (bool, or uint8 for uint8 input).
func logicalReductionKernel(_ x: Tensor, isAll: Bool, dims: Set<Int>, into out: Tensor) {
    struct Visitor: DTypeVisitor {
        let x: Tensor, isAll: Bool, dims: Set<Int>, out: Tensor
        func visit<T: ArithmeticElement>(_: T.Type) {
            if out.dtype == .uint8 {
                runReduction(LogicalReducer<T, UInt8>(isAll: isAll), x, dims: dims, into: out)
            } else {
                runReduction(LogicalReducer<T, Bool>(isAll: isAll), x, dims: dims, into: out)
            }
        }
    }
    x.dtype.dispatch(Visitor(x: x, isAll: isAll, dims: dims, out: out))
}
