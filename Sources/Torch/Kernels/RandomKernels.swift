import CTorchSIMD
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loops behind SwiftTorch's random ops, drawing from a ``RandomCursor`` (the caller
/// holds the generator's lock). Each one consumes the stream exactly as the matching
/// PyTorch CPU kernel does — same draws per element, same element order, same arithmetic —
/// so seeded results agree bit for bit.
///
/// Element order is TensorIterator's: dimensions sorted so the smallest stride is innermost,
/// i.e. memory order for a dense tensor of any layout (a transposed tensor is filled along
/// its storage, not along its logical rows).

// MARK: - Draws turned into numbers (PyTorch's DistributionsHelper / TransformationHelper)

extension RandomCursor {
    /// A float in [0, 1) from the low 24 bits of one 32-bit draw.
    @inline(__always)
    mutating func uniformFloat() -> Float {
        Float(next32() & 0xFF_FFFF) * 0x1p-24
    }

    /// A double in [0, 1) from the low 53 bits of one 64-bit draw.
    @inline(__always)
    mutating func uniformDouble() -> Double {
        Double(next64() & 0x1F_FFFF_FFFF_FFFF) * 0x1p-53
    }

    /// A standard normal by scalar Box-Muller in double: returns the cosine sample and
    /// caches the sine one for the next call (PyTorch's `normal_distribution<double>`).
    @inline(__always)
    mutating func standardNormalDouble() -> Double {
        if let cached = nextDoubleNormal {
            nextDoubleNormal = nil
            return cached
        }
        let u1 = uniformDouble()
        let u2 = uniformDouble()
        let r = (-2.0 * log1p(-u2)).squareRoot()
        let theta = 2.0 * Double.pi * u1
        nextDoubleNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// `mean + std * N(0, 1)` with one rounding, as PyTorch's compiled `val * std + mean`.
    @inline(__always)
    mutating func normalDouble(mean: Double, std: Double) -> Double {
        mean.addingProduct(standardNormalDouble(), std)
    }
}

// MARK: - Element order

/// `shape` and each operand's `strides` permuted outermost-first into the order PyTorch's
/// TensorIterator walks them (its `reorder_dimensions`: an insertion sort where the first
/// operand with two distinct non-zero strides decides, equal strides put the smaller size
/// inside, and ambiguous pairs keep their places).
func iteratorOrderLayout(shape: [Int], strides operands: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
    let n = shape.count
    if n <= 1 { return (shape, operands) }
    // perm[0] is the innermost dimension, as in TensorIterator.
    var perm = Array((0..<n).reversed())
    func shouldSwap(_ d0: Int, _ d1: Int) -> Int {
        for s in operands {
            let s0 = s[d0], s1 = s[d1]
            if s0 == 0 || s1 == 0 { continue }
            if s0 < s1 { return -1 }
            if s0 > s1 { return 1 }
            if shape[d0] > shape[d1] { return 1 }
        }
        return 0
    }
    for i in 1..<n {
        var d1 = i
        var d0 = i - 1
        while d0 >= 0 {
            let c = shouldSwap(perm[d0], perm[d1])
            if c > 0 {
                perm.swapAt(d0, d1)
                d1 = d0
            } else if c < 0 {
                break
            }
            d0 -= 1
        }
    }
    let outer = Array(perm.reversed())
    return (outer.map { shape[$0] }, operands.map { s in outer.map { s[$0] } })
}

/// Fails like PyTorch when a tensor written in place has elements sharing memory.
func checkNoInternalOverlap(_ t: Tensor) {
    for d in 0..<t.dim where t.shape[d] > 1 && t.strides[d] == 0 {
        torchFatal("RuntimeError: unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.")
    }
}

/// Writes `next()` into every element of `t`, one after another in iterator order.
@inline(__always)
func writeInIteratorOrder<T: TensorScalar>(_ t: Tensor, _: T.Type, _ next: () -> T) {
    let base = t.storage.data.assumingMemoryBound(to: T.self)
    if t.isContiguous {
        let p = base + t.offset
        for i in 0..<t.numel { p[i] = next() }
        return
    }
    let (shape, strides) = iteratorOrderLayout(shape: t.shape, strides: [t.strides])
    forEachRun1(shape: shape, OperandStrides(strides: strides[0], offset: t.offset)) { o, n, s in
        var p = base + o
        for _ in 0..<n {
            p.pointee = next()
            p += s
        }
    }
}

/// Writes `next(p)` into every element of `t`, reading `p` (a tensor of `t`'s shape, maybe
/// broadcast) alongside, in the iterator order of the pair.
@inline(__always)
func writeInIteratorOrder<T: TensorScalar, P: TensorScalar>(
    _ t: Tensor, _: T.Type, reading input: Tensor, _: P.Type, _ next: (P) -> T
) {
    let out = t.storage.data.assumingMemoryBound(to: T.self)
    let inp = input.storage.data.assumingMemoryBound(to: P.self)
    let (shape, strides) = iteratorOrderLayout(shape: t.shape, strides: [t.strides, input.strides])
    forEachRun2(shape: shape, OperandStrides(strides: strides[0], offset: t.offset),
                OperandStrides(strides: strides[1], offset: input.offset)) { o, i, n, so, si in
        var po = out + o
        var pi = inp + i
        for _ in 0..<n {
            po.pointee = next(pi.pointee)
            po += so
            pi += si
        }
    }
}

// MARK: - Continuous distributions

/// `uniform_(from, to)`: float math for float32 (bounds rounded to float first), one fused
/// multiply-add per element; a value rounded up onto `to` becomes `from`.
func uniformKernel(_ t: Tensor, from: Double, to: Double, _ c: inout RandomCursor) {
    switch t.dtype {
    case .float32:
        let lo = Float(from), hi = Float(to), width = hi - lo
        writeInIteratorOrder(t, Float.self) {
            let v = lo.addingProduct(c.uniformFloat(), width)
            return v == hi ? lo : v
        }
    case .float64:
        let width = to - from
        writeInIteratorOrder(t, Double.self) {
            let v = from.addingProduct(c.uniformDouble(), width)
            return v == to ? from : v
        }
    case .float16: uniformReduced(t, Float16.self, from: from, to: to, &c)
    case .bfloat16: uniformReduced(t, BFloat16.self, from: from, to: to, &c)
    default:
        notImplemented("check_uniform_bounds", for: t.dtype)
    }
}

/// 16-bit floats draw float32 uniforms (the float32 formula), rounded once per element.
/// PyTorch draws these dtypes from the same 24-bit stream, so sequences agree except where
/// its 16-bit arithmetic rounds differently from one rounding of the float32 result.
private func uniformReduced<T: ReducedPrecisionFloat>(_ t: Tensor, _: T.Type, from: Double, to: Double, _ c: inout RandomCursor) {
    let lo = Float(from), hi = Float(to), width = hi - lo
    writeInIteratorOrder(t, T.self) {
        let v = T(lo.addingProduct(c.uniformFloat(), width))
        return v == T(hi) ? T(lo) : v
    }
}

/// `normal_(mean, std)`. A contiguous tensor of 16 or more elements takes PyTorch's
/// vectorised path: all uniforms first, then Box-Muller on blocks of 16, and a ragged tail
/// redone from 16 fresh uniforms over the last 16 slots. Anything else draws scalar
/// Box-Muller pairs in double, one element at a time, sharing the generator's cached normal.
func normalKernel(_ t: Tensor, mean: Double, std: Double, _ c: inout RandomCursor) {
    let n = t.numel
    let vectorPath = n >= 16 && t.isContiguous
    switch t.dtype {
    case .float32:
        if vectorPath {
            let p = t.pointer(as: Float.self)
            let m = Float(mean), s = Float(std)
            for i in 0..<n { p[i] = c.uniformFloat() }
            normalFillBlocks(p, blocks: n / 16, mean: m, std: s)
            if n % 16 != 0 {
                let tail = p + (n - 16)
                for k in 0..<16 { tail[k] = c.uniformFloat() }
                normalFillBlocks(tail, blocks: 1, mean: m, std: s)
            }
        } else {
            writeInIteratorOrder(t, Float.self) { Float(c.normalDouble(mean: mean, std: std)) }
        }
    case .float64:
        if vectorPath {
            let p = t.pointer(as: Double.self)
            for i in 0..<n { p[i] = c.uniformDouble() }
            normalFillBlocks(p, blocks: n / 16, mean: mean, std: std)
            if n % 16 != 0 {
                let tail = p + (n - 16)
                for k in 0..<16 { tail[k] = c.uniformDouble() }
                normalFill16(tail, mean: mean, std: std)
            }
        } else {
            writeInIteratorOrder(t, Double.self) { c.normalDouble(mean: mean, std: std) }
        }
    // PyTorch's scalar path (a double normal per element, cast), taken for every size: its
    // vector path for 16-bit dtypes computes Box-Muller in 16-bit arithmetic, which this
    // does not reproduce (documented in the README).
    case .float16: writeInIteratorOrder(t, Float16.self) { Float16(castingDouble: c.normalDouble(mean: mean, std: std)) }
    case .bfloat16: writeInIteratorOrder(t, BFloat16.self) { BFloat16(castingDouble: c.normalDouble(mean: mean, std: std)) }
    default:
        notImplemented("normal_kernel_cpu", for: t.dtype)
    }
}

/// Box-Muller over `blocks` consecutive 16-element blocks, split across cores for large
/// tensors: each block's transform reads and writes only its own 16 elements, and all draws
/// were made before, so how the blocks are shared out cannot change a bit of the result.
private func normalFillBlocks(_ p: UnsafeMutablePointer<Float>, blocks: Int, mean: Float, std: Float) {
    let address = UInt(bitPattern: p)
    forBlockRanges(blocks) { lo, hi in
        let q = UnsafeMutablePointer<Float>(bitPattern: address)!
        // PyTorch's own AVX2 code where the CPU has it; the Swift emulation gives the same bits.
        if st_normal_fill16_f32(q + 16 * lo, hi - lo, mean, std) != 0 { return }
        for b in lo..<hi { normalFill16(q + 16 * b, mean: mean, std: std) }
    }
}

private func normalFillBlocks(_ p: UnsafeMutablePointer<Double>, blocks: Int, mean: Double, std: Double) {
    let address = UInt(bitPattern: p)
    forBlockRanges(blocks) { lo, hi in
        let q = UnsafeMutablePointer<Double>(bitPattern: address)!
        for b in lo..<hi { normalFill16(q + 16 * b, mean: mean, std: std) }
    }
}

/// Calls `body(lo, hi)` over 0..<count, in one piece or one piece per core.
private func forBlockRanges(_ count: Int, _ body: @Sendable (Int, Int) -> Void) {
    let parts = parallelPartCount(elements: count * 16)
    if parts <= 1 {
        body(0, count)
        return
    }
    parallelFor(parts) { part in
        body(count * part / parts, count * (part + 1) / parts)
    }
}

/// Box-Muller on 16 doubles in place (PyTorch's scalar `NormalFill16`, libm functions).
@inline(__always)
func normalFill16(_ p: UnsafeMutablePointer<Double>, mean: Double, std: Double) {
    for j in 0..<8 {
        let u1 = 1 - p[j]
        let u2 = p[j + 8]
        let radius = (-2 * log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        p[j] = mean.addingProduct(radius * cos(theta), std)
        p[j + 8] = mean.addingProduct(radius * sin(theta), std)
    }
}

/// Fills a floating tensor with `transform(u)` of one double uniform per element; every
/// PyTorch distribution below computes in double and rounds once into the tensor's dtype.
@inline(__always)
func fillFromDoubleUniform(_ t: Tensor, op: String, _ c: inout RandomCursor, _ transform: (Double) -> Double) {
    guard t.dtype.isFloatingPoint else { notImplemented(op, for: t.dtype) }
    withUnsafeMutablePointer(to: &c) { cursor in
        withoutActuallyEscaping(transform) { transform in
            t.dtype.dispatchFloat(DoubleUniformWriter(tensor: t, cursor: cursor, transform: transform))
        }
    }
}

/// Writes `transform(u)`, rounded once, for one double uniform per element.
private struct DoubleUniformWriter: FloatVisitor {
    let tensor: Tensor
    let cursor: UnsafeMutablePointer<RandomCursor>
    let transform: (Double) -> Double

    func visit<T: FloatElement & Element>(_: T.Type) {
        writeInIteratorOrder(tensor, T.self) { T(castingDouble: transform(cursor.pointee.uniformDouble())) }
    }
}

/// `exponential_(lambda)`: `-1/lambda * log1p(-u)`.
func exponentialKernel(_ t: Tensor, lambda: Double, _ c: inout RandomCursor) {
    if !t.dtype.isFloatingPoint {
        torchFatal("RuntimeError: Exponential distribution is a continuous probability distribution. dtype must be a floating point but you specified \(t.dtype.scalarTypeName)")
    }
    let scale = -1.0 / lambda
    fillFromDoubleUniform(t, op: "exponential_cpu", &c) { scale * log1p(-$0) }
}

/// `cauchy_(median, sigma)`: `median + sigma * tan(pi * (u - 0.5))`, fused.
func cauchyKernel(_ t: Tensor, median: Double, sigma: Double, _ c: inout RandomCursor) {
    fillFromDoubleUniform(t, op: "cauchy_cpu", &c) { median.addingProduct(sigma, tan(Double.pi * ($0 - 0.5))) }
}

/// `geometric_(p)`: `ceil(log(u) / log1p(-p))`; integer tensors get the count too.
func geometricKernel(_ t: Tensor, p: Double, _ c: inout RandomCursor) {
    let denominator = log1p(-p)
    withUnsafeMutablePointer(to: &c) { cursor in
        t.dtype.dispatch(DoubleSampleWriter(tensor: t, cursor: cursor) { ($0.uniformDouble(), denominator) }
            transform: { u, d in (log(u) / d).rounded(.up) })
    }
}

/// `log_normal_(mean, std)`: `exp` of a scalar-path normal.
func logNormalKernel(_ t: Tensor, mean: Double, std: Double, _ c: inout RandomCursor) {
    switch t.dtype {
    case .float32: writeInIteratorOrder(t, Float.self) { Float(exp(c.normalDouble(mean: mean, std: std))) }
    case .float64: writeInIteratorOrder(t, Double.self) { exp(c.normalDouble(mean: mean, std: std)) }
    default: notImplemented("log_normal_cpu", for: t.dtype)
    }
}

/// Writes a double computed from the cursor into a tensor of any dtype (C++ `static_cast`).
private struct DoubleSampleWriter: DTypeVisitor {
    let tensor: Tensor
    let cursor: UnsafeMutablePointer<RandomCursor>
    let draw: (inout RandomCursor) -> (Double, Double)
    let transform: (Double, Double) -> Double
    func visit<T: TensorScalar>(_: T.Type) {
        writeInIteratorOrder(tensor, T.self) {
            let (u, d) = draw(&cursor.pointee)
            return T(castingDouble: transform(u, d))
        }
    }
}

// MARK: - Discrete distributions

/// `random_(from, to)` and `randint`: `(draw % range) + base` in unsigned 64-bit arithmetic,
/// with a 64-bit draw only when the range reaches 2^28.
func randomFromToKernel(_ t: Tensor, range: UInt64, base: Int64, _ c: inout RandomCursor) {
    withUnsafeMutablePointer(to: &c) { cursor in
        t.dtype.dispatch(IntegerSampleWriter(tensor: t, cursor: cursor, mode: .fromTo(range: range, base: base)))
    }
}

/// `random_(from=Int64.min, to=nil)`: every 64-bit pattern.
func randomFull64Kernel(_ t: Tensor, _ c: inout RandomCursor) {
    withUnsafeMutablePointer(to: &c) { cursor in
        t.dtype.dispatch(IntegerSampleWriter(tensor: t, cursor: cursor, mode: .full64))
    }
}

/// `random_()`: [0, max] of an integer dtype, [0, 2^mantissa] of a float one, 0/1 for bool.
func randomDefaultKernel(_ t: Tensor, _ c: inout RandomCursor) {
    withUnsafeMutablePointer(to: &c) { cursor in
        t.dtype.dispatch(IntegerSampleWriter(tensor: t, cursor: cursor, mode: .dtypeRange))
    }
}

/// The integer-valued draws of `random_` for each dtype.
private struct IntegerSampleWriter: DTypeVisitor {
    enum Mode { case fromTo(range: UInt64, base: Int64), full64, dtypeRange }
    let tensor: Tensor
    let cursor: UnsafeMutablePointer<RandomCursor>
    let mode: Mode

    func visit<T: TensorScalar>(_: T.Type) {
        switch mode {
        case .fromTo(let range, let base):
            let wide = range >= 1 << 28
            let b = UInt64(bitPattern: base)
            writeInIteratorOrder(tensor, T.self) {
                let v = wide ? cursor.pointee.next64() : UInt64(cursor.pointee.next32())
                return T(castingInt64: Int64(bitPattern: v % range &+ b))
            }
        case .full64:
            writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(bitPattern: cursor.pointee.next64())) }
        case .dtypeRange:
            switch T.dtype {
            case .bool:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() & 1)) }
            case .int64:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next64() & UInt64(Int64.max))) }
            case .float64:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next64() % ((1 << 53) + 1))) }
            case .float32:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() % ((1 << 24) + 1))) }
            case .int32:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() % (1 << 31))) }
            case .uint8:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() % 256)) }
            case .int8:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() % (1 << 7))) }
            case .int16:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() % (1 << 15))) }
            case .float16:
                // Every integer up to 2^11 is a half; PyTorch draws from [0, 2^11].
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() % ((1 << 11) + 1))) }
            case .bfloat16:
                writeInIteratorOrder(tensor, T.self) { T(castingInt64: Int64(cursor.pointee.next32() % ((1 << 8) + 1))) }
            }
        }
    }
}

/// `bernoulli_(p)` with a number: a double uniform against `p`, per element, any dtype.
func bernoulliScalarKernel(_ t: Tensor, p: Double, _ c: inout RandomCursor) {
    withUnsafeMutablePointer(to: &c) { cursor in
        t.dtype.dispatch(DoubleSampleWriter(tensor: t, cursor: cursor) { ($0.uniformDouble(), p) }
            transform: { u, p in u < p ? 1 : 0 })
    }
}

/// `bernoulli_(p)` with a tensor of probabilities (already broadcast to `t`'s shape): a
/// float uniform (24 bits) for float probabilities, a double one for double probabilities.
func bernoulliTensorKernel(_ t: Tensor, probabilities p: Tensor, _ c: inout RandomCursor) {
    withUnsafeMutablePointer(to: &c) { cursor in
        t.dtype.dispatch(BernoulliWriter(tensor: t, probabilities: p, cursor: cursor))
    }
}

private struct BernoulliWriter: DTypeVisitor {
    let tensor: Tensor
    let probabilities: Tensor
    let cursor: UnsafeMutablePointer<RandomCursor>
    func visit<T: TensorScalar>(_: T.Type) {
        switch probabilities.dtype {
        case .float64:
            writeInIteratorOrder(tensor, T.self, reading: probabilities, Double.self) {
                T(castingInt64: cursor.pointee.uniformDouble() < $0 ? 1 : 0)
            }
        case .float32:
            writeInIteratorOrder(tensor, T.self, reading: probabilities, Float.self) {
                T(castingInt64: cursor.pointee.uniformFloat() < $0 ? 1 : 0)
            }
        default:
            notImplemented("bernoulli_tensor_cpu_p_", for: probabilities.dtype)
        }
    }
}

/// `randperm(n)` into `out` (n elements of Int64): Fisher-Yates with `draw % (n - i)` for
/// every n a 32-bit draw serves; PyTorch's inside-out shuffle on 64-bit draws beyond that.
func randpermKernel(_ out: UnsafeMutablePointer<Int64>, n: Int, _ c: inout RandomCursor) {
    if n < Int(UInt32.max / 20) {
        for i in 0..<n { out[i] = Int64(i) }
        if n < 2 { return }
        for i in 0..<(n - 1) {
            let z = Int(c.next32()) % (n - i)
            out.swapAt(i, z + i)
        }
    } else {
        for i in 0..<n {
            let z = Int(c.next64() % UInt64(i + 1))
            out[i] = out[z]
            out[z] = Int64(i)
        }
    }
}

private extension UnsafeMutablePointer {
    @inline(__always) func swapAt(_ i: Int, _ j: Int) {
        let tmp = self[i]
        self[i] = self[j]
        self[j] = tmp
    }
}

/// Multinomial sampling with replacement, one row of `probs` (`[rows, categories]`, any
/// strides) at a time into `out` (`rows * samples` Int64, row-major): the row's running sum
/// in its own dtype, normalised, then a binary search for each double uniform.
func multinomialWithReplacementKernel<T: TensorScalar & BinaryFloatingPoint>(
    _ probs: Tensor, _: T.Type, samples: Int, into out: UnsafeMutablePointer<Int64>, _ c: inout RandomCursor
) {
    let rows = probs.shape[0], categories = probs.shape[1]
    let rowStride = probs.strides[0], colStride = probs.strides[1]
    let base = probs.pointer(as: T.self)
    var cumulative = [T](repeating: 0, count: categories)
    cumulative.withUnsafeMutableBufferPointer { cum in
        for i in 0..<rows {
            var sum: T = 0
            for j in 0..<categories {
                let v = base[i * rowStride + j * colStride]
                if !(v >= 0) {
                    torchFatal("RuntimeError: invalid multinomial distribution (encountering probability entry < 0)")
                }
                if !v.isFinite {
                    torchFatal("RuntimeError: invalid multinomial distribution (encountering probability entry = infinity or NaN)")
                }
                sum += v
                cum[j] = sum
            }
            if !(sum > 0) {
                torchFatal("RuntimeError: invalid multinomial distribution (sum of probabilities <= 0)")
            }
            for j in 0..<categories { cum[j] /= sum }
            for s in 0..<samples {
                let u = c.uniformDouble()
                cum[categories - 1] = 1
                var left = 0, right = categories
                while right - left > 0 {
                    let mid = left + (right - left) / 2
                    if Double(cum[mid]) < u { left = mid + 1 } else { right = mid }
                }
                out[i * samples + s] = Int64(left)
            }
        }
    }
}

/// `randperm(n)` as an array, drawing from `generator` (the op converts it to the asked
/// dtype).
func randpermKernel(n: Int, generator: Generator) -> [Int64] {
    var perm = [Int64](repeating: 0, count: n)
    perm.withUnsafeMutableBufferPointer { buffer in
        let out = buffer.baseAddress
        generator.draw { c in
            if let out { randpermKernel(out, n: n, &c) }
        }
    }
    return perm
}

/// The elements of `t` (of element type `T`) in the order random fills visit them, the
/// order ``writeInIteratorOrder(_:_:_:)`` writes in.
func readInIteratorOrder<T: TensorScalar>(_ t: Tensor, _: T.Type) -> [T] {
    var out: [T] = []
    out.reserveCapacity(t.numel)
    let base = t.storage.data.assumingMemoryBound(to: T.self)
    let (shape, strides) = iteratorOrderLayout(shape: t.shape, strides: [t.strides])
    forEachRun1(shape: shape, OperandStrides(strides: strides[0], offset: t.offset)) { o, n, s in
        for k in 0..<n { out.append(base[o + k * s]) }
    }
    return out
}

/// `out = out * scale` (when given), then `out = out + shift`, element by element in `out`'s
/// floating dtype, each result rounded (`torch.normal` with tensor `mean`/`std`). `out`,
/// `scale` and `shift` are dense, of `out`'s dtype and shape.
func scaleAndShiftKernel(_ out: Tensor, scale: Tensor?, shift: Tensor) {
    struct Visitor: FloatVisitor {
        let out: Tensor, scale: Tensor?, shift: Tensor
        func visit<T: FloatElement & ArithmeticElement>(_: T.Type) {
            let o = out.pointer(as: T.self), n = out.numel
            if let scale {
                let s = scale.pointer(as: T.self)
                for i in 0..<n { o[i] = o[i] * s[i] }
            }
            let m = shift.pointer(as: T.self)
            for i in 0..<n { o[i] = o[i] + m[i] }
        }
    }
    out.dtype.dispatchFloat(Visitor(out: out, scale: scale, shift: shift))
}
