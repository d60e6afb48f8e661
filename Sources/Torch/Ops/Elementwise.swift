/// The shared plumbing of elementwise ops: broadcasting, computing in the promoted dtype
/// without recording the internal casts, and reducing gradients back to an input's shape
/// and dtype.

/// A Swift number as a 0-d tensor of `dtype` (how a scalar operand enters a kernel).
func scalarTensor(_ value: Scalar, dtype: DType) -> Tensor {
    let t = Tensor(uninitializedShape: [], dtype: dtype, zeroed: false)
    fillElements(t, with: value)
    return t
}

/// The operands of a binary op: both broadcast to one shape and converted to `dtype`.
struct BroadcastPair {
    let a: Tensor
    let b: Tensor
    let shape: [Int]

    init(_ a: Tensor, _ b: Tensor, dtype: DType) {
        // Equal shapes (the usual case) share a's array: no new one, and the kernels' shape
        // comparisons then end at the buffers' identity.
        shape = a.shape == b.shape ? a.shape : broadcastShapes(a.shape, b.shape)
        self.a = a.converted(to: dtype).broadcastView(to: shape)
        self.b = b.converted(to: dtype).broadcastView(to: shape)
    }
}

/// What a derivative needs to know of an input it does not read: its shape, its dtype and
/// whether it wanted a gradient — saved instead of the tensor, so the node does not keep
/// the input's memory alive (explicit saved state).
struct InputSummary {
    let shape: [Int]
    let dtype: DType
    let requiresGrad: Bool
    init(_ t: Tensor) { (shape, dtype, requiresGrad) = (t.shape, t.dtype, t.requiresGrad) }

    /// `nil` when a gradient shaped like `output` already fits `input` (same shape and
    /// dtype, the common case): the derivative then keeps nothing at all.
    static func unlessLike(_ output: Tensor, _ input: Tensor) -> InputSummary? {
        input.dtype == output.dtype && input.shape == output.shape ? nil : InputSummary(input)
    }
}

/// `g` summed to the input's shape and converted to its dtype; `g` itself for `nil`
/// (an input ``InputSummary/unlessLike(_:_:)`` found already fitting).
func gradient(_ g: Tensor, for input: InputSummary?) -> Tensor {
    guard let input else { return g }
    return sumTo(g, input.shape).to(input.dtype)
}

/// Sums `g` over the dimensions that broadcasting added or stretched, giving `shape`.
/// The one place every broadcast op reduces its gradients (the free-function form of
/// `torch.Tensor.sum_to_size`).
public func sumTo(_ g: Tensor, _ shape: [Int]) -> Tensor {
    if g.shape == shape { return g }
    let lead = g.dim - shape.count
    var dims: [Int] = Array(0..<max(lead, 0))
    for (i, s) in shape.enumerated() where s == 1 && g.shape[lead + i] != 1 {
        dims.append(lead + i)
    }
    let summed = dims.isEmpty ? g : g.sum(dims: dims, keepdim: true)
    return summed.reshape(shape)
}

/// PyTorch's rule for writing a result into an existing tensor (in-place ops, `out=`):
/// a floating result cannot go into an integer tensor, nor a non-boolean into a bool one.
func canCast(_ from: DType, to: DType) -> Bool {
    if from.isFloatingPoint && !to.isFloatingPoint { return false }
    if from != .bool && to == .bool { return false }
    return true
}

/// Fails like PyTorch when an in-place op's result type cannot be stored in `target`.
func checkInPlaceResult(_ result: DType, into target: Tensor) {
    guard canCast(result, to: target.dtype) else {
        torchFatal("RuntimeError: result type \(result.scalarTypeName) can't be cast to the desired output type \(target.dtype.scalarTypeName)")
    }
}

/// Writes `value` into `target` in place (converting dtype), bumping its version: the
/// common tail of every in-place op.
func assignInPlace(_ target: Tensor, _ value: Tensor) {
    copyElements(from: value.broadcastView(to: target.shape), to: target)
    target.storage.bumpVersion()
}

/// Makes `target` carry the history of `value` after an in-place op: its grad_fn becomes
/// the op's node, as PyTorch rebases an in-place result.
func rebaseHistory(_ target: Tensor, onto value: Tensor) {
    guard let node = value.gradFn else { return }
    let m = target.meta
    m.gradFn = node
    m.outputNumber = value.outputNumber
}
