/// The classic hook-based reparametrisations of `torch.nn.utils`: `weight_norm` and
/// `spectral_norm`. Each takes a parameter out of the module (PyTorch's
/// `del module._parameters[name]`), registers the parameters and buffers it is computed from
/// after the module's own (so `stateDict()` keys are PyTorch's: `bias`, `weight_g`,
/// `weight_v` for a `Linear`), and installs a forward pre-hook that recomputes the weight
/// before every call, with gradients flowing to the new parameters.
///
/// The pre-hook runs for `module(x)` and for RNN/LSTM/GRU calls; a module called through its
/// own multi-argument `callAsFunction` does not run pre-hooks in SwiftTorch.

/// The stored slot of the parameter `name`, or PyTorch's error.
private func parameterSlot(_ module: Module, _ name: String, for function: String) -> TensorSlot {
    if module.reparametrizations[name] != nil {
        torchFatal("RuntimeError: Cannot register two \(function) hooks on the same parameter \(name)")
    }
    guard let slot = module.slots().first(where: { $0.name == name })?.slot else {
        torchFatal("AttributeError: '\(module.typeName)' object has no attribute '\(name)'")
    }
    guard slot.isParameter else { torchFatal("KeyError: '\(name)'") }
    guard slot.tensor != nil else {
        torchFatal("ValueError: `\(function == "weight_norm" ? "WeightNorm" : "SpectralNorm")` cannot be applied as parameter `\(name)` is None")
    }
    return slot
}

/// The 2-norm of `v` over every dimension but `dim`, shaped to broadcast against `v`
/// (`torch.norm_except_dim`); `dim == -1` is the norm of the whole tensor, a scalar.
public func normExceptDim(_ v: Tensor, pow: some ScalarConvertible = 2, dim: Int) -> Tensor {
    let p = pow.scalarValue.doubleValue
    if dim == -1 { return v.norm(p: p) }
    let d = dim < 0 ? dim + v.dim : dim
    if d == 0 {
        let shape = [v.shape[0]] + [Int](repeating: 1, count: v.dim - 1)
        return v.contiguous().view([v.shape[0], -1]).norm(p: p, dim: 1).view(shape)
    }
    if d == v.dim - 1 {
        let shape = [Int](repeating: 1, count: v.dim - 1) + [v.shape[d]]
        return v.contiguous().view([-1, v.shape[d]]).norm(p: p, dim: 0).view(shape)
    }
    return normExceptDim(v.transpose(0, d), pow: p, dim: 0).transpose(0, d)
}

/// `g · v / ‖v‖` with the norm over every dimension but `dim` (`torch._weight_norm`).
public func weightNormCompute(_ v: Tensor, _ g: Tensor, dim: Int = 0) -> Tensor {
    v * (g / normExceptDim(v, pow: 2, dim: dim))
}

/// The state a `weight_norm` hook keeps: which parameter and which dimension.
final class WeightNormHook {
    let name: String
    let dim: Int
    /// The property's cell, which keeps the computed weight forward reads.
    let slot: TensorSlot
    var handle: RemovableHandle?
    init(name: String, dim: Int, slot: TensorSlot) {
        self.name = name
        self.dim = dim
        self.slot = slot
    }

    func compute(_ module: Module) -> Tensor {
        weightNormCompute(module.getParameter(name + "_v")!, module.getParameter(name + "_g")!, dim: dim)
    }
}

/// Weight normalisation (`torch.nn.utils.weight_norm`): the parameter `name` becomes
/// `g · v / ‖v‖`, with `name_g` (the norms over every dimension but `dim`, shaped to
/// broadcast) and `name_v` (the direction, initially the weight) as the parameters.
///
/// - Parameters:
///   - module: the module holding the parameter; returned for chaining.
///   - name: the parameter (`"weight"`).
///   - dim: the dimension kept by the norm (`0`: one norm per output); `nil` (PyTorch's
///     `dim=None`) or `-1` normalises the whole tensor with one scalar `g`.
@discardableResult
public func weightNorm<M: Module>(_ module: M, name: String = "weight", dim: Int? = 0) -> M {
    let slot = parameterSlot(module, name, for: "weight_norm")
    let weight = slot.tensor!
    let hook = WeightNormHook(name: name, dim: dim ?? -1, slot: slot)
    module.hiddenTensorNames.insert(name)
    module.registerParameter(name + "_g", noGrad { normExceptDim(weight, pow: 2, dim: hook.dim) }.detach())
    module.registerParameter(name + "_v", weight.detach())
    // The property now holds a plain tensor computed from g and v (history included).
    slot.tensor = hook.compute(module)
    hook.handle = module.registerForwardPreHook { [unowned hook] m, _ in
        hook.slot.tensor = hook.compute(m)
        return nil
    }
    module.reparametrizations[name] = hook
    return module
}

/// Undoes ``weightNorm(_:name:dim:)`` (`torch.nn.utils.remove_weight_norm`): the current
/// `g · v / ‖v‖` becomes the parameter `name` again and `name_g`/`name_v` go. (The restored
/// parameter keeps its declared place in `stateDict()`; PyTorch re-registers it last.)
@discardableResult
public func removeWeightNorm<M: Module>(_ module: M, name: String = "weight") -> M {
    guard let hook = module.reparametrizations[name] as? WeightNormHook else {
        torchFatal("ValueError: weight_norm of '\(name)' not found in \(module)")
    }
    let weight = noGrad { hook.compute(module) }
    hook.handle?.remove()
    module.reparametrizations[name] = nil
    module.registered.removeAll { $0.name == name + "_g" || $0.name == name + "_v" }
    module.hiddenTensorNames.remove(name)
    hook.slot.assign(weight.detach())
    return module
}

/// The state a `spectral_norm` hook keeps.
final class SpectralNormHook {
    let name: String
    let dim: Int
    let nPowerIterations: Int
    let eps: Double
    /// The property's cell, which keeps the computed weight forward reads.
    var slot: TensorSlot!
    var handle: RemovableHandle?
    init(name: String, dim: Int, nPowerIterations: Int, eps: Double) {
        self.name = name
        self.dim = dim
        self.nPowerIterations = nPowerIterations
        self.eps = eps
    }

    /// The weight as a matrix whose rows run along `dim`.
    func matrix(_ weight: Tensor) -> Tensor {
        var w = weight
        if dim != 0 { w = w.permute([dim] + (0..<w.dim).filter { $0 != dim }) }
        return w.reshape([w.shape[0], -1])
    }

    /// `weight_orig / σ`, σ estimated as `uᵀ W v`; in training the power iteration first
    /// updates the `u`/`v` buffers in place (without gradient), as PyTorch's `compute_weight`.
    func compute(_ module: Module, powerIteration: Bool) -> Tensor {
        let weight = module.getParameter(name + "_orig")!
        var u = module.getBuffer(name + "_u")!, v = module.getBuffer(name + "_v")!
        let w = matrix(weight)
        if powerIteration {
            noGrad {
                for _ in 0..<nPowerIterations {
                    _ = v.copy_(normalize(mv(w.t(), u), dim: 0, eps: eps))
                    _ = u.copy_(normalize(mv(w, v), dim: 0, eps: eps))
                }
                // Snapshots: the buffers change again on the next call, the graph must not see it.
                u = u.clone()
                v = v.clone()
            }
        }
        let sigma = dot(u, mv(w, v))
        return weight / sigma
    }
}

/// Spectral normalisation (`torch.nn.utils.spectral_norm`): the parameter `name` becomes
/// `name_orig / σ`, σ the largest singular value of `name_orig` seen as a matrix with rows
/// along `dim`, estimated by power iteration (`nPowerIterations` steps before each call in
/// training mode, none in evaluation) on the buffers `name_u` and `name_v`.
///
/// `u` and `v` start as PyTorch draws them: `normal_(0, 1)` of sizes `rows` then `columns`
/// from the default generator, normalised. Until the first call the property holds the
/// un-normalised weight, as in PyTorch.
///
/// - Parameters:
///   - module: the module holding the parameter; returned for chaining.
///   - name: the parameter (`"weight"`).
///   - nPowerIterations: power-iteration steps per training call (positive).
///   - eps: the floor of the norms in the iteration.
///   - dim: the output dimension; `nil` is `1` for ``ConvTranspose1d``/``ConvTranspose2d``, else `0`.
@discardableResult
public func spectralNorm<M: Module>(_ module: M, name: String = "weight", nPowerIterations: Int = 1,
                                    eps: some ScalarConvertible = 1e-12, dim: Int? = nil) -> M {
    let eps = eps.scalarValue.doubleValue
    if module.reparametrizations[name] != nil {
        torchFatal("RuntimeError: Cannot register two spectral_norm hooks on the same parameter \(name)")
    }
    guard nPowerIterations > 0 else {
        torchFatal("ValueError: Expected n_power_iterations to be positive, but got n_power_iterations=\(nPowerIterations)")
    }
    let isTransposed = module is ConvTranspose1d || module is ConvTranspose2d
    let hook = SpectralNormHook(name: name, dim: dim ?? (isTransposed ? 1 : 0), nPowerIterations: nPowerIterations,
                                eps: eps)
    let slot = parameterSlot(module, name, for: "spectral_norm")
    hook.slot = slot
    let weight = slot.tensor!
    let (u, v): (Tensor, Tensor) = noGrad {
        let w = hook.matrix(weight)
        let u = normalize(Tensor.empty([w.shape[0]], dtype: weight.dtype).normal_(mean: 0, std: 1), dim: 0, eps: eps)
        let v = normalize(Tensor.empty([w.shape[1]], dtype: weight.dtype).normal_(mean: 0, std: 1), dim: 0, eps: eps)
        return (u, v)
    }
    module.hiddenTensorNames.insert(name)
    module.registerParameter(name + "_orig", weight)
    slot.tensor = weight.detach()
    module.registerBuffer(name + "_u", u)
    module.registerBuffer(name + "_v", v)
    hook.handle = module.registerForwardPreHook { [unowned hook] m, _ in
        hook.slot.tensor = hook.compute(m, powerIteration: m.isTraining)
        return nil
    }
    module.reparametrizations[name] = hook
    return module
}

/// Undoes ``spectralNorm(_:name:nPowerIterations:eps:dim:)``
/// (`torch.nn.utils.remove_spectral_norm`): `name_orig / σ` with the current `u` and `v` (no
/// power iteration) becomes the parameter `name` again; `name_orig`, `name_u` and `name_v` go.
@discardableResult
public func removeSpectralNorm<M: Module>(_ module: M, name: String = "weight") -> M {
    guard let hook = module.reparametrizations[name] as? SpectralNormHook else {
        torchFatal("ValueError: spectral_norm of '\(name)' not found in \(module)")
    }
    let weight = noGrad { hook.compute(module, powerIteration: false) }
    hook.handle?.remove()
    module.reparametrizations[name] = nil
    let removed: Set<String> = [name + "_orig", name + "_u", name + "_v"]
    module.registered.removeAll { removed.contains($0.name) }
    module.hiddenTensorNames.remove(name)
    hook.slot.assign(weight.detach())
    return module
}
