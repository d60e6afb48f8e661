/// Module hooks, as PyTorch's `register_forward_pre_hook`, `register_forward_hook` and
/// `register_full_backward_hook`. Each registration returns a ``RemovableHandle``.

/// Removes the hook it was returned for (`handle.remove()`, `torch.utils.hooks.RemovableHandle`).
public final class RemovableHandle {
    private var removal: (() -> Void)?
    init(_ removal: @escaping () -> Void) { self.removal = removal }
    /// Unregisters the hook; calling it again does nothing.
    public func remove() {
        removal?()
        removal = nil
    }
}

/// A module's hooks, allocated on first registration so hook-free modules pay nothing.
final class ModuleHooks {
    var nextID = 0
    var forwardPre: [(id: Int, hook: (Module, Tensor) -> Tensor?)] = []
    var forward: [(id: Int, hook: (Module, Tensor, Tensor) -> Tensor?)] = []
    var backward: [(id: Int, hook: (Module, [Tensor?], [Tensor?]) -> [Tensor?]?)] = []
    var isEmpty: Bool { forwardPre.isEmpty && forward.isEmpty && backward.isEmpty }
}

extension Module {
    /// Registers `hook(module, input)`, run before ``forward(_:)``; a non-`nil` result
    /// replaces the input (`register_forward_pre_hook`,
    /// `torch.nn.Module.register_forward_pre_hook`).
    @discardableResult
    public func registerForwardPreHook(_ hook: @escaping (Module, Tensor) -> Tensor?) -> RemovableHandle {
        let (h, id) = newHookID()
        h.forwardPre.append((id, hook))
        return RemovableHandle { [weak self] in self?.hooks?.forwardPre.removeAll { $0.id == id } }
    }

    /// Registers `hook(module, input, output)`, run after ``forward(_:)``; a non-`nil`
    /// result replaces the output (`register_forward_hook`,
    /// `torch.nn.Module.register_forward_hook`).
    @discardableResult
    public func registerForwardHook(_ hook: @escaping (Module, Tensor, Tensor) -> Tensor?) -> RemovableHandle {
        let (h, id) = newHookID()
        h.forward.append((id, hook))
        return RemovableHandle { [weak self] in self?.hooks?.forward.removeAll { $0.id == id } }
    }

    /// Registers `hook(module, gradInput, gradOutput)`, run during backward once the
    /// gradient with respect to the module's input is known; a non-`nil` result replaces
    /// `gradInput` (`register_full_backward_hook`). `gradInput` holds `nil` when the input
    /// does not require grad (`torch.nn.Module.register_full_backward_hook`).
    @discardableResult
    public func registerFullBackwardHook(_ hook: @escaping (Module, [Tensor?], [Tensor?]) -> [Tensor?]?) -> RemovableHandle {
        let (h, id) = newHookID()
        h.backward.append((id, hook))
        return RemovableHandle { [weak self] in self?.hooks?.backward.removeAll { $0.id == id } }
    }

    private func newHookID() -> (ModuleHooks, Int) {
        let h = hooks ?? ModuleHooks()
        hooks = h
        h.nextID += 1
        return (h, h.nextID)
    }

    /// Runs the forward pre-hooks on `input` for a call that does not go through
    /// ``callAsFunction(_:)`` (a recurrent layer called with a state), so reparametrisations
    /// such as ``weightNorm(_:name:dim:)`` recompute their weight first, as PyTorch's
    /// `__call__` does for every call.
    func runForwardPreHooks(_ input: Tensor) -> Tensor {
        guard let hooks else { return input }
        var x = input
        for (_, hook) in hooks.forwardPre { if let replaced = hook(self, x) { x = replaced } }
        return x
    }

    /// The pre-hooks on a packed batch's data.
    func runForwardPreHooks(_ input: PackedSequence) -> PackedSequence {
        hooks == nil ? input : input.withData(runForwardPreHooks(input.data))
    }

    /// `forward` with the registered hooks around it.
    func forwardWithHooks(_ input: Tensor, _ h: ModuleHooks) -> Tensor {
        var x = input
        for (_, hook) in h.forwardPre { if let replaced = hook(self, x) { x = replaced } }
        let backwardHooks = isGradEnabled() ? h.backward.map(\.hook) : []
        // Full backward hooks: identity nodes around the module catch the output gradient
        // and then the input gradient, which the hooks see (and may replace) together.
        let box = GradientBox()
        if !backwardHooks.isEmpty && x.requiresGrad {
            x = identityNode(x) { [unowned self] gradInput in
                var gi: [Tensor?] = [gradInput]
                for hook in backwardHooks { if let r = hook(self, gi, box.gradOutput) { gi = r } }
                return gi[0]
            }
        }
        var y = forward(x)
        for (_, hook) in h.forward { if let replaced = hook(self, x, y) { y = replaced } }
        if !backwardHooks.isEmpty && y.requiresGrad {
            let inputNeedsGrad = x.requiresGrad
            y = identityNode(y) { [unowned self] gradOutput in
                box.gradOutput = [gradOutput]
                if !inputNeedsGrad {
                    for hook in backwardHooks { _ = hook(self, [nil], [gradOutput]) }
                }
                return gradOutput
            }
        }
        return y
    }
}

/// The output gradient, kept for the input-side hook node.
private final class GradientBox { var gradOutput: [Tensor?] = [] }

/// An alias of `t` whose backward passes its gradient through `transform`.
private func identityNode(_ t: Tensor, _ transform: @escaping (Tensor) -> Tensor?) -> Tensor {
    let out = t.detach()
    record("BackwardHookFunctionBackward", input: t, outputs: [out]) { g in [g[0].flatMap(transform)] }
    return out
}
