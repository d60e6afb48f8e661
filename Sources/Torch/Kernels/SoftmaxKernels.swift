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
                // Work items are tiles of columns, so one outer slice still splits.
                let tile = Swift.min(inner, 256)
                let tiles = (inner + tile - 1) / tile
                reductionParallelFor(outer * tiles, work: outer * n * inner) { lo, hi in
                    for item in lo..<hi {
                        let o = item / tiles, j0 = (item % tiles) * tile
                        let width = Swift.min(tile, inner - j0)
                        let target = kind == .logSumExp ? po + o * inner + j0 : po + o * n * inner + j0
                        softmaxColumns(kind, px + o * n * inner + j0, target, n, inner, width)
                    }
                }
            }
        }
    }
    guard outer * inner > 0 else { return }
    let input = x.widenedForKernel
    writingThroughFloat32(out) { out in
        input.dtype.dispatchSIMDFloat(Visitor(kind: kind, x: input, outer: outer, n: n, inner: inner, out: out))
    }
}

/// The gradient of `softmax` or `logSoftmax` (`kind`) along contiguous rows of length `n`,
/// from the output `y` and its gradient `g` (contiguous `[outer, n]`, float32 or float64,
/// one dtype) into contiguous `out`: per row, one sum and one pass (`g - exp(y)·Σg`,
/// `y·(g - Σ g·y)`) where the composed form made three whole-tensor temporaries. Each row
/// uses the same sum and `exp` as the composed ops, in the same order, so the values are
/// theirs.
func softmaxBackwardRows(_ kind: SoftmaxKind, grad g: Tensor, output y: Tensor, outer: Int, n: Int, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let kind: SoftmaxKind, g: Tensor, y: Tensor, outer: Int, n: Int, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            let pg = UnsafePointer(g.pointer(as: T.self)), py = UnsafePointer(y.pointer(as: T.self))
            let po = out.pointer(as: T.self)
            let kind = self.kind, n = self.n
            let exp = T.vectorLoop(.exp)
            reductionParallelFor(outer, work: outer * n) { lo, hi in
                withUnsafeTemporaryAllocation(of: T.self, capacity: n) { buffer in
                    let tmp = buffer.baseAddress!
                    for o in lo..<hi {
                        let gr = pg + o * n, yr = py + o * n, dx = po + o * n
                        if kind == .logSoftmax {
                            if let exp { exp(yr, tmp, n) } else { for j in 0..<n { tmp[j] = T.exp(yr[j]) } }
                            let s = T.contiguousSum(gr, n)
                            for j in 0..<n { dx[j] = gr[j] - tmp[j] * s }
                        } else {
                            for j in 0..<n { tmp[j] = gr[j] * yr[j] }
                            let s = T.contiguousSum(UnsafePointer(tmp), n)
                            for j in 0..<n { dx[j] = yr[j] * (gr[j] - s) }
                        }
                    }
                }
            }
        }
    }
    guard outer * n > 0 else { return }
    out.dtype.dispatchSIMDFloat(Visitor(kind: kind, g: g, y: y, outer: outer, n: n, out: out))
}

/// One contiguous row.
@inline(__always)
private func softmaxRow<T: SIMDFloatElement>(_ kind: SoftmaxKind, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
    switch kind {
    case .softmax: T.softmaxRow(x, y, n)
    case .logSoftmax: T.logSoftmaxRow(x, y, n)
    case .logSumExp: y[0] = T.logSumExpRow(x, n)
    }
}

/// `width` columns of length `n`, `rowStride` apart from one row to the next (column `j`
/// is `x[j], x[rowStride + j], ...`); the outputs use the same layout (one row for
/// `logsumexp`).
@inline(__always)
private func softmaxColumns<T: SIMDFloatElement>(
    _ kind: SoftmaxKind, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int, _ rowStride: Int, _ width: Int
) {
    withUnsafeTemporaryAllocation(of: T.self, capacity: 3 * width) { buffer in
        let maximum = buffer.baseAddress!, sum = maximum + width, tmp = sum + width
        for j in 0..<width { maximum[j] = -T.infinity; sum[j] = 0 }
        if !T.extremumRows(maximum, x, width: width, rows: n, rowStride: rowStride, greatest: true) {
            for i in 0..<n {
                let row = x + i * rowStride
                for j in 0..<width {
                    let v = row[j], m = maximum[j]
                    if !m.isNaN && (v.isNaN || v > m) { maximum[j] = v }
                }
            }
        }
        if kind == .logSumExp {
            for j in 0..<width where maximum[j].isInfinite { maximum[j] = 0 }
        }
        let exp = T.vectorLoop(.exp)
        for i in 0..<n {
            let row = x + i * rowStride
            // Softmax keeps its exponentials in the output; the others need them only summed.
            let target = kind == .softmax ? y + i * rowStride : tmp
            for j in 0..<width { target[j] = row[j] - maximum[j] }
            if let exp {
                exp(UnsafePointer(target), target, width)
            } else {
                for j in 0..<width { target[j] = T.exp(target[j]) }
            }
            for j in 0..<width { sum[j] += target[j] }
        }
        switch kind {
        case .softmax:
            for j in 0..<width { sum[j] = 1 / sum[j] }
            for i in 0..<n {
                let row = y + i * rowStride
                for j in 0..<width { row[j] *= sum[j] }
            }
        case .logSoftmax:
            for j in 0..<width { sum[j] = T.log(sum[j]) }
            for i in 0..<n {
                let row = x + i * rowStride, target = y + i * rowStride
                for j in 0..<width { target[j] = row[j] - maximum[j] - sum[j] }
            }
        case .logSumExp:
            for j in 0..<width { y[j] = T.log(sum[j]) + maximum[j] }
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
    let cores = parallelPartCount(elements: work, family: .reduction)
    let parts = min(cores * piecesPerCore, count)
    guard cores > 1, parts > 1 else { body(0, count); return }
    withoutActuallyEscaping(body) { escapable in
        let box = SoftmaxBox(value: escapable)
        parallelFor(parts) { p in
            box.value(count * p / parts, count * (p + 1) / parts)
        }
    }
}
