import CTorchSIMD
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
        parallelFor(parts) { p in
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

/// Element types with the C fused SGD and Adam loops (`torch_optim.c`).
protocol FusedOptimizerScalar: BinaryFloatingPoint {
    static func sgd(_ x: UpdatePointers<Self>, _ start: Int, _ count: Int, lr: Self, momentum: Self, dampening: Self,
                    weightDecay: Self, nesterov: Bool, maximize: Bool, first: Bool)
    static func adam(_ x: UpdatePointers<Self>, _ start: Int, _ count: Int, beta1Complement: Self, beta2: Self,
                     beta2Complement: Self, stepSize: Self, biasCorrection2Sqrt: Self, eps: Self, weightDecay: Self,
                     decay: Self, maximize: Bool)
    static func adadelta(_ x: UpdatePointers<Self>, _ start: Int, _ count: Int, lr: Self, rho: Self, rhoComplement: Self,
                         eps: Self, weightDecay: Self, maximize: Bool)
}

extension Float: FusedOptimizerScalar {
    static func sgd(_ x: UpdatePointers<Float>, _ start: Int, _ count: Int, lr: Float, momentum: Float, dampening: Float,
                    weightDecay: Float, nesterov: Bool, maximize: Bool, first: Bool) {
        torch_sgd_f32(x.p + start, x.g + start, x.a.map { $0 + start }, count, lr, momentum, dampening, weightDecay,
                      nesterov ? 1 : 0, maximize ? 1 : 0, first ? 1 : 0)
    }
    static func adam(_ x: UpdatePointers<Float>, _ start: Int, _ count: Int, beta1Complement: Float, beta2: Float,
                     beta2Complement: Float, stepSize: Float, biasCorrection2Sqrt: Float, eps: Float, weightDecay: Float,
                     decay: Float, maximize: Bool) {
        torch_adam_f32(x.p + start, x.g + start, x.a! + start, x.b! + start, x.c.map { $0 + start }, count, beta1Complement,
                       beta2, beta2Complement, stepSize, biasCorrection2Sqrt, eps, weightDecay, decay, maximize ? 1 : 0)
    }
    static func adadelta(_ x: UpdatePointers<Float>, _ start: Int, _ count: Int, lr: Float, rho: Float, rhoComplement: Float,
                         eps: Float, weightDecay: Float, maximize: Bool) {
        torch_adadelta_f32(x.p + start, x.g + start, x.a! + start, x.b! + start, count, lr, rho, rhoComplement, eps,
                            weightDecay, maximize ? 1 : 0)
    }
}

extension Double: FusedOptimizerScalar {
    static func sgd(_ x: UpdatePointers<Double>, _ start: Int, _ count: Int, lr: Double, momentum: Double, dampening: Double,
                    weightDecay: Double, nesterov: Bool, maximize: Bool, first: Bool) {
        torch_sgd_f64(x.p + start, x.g + start, x.a.map { $0 + start }, count, lr, momentum, dampening, weightDecay,
                      nesterov ? 1 : 0, maximize ? 1 : 0, first ? 1 : 0)
    }
    static func adam(_ x: UpdatePointers<Double>, _ start: Int, _ count: Int, beta1Complement: Double, beta2: Double,
                     beta2Complement: Double, stepSize: Double, biasCorrection2Sqrt: Double, eps: Double, weightDecay: Double,
                     decay: Double, maximize: Bool) {
        torch_adam_f64(x.p + start, x.g + start, x.a! + start, x.b! + start, x.c.map { $0 + start }, count, beta1Complement,
                       beta2, beta2Complement, stepSize, biasCorrection2Sqrt, eps, weightDecay, decay, maximize ? 1 : 0)
    }
    static func adadelta(_ x: UpdatePointers<Double>, _ start: Int, _ count: Int, lr: Double, rho: Double, rhoComplement: Double,
                         eps: Double, weightDecay: Double, maximize: Bool) {
        torch_adadelta_f64(x.p + start, x.g + start, x.a! + start, x.b! + start, count, lr, rho, rhoComplement, eps,
                            weightDecay, maximize ? 1 : 0)
    }
}

/// SGD: `a` is the momentum buffer (nil without momentum); `first` marks the step that
/// creates it (PyTorch clones the gradient then).
@inline(__always)
func sgdUpdate<T: FusedOptimizerScalar>(_ x: UpdatePointers<T>, count: Int, lr: T, momentum: T, dampening: T,
                                        weightDecay: T, nesterov: Bool, maximize: Bool, first: Bool) {
    forEachRange(count) { start, end in
        T.sgd(x, start, end - start, lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
              nesterov: nesterov, maximize: maximize, first: first)
    }
}

/// Adam and AdamW: `a` = exp_avg, `b` = exp_avg_sq, `c` = max_exp_avg_sq (AMSGrad).
/// `decoupledDecay` is AdamW's `1 - lr·wd` factor applied to the parameter first.
@inline(__always)
func adamUpdate<T: FusedOptimizerScalar>(_ x: UpdatePointers<T>, count: Int, beta1Complement: T, beta2: T,
                                         beta2Complement: T, stepSize: T, biasCorrection2Sqrt: T, eps: T,
                                         weightDecay: T, decoupledDecay: T?, maximize: Bool) {
    forEachRange(count) { start, end in
        T.adam(x, start, end - start, beta1Complement: beta1Complement, beta2: beta2, beta2Complement: beta2Complement,
               stepSize: stepSize, biasCorrection2Sqrt: biasCorrection2Sqrt, eps: eps, weightDecay: weightDecay,
               decay: decoupledDecay ?? 1, maximize: maximize)
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

/// Adadelta: `a` = square_avg, `b` = acc_delta, in the order of PyTorch's single-tensor
/// step: `square_avg·ρ + (1-ρ)·g·g` (addcmul), `sqrt(acc_delta + ε) / sqrt(square_avg + ε) · g`,
/// `acc_delta·ρ + (1-ρ)·δ·δ`, `p + (-lr)·δ`.
@inline(__always)
func adadeltaUpdate<T: FusedOptimizerScalar>(_ x: UpdatePointers<T>, count: Int, lr: T, rho: T, rhoComplement: T,
                                             eps: T, weightDecay: T, maximize: Bool) {
    // The C loop (`torch_optim.c`), vectorised: the Swift loop it replaced called the
    // runtime's square root out of line, twice per element, and ran scalar — 9.5% of
    // `mnist_cnn_train_step` (perf).
    forEachRange(count) { start, end in
        T.adadelta(x, start, end - start, lr: lr, rho: rho, rhoComplement: rhoComplement, eps: eps,
                   weightDecay: weightDecay, maximize: maximize)
    }
}

/// The tensors of one fused update: the parameter, its gradient and its state buffers, all
/// dense, of one dtype (float32 or float64) and of one shape. The tensor entries below pick
/// the element type from them once, so the optimizer ops never switch on dtype.
struct UpdateOperands {
    let param: Tensor, grad: Tensor
    /// Up to three state buffers, in the order each update documents (`a`, `b`, `c`).
    let buffers: [Tensor?]

    /// The element pointers the loops take.
    func pointers<T: TensorScalar>(_: T.Type) -> UpdatePointers<T> {
        UpdatePointers(p: param.pointer(as: T.self), g: grad.pointer(as: T.self),
                       a: buffers.count > 0 ? buffers[0]?.pointer(as: T.self) : nil,
                       b: buffers.count > 1 ? buffers[1]?.pointer(as: T.self) : nil,
                       c: buffers.count > 2 ? buffers[2]?.pointer(as: T.self) : nil)
    }
}

/// ``sgdUpdate(_:count:lr:momentum:dampening:weightDecay:nesterov:maximize:first:)`` on
/// tensors, scalars rounded to the element type as PyTorch's CPU kernels round them.
func sgdKernel(_ x: UpdateOperands, lr: Double, momentum: Double, dampening: Double, weightDecay: Double,
               nesterov: Bool, maximize: Bool, first: Bool) {
    struct Visitor: SIMDFloatVisitor {
        let x: UpdateOperands, lr: Double, momentum: Double, dampening: Double, weightDecay: Double
        let nesterov: Bool, maximize: Bool, first: Bool
        func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }
        func run<S: FusedOptimizerScalar & TensorScalar>(_: S.Type) {
            sgdUpdate(x.pointers(S.self), count: x.param.numel, lr: S(lr), momentum: S(momentum), dampening: S(dampening),
                      weightDecay: S(weightDecay), nesterov: nesterov, maximize: maximize, first: first)
        }
    }
    x.param.dtype.dispatchSIMDFloat(Visitor(x: x, lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                                            nesterov: nesterov, maximize: maximize, first: first))
}

/// ``adamUpdate(_:count:beta1Complement:beta2:beta2Complement:stepSize:biasCorrection2Sqrt:eps:weightDecay:decoupledDecay:maximize:)``
/// on tensors; every scalar arrives in float64 and is rounded once to the element type.
func adamKernel(_ x: UpdateOperands, beta1Complement: Double, beta2: Double, beta2Complement: Double, stepSize: Double,
                biasCorrection2Sqrt: Double, eps: Double, weightDecay: Double, decoupledDecay: Double?, maximize: Bool) {
    struct Visitor: SIMDFloatVisitor {
        let x: UpdateOperands, beta1Complement: Double, beta2: Double, beta2Complement: Double, stepSize: Double
        let biasCorrection2Sqrt: Double, eps: Double, weightDecay: Double, decoupledDecay: Double?, maximize: Bool
        func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }
        func run<S: FusedOptimizerScalar & TensorScalar>(_: S.Type) {
            adamUpdate(x.pointers(S.self), count: x.param.numel, beta1Complement: S(beta1Complement), beta2: S(beta2),
                       beta2Complement: S(beta2Complement), stepSize: S(stepSize),
                       biasCorrection2Sqrt: S(biasCorrection2Sqrt), eps: S(eps), weightDecay: S(weightDecay),
                       decoupledDecay: decoupledDecay.map { S($0) }, maximize: maximize)
        }
    }
    x.param.dtype.dispatchSIMDFloat(Visitor(x: x, beta1Complement: beta1Complement, beta2: beta2,
                                            beta2Complement: beta2Complement, stepSize: stepSize,
                                            biasCorrection2Sqrt: biasCorrection2Sqrt, eps: eps, weightDecay: weightDecay,
                                            decoupledDecay: decoupledDecay, maximize: maximize))
}

/// ``rmspropUpdate(_:count:lr:alpha:alphaComplement:eps:weightDecay:momentum:maximize:)`` on tensors.
func rmspropKernel(_ x: UpdateOperands, lr: Double, alpha: Double, alphaComplement: Double, eps: Double,
                   weightDecay: Double, momentum: Double, maximize: Bool) {
    struct Visitor: SIMDFloatVisitor {
        let x: UpdateOperands, lr: Double, alpha: Double, alphaComplement: Double, eps: Double
        let weightDecay: Double, momentum: Double, maximize: Bool
        func visit<T: SIMDFloatElement>(_: T.Type) {
            rmspropUpdate(x.pointers(T.self), count: x.param.numel, lr: T(lr), alpha: T(alpha),
                          alphaComplement: T(alphaComplement), eps: T(eps), weightDecay: T(weightDecay),
                          momentum: T(momentum), maximize: maximize)
        }
    }
    x.param.dtype.dispatchSIMDFloat(Visitor(x: x, lr: lr, alpha: alpha, alphaComplement: alphaComplement, eps: eps,
                                            weightDecay: weightDecay, momentum: momentum, maximize: maximize))
}

/// ``adagradUpdate(_:count:clr:eps:weightDecay:maximize:)`` on tensors.
func adagradKernel(_ x: UpdateOperands, clr: Double, eps: Double, weightDecay: Double, maximize: Bool) {
    struct Visitor: SIMDFloatVisitor {
        let x: UpdateOperands, clr: Double, eps: Double, weightDecay: Double, maximize: Bool
        func visit<T: SIMDFloatElement>(_: T.Type) {
            adagradUpdate(x.pointers(T.self), count: x.param.numel, clr: T(clr), eps: T(eps), weightDecay: T(weightDecay),
                          maximize: maximize)
        }
    }
    x.param.dtype.dispatchSIMDFloat(Visitor(x: x, clr: clr, eps: eps, weightDecay: weightDecay, maximize: maximize))
}

/// ``adadeltaUpdate(_:count:lr:rho:rhoComplement:eps:weightDecay:maximize:)`` on tensors.
func adadeltaKernel(_ x: UpdateOperands, lr: Double, rho: Double, rhoComplement: Double, eps: Double,
                    weightDecay: Double, maximize: Bool) {
    struct Visitor: SIMDFloatVisitor {
        let x: UpdateOperands, lr: Double, rho: Double, rhoComplement: Double, eps: Double, weightDecay: Double
        let maximize: Bool
        func visit<T: SIMDFloatElement>(_: T.Type) {
            adadeltaUpdate(x.pointers(T.self), count: x.param.numel, lr: T(lr), rho: T(rho), rhoComplement: T(rhoComplement),
                           eps: T(eps), weightDecay: T(weightDecay), maximize: maximize)
        }
    }
    x.param.dtype.dispatchSIMDFloat(Visitor(x: x, lr: lr, rho: rho, rhoComplement: rhoComplement, eps: eps,
                                            weightDecay: weightDecay, maximize: maximize))
}
