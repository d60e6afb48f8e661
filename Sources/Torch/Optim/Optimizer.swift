/// A set of parameters sharing hyper-parameters (one of PyTorch's `param_groups`) (an entry of
/// `torch.optim.Optimizer.param_groups`).
///
/// Hyper-parameters live under PyTorch's names (`lr`, `momentum`, `weight_decay`, `beta1`,
/// `beta2`, ...), so schedulers and state dicts can treat every optimizer alike.
public struct ParamGroup {
    /// The parameters the group updates.
    public var params: [Tensor]
    /// The group's hyper-parameters by PyTorch name; the optimizer fills in its defaults
    /// for names not given.
    public var options: [String: Double]

    /// A group with optional per-group overrides (`ParamGroup(head.parameters(), ["lr": 0.1])`),
    /// each any Swift number.
    public init(_ params: [Tensor], _ options: [String: any ScalarConvertible] = [:]) {
        self.params = params
        self.options = options.mapValues(\.scalarValue.doubleValue)
    }

    /// The learning rate.
    public var lr: Double {
        get { options["lr"] ?? 0 }
        set { options["lr"] = newValue }
    }

    /// The hyper-parameter called `name`.
    public subscript(name: String) -> Double? {
        get { options[name] }
        set { options[name] = newValue }
    }
}

/// Per-parameter state: the step count and named buffers (`momentum_buffer`, `exp_avg`, ...) (an
/// entry of `torch.optim.Optimizer.state`).
public struct ParameterState {
    /// Steps taken for this parameter.
    public var step: Int = 0
    /// Buffers by PyTorch's names.
    public var buffers: [String: Tensor] = [:]
}

/// The base class of every optimizer (`torch.optim.Optimizer`): parameter groups with
/// per-group hyper-parameters, per-parameter state, `zeroGrad`, `step`, and state dicts
/// that resume training exactly.
///
/// Subclasses implement ``update(_:group:)``, called for each parameter that has a
/// gradient, under no-grad.
open class Optimizer {
    /// The parameter groups, in order (`torch.optim.Optimizer.param_groups`).
    public var paramGroups: [ParamGroup]
    /// State per parameter, keyed by the parameter's identity (`torch.optim.Optimizer.state`).
    public var state: [ObjectIdentifier: ParameterState] = [:]
    /// The hyper-parameters every group starts from (`torch.optim.Optimizer.defaults`).
    public let defaults: [String: Double]

    /// Creates the optimizer over `groups`, filling each group's missing hyper-parameters
    /// from `defaults` (`torch.optim.Optimizer`).
    public init(_ groups: [ParamGroup], defaults: [String: Double]) {
        self.defaults = defaults
        self.paramGroups = []
        for g in groups { addParamGroup(g) }
    }

    /// Adds a group (`add_param_group`), e.g. to unfreeze layers during fine-tuning
    /// (`torch.optim.Optimizer.add_param_group`).
    public func addParamGroup(_ group: ParamGroup) {
        var g = group
        for (k, v) in defaults where g.options[k] == nil { g.options[k] = v }
        let seen = Set(paramGroups.flatMap { $0.params.map(ObjectIdentifier.init) })
        if g.params.contains(where: { seen.contains(ObjectIdentifier($0)) }) {
            torchFatal("ValueError: some parameters appear in more than one parameter group")
        }
        if g.params.contains(where: { !$0.isLeaf }) { torchFatal("ValueError: can't optimize a non-leaf Tensor") }
        paramGroups.append(g)
    }

    /// Clears every parameter's gradient: `nil` by default (`set_to_none=True`), or zeroed
    /// (`torch.optim.Optimizer.zero_grad`).
    public func zeroGrad(setToNone: Bool = true) {
        for group in paramGroups {
            for p in group.params {
                if setToNone { p.grad = nil } else if let g = p.grad { noGrad { _ = g.zero_() } }
            }
        }
    }

    /// Updates every parameter that has a gradient, once (`torch.optim.Optimizer.step`).
    public func step() {
        noGrad {
            for group in paramGroups {
                for p in group.params {
                    guard p.grad != nil else { continue }
                    update(p, group: group)
                }
            }
        }
    }

    /// Re-evaluates the model with `closure` (which should zero the gradients, compute the
    /// loss and call `backward`), then steps; returns the loss (`torch.optim.Optimizer.step`).
    @discardableResult
    open func step(closure: () -> Tensor) -> Tensor {
        let loss = enableGrad { closure() }
        step()
        return loss
    }

    /// The update of one parameter; `p.grad` is set. Subclasses override it (the per-parameter body
    /// of `torch.optim.Optimizer.step`).
    open func update(_ p: Tensor, group: ParamGroup) {
        torchFatal("NotImplementedError: \(type(of: self)) does not implement update")
    }

    /// The state of `p`, created on first use (`optimizer.state[p]`,
    /// `torch.optim.Optimizer.state`).
    public func parameterState(_ p: Tensor) -> ParameterState { state[ObjectIdentifier(p)] ?? ParameterState() }

    /// Stores the state of `p` (`optimizer.state[p] = s`, `torch.optim.Optimizer.state`).
    public func setParameterState(_ s: ParameterState, for p: Tensor) { state[ObjectIdentifier(p)] = s }

    // MARK: State dicts

    /// The optimizer's state as named tensors, ready for `save(_:to:)`: `state.<i>.<buffer>`
    /// and `state.<i>.step` per parameter (numbered across groups in order, as PyTorch),
    /// `param_groups.<g>.<option>` (float64 scalars) and `param_groups.<g>.params` (the
    /// parameter numbers, int64) (`torch.optim.Optimizer.state_dict`).
    public func stateDict() -> [String: Tensor] {
        var d: [String: Tensor] = [:]
        var index = 0
        for (gi, group) in paramGroups.enumerated() {
            var ids: [Int] = []
            for p in group.params {
                if let s = state[ObjectIdentifier(p)] {
                    d["state.\(index).step"] = Tensor(Double(s.step), dtype: .float32)
                    for (name, t) in s.buffers { d["state.\(index).\(name)"] = t.detach() }
                }
                ids.append(index)
                index += 1
            }
            for (k, v) in group.options { d["param_groups.\(gi).\(k)"] = Tensor(v, dtype: .float64) }
            d["param_groups.\(gi).params"] = Tensor(shape: [ids.count], scalars: ids.map(Int64.init))
        }
        return d
    }

    /// Restores state written by ``stateDict()`` into this optimizer, whose groups must
    /// hold the same number of parameters with the same shapes
    /// (`torch.optim.Optimizer.load_state_dict`).
    ///
    /// - Throws: ``TorchError`` naming the mismatch (group count, parameter count, a
    ///   buffer's shape).
    public func loadStateDict(_ d: [String: Tensor]) throws {
        let groupCount = Set(d.keys.compactMap { k -> Int? in
            let parts = k.split(separator: ".")
            return parts.count >= 3 && parts[0] == "param_groups" ? Int(parts[1]) : nil
        }).count
        guard groupCount == paramGroups.count else {
            throw TorchError("loaded state dict has a different number of parameter groups (\(groupCount), expected \(paramGroups.count))")
        }
        var index = 0
        var newState: [ObjectIdentifier: ParameterState] = [:]
        var newGroups = paramGroups
        for (gi, group) in paramGroups.enumerated() {
            let ids = d["param_groups.\(gi).params"].map { $0.toArray(Int64.self) } ?? []
            guard ids.count == group.params.count else {
                throw TorchError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
            }
            for (k, t) in d {
                let prefix = "param_groups.\(gi)."
                guard k.hasPrefix(prefix), k != prefix + "params" else { continue }
                newGroups[gi].options[String(k.dropFirst(prefix.count))] = t.item()
            }
            for p in group.params {
                var s = ParameterState()
                var found = false
                for (k, t) in d where k.hasPrefix("state.\(index).") {
                    found = true
                    let name = String(k.dropFirst("state.\(index).".count))
                    if name == "step" { s.step = Int(t.item()); continue }
                    guard t.shape == p.shape || t.numel == 1 else {
                        throw TorchError("state \(k) has shape \(Size(t.shape)), but the parameter has shape \(Size(p.shape))")
                    }
                    s.buffers[name] = noGrad { t.to(p.dtype).clone() }
                }
                if found { newState[ObjectIdentifier(p)] = s }
                index += 1
            }
        }
        paramGroups = newGroups
        state = newState
    }
}

/// A zero-filled buffer shaped like `p` (optimizer state).
func zerosState(_ p: Tensor) -> Tensor { Tensor.zeros(p.shape, dtype: p.dtype) }
