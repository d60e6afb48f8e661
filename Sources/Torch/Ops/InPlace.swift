/// In-place ops and how autograd sees them, as PyTorch does:
///
/// - an in-place op on a tensor gives it the op's history (its `grad_fn` becomes the op's
///   node; the old history is the op's input), so `y = a * 2; y.fill_(0)` cuts `a` off;
/// - on a differentiable view (`y[0:2]`, `y.t()` of a tensor that requires grad), the base's
///   history is rewritten by a `CopySlices` node — gradients for the written region flow
///   through the op, the rest of the base's gradient through the base's old history — and
///   every view of that base sees the new history (its `grad_fn` is regenerated);
/// - on a leaf that requires grad, or a view of one, it fails with PyTorch's message;
/// - every write bumps the storage's version, so a tensor saved for backward and modified
///   since fails at backward with PyTorch's version-counter message.

/// Writes `value` (broadcast, converted) into `target` and makes it `target`'s history.
/// `value` is the op's own fresh result, never a tensor the caller still holds.
///
/// `zeroDerivativeName` names the node used when `value` itself has no history (a fill or
/// a copy of a constant): the old values get a zero gradient, as PyTorch's `FillBackward0`.
func commitInPlace(_ target: Tensor, _ value: Tensor, zeroDerivativeName: String = "FillBackward0") {
    let recording = isGradEnabled() && (target.requiresGrad || value.requiresGrad)
    guard recording else {
        assignInPlace(target, value)
        return
    }
    var v = value.dtype == target.dtype ? value : value.to(target.dtype)
    if v.shape != target.shape { v = v.expand(target.shape) }
    if !v.requiresGrad {
        // The new values do not depend on anything differentiable: a node whose gradient
        // for the old values is zero.
        v = v.detach()
        record(zeroDerivativeName, input: target, outputs: [v]) { g in [Tensor.zerosLike(g[0]!)] }
    }
    assignInPlace(target, v)
    adoptHistory(of: v, into: target)
}

/// After a raw in-place write whose values do not depend on anything differentiable
/// (sampling): a tensor with history gets a node named `name` with a zero gradient for
/// the old values; through a view, the base's history is rewritten as for any in-place op.
func recordOverwritten(_ target: Tensor, name: String) {
    guard isGradEnabled(), target.requiresGrad else { return }
    let value = noGrad { target.clone() }
    record(name, input: target, outputs: [value]) { g in [Tensor.zerosLike(g[0]!)] }
    adoptHistory(of: value, into: target)
}

/// `target` (already holding `value`'s elements) takes `value`'s history: directly, or for
/// a differentiable view, through its base (`CopySlices`).
private func adoptHistory(of value: Tensor, into target: Tensor) {
    if let base = target.autogradMeta?.viewBase {
        recordCopySlices(base: base, view: target, value: value)
    } else {
        rebaseHistory(target, onto: value)
    }
}

/// The base's new history after `view` was overwritten with `value`: PyTorch's
/// `CopySlices`. The view's own history is regenerated from it on next use.
private func recordCopySlices(base: Tensor, view: Tensor, value: Tensor) {
    let baseLayout = StridedLayout(base), viewLayout = StridedLayout(view)
    let storageCount = base.storage.count, valueShape = value.shape
    record("torch::autograd::CopySlices", inputs: (base, value), outputs: [base]) { grads in
        let g = grads[0]!
        return noGrad {
            let flat = Tensor.zeros([storageCount], dtype: g.dtype)
            let whole = baseLayout.view(of: flat)
            copyElements(from: g, to: whole)
            let region = viewLayout.view(of: flat)
            let forValue = sumTo(region.clone(), valueShape)
            fillElements(region, with: 0)
            return [whole, forValue]
        }
    }
}

/// Gives `view` the history "this region of `base`", after `base` changed in place: the
/// gradient of the view lands in its region of a zero gradient for the base.
func regenerateViewHistory(of view: Tensor, base: Tensor) {
    let m = view.meta
    m.viewBaseNode = base.autogradMeta?.gradFn
    guard let edge = base.gradientEdge() else {
        m.gradFn = nil
        return
    }
    let baseLayout = StridedLayout(base), viewLayout = StridedLayout(view)
    let storageCount = base.storage.count
    m.gradFn = Node(name: "AsStridedBackward0", nextEdges: [edge]) { grads in
        let g = grads[0]!
        return [noGrad {
            let flat = Tensor.zeros([storageCount], dtype: g.dtype)
            copyElements(from: g, to: viewLayout.view(of: flat))
            return baseLayout.view(of: flat)
        }]
    }
    m.outputNumber = 0
}

/// Where a tensor's elements sit in its storage, to address the same elements of another
/// storage-sized buffer.
private struct StridedLayout {
    let shape: [Int], strides: [Int], offset: Int
    init(_ t: Tensor) { (shape, strides, offset) = (t.shape, t.strides, t.offset) }
    func view(of flat: Tensor) -> Tensor { flat.asStrided(shape, strides, offset: offset) }
}

extension Tensor {
    /// Applies `op` to this tensor and writes the result back into it, as PyTorch's
    /// in-place ops: the result dtype must be storable here, the change is seen through
    /// every view, and autograd records the op as this tensor's new history. `others` are
    /// the op's other tensor operands (they decide whether autograd records).
    @discardableResult
    func inPlace(_ others: Tensor..., op: (Tensor) -> Tensor) -> Tensor {
        checkInPlaceAllowed(self)
        let recording = isGradEnabled() && (requiresGrad || others.contains { $0.requiresGrad })
        // While recording, the op reads a copy (what it saves as its input must not be
        // overwritten) that carries this tensor's history without a node of its own.
        let source = recording ? historyCarryingCopy() : self
        let value = op(source)
        checkInPlaceResult(value.dtype, into: self)
        guard value.shape == shape || broadcastShapes(value.shape, shape) == shape else {
            torchFatal("RuntimeError: output with shape \(shape) doesn't match the broadcast shape \(value.shape)")
        }
        commitInPlace(self, value)
        // An output the op saved (relu_, exp_) is now this tensor's data: its version check
        // follows this tensor from here, as PyTorch saves the in-place target itself.
        if recording, let saved = value.autogradMeta?.savedAsOutput {
            saved.writtenInto = (storage, storage.version)
        }
        return self
    }

    /// An unrecorded copy with this tensor's place in the graph (its node and output
    /// number), so that the in-place op's node points where this tensor's history does.
    private func historyCarryingCopy() -> Tensor {
        let copy = noGrad { clone() }
        if let node = gradFn {
            copy.meta.gradFn = node
            copy.meta.outputNumber = outputNumber
        }
        return copy
    }

    /// Writes `value` into every element, in place, and returns `self` (`x.fill_`,
    /// `torch.Tensor.fill_`).
    @discardableResult
    public func fill_(_ value: Scalar) -> Tensor {
        checkInPlaceAllowed(self)
        if isGradEnabled() && requiresGrad {
            commitInPlace(self, Tensor.full(shape, value, dtype: dtype), zeroDerivativeName: "FillBackward2")
        } else {
            fillElements(self, with: value)
            storage.bumpVersion()
        }
        return self
    }

    /// Sets every element to zero, in place (`x.zero_`, `torch.Tensor.zero_`).
    @discardableResult
    public func zero_() -> Tensor {
        checkInPlaceAllowed(self)
        if isGradEnabled() && requiresGrad {
            commitInPlace(self, Tensor.zeros(shape, dtype: dtype), zeroDerivativeName: "ZeroBackward0")
            return self
        }
        return fill_(0)
    }

    /// Copies `source` (broadcast, converted) into this tensor, in place (`x.copy_(src)`);
    /// gradients flow to `source` (PyTorch's `CopyBackwards`) (`torch.Tensor.copy_`).
    @discardableResult
    public func copy_(_ source: Tensor) -> Tensor {
        checkInPlaceAllowed(self)
        guard isGradEnabled() && (requiresGrad || source.requiresGrad) else {
            assignInPlace(self, source)
            return self
        }
        let value = noGrad { source.to(dtype).expand(shape).clone() }
        let sourceShape = source.shape, sourceDType = source.dtype
        record("torch::autograd::CopyBackwards", inputs: (self, source), outputs: [value]) { g in
            [Tensor.zerosLike(g[0]!), sumTo(g[0]!, sourceShape).to(sourceDType)]
        }
        commitInPlace(self, value)
        return self
    }
}
