/// A tensor's autograd state, allocated the first time autograd touches the tensor.
///
/// The fields every recorded op reads skip Swift's run-time exclusivity check: the engine
/// and the ops touch them from one thread at a time and never across an overlapping write.
final class AutogradMeta {
    /// `requires_grad` as set on a leaf.
    @exclusivity(unchecked) var requiresGradFlag = false
    /// The accumulated gradient (leaves, and non-leaves that called `retainGrad()`).
    @exclusivity(unchecked) var grad: Tensor?
    /// The node that produced this tensor; `nil` for leaves.
    @exclusivity(unchecked) var gradFn: Node?
    /// Which output of `gradFn` this tensor is.
    @exclusivity(unchecked) var outputNumber = 0
    /// A leaf's `AccumulateGrad` node, owned by the leaf (the node refers back weakly): made
    /// once per leaf, not once per graph as when the graphs owned it.
    var gradAccumulator: Node?
    /// Whether `retainGrad()` was called on this non-leaf.
    var retainsGrad = false
    /// Hooks on a leaf's gradient, run before it is accumulated.
    var leafHooks: [(Tensor) -> Tensor?] = []
    /// Hooks run with the leaf after its `.grad` was accumulated.
    var postAccumulateHooks: [(Tensor) -> Void] = []
    /// An optional name shown by `graphviz(of:)`.
    var name: String?
    /// For a differentiable view (made by a recorded view op): the tensor that owns the
    /// memory, PyTorch's `_base`. An in-place op on the view rewrites the base's history
    /// (`CopySlices`); the view's own history is then regenerated from the base's.
    @exclusivity(unchecked) var viewBase: Tensor?
    /// The base's `grad_fn` when this view's history was last derived from it; a base
    /// changed in place since has another one, and the view's history is regenerated.
    weak var viewBaseNode: Node?
    /// When a node saved this tensor as its output: that saved output's shared record, so
    /// that an in-place op which computed this tensor and wrote it into its target can point
    /// the version check at the target (`relu_`, `exp_`: PyTorch saves the target itself).
    var savedAsOutput: WeakTensor?
}

extension Tensor {
    @inline(__always)
    var meta: AutogradMeta {
        if let m = autogradMeta { return m }
        let m = AutogradMeta()
        autogradMeta = m
        return m
    }

    /// Whether autograd records operations on this tensor: a leaf with `requiresGrad_()`, or
    /// any result computed from one while grad mode was on.
    /// Settable as in Python (`x.requiresGrad = true`), on leaves only
    /// (`torch.Tensor.requires_grad`).
    public var requiresGrad: Bool {
        get {
            guard let m = currentMeta else { return false }
            return m.requiresGradFlag || m.gradFn != nil
        }
        set { setRequiresGradProperty(newValue) }
    }

    /// The autograd state as autograd must read it: for a view whose base changed in place
    /// since, first brought up to date (``refreshViewHistory(_:)``).
    @inline(__always)
    var currentMeta: AutogradMeta? {
        guard let m = autogradMeta else { return nil }
        if m.viewBase != nil { refreshViewHistory(m) }
        return m
    }

    /// For a view whose base was changed in place after the view was made: its history
    /// becomes a view of the base's new history, as PyTorch regenerates a view's grad_fn.
    @inline(never)
    func refreshViewHistory(_ m: AutogradMeta) {
        guard let base = m.viewBase, base.autogradMeta?.gradFn !== m.viewBaseNode else { return }
        Tensor.regenerateHistory(ofView: self, base: base)
    }

    func setRequiresGrad(_ flag: Bool) {
        if !flag, let m = autogradMeta, m.gradFn != nil {
            torchFatal("RuntimeError: you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
        }
        if flag || autogradMeta != nil { meta.requiresGradFlag = flag }
    }

    /// The node that produced this tensor (`x.grad_fn`); `nil` for leaves (`torch.Tensor.grad_fn`).
    public var gradFn: Node? { currentMeta?.gradFn }

    /// Which output of ``gradFn`` this tensor is (`torch.Tensor.output_nr`).
    public var outputNumber: Int { currentMeta?.outputNumber ?? 0 }

    /// `true` unless the tensor was computed from tensors that require grad (`x.is_leaf`,
    /// `torch.Tensor.is_leaf`).
    public var isLeaf: Bool { gradFn == nil }

    /// The differentiable view's base (PyTorch's `x._base`), `nil` for a tensor that is not one
    /// (`torch.Tensor._base`).
    public var viewBase: Tensor? { autogradMeta?.viewBase }

    /// The gradient accumulated by `backward()` (`x.grad`); settable, e.g. to `nil`
    /// (`torch.Tensor.grad`).
    public var grad: Tensor? {
        get { autogradMeta?.grad }
        set {
            if let newValue, newValue.shape != shape {
                torchFatal("RuntimeError: assigned grad has data of a different size")
            }
            if newValue != nil || autogradMeta != nil { meta.grad = newValue }
        }
    }

    /// A name for this tensor in `graphviz(of:)` pictures. SwiftTorch only: PyTorch has no
    /// counterpart (a label for pictures; `torch.Tensor.names` is the unrelated named-tensor
    /// feature).
    public var name: String? {
        get { autogradMeta?.name }
        set { meta.name = newValue }
    }

    /// Keeps this non-leaf's gradient in `.grad` after backward (`x.retain_grad()`,
    /// `torch.Tensor.retain_grad`).
    public func retainGrad() {
        guard requiresGrad else {
            torchFatal("RuntimeError: can't retain_grad on Tensor that has requires_grad=False")
        }
        guard let node = gradFn, !meta.retainsGrad else { return }
        meta.retainsGrad = true
        let output = outputNumber
        // A weak reference: the graph must not keep the tensor alive.
        node.preHooks.append((output, { [weak self] g in
            guard let self else { return nil }
            if let existing = self.autogradMeta?.grad {
                self.meta.grad = isGradEnabled() ? Tensor.gradientSum(existing, g) : Tensor.gradientAddInPlace(existing, g)
            } else {
                self.meta.grad = isGradEnabled() ? g : Tensor.gradientCopy(g)
            }
            return nil
        }))
    }

    /// Registers `hook` on this tensor's gradient (`x.register_hook`): it sees the gradient
    /// before it flows on and may return a replacement (`torch.Tensor.register_hook`).
    public func registerHook(_ hook: @escaping (Tensor) -> Tensor?) {
        guard requiresGrad else {
            torchFatal("RuntimeError: cannot register a hook on a tensor that doesn't require gradient")
        }
        if let node = gradFn {
            node.preHooks.append((outputNumber, hook))
        } else {
            meta.leafHooks.append(hook)
        }
    }

    /// Registers `hook(leaf)`, run after backward accumulated this leaf's `.grad`
    /// (`x.register_post_accumulate_grad_hook`), e.g. to step an optimizer per parameter
    /// (`torch.Tensor.register_post_accumulate_grad_hook`).
    public func registerPostAccumulateGradHook(_ hook: @escaping (Tensor) -> Void) {
        guard requiresGrad, isLeaf else {
            torchFatal("RuntimeError: post accumulate grad hooks cannot be registered on non-leaf tensors")
        }
        meta.postAccumulateHooks.append(hook)
    }

    /// A tensor sharing this one's data with no autograd history (`x.detach()`,
    /// `torch.Tensor.detach`).
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, device: device)
    }

    /// Cuts this tensor from its history in place, making it a leaf (`x.detach_()`,
    /// `torch.Tensor.detach_`).
    @discardableResult
    public func detach_() -> Tensor {
        if let m = autogradMeta {
            m.gradFn = nil
            m.requiresGradFlag = false
        }
        return self
    }

    /// This tensor's data without history, sharing storage (`x.data`, `torch.Tensor.data`).
    public var data: Tensor { detach() }

    /// The `AccumulateGrad` node of a leaf that requires grad, created on first use and
    /// shared by every graph the leaf takes part in.
    func gradAccumulator() -> Node {
        if let node = meta.gradAccumulator { return node }
        let node = Node(accumulatingInto: self)
        meta.gradAccumulator = node
        return node
    }

    /// The edge gradients for this tensor flow into, or `nil` if it needs none.
    func gradientEdge() -> Edge? {
        guard let m = currentMeta else { return nil }
        if let fn = m.gradFn { return Edge(node: fn, inputNumber: m.outputNumber) }
        if m.requiresGradFlag { return Edge(node: gradAccumulator(), inputNumber: 0) }
        return nil
    }
}
