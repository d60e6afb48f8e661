/// Gamma and Dirichlet sampling with reparameterised gradients (`torch._standard_gamma`,
/// `torch._sample_dirichlet` and their gradient functions), drawn as PyTorch draws them; the
/// loops are in `Kernels/GammaKernels.swift`. `Gamma`, `Beta` and `Dirichlet` sample through
/// these.

/// The samplers exist for float32 and float64 (as PyTorch's); anything else stops with
/// PyTorch's message before a kernel sees it.
private func checkGammaDType(_ dtype: DType, op: String) {
    guard dtype == .float32 || dtype == .float64 else { notImplemented(op, for: dtype) }
}

/// One Gamma(α, 1) draw per element of `alpha` (`torch._standard_gamma`), in memory order.
/// Differentiable: the gradient is ``standardGammaGrad(_:_:)`` (the implicit derivative
/// `-(∂F/∂α) / f` at the draw), as PyTorch's `StandardGammaBackward0`.
public func standardGamma(_ alpha: Tensor, generator: Generator? = nil) -> Tensor {
    let a = noGrad { alpha.contiguous() }
    let out = Tensor(uninitializedShape: alpha.shape, dtype: alpha.dtype, zeroed: false)
    checkGammaDType(alpha.dtype, op: "gamma_cpu")
    standardGammaKernel(a, into: out, generator: generator ?? currentDefaultGenerator)
    if needsGrad(alpha) {
        let savedAlpha = SavedTensor(alpha), savedOut = SavedTensor(output: out, producer: "StandardGammaBackward0")
        record("StandardGammaBackward0", input: alpha, outputs: [out]) { g in
            [g[0]! * standardGammaGrad(savedAlpha.unpack(), savedOut.unpack())]
        }
    }
    return out
}

/// The reparameterised gradient ∂x/∂α of standard Gamma draws `x` (`torch._standard_gamma_grad`),
/// by PyTorch's approximations (Taylor series for x < 0.8, a saddle-point expansion for
/// α > 8, a fitted rational function otherwise). Not differentiable, as in PyTorch.
public func standardGammaGrad(_ alpha: Tensor, _ x: Tensor) -> Tensor {
    let shape = broadcastShapes(alpha.shape, x.shape)
    let a = noGrad { alpha.expand(shape).contiguous() }, v = noGrad { x.to(alpha.dtype).expand(shape).contiguous() }
    let out = Tensor(uninitializedShape: shape, dtype: alpha.dtype, zeroed: false)
    checkGammaDType(alpha.dtype, op: "_standard_gamma_grad_cpu")
    standardGammaGradKernel(a, v, into: out)
    return out
}

/// One Dirichlet(α) draw per row of `alpha`'s last dimension (`torch._sample_dirichlet`):
/// Gamma draws in float64, normalised. Not differentiable (``Dirichlet/rsample(_:)`` adds
/// the gradient).
public func sampleDirichlet(_ alpha: Tensor, generator: Generator? = nil) -> Tensor {
    guard alpha.dim >= 1 else { torchFatal("RuntimeError: _sample_dirichlet expects a tensor with at least one dimension") }
    let a = noGrad { alpha.contiguous() }
    let gamma = Tensor(uninitializedShape: alpha.shape, dtype: .float64, zeroed: false)
    let out = Tensor(uninitializedShape: alpha.shape, dtype: alpha.dtype, zeroed: false)
    let n = alpha.numel, k = alpha.shape[alpha.dim - 1]
    let g = generator ?? currentDefaultGenerator
    checkGammaDType(alpha.dtype, op: "dirichlet")
    dirichletGammaKernel(a, into: gamma, generator: g)
    guard n > 0 else { return out }
    let sums = noGrad { gamma.sum(dim: -1, keepdim: true).contiguous() }
    dirichletNormalizeKernel(gamma, sums, k: k, into: out)
    return out
}

/// The reparameterised gradient of Dirichlet draws `x` with respect to each concentration,
/// through the Beta(α, total - α) marginals (`torch._dirichlet_grad`), by PyTorch's
/// approximations. Not differentiable, as in PyTorch.
public func dirichletGrad(_ x: Tensor, _ alpha: Tensor, _ total: Tensor) -> Tensor {
    let shape = broadcastShapes(broadcastShapes(x.shape, alpha.shape), total.shape)
    let (px, pa, pt) = noGrad {
        (x.expand(shape).contiguous(), alpha.to(x.dtype).expand(shape).contiguous(), total.to(x.dtype).expand(shape).contiguous())
    }
    let out = Tensor(uninitializedShape: shape, dtype: x.dtype, zeroed: false)
    checkGammaDType(x.dtype, op: "_dirichlet_grad_cpu")
    dirichletGradKernel(px, pa, pt, into: out)
    return out
}
