/// `torch.optim.SGD`: stochastic gradient descent with optional momentum (heavy-ball or
/// Nesterov), dampening, L2 weight decay and maximisation, with PyTorch's exact rule.
public final class SGD: Optimizer {
    /// Creates the optimizer over `params` (PyTorch's defaults: `lr` 0.001, no momentum).
    public convenience init(_ params: [Tensor], lr: some ScalarConvertible = 1e-3, momentum: some ScalarConvertible = 0,
                            dampening: some ScalarConvertible = 0, weightDecay: some ScalarConvertible = 0,
                            nesterov: Bool = false, maximize: Bool = false) {
        self.init([ParamGroup(params)], lr: lr, momentum: momentum, dampening: dampening,
                  weightDecay: weightDecay, nesterov: nesterov, maximize: maximize)
    }

    /// Creates the optimizer over parameter groups; a group's own options override these.
    public init(_ groups: [ParamGroup], lr: some ScalarConvertible = 1e-3, momentum: some ScalarConvertible = 0,
                dampening: some ScalarConvertible = 0, weightDecay: some ScalarConvertible = 0, nesterov: Bool = false,
                maximize: Bool = false) {
        let lr = lr.scalarValue.doubleValue
        let momentum = momentum.scalarValue.doubleValue
        let dampening = dampening.scalarValue.doubleValue
        let weightDecay = weightDecay.scalarValue.doubleValue
        guard lr >= 0 else { torchFatal("ValueError: Invalid learning rate: \(lr)") }
        guard momentum >= 0 else { torchFatal("ValueError: Invalid momentum value: \(momentum)") }
        guard weightDecay >= 0 else { torchFatal("ValueError: Invalid weight_decay value: \(weightDecay)") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            torchFatal("ValueError: Nesterov momentum requires a momentum and zero dampening")
        }
        super.init(groups, defaults: ["lr": lr, "momentum": momentum, "dampening": dampening,
                                      "weight_decay": weightDecay, "nesterov": nesterov ? 1 : 0,
                                      "maximize": maximize ? 1 : 0])
    }

    /// One SGD step for `p`.
    public override func update(_ p: Tensor, group: ParamGroup) {
        let momentum = group["momentum"]!
        var s = parameterState(p)
        let first = s.buffers["momentum_buffer"] == nil
        if momentum != 0 && first { s.buffers["momentum_buffer"] = zerosState(p) }
        let buffer = momentum != 0 ? s.buffers["momentum_buffer"] : nil
        let lr = group.lr, dampening = group["dampening"]!, wd = group["weight_decay"]!
        let nesterov = group["nesterov"]! != 0, maximize = group["maximize"]! != 0
        sgdUpdate_(param: p, momentumBuffer: buffer, lr: lr, momentum: momentum, dampening: dampening, weightDecay: wd,
                   nesterov: nesterov, maximize: maximize, firstStep: first)
        s.step += 1
        setParameterState(s, for: p)
    }
}
