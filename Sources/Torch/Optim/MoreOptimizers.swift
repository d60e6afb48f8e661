#if canImport(Glibc)
import Glibc
#endif

/// The optimizers users reach for after SGD and Adam, with PyTorch's update rules. They run
/// as in-place tensor ops (under no-grad) rather than fused kernels.

/// The gradient as the update rules use it: negated with `maximize`, plus L2 decay.
private func effectiveGradient(_ p: Tensor, _ group: ParamGroup) -> Tensor {
    var g = p.grad!
    if (group["maximize"] ?? 0) != 0 { g = -g }
    if let wd = group["weight_decay"], wd != 0 { g = g + p * wd }
    return g
}

/// `torch.optim.Adamax`: Adam with an infinity-norm second moment.
public final class Adamax: Optimizer {
    /// Creates the optimizer with PyTorch's defaults.
    public init(_ params: [Tensor], lr: some ScalarConvertible = 2e-3,
                betas: (some ScalarConvertible, some ScalarConvertible) = (0.9, 0.999),
                eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 0, maximize: Bool = false) {
        let lr = lr.scalarValue.doubleValue
        let betas = (betas.0.scalarValue.doubleValue, betas.1.scalarValue.doubleValue)
        let eps = eps.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        super.init([ParamGroup(params)], defaults: ["lr": lr, "beta1": betas.0, "beta2": betas.1, "eps": eps,
                                                    "weight_decay": weightDecay, "maximize": maximize ? 1 : 0])
    }

    /// One Adamax step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        var s = parameterState(p)
        if s.buffers["exp_avg"] == nil { s.buffers["exp_avg"] = zerosState(p); s.buffers["exp_inf"] = zerosState(p) }
        s.step += 1
        let g = effectiveGradient(p, group)
        let m = s.buffers["exp_avg"]!, u = s.buffers["exp_inf"]!
        let beta1 = group["beta1"]!, beta2 = group["beta2"]!
        m.add_((g - m) * (1 - beta1))
        u.copy_(maximum(u * beta2, abs(g) + group["eps"]!))
        let clr = group.lr / (1 - pow(beta1, Double(s.step)))
        p.sub_(m / u * clr)
        setParameterState(s, for: p)
    }
}

/// `torch.optim.NAdam`: Adam with Nesterov momentum and momentum decay.
public final class NAdam: Optimizer {
    /// Creates the optimizer with PyTorch's defaults.
    public init(_ params: [Tensor], lr: some ScalarConvertible = 2e-3,
                betas: (some ScalarConvertible, some ScalarConvertible) = (0.9, 0.999),
                eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 0,
                momentumDecay: some ScalarConvertible = 4e-3) {
        let lr = lr.scalarValue.doubleValue
        let betas = (betas.0.scalarValue.doubleValue, betas.1.scalarValue.doubleValue)
        let eps = eps.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        let momentumDecay = momentumDecay.scalarValue.doubleValue
        super.init([ParamGroup(params)], defaults: ["lr": lr, "beta1": betas.0, "beta2": betas.1, "eps": eps,
                                                    "weight_decay": weightDecay, "momentum_decay": momentumDecay])
    }

    /// One NAdam step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        var s = parameterState(p)
        if s.buffers["exp_avg"] == nil {
            s.buffers["exp_avg"] = zerosState(p); s.buffers["exp_avg_sq"] = zerosState(p)
            s.buffers["mu_product"] = Tensor(1.0, dtype: .float64)
        }
        s.step += 1
        let step = Double(s.step)
        let g = effectiveGradient(p, group)
        let beta1 = group["beta1"]!, beta2 = group["beta2"]!, decay = group["momentum_decay"]!
        let mu = beta1 * (1 - 0.5 * pow(0.96, step * decay))
        let muNext = beta1 * (1 - 0.5 * pow(0.96, (step + 1) * decay))
        let muProduct = s.buffers["mu_product"]!.item() * mu
        s.buffers["mu_product"] = Tensor(muProduct, dtype: .float64)
        let m = s.buffers["exp_avg"]!, v = s.buffers["exp_avg_sq"]!
        m.add_((g - m) * (1 - beta1))
        v.mul_(.double(beta2)).add_(g * g * (1 - beta2))
        let denom = sqrt(v / (1 - pow(beta2, step))) + group["eps"]!
        p.add_(g / denom * (-group.lr * (1 - mu) / (1 - muProduct)))
        p.add_(m / denom * (-group.lr * muNext / (1 - muProduct * muNext)))
        setParameterState(s, for: p)
    }
}

/// `torch.optim.RAdam`: Adam with the variance of the adaptive rate rectified.
public final class RAdam: Optimizer {
    /// Creates the optimizer with PyTorch's defaults.
    public init(_ params: [Tensor], lr: some ScalarConvertible = 1e-3,
                betas: (some ScalarConvertible, some ScalarConvertible) = (0.9, 0.999),
                eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 0) {
        let lr = lr.scalarValue.doubleValue
        let betas = (betas.0.scalarValue.doubleValue, betas.1.scalarValue.doubleValue)
        let eps = eps.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        super.init([ParamGroup(params)], defaults: ["lr": lr, "beta1": betas.0, "beta2": betas.1, "eps": eps,
                                                    "weight_decay": weightDecay])
    }

    /// One RAdam step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        var s = parameterState(p)
        if s.buffers["exp_avg"] == nil { s.buffers["exp_avg"] = zerosState(p); s.buffers["exp_avg_sq"] = zerosState(p) }
        s.step += 1
        let step = Double(s.step)
        let g = effectiveGradient(p, group)
        let beta1 = group["beta1"]!, beta2 = group["beta2"]!
        let m = s.buffers["exp_avg"]!, v = s.buffers["exp_avg_sq"]!
        m.add_((g - m) * (1 - beta1))
        v.mul_(.double(beta2)).add_(g * g * (1 - beta2))
        let corrected = m / (1 - pow(beta1, step))
        let bc2 = 1 - pow(beta2, step)
        let rhoInf = 2 / (1 - beta2) - 1
        let rho = rhoInf - 2 * step * pow(beta2, step) / bc2
        if rho > 5 {
            let rect = ((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)).squareRoot()
            let adaptive = bc2.squareRoot() / (sqrt(v) + group["eps"]!)
            p.sub_(corrected * group.lr * adaptive * rect)
        } else {
            p.sub_(corrected * group.lr)
        }
        setParameterState(s, for: p)
    }
}

/// `torch.optim.Adadelta`: step sizes from running averages of squared gradients and updates.
public final class Adadelta: Optimizer {
    /// Creates the optimizer with PyTorch's defaults.
    public init(_ params: [Tensor], lr: some ScalarConvertible = 1, rho: some ScalarConvertible = 0.9,
                eps: some ScalarConvertible = 1e-6, weightDecay: some ScalarConvertible = 0, maximize: Bool = false) {
        let lr = lr.scalarValue.doubleValue
        let rho = rho.scalarValue.doubleValue
        let eps = eps.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        super.init([ParamGroup(params)], defaults: ["lr": lr, "rho": rho, "eps": eps, "weight_decay": weightDecay,
                                                    "maximize": maximize ? 1 : 0])
    }

    /// One Adadelta step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        var s = parameterState(p)
        if s.buffers["square_avg"] == nil { s.buffers["square_avg"] = zerosState(p); s.buffers["acc_delta"] = zerosState(p) }
        s.step += 1
        let lr = group.lr, rho = group["rho"]!, eps = group["eps"]!, wd = group["weight_decay"]!
        let maximize = group["maximize"]! != 0
        // One fused pass per parameter instead of a dozen tensor ops and their temporaries.
        adadeltaUpdate_(param: p, squareAvg: s.buffers["square_avg"]!, accDelta: s.buffers["acc_delta"]!, lr: lr, rho: rho,
                        eps: eps, weightDecay: wd, maximize: maximize)
        setParameterState(s, for: p)
    }
}

/// `torch.optim.LBFGS` (without line search, PyTorch's default): quasi-Newton steps from a
/// history of parameter and gradient changes. `step(closure:)` re-evaluates the loss up to
/// `maxIter` times per call.
public final class LBFGS: Optimizer {
    private var directions: [Tensor] = [], steps: [Tensor] = []
    private var previousFlatGrad: Tensor?, previousDirection: Tensor?, hessianDiagonal = 1.0, t = 0.0
    private var iterations = 0

    /// Creates the optimizer with PyTorch's defaults.
    public init(_ params: [Tensor], lr: some ScalarConvertible = 1, maxIter: Int = 20, maxEval: Int? = nil,
                toleranceGrad: some ScalarConvertible = 1e-7, toleranceChange: some ScalarConvertible = 1e-9,
                historySize: Int = 100) {
        let lr = lr.scalarValue.doubleValue
        let toleranceGrad = toleranceGrad.scalarValue.doubleValue
        let toleranceChange = toleranceChange.scalarValue.doubleValue
        super.init([ParamGroup(params)], defaults: ["lr": lr, "max_iter": Double(maxIter),
                                                    "max_eval": Double(maxEval ?? maxIter * 5 / 4),
                                                    "tolerance_grad": toleranceGrad, "tolerance_change": toleranceChange,
                                                    "history_size": Double(historySize)])
    }

    private var params: [Tensor] { paramGroups[0].params }

    private func flatGradient() -> Tensor {
        cat(params.map { ($0.grad ?? Tensor.zerosLike($0)).reshape([-1]) })
    }

    private func addToParameters(_ direction: Tensor, scale: Double) {
        var offset = 0
        for p in params {
            p.add_(direction.narrow(0, offset, p.numel).reshape(p.shape) * scale)
            offset += p.numel
        }
    }

    /// LBFGS needs the closure; this form stops the program, as PyTorch raises.
    public override func update(_ p: Tensor, group: ParamGroup) {
        torchFatal("RuntimeError: LBFGS needs step(closure:) to re-evaluate the loss")
    }

    /// Runs up to `max_iter` L-BFGS iterations, re-evaluating `closure` (which zeroes the
    /// gradients, computes the loss and calls `backward`); returns the first loss.
    @discardableResult
    public override func step(closure: () -> Tensor) -> Tensor {
        let g = paramGroups[0]
        let lr = g.lr, maxIter = Int(g["max_iter"]!), maxEval = Int(g["max_eval"]!)
        let tolGrad = g["tolerance_grad"]!, tolChange = g["tolerance_change"]!, history = Int(g["history_size"]!)
        let originalLoss = enableGrad { closure() }
        var loss = originalLoss.item()
        var evaluations = 1
        var flat = noGrad { flatGradient() }
        if noGrad({ flat.abs().max().item() }) <= tolGrad { return originalLoss }
        var n = 0
        while n < maxIter {
            n += 1
            iterations += 1
            let d: Tensor = noGrad {
                if iterations == 1 {
                    hessianDiagonal = 1
                    return -flat
                }
                let y = flat - previousFlatGrad!, s = previousDirection! * t
                let ys = dot(y, s).item()
                if ys > 1e-10 {
                    if directions.count == history { directions.removeFirst(); steps.removeFirst() }
                    directions.append(y)
                    steps.append(s)
                    hessianDiagonal = ys / dot(y, y).item()
                }
                var q = -flat
                var alphas = [Double](repeating: 0, count: directions.count)
                for i in stride(from: directions.count - 1, through: 0, by: -1) {
                    alphas[i] = dot(steps[i], q).item() / dot(directions[i], steps[i]).item()
                    q = q - directions[i] * alphas[i]
                }
                var r = q * hessianDiagonal
                for i in 0..<directions.count {
                    let beta = dot(directions[i], r).item() / dot(directions[i], steps[i]).item()
                    r = r + steps[i] * (alphas[i] - beta)
                }
                return r
            }
            previousFlatGrad = flat.clone()
            previousDirection = d
            t = iterations == 1 ? min(1, 1 / noGrad { flat.abs().sum().item() }) * lr : lr
            let gtd = noGrad { dot(flat, d).item() }
            if gtd > -tolChange { break }
            noGrad { addToParameters(d, scale: t) }
            var lossChange = 0.0
            if n != maxIter {
                let newLoss = enableGrad { closure() }.item()
                evaluations += 1
                flat = noGrad { flatGradient() }
                lossChange = newLoss - loss
                loss = newLoss
            }
            if n == maxIter || evaluations >= maxEval { break }
            if noGrad({ flat.abs().max().item() }) <= tolGrad { break }
            if noGrad({ (d * t).abs().max().item() }) <= tolChange { break }
            if abs(lossChange) < tolChange { break }
        }
        return originalLoss
    }
}
