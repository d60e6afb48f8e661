/// Fused loops for the losses a training step runs on whole activations (the VAE's binary
/// cross-entropy over 128×784 probabilities): one pass where the composed ops made ten
/// whole-tensor temporaries.

import Synchronization

/// How many elements a block of the fused binary cross-entropy handles at once: the logs
/// run as SLEEF's vector loops over a block held on the stack.
private let lossBlock = 256

/// Binary cross-entropy per element, PyTorch's CPU formula
/// `(t - 1)·max(log1p(-x), -100) - t·max(log(x), -100)`, for contiguous `x` and `t` of one
/// shape and dtype (float32 or float64); `nil` when the general path is needed. Fails
/// like PyTorch when an input element lies outside [0, 1] (NaN included).
func binaryCrossEntropyElements(_ x: Tensor, _ t: Tensor) -> Tensor? {
    guard x.isContiguous, t.isContiguous, x.dtype == t.dtype, x.shape == t.shape,
          x.dtype == .float32 || x.dtype == .float64 else { return nil }
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
    let inRange = x.dtype.dispatchFloat(BinaryCrossEntropyLoop(x: x, t: t, out: out))
    if !inRange { failBinaryCrossEntropyRange() }
    return out
}

/// PyTorch's error for a binary cross-entropy input outside [0, 1], shared by the fused
/// loop and the composed path.
func failBinaryCrossEntropyRange() -> Never {
    torchFatal("RuntimeError: all elements of input should be between 0 and 1")
}

private struct BinaryCrossEntropyLoop: FloatVisitor {
    let x: Tensor, t: Tensor, out: Tensor

    func visit<T: FloatElement & Element>(_: T.Type) -> Bool {
        guard let log = T.vectorLoop(.log), let log1p = T.vectorLoop(.log1p) else { return true }
        let xp = x.pointer(as: T.self), tp = t.pointer(as: T.self), dst = out.pointer(as: T.self)
        let count = x.numel
        let outside = Atomic<Bool>(false)
        // Two logs per element: worth splitting at a quarter of the plain loops' size.
        forEachRange(count, work: count * 4) { start, end in
            withUnsafeTemporaryAllocation(of: T.self, capacity: 3 * lossBlock) { scratch in
                let logX = scratch.baseAddress!, log1mX = logX + lossBlock, negX = log1mX + lossBlock
                var bad = false
                for blockStart in stride(from: start, to: end, by: lossBlock) {
                    let n = Swift.min(lossBlock, end - blockStart)
                    let xs = xp + blockStart
                    for i in 0..<n {
                        let v = xs[i]
                        bad = bad || !(v >= 0 && v <= 1)
                        negX[i] = -v
                    }
                    log(xs, logX, n)
                    log1p(negX, log1mX, n)
                    for i in 0..<n {
                        let target = tp[blockStart + i]
                        let lx = logX[i] < -100 ? -100 : logX[i], l1 = log1mX[i] < -100 ? -100 : log1mX[i]
                        dst[blockStart + i] = (target - 1) * l1 - target * lx
                    }
                }
                if bad { outside.store(true, ordering: .relaxed) }
            }
        }
        return !outside.load(ordering: .relaxed)
    }
}

/// The input gradient of binary cross-entropy, `c·(x - t) / max((1 - x)·x, 1e-12)`, where
/// `c` is the incoming gradient already scaled by the reduction (one element, or one per
/// element of `x`), for contiguous operands of one float dtype; `nil` when the general
/// path is needed. The same operations in the same order as the composed ops, so the
/// same values.
func binaryCrossEntropyInputGradient(_ c: Tensor, _ x: Tensor, _ t: Tensor) -> Tensor? {
    guard x.isContiguous, t.isContiguous, c.isContiguous, x.dtype == t.dtype, c.dtype == x.dtype,
          x.shape == t.shape, c.numel == 1 || c.shape == x.shape,
          x.dtype == .float32 || x.dtype == .float64 else { return nil }
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
    x.dtype.dispatchFloat(BinaryCrossEntropyBackwardLoop(c: c, x: x, t: t, out: out))
    return out
}

private struct BinaryCrossEntropyBackwardLoop: FloatVisitor {
    let c: Tensor, x: Tensor, t: Tensor, out: Tensor

    func visit<T: FloatElement & Element>(_: T.Type) {
        let xp = x.pointer(as: T.self), tp = t.pointer(as: T.self), cp = c.pointer(as: T.self)
        let dst = out.pointer(as: T.self), cStep = c.numel == 1 ? 0 : 1
        let epsilon = T(1e-12)
        forEachRange(x.numel) { start, end in
            for i in start..<end {
                let v = xp[i], d = (1 - v) * v
                dst[i] = cp[i * cStep] * (v - tp[i]) / (d < epsilon ? epsilon : d)
            }
        }
    }
}
