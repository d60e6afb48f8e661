/// `torch.optim.RMSprop`: divides the gradient by a running root-mean-square, optionally
/// centred and with momentum.
public final class RMSprop: Optimizer {
    /// Creates the optimizer over `params` with PyTorch's defaults.
    public convenience init(_ params: [Tensor], lr: some ScalarConvertible = 1e-2, alpha: some ScalarConvertible = 0.99,
                            eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 0,
                            momentum: some ScalarConvertible = 0, centered: Bool = false, maximize: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum,
                  centered: centered, maximize: maximize)
    }

    /// Creates the optimizer over parameter groups.
    public init(_ groups: [ParamGroup], lr: some ScalarConvertible = 1e-2, alpha: some ScalarConvertible = 0.99,
                eps: some ScalarConvertible = 1e-8, weightDecay: some ScalarConvertible = 0,
                momentum: some ScalarConvertible = 0, centered: Bool = false, maximize: Bool = false) {
        let lr = lr.scalarValue.doubleValue
        let alpha = alpha.scalarValue.doubleValue
        let eps = eps.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        let momentum = momentum.scalarValue.doubleValue
        guard lr >= 0 else { torchFatal("ValueError: Invalid learning rate: \(lr)") }
        guard alpha >= 0 else { torchFatal("ValueError: Invalid alpha value: \(alpha)") }
        super.init(groups, defaults: ["lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weightDecay,
                                      "momentum": momentum, "centered": centered ? 1 : 0, "maximize": maximize ? 1 : 0])
    }

    /// One RMSprop step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        var s = parameterState(p)
        let momentum = group["momentum"]!, centered = group["centered"]! != 0
        if s.buffers["square_avg"] == nil {
            s.buffers["square_avg"] = zerosState(p)
            if momentum > 0 { s.buffers["momentum_buffer"] = zerosState(p) }
            if centered { s.buffers["grad_avg"] = zerosState(p) }
        }
        s.step += 1
        let lr = group.lr, alpha = group["alpha"]!, eps = group["eps"]!, wd = group["weight_decay"]!
        let maximize = group["maximize"]! != 0
        rmspropUpdate_(param: p, squareAvg: s.buffers["square_avg"]!, gradAvg: centered ? s.buffers["grad_avg"] : nil,
                       momentumBuffer: momentum > 0 ? s.buffers["momentum_buffer"] : nil, lr: lr, alpha: alpha, eps: eps,
                       weightDecay: wd, momentum: momentum, maximize: maximize)
        setParameterState(s, for: p)
    }
}

/// `torch.optim.Adagrad`: per-element learning rates from the sum of squared gradients.
public final class Adagrad: Optimizer {
    /// Creates the optimizer over `params` with PyTorch's defaults.
    public convenience init(_ params: [Tensor], lr: some ScalarConvertible = 1e-2, lrDecay: some ScalarConvertible = 0,
                            weightDecay: some ScalarConvertible = 0,
                            initialAccumulatorValue: some ScalarConvertible = 0, eps: some ScalarConvertible = 1e-10,
                            maximize: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, lrDecay: lrDecay, weightDecay: weightDecay,
                  initialAccumulatorValue: initialAccumulatorValue, eps: eps, maximize: maximize)
    }

    /// Creates the optimizer over parameter groups.
    public init(_ groups: [ParamGroup], lr: some ScalarConvertible = 1e-2, lrDecay: some ScalarConvertible = 0,
                weightDecay: some ScalarConvertible = 0, initialAccumulatorValue: some ScalarConvertible = 0,
                eps: some ScalarConvertible = 1e-10, maximize: Bool = false) {
        let lr = lr.scalarValue.doubleValue
        let lrDecay = lrDecay.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        let initialAccumulatorValue = initialAccumulatorValue.scalarValue.doubleValue
        let eps = eps.scalarValue.doubleValue
        guard lr >= 0 else { torchFatal("ValueError: Invalid learning rate: \(lr)") }
        super.init(groups, defaults: ["lr": lr, "lr_decay": lrDecay, "weight_decay": weightDecay,
                                      "initial_accumulator_value": initialAccumulatorValue, "eps": eps,
                                      "maximize": maximize ? 1 : 0])
    }

    /// One Adagrad step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        var s = parameterState(p)
        if s.buffers["sum"] == nil {
            s.buffers["sum"] = Tensor.full(p.shape, group["initial_accumulator_value"]!, dtype: p.dtype)
        }
        s.step += 1
        let clr = group.lr / (1 + Double(s.step - 1) * group["lr_decay"]!)
        let eps = group["eps"]!, wd = group["weight_decay"]!, maximize = group["maximize"]! != 0
        adagradUpdate_(param: p, sum: s.buffers["sum"]!, clr: clr, eps: eps, weightDecay: wd, maximize: maximize)
        setParameterState(s, for: p)
    }
}
