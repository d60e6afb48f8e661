/// `torch.optim.Adam` (and, with decoupled weight decay, ``AdamW``): bias-corrected first
/// and second moment estimates, optional AMSGrad, L2 weight decay and maximisation.
public class Adam: Optimizer {
    let decoupled: Bool

    /// Creates the optimizer over `params` with PyTorch's defaults.
    public convenience init(_ params: [Tensor], lr: some ScalarConvertible = 1e-3,
                            betas: (some ScalarConvertible, some ScalarConvertible) = (0.9, 0.999),
                            eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 0,
                            amsgrad: Bool = false, maximize: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                  amsgrad: amsgrad, maximize: maximize)
    }

    /// Creates the optimizer over parameter groups.
    public convenience init(_ groups: [ParamGroup], lr: some ScalarConvertible = 1e-3,
                            betas: (some ScalarConvertible, some ScalarConvertible) = (0.9, 0.999),
                            eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 0,
                            amsgrad: Bool = false, maximize: Bool = false) {
        let lr = lr.scalarValue.doubleValue
        let betas = (betas.0.scalarValue.doubleValue, betas.1.scalarValue.doubleValue)
        let eps = eps.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        self.init(groups, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                  maximize: maximize, decoupled: false)
    }

    init(_ groups: [ParamGroup], lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double,
         amsgrad: Bool, maximize: Bool, decoupled: Bool) {
        guard lr >= 0 else { torchFatal("ValueError: Invalid learning rate: \(lr)") }
        guard eps >= 0 else { torchFatal("ValueError: Invalid epsilon value: \(eps)") }
        guard (0..<1).contains(betas.0) else { torchFatal("ValueError: Invalid beta parameter at index 0: \(betas.0)") }
        guard (0..<1).contains(betas.1) else { torchFatal("ValueError: Invalid beta parameter at index 1: \(betas.1)") }
        guard weightDecay >= 0 else { torchFatal("ValueError: Invalid weight_decay value: \(weightDecay)") }
        self.decoupled = decoupled
        super.init(groups, defaults: ["lr": lr, "beta1": betas.0, "beta2": betas.1, "eps": eps,
                                      "weight_decay": weightDecay, "amsgrad": amsgrad ? 1 : 0,
                                      "maximize": maximize ? 1 : 0])
    }

    /// One Adam step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        var s = parameterState(p)
        let amsgrad = group["amsgrad"]! != 0
        if s.buffers["exp_avg"] == nil {
            s.buffers["exp_avg"] = zerosState(p)
            s.buffers["exp_avg_sq"] = zerosState(p)
            if amsgrad { s.buffers["max_exp_avg_sq"] = zerosState(p) }
        }
        s.step += 1
        let lr = group.lr, beta1 = group["beta1"]!, beta2 = group["beta2"]!, eps = group["eps"]!
        let wd = group["weight_decay"]!, maximize = group["maximize"]! != 0
        adamUpdate_(param: p, expAvg: s.buffers["exp_avg"]!, expAvgSq: s.buffers["exp_avg_sq"]!,
                    maxExpAvgSq: amsgrad ? s.buffers["max_exp_avg_sq"] : nil, step: s.step, lr: lr, beta1: beta1,
                    beta2: beta2, eps: eps, weightDecay: wd, decoupled: decoupled, maximize: maximize)
        setParameterState(s, for: p)
    }
}

/// `torch.optim.AdamW`: Adam with weight decay decoupled from the gradient (the parameter
/// shrinks by `lr · weightDecay` each step; default 0.01).
public final class AdamW: Adam {
    /// Creates the optimizer over `params` with PyTorch's defaults.
    public convenience init(_ params: [Tensor], lr: some ScalarConvertible = 1e-3,
                            betas: (some ScalarConvertible, some ScalarConvertible) = (0.9, 0.999),
                            eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 1e-2,
                            amsgrad: Bool = false, maximize: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                  amsgrad: amsgrad, maximize: maximize)
    }

    /// Creates the optimizer over parameter groups.
    public init(_ groups: [ParamGroup], lr: some ScalarConvertible = 1e-3,
                betas: (some ScalarConvertible, some ScalarConvertible) = (0.9, 0.999),
                eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 1e-2, amsgrad: Bool = false,
                maximize: Bool = false) {
        let lr = lr.scalarValue.doubleValue
        let betas = (betas.0.scalarValue.doubleValue, betas.1.scalarValue.doubleValue)
        let eps = eps.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        super.init(groups, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                   maximize: maximize, decoupled: true)
    }
}
