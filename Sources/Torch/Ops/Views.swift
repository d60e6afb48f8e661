/// Views: `view reshape expand permute transpose t squeeze unsqueeze flatten narrow`.
/// A view never copies: it is a new shape and strides over the same storage (`reshape`
/// copies only when no view can express the result). Each records its derivative.

/// Resolves one `-1` in a requested shape, failing like PyTorch for a size mismatch.
func inferShape(_ requested: [Int], numel: Int) -> [Int] {
    var shape = requested
    let unknown = requested.indices.filter { requested[$0] == -1 }
    guard unknown.count <= 1 else { torchFatal("RuntimeError: only one dimension can be inferred") }
    for s in requested where s < -1 { torchFatal("RuntimeError: invalid shape dimension \(s)") }
    let known = requested.filter { $0 != -1 }.reduce(1, *)
    if let u = unknown.first {
        guard known != 0, numel % known == 0 else {
            torchFatal("RuntimeError: shape '\(requested)' is invalid for input of size \(numel)")
        }
        shape[u] = numel / known
    } else if known != numel {
        torchFatal("RuntimeError: shape '\(requested)' is invalid for input of size \(numel)")
    }
    return shape
}

extension Tensor {
    /// A view with another shape (`x.view(2, 3)`, one `-1` inferred); fails like PyTorch when
    /// the layout cannot be viewed that way — use ``reshape(_:)-([Int])`` then
    /// (`torch.Tensor.view`).
    public func view(_ shape: [Int]) -> Tensor {
        let newShape = inferShape(shape, numel: numel)
        guard let viewed = layout.viewed(as: newShape) else {
            torchFatal("RuntimeError: view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        }
        let out = makeView(viewed)
        if needsGrad(self) {
            let original = self.shape
            record("ViewBackward0", input: self, outputs: [out]) { g in [g[0]!.reshape(original)] }
        }
        return out
    }

    /// `view` with variadic sizes (`x.view(-1, 12)`, `torch.Tensor.view`).
    public func view(_ shape: Int...) -> Tensor { view(shape) }

    /// This tensor with another shape: a view when possible, else a copy (`x.reshape`,
    /// `torch.Tensor.reshape`).
    public func reshape(_ shape: [Int]) -> Tensor {
        let newShape = inferShape(shape, numel: numel)
        if layout.viewed(as: newShape) != nil {
            return view(newShape)
        }
        let copy = contiguous()
        let out = copy.makeView(shape: newShape, strides: contiguousStrides(for: newShape), offset: copy.offset)
        if needsGrad(copy) {
            let original = copy.shape
            record("UnsafeViewBackward0", input: copy, outputs: [out]) { g in [g[0]!.reshape(original)] }
        }
        return out
    }

    /// This contiguous tensor under another shape, recorded as PyTorch's `_unsafe_view`
    /// (`UnsafeViewBackward0`), as ops that flatten, compute and unflatten do.
    func unsafeView(_ shape: [Int]) -> Tensor {
        let base = contiguous()
        let out = noGrad { base.view(shape) }
        if needsGrad(base) {
            let original = base.shape
            record("UnsafeViewBackward0", input: base, outputs: [out]) { g in [g[0]!.reshape(original)] }
        }
        return out
    }

    /// `reshape` with variadic sizes (`torch.Tensor.reshape`).
    public func reshape(_ shape: Int...) -> Tensor { reshape(shape) }

    /// A stride-0 view repeating size-1 dims to `shape` (`x.expand(4, 3)`; `-1` keeps a size)
    /// (`torch.Tensor.expand`).
    public func expand(_ shape: [Int]) -> Tensor {
        let lead = shape.count - dim
        guard lead >= 0 else {
            torchFatal("RuntimeError: expand(\(type()){\(self.shape)}, size=\(shape)): the number of sizes provided (\(shape.count)) must be greater or equal to the number of dimensions in the tensor (\(dim))")
        }
        var target = shape
        for (i, s) in shape.enumerated() where s == -1 {
            guard i >= lead else { torchFatal("RuntimeError: The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension \(i)") }
            target[i] = self.shape[i - lead]
        }
        var out = broadcastView(to: target)
        // A same-shape expand is still a new view: recording on `self` would give a leaf a grad_fn.
        if out === self { out = makeView(shape: shape, strides: strides, offset: offset) }
        if needsGrad(self) {
            let original = self.shape
            record("ExpandBackward0", input: self, outputs: [out]) { g in [sumTo(g[0]!, original)] }
        }
        return out
    }

    /// `expand` with variadic sizes (`torch.Tensor.expand`).
    public func expand(_ shape: Int...) -> Tensor { expand(shape) }

    /// This tensor expanded to `other`'s shape (`torch.Tensor.expand_as`).
    public func expandAs(_ other: Tensor) -> Tensor { expand(other.shape) }

    /// The dimensions reordered (`x.permute(0, 3, 1, 2)`, `torch.Tensor.permute`).
    public func permute(_ order: [Int]) -> Tensor {
        guard order.count == dim else {
            torchFatal("RuntimeError: permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(dim) is not equal to len(dims) = \(order.count)")
        }
        let dims = order.map { normalizeDim($0, rank: dim) }
        guard Set(dims).count == dims.count else { torchFatal("RuntimeError: permute(): duplicate dims are not allowed.") }
        let out = makeView(layout.permuted(dims))
        if needsGrad(self) {
            var inverse = [Int](repeating: 0, count: dims.count)
            for (i, d) in dims.enumerated() { inverse[d] = i }
            record("PermuteBackward0", input: self, outputs: [out]) { g in [g[0]!.permute(inverse)] }
        }
        return out
    }

    /// `permute` with variadic dims (`torch.Tensor.permute`).
    public func permute(_ order: Int...) -> Tensor { permute(order) }

    /// Dims `d0` and `d1` swapped (`x.transpose(0, 1)`, `torch.Tensor.transpose`).
    public func transpose(_ d0: Int, _ d1: Int) -> Tensor {
        let a = normalizeDim(d0, rank: dim), b = normalizeDim(d1, rank: dim)
        let out = makeView(layout.transposed(a, b))
        if needsGrad(self) {
            record("TransposeBackward0", input: self, outputs: [out]) { g in [g[0]!.transpose(a, b)] }
        }
        return out
    }

    /// The transpose of a tensor of at most 2 dims (`x.t()`, `torch.Tensor.t`).
    public func t() -> Tensor {
        guard dim <= 2 else {
            torchFatal("RuntimeError: t() expects a tensor with <= 2 dimensions, but self is \(dim)D")
        }
        let out = dim < 2 ? makeView(shape: shape, strides: strides, offset: offset) : noGrad { transpose(0, 1) }
        if needsGrad(self) {
            record("TBackward0", input: self, outputs: [out]) { g in [g[0]!.t()] }
        }
        return out
    }

    /// Transposes this tensor in place (`x.t_()`): its shape and strides change
    /// (`torch.Tensor.t_`).
    @discardableResult
    public func t_() -> Tensor {
        guard dim <= 2 else {
            torchFatal("RuntimeError: t_() expects a tensor with <= 2 dimensions, but self is \(dim)D")
        }
        return inPlaceView { $0.t() }
    }

    /// Swaps two dims in place (`x.transpose_(0, 1)`, `torch.Tensor.transpose_`).
    @discardableResult
    public func transpose_(_ d0: Int, _ d1: Int) -> Tensor { inPlaceView { $0.transpose(d0, d1) } }

    /// Inserts a size-1 dim in place (`x.unsqueeze_(0)`, `torch.Tensor.unsqueeze_`).
    @discardableResult
    public func unsqueeze_(_ d: Int) -> Tensor { inPlaceView { $0.unsqueeze(d) } }

    /// Removes every size-1 dim in place (`x.squeeze_()`, `torch.Tensor.squeeze_`).
    @discardableResult
    public func squeeze_() -> Tensor { inPlaceView { $0.squeeze() } }

    /// Removes dim `d` in place if its size is 1 (`x.squeeze_(d)`, `torch.Tensor.squeeze_`).
    @discardableResult
    public func squeeze_(_ d: Int) -> Tensor { inPlaceView { $0.squeeze(d) } }

    /// An in-place view op: this tensor takes the view's shape and strides and, when
    /// recorded, the view's history (the view node's input is this tensor's old history).
    private func inPlaceView(_ makeView: (Tensor) -> Tensor) -> Tensor {
        let v = makeView(self)
        shape = v.shape
        strides = v.strides
        rebaseHistory(self, onto: v)
        return self
    }

    /// Every size-1 dim removed (`x.squeeze()`, `torch.Tensor.squeeze`).
    public func squeeze() -> Tensor {
        let keep = (0..<dim).filter { shape[$0] != 1 }
        return squeezed(keeping: keep, name: "SqueezeBackward0")
    }

    /// Dim `d` removed if it has size 1 (`x.squeeze(2)`, `torch.Tensor.squeeze`).
    public func squeeze(_ d: Int) -> Tensor {
        let n = normalizeDim(d, rank: dim)
        let keep = (0..<dim).filter { $0 != n || shape[$0] != 1 }
        return squeezed(keeping: keep, name: "SqueezeBackward1")
    }

    /// The given size-1 dims removed (`x.squeeze(dims: [0, 2])`, `torch.Tensor.squeeze`).
    public func squeeze(dims: [Int]) -> Tensor {
        let set = Set(dims.map { normalizeDim($0, rank: dim) })
        let keep = (0..<dim).filter { !set.contains($0) || shape[$0] != 1 }
        return squeezed(keeping: keep, name: "SqueezeBackward2")
    }

    private func squeezed(keeping keep: [Int], name: String) -> Tensor {
        let out = makeView(layout.keeping(dims: keep))
        if needsGrad(self) {
            let original = self.shape
            record(name, input: self, outputs: [out]) { g in [g[0]!.reshape(original)] }
        }
        return out
    }

    /// A size-1 dim inserted at `d` (`x.unsqueeze(0)`; negative counts from the end)
    /// (`torch.Tensor.unsqueeze`).
    public func unsqueeze(_ d: Int) -> Tensor {
        let n = normalizeDim(d, rank: dim + 1)
        let out = makeView(layout.unsqueezed(at: n))
        if needsGrad(self) {
            record("UnsqueezeBackward0", input: self, outputs: [out]) { g in [g[0]!.squeeze(n)] }
        }
        return out
    }

    /// Dims `startDim...endDim` merged into one (`x.flatten()`, `x.flatten(startDim: 1)`,
    /// `torch.Tensor.flatten`).
    public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        if dim == 0 { return reshape([1]) }
        let s = normalizeDim(startDim, rank: dim), e = normalizeDim(endDim, rank: dim)
        guard s <= e else { torchFatal("RuntimeError: flatten() has invalid args: start_dim cannot come after end_dim") }
        if s == e { return self }
        let merged = shape[s...e].reduce(1, *)
        return reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    /// `length` elements of dim `d` from `start`, as a view (`x.narrow(1, 1, 2)`,
    /// `torch.Tensor.narrow`).
    public func narrow(_ d: Int, _ start: Int, _ length: Int) -> Tensor {
        let n = normalizeDim(d, rank: dim)
        let size = shape[n]
        let begin = start < 0 ? start + size : start
        guard begin >= 0, length >= 0, begin + length <= size else {
            torchFatal("RuntimeError: start (\(start)) + length (\(length)) exceeds dimension size (\(size)).")
        }
        return sliced(dim: n, start: begin, end: begin + length, step: 1)
    }

    /// Elements `start..<end` by `step` along `dim`, as a view (what `x[a:b:c]` does).
    func sliced(dim n: Int, start: Int, end: Int, step: Int) -> Tensor {
        let out = makeView(layout.sliced(dim: n, start: start, end: end, step: step))
        if needsGrad(self) {
            let original = self.shape, inputType = dtype
            record("SliceBackward0", input: self, outputs: [out]) { g in
                [regionBackward(g[0]!, name: "SliceBackwardBackward0", shape: original, dtype: inputType) {
                    $0.sliced(dim: n, start: start, end: end, step: step)
                }]
            }
        }
        return out
    }
}


/// The gradient of an op that views the elements `region(t)` of a tensor of `shape`
/// (select, slice, diagonal): the gradient written into that region of zeros. Linear in
/// the gradient, so when differentiated again its derivative is `region` itself.
func regionBackward(_ g: Tensor, name: String, shape: [Int], dtype: DType,
                    region: @escaping (Tensor) -> Tensor) -> Tensor {
    linearBackward(g, name: name, adjoint: { gradOut in
        let full = Tensor.zeros(shape, dtype: dtype)
        copyElements(from: gradOut, to: region(full))
        return full
    }, forward: region)
}
