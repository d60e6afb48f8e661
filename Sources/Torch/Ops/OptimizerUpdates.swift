#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The optimizers' fused in-place updates (`torch._fused_sgd_`, `_fused_adam_`, ... and the
/// single-tensor loops of `torch.optim`): each reads and writes a parameter, its gradient
/// and its state once, in the kernels of `Kernels/OptimizerKernels.swift`. The optimizers in
/// `Optim` call these, never the kernels, so staging (dense copies, the float32 stand-in for
/// 16-bit parameters) and version counters live in one place, as for every in-place op.
/// Each update runs under no-grad (the optimizers call it from `step`) and does nothing to
/// a parameter without a gradient.

/// Stages `p`, its gradient and its state `buffers` (each of `p`'s dtype and shape) as
/// dense operands, runs `kernel` on them and writes the results back; bumps the version
/// counters of everything written, as an in-place op would. 16-bit parameters and state
/// go through float32 copies, each result rounded once back (PyTorch's CPU semantics).
private func fusedUpdate(_ p: Tensor, buffers: [Tensor?], kernel: (UpdateOperands) -> Void) {
    guard let grad = p.grad else { return }
    guard p.dtype.isFloatingPoint else { torchFatal("RuntimeError: optimizers update floating-point parameters only") }
    guard grad.shape == p.shape else { torchFatal("RuntimeError: the gradient's shape \(Size(grad.shape)) differs from the parameter's \(Size(p.shape))") }
    let target = p.isContiguous ? p : p.contiguous()
    let g = grad.dtype == p.dtype && grad.isContiguous ? grad : grad.to(p.dtype).contiguous()
    for t in [target] + buffers.compactMap({ $0 }) { t.storage.bumpVersion() }
    if p.dtype.isReducedPrecisionFloat {
        let wideTarget = target.convertedForKernel(to: .float32)
        let wideBuffers = buffers.map { $0?.convertedForKernel(to: .float32) }
        kernel(UpdateOperands(param: wideTarget, grad: g.convertedForKernel(to: .float32), buffers: wideBuffers))
        copyElements(from: wideTarget, to: target)
        for case let (buffer?, wide?) in zip(buffers, wideBuffers) { copyElements(from: wide, to: buffer) }
    } else {
        kernel(UpdateOperands(param: target, grad: g, buffers: buffers))
    }
    if target !== p { p.copy_(target) }
}

/// One SGD step on `param` (PyTorch's `_single_tensor_sgd`): `momentumBuffer` is nil
/// without momentum; `firstStep` marks the step that creates it (PyTorch clones the
/// gradient into it then).
func sgdUpdate_(param: Tensor, momentumBuffer: Tensor?, lr: Double, momentum: Double, dampening: Double,
                weightDecay: Double, nesterov: Bool, maximize: Bool, firstStep: Bool) {
    fusedUpdate(param, buffers: [momentumBuffer]) { x in
        sgdKernel(x, lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov,
                  maximize: maximize, first: firstStep)
    }
}

/// One Adam or AdamW step (`decoupled`) on `param` (PyTorch's `_single_tensor_adam`), the
/// `step`-th: bias corrections in float64, `maxExpAvgSq` for AMSGrad only.
func adamUpdate_(param: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor?, step: Int, lr: Double,
                 beta1: Double, beta2: Double, eps: Double, weightDecay: Double, decoupled: Bool, maximize: Bool) {
    let step = Double(step)
    let stepSize = lr / (1 - pow(beta1, step))
    let bc2Sqrt = (1 - pow(beta2, step)).squareRoot()
    // AdamW shrinks the parameter by `1 - lr·wd` first; Adam adds `wd·p` to the gradient.
    let decay: Double? = decoupled ? 1 - lr * weightDecay : nil
    let l2 = decoupled ? 0 : weightDecay
    fusedUpdate(param, buffers: [expAvg, expAvgSq, maxExpAvgSq]) { x in
        adamKernel(x, beta1Complement: 1 - beta1, beta2: beta2, beta2Complement: 1 - beta2, stepSize: stepSize,
                   biasCorrection2Sqrt: bc2Sqrt, eps: eps, weightDecay: l2, decoupledDecay: decay, maximize: maximize)
    }
}

/// One RMSprop step on `param` (PyTorch's `_single_tensor_rmsprop`): `gradAvg` when
/// centred, `momentumBuffer` with momentum.
func rmspropUpdate_(param: Tensor, squareAvg: Tensor, gradAvg: Tensor?, momentumBuffer: Tensor?, lr: Double,
                    alpha: Double, eps: Double, weightDecay: Double, momentum: Double, maximize: Bool) {
    fusedUpdate(param, buffers: [squareAvg, gradAvg, momentumBuffer]) { x in
        rmspropKernel(x, lr: lr, alpha: alpha, alphaComplement: 1 - alpha, eps: eps, weightDecay: weightDecay,
                      momentum: momentum, maximize: maximize)
    }
}

/// One Adagrad step on `param` with the decayed learning rate `clr`
/// (PyTorch's `_single_tensor_adagrad`).
func adagradUpdate_(param: Tensor, sum: Tensor, clr: Double, eps: Double, weightDecay: Double, maximize: Bool) {
    fusedUpdate(param, buffers: [sum]) { x in
        adagradKernel(x, clr: clr, eps: eps, weightDecay: weightDecay, maximize: maximize)
    }
}

/// One Adadelta step on `param` (PyTorch's `_single_tensor_adadelta`).
func adadeltaUpdate_(param: Tensor, squareAvg: Tensor, accDelta: Tensor, lr: Double, rho: Double, eps: Double,
                     weightDecay: Double, maximize: Bool) {
    fusedUpdate(param, buffers: [squareAvg, accDelta]) { x in
        adadeltaKernel(x, lr: lr, rho: rho, rhoComplement: 1 - rho, eps: eps, weightDecay: weightDecay, maximize: maximize)
    }
}
