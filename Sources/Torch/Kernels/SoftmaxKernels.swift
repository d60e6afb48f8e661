import Dispatch

/// `softmax`, `logSoftmax` and `logsumexp` along one dimension of a contiguous tensor seen
/// as `[outer, n, inner]`. Every variant subtracts the maximum before exponentiating, so
/// large inputs do not overflow. With `inner == 1` each row is contiguous and handled with
/// vector loops (max, SLEEF `exp`, sum, scale); otherwise the `inner` columns are processed
/// side by side, one contiguous strip of `inner` elements per step along the dim.

/// The three results these kernels compute.
enum SoftmaxKind {
    case softmax, logSoftmax, logSumExp
}

/// The largest element of `n` contiguous values; NaN if any is NaN.
@inline(__always)
func rowMaximum<T: SIMDFloatElement>(_ p: UnsafePointer<T>, _ n: Int) -> T {
    typealias V = SIMD16<T>
    var m = V(repeating: -T.infinity)
    var nan = SIMDMask<V.MaskStorage>(repeating: false)
    let blocks = n / 16
    let raw = UnsafeRawPointer(p)
    for b in 0..<blocks {
        let v = raw.loadUnaligned(fromByteOffset: b * 16 * MemoryLayout<T>.stride, as: V.self)
        nan .|= (v .!= v)
        m = pointwiseMax(m, v)
    }
    var best = m.max()
    if any(nan) { return .nan }
    for i in (blocks * 16)..<n {
        let x = p[i]
        if x.isNaN { return .nan }
        if x > best { best = x }
    }
    return best
}

/// Writes `exp(x[i] - shift)` to `y` (may be `x`) for `n` contiguous elements.
@inline(__always)
func shiftedExp<T: SIMDFloatElement>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int, shift: T) {
    for i in 0..<n { y[i] = x[i] - shift }
    if let loop = T.vectorLoop(.exp) {
        loop(UnsafePointer(y), y, n)
    } else {
        for i in 0..<n { y[i] = T.exp(y[i]) }
    }
}

/// Runs `kind` along the middle dim of contiguous `x` viewed as `[outer, n, inner]`,
/// writing into contiguous `out` (`[outer, n, inner]` for the softmaxes, `[outer, inner]`
/// for `logsumexp`).
func softmaxKernel(_ kind: SoftmaxKind, _ x: Tensor, outer: Int, n: Int, inner: Int, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let kind: SoftmaxKind, x: Tensor, outer: Int, n: Int, inner: Int, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            let px = UnsafePointer(x.storage.data.assumingMemoryBound(to: T.self) + x.offset)
            let po = out.storage.data.assumingMemoryBound(to: T.self) + out.offset
            let kind = self.kind, n = self.n, inner = self.inner
            if inner == 1 {
                reductionParallelFor(outer, work: outer * n) { lo, hi in
                    for o in lo..<hi { softmaxRow(kind, px + o * n, po + (kind == .logSumExp ? o : o * n), n) }
                }
            } else {
                reductionParallelFor(outer, work: outer * n * inner) { lo, hi in
                    for o in lo..<hi {
                        softmaxColumns(kind, px + o * n * inner, po + (kind == .logSumExp ? o * inner : o * n * inner), n, inner)
                    }
                }
            }
        }
    }
    guard outer * inner > 0 else { return }
    x.dtype.dispatchSIMDFloat(Visitor(kind: kind, x: x, outer: outer, n: n, inner: inner, out: out))
}

/// One contiguous row.
@inline(__always)
private func softmaxRow<T: SIMDFloatElement>(_ kind: SoftmaxKind, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
    let maximum = rowMaximum(x, n)
    switch kind {
    case .softmax:
        shiftedExp(x, y, n, shift: maximum)
        let scale = 1 / cascadeSum(UnsafePointer(y), n)
        for i in 0..<n { y[i] *= scale }
    case .logSoftmax:
        // The exponentials go to the output first, which is then overwritten.
        shiftedExp(x, y, n, shift: maximum)
        let logSum = T.log(cascadeSum(UnsafePointer(y), n))
        for i in 0..<n { y[i] = x[i] - maximum - logSum }
    case .logSumExp:
        // An infinite maximum is not subtracted (inf - inf would be NaN).
        let shift = maximum.isInfinite ? 0 : maximum
        let sum = withUnsafeTemporaryAllocation(of: T.self, capacity: max(n, 1)) { buffer -> T in
            let tmp = buffer.baseAddress!
            shiftedExp(x, tmp, n, shift: shift)
            return cascadeSum(UnsafePointer(tmp), n)
        }
        y[0] = T.log(sum) + shift
    }
}

/// `inner` interleaved columns of length `n` (column `j` is `x[j], x[inner + j], ...`).
@inline(__always)
private func softmaxColumns<T: SIMDFloatElement>(
    _ kind: SoftmaxKind, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int, _ inner: Int
) {
    withUnsafeTemporaryAllocation(of: T.self, capacity: 3 * inner) { buffer in
        let maximum = buffer.baseAddress!, sum = maximum + inner, tmp = sum + inner
        for j in 0..<inner { maximum[j] = -T.infinity; sum[j] = 0 }
        for i in 0..<n {
            let row = x + i * inner
            for j in 0..<inner {
                let v = row[j], m = maximum[j]
                if !m.isNaN && (v.isNaN || v > m) { maximum[j] = v }
            }
        }
        if kind == .logSumExp {
            for j in 0..<inner where maximum[j].isInfinite { maximum[j] = 0 }
        }
        for i in 0..<n {
            let row = x + i * inner
            // Softmax keeps its exponentials in the output; the others need them only summed.
            let target = kind == .softmax ? y + i * inner : tmp
            for j in 0..<inner { target[j] = row[j] - maximum[j] }
            if let loop = T.vectorLoop(.exp) {
                loop(UnsafePointer(target), target, inner)
            } else {
                for j in 0..<inner { target[j] = T.exp(target[j]) }
            }
            for j in 0..<inner { sum[j] += target[j] }
        }
        switch kind {
        case .softmax:
            for j in 0..<inner { sum[j] = 1 / sum[j] }
            for i in 0..<n {
                let row = y + i * inner
                for j in 0..<inner { row[j] *= sum[j] }
            }
        case .logSoftmax:
            for j in 0..<inner { sum[j] = T.log(sum[j]) }
            for i in 0..<n {
                let row = x + i * inner, target = y + i * inner
                for j in 0..<inner { target[j] = row[j] - maximum[j] - sum[j] }
            }
        case .logSumExp:
            for j in 0..<inner { y[j] = T.log(sum[j]) + maximum[j] }
        }
    }
}

/// Lets loop state cross into `concurrentPerform`'s workers, which finish before the
/// caller returns.
private struct SoftmaxBox<T>: @unchecked Sendable {
    let value: T
}

/// Calls `body(lo, hi)` over `0..<count`, split across cores when `work` (elements
/// touched) is large enough to pay for a second thread.
@inline(__always)
func reductionParallelFor(_ count: Int, work: Int, _ body: (Int, Int) -> Void) {
    let parts = min(parallelPartCount(elements: work), count)
    guard parts > 1 else { body(0, count); return }
    withoutActuallyEscaping(body) { escapable in
        let box = SoftmaxBox(value: escapable)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            box.value(count * p / parts, count * (p + 1) / parts)
        }
    }
}
