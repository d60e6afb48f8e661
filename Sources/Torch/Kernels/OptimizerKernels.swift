import Dispatch

/// Fused optimizer updates: each reads and writes a parameter, its gradient and its state
/// buffers once, element by element, with no temporaries — the cost of a step is one pass
/// over memory. Scalars arrive already converted to the element type, as PyTorch's CPU
/// kernels convert Python floats to the tensor's type.

/// Lets the per-range body cross into `concurrentPerform`'s workers, which finish before
/// the caller returns.
private struct UncheckedRangeBody: @unchecked Sendable {
    let body: (Int, Int) -> Void
}

/// Calls `body(start, end)` over `0..<count`, split across cores when the pass touches
/// many elements (`work`, by default `count`).
@inline(__always)
func forEachRange(_ count: Int, work: Int? = nil, _ body: (Int, Int) -> Void) {
    let parts = Swift.min(count, parallelPartCount(elements: work ?? count, minimum: 1 << 17))
    guard parts > 1 else { body(0, count); return }
    withoutActuallyEscaping(body) { escapable in
        let box = UncheckedRangeBody(body: escapable)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            box.body(count * p / parts, count * (p + 1) / parts)
        }
    }
}

/// The pointers of one update: parameter, gradient and up to three state buffers.
struct UpdatePointers<T>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    let g: UnsafeMutablePointer<T>
    let a: UnsafeMutablePointer<T>?
    let b: UnsafeMutablePointer<T>?
    let c: UnsafeMutablePointer<T>?
}

/// PyTorch's `lerp` for a scalar weight: the form chosen by the weight's size keeps the
/// result exact at both ends.
@inline(__always)
func lerpScalar<T: BinaryFloatingPoint>(_ start: T, _ end: T, _ w: T) -> T {
    w < 0.5 ? start + w * (end - start) : end - (end - start) * (1 - w)
}

/// SGD: `momentumBuffer` is `a` (nil without momentum); `first` marks the step that
/// creates the buffer (PyTorch clones the gradient then).
@inline(__always)
func sgdUpdate<T: BinaryFloatingPoint>(_ x: UpdatePointers<T>, count: Int, lr: T, momentum: T, dampening: T,
                                       weightDecay: T, nesterov: Bool, maximize: Bool, first: Bool) {
    forEachRange(count) { start, end in
        for i in start..<end {
            var g = maximize ? -x.g[i] : x.g[i]
            if weightDecay != 0 { g = g + weightDecay * x.p[i] }
            if let buf = x.a {
                let b = first ? g : buf[i] * momentum + (1 - dampening) * g
                buf[i] = b
                g = nesterov ? g + momentum * b : b
            }
            x.p[i] = x.p[i] + (-lr) * g
        }
    }
}

/// Adam and AdamW: `a` = exp_avg, `b` = exp_avg_sq, `c` = max_exp_avg_sq (amsgrad).
/// `decoupledDecay` is AdamW's `1 - lr·wd` factor applied to the parameter first.
@inline(__always)
func adamUpdate<T: BinaryFloatingPoint>(_ x: UpdatePointers<T>, count: Int, beta1Complement: T, beta2: T,
                                        beta2Complement: T, stepSize: T, biasCorrection2Sqrt: T, eps: T,
                                        weightDecay: T, decoupledDecay: T?, maximize: Bool) {
    let m = x.a!, v = x.b!
    forEachRange(count) { start, end in
        for i in start..<end {
            if let d = decoupledDecay { x.p[i] = x.p[i] * d }
            var g = maximize ? -x.g[i] : x.g[i]
            if weightDecay != 0 { g = g + weightDecay * x.p[i] }
            m[i] = lerpScalar(m[i], g, beta1Complement)
            v[i] = v[i] * beta2 + beta2Complement * (g * g)
            var second = v[i]
            if let vmax = x.c {
                vmax[i] = Swift.max(vmax[i], v[i])
                second = vmax[i]
            }
            let denom = second.squareRoot() / biasCorrection2Sqrt + eps
            x.p[i] = x.p[i] + (-stepSize) * (m[i] / denom)
        }
    }
}

/// RMSprop: `a` = square_avg, `b` = grad_avg (centered), `c` = momentum_buffer.
@inline(__always)
func rmspropUpdate<T: BinaryFloatingPoint>(_ x: UpdatePointers<T>, count: Int, lr: T, alpha: T, alphaComplement: T,
                                           eps: T, weightDecay: T, momentum: T, maximize: Bool) {
    let sq = x.a!
    forEachRange(count) { start, end in
        for i in start..<end {
            var g = maximize ? -x.g[i] : x.g[i]
            if weightDecay != 0 { g = g + weightDecay * x.p[i] }
            sq[i] = sq[i] * alpha + alphaComplement * (g * g)
            var avg: T
            if let ga = x.b {
                ga[i] = lerpScalar(ga[i], g, alphaComplement)
                avg = (sq[i] + (-1) * (ga[i] * ga[i])).squareRoot()
            } else {
                avg = sq[i].squareRoot()
            }
            avg = avg + eps
            if let buf = x.c {
                buf[i] = buf[i] * momentum + g / avg
                x.p[i] = x.p[i] + (-lr) * buf[i]
            } else {
                x.p[i] = x.p[i] + (-lr) * (g / avg)
            }
        }
    }
}

/// Adagrad: `a` = sum of squared gradients.
@inline(__always)
func adagradUpdate<T: BinaryFloatingPoint>(_ x: UpdatePointers<T>, count: Int, clr: T, eps: T, weightDecay: T,
                                           maximize: Bool) {
    let sum = x.a!
    forEachRange(count) { start, end in
        for i in start..<end {
            var g = maximize ? -x.g[i] : x.g[i]
            if weightDecay != 0 { g = g + weightDecay * x.p[i] }
            sum[i] = sum[i] + g * g
            x.p[i] = x.p[i] + (-clr) * (g / (sum[i].squareRoot() + eps))
        }
    }
}
