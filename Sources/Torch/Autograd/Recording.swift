/// How ops put themselves on the tape. An op computes its result without autograd, then:
///
/// ```swift
/// if needsGrad(a, b) {
///     let sa = SavedTensor(a), sb = SavedTensor(b)
///     record("MulBackward0", inputs: (a, b), outputs: [out]) { grads in
///         let g = grads[0]!
///         return [(g * sb.unpack()).sumTo(aShape), (g * sa.unpack()).sumTo(bShape)]
///     }
/// }
/// ```
///
/// The backward closure maps the gradients of the outputs to those of the inputs (one per
/// input, `nil` where an input needs none). It runs with grad mode on only under
/// `createGraph: true`, so writing it with ordinary ops gives second derivatives for free.

/// Whether an op on this input must be recorded: grad mode is on and it requires grad.
///
/// The one- and two-input forms exist for speed: the variadic form builds an array, which
/// retains each input and releases it again. A leaf that requires grad is weakly referenced
/// by its `AccumulateGrad` node, so its reference count lives in a side table, where a
/// retain takes the runtime's slow path (~50 instructions more, callgrind); unary and
/// binary ops are most ops.
@inline(__always)
func needsGrad(_ input: Tensor) -> Bool {
    guard tracksGrad(input) else { return false }
    return isGradEnabled()
}

/// Whether an op on these two inputs must be recorded (see the one-input form).
@inline(__always)
func needsGrad(_ a: Tensor, _ b: Tensor) -> Bool {
    guard tracksGrad(a) || tracksGrad(b) else { return false }
    return isGradEnabled()
}

/// Whether an op on these inputs must be recorded: grad mode is on and one requires grad.
@inline(__always)
func needsGrad(_ inputs: Tensor...) -> Bool {
    needsGrad(inputs)
}

/// Whether an op on these inputs must be recorded (array form).
@inline(__always)
func needsGrad(_ inputs: [Tensor]) -> Bool {
    guard inputs.contains(where: tracksGrad) else { return false }
    return isGradEnabled()
}

/// Whether `t` requires grad, tested without touching autograd state a tensor never had:
/// most tensors have none, and for them this is one load.
@inline(__always)
private func tracksGrad(_ t: Tensor) -> Bool {
    t.autogradMeta != nil && t.requiresGrad
}

/// Makes `outputs` the results of a new node named `name` whose gradients flow to `inputs`.
/// `numbers` counts operands that were Swift numbers, after `inputs`: each gets an empty
/// edge, as PyTorch's wrapped numbers do (`(x * 2).grad_fn.next_functions` has two).
///
/// The one-input (`input:`) and two-input (`inputs: (a, b)`) forms record the same node
/// without an array of inputs: building one retains each input and releases it again, and
/// a leaf that requires grad takes the runtime's slow path for both (see ``needsGrad(_:)``).
@discardableResult
func record(
    _ name: String, inputs: [Tensor], numbers: Int = 0, outputs: [Tensor], savedShapes: [[Int]] = [],
    backward: @escaping ([Tensor?]) -> [Tensor?]
) -> Node {
    // gradientEdge is nil exactly when the input does not require grad.
    var edges: [Edge?] = []
    edges.reserveCapacity(inputs.count + numbers)
    for input in inputs { edges.append(input.gradientEdge()) }
    return recordNode(name, edges: edges, numbers: numbers, firstInput: inputs.first, outputs: outputs,
                      savedShapes: savedShapes, backward: backward)
}

/// ``record(_:inputs:numbers:outputs:savedShapes:backward:)`` for an op of one tensor.
@discardableResult
func record(
    _ name: String, input: Tensor, numbers: Int = 0, outputs: [Tensor], savedShapes: [[Int]] = [],
    backward: @escaping ([Tensor?]) -> [Tensor?]
) -> Node {
    var edges: [Edge?] = []
    edges.reserveCapacity(1 + numbers)
    edges.append(input.gradientEdge())
    return recordNode(name, edges: edges, numbers: numbers, firstInput: input, outputs: outputs,
                      savedShapes: savedShapes, backward: backward)
}

/// ``record(_:inputs:numbers:outputs:savedShapes:backward:)`` for an op of two tensors.
@discardableResult
func record(
    _ name: String, inputs: (Tensor, Tensor), numbers: Int = 0, outputs: [Tensor], savedShapes: [[Int]] = [],
    backward: @escaping ([Tensor?]) -> [Tensor?]
) -> Node {
    var edges: [Edge?] = []
    edges.reserveCapacity(2 + numbers)
    edges.append(inputs.0.gradientEdge())
    edges.append(inputs.1.gradientEdge())
    return recordNode(name, edges: edges, numbers: numbers, firstInput: inputs.0, outputs: outputs,
                      savedShapes: savedShapes, backward: backward)
}

/// The node of every `record` form, from the inputs' edges (`numbers` empty ones follow).
private func recordNode(
    _ name: String, edges: consuming [Edge?], numbers: Int, firstInput: Tensor?, outputs: [Tensor],
    savedShapes: [[Int]], backward: @escaping ([Tensor?]) -> [Tensor?]
) -> Node {
    for _ in 0..<numbers { edges.append(nil) }
    let node = Node(name: name, nextEdges: edges, outputCount: outputs.count, backward: backward)
    if !savedShapes.isEmpty { node.savedShapes = savedShapes }
    let firstStorage = firstInput.map { ObjectIdentifier($0.storage) }
    for (i, out) in outputs.enumerated() {
        let m = out.meta
        m.gradFn = node
        m.outputNumber = i
        m.requiresGradFlag = false
        // An output over its input's memory is a view: remember the base that owns it,
        // so an in-place op through the view can rewrite the base's history.
        if let firstInput, ObjectIdentifier(out.storage) == firstStorage {
            markView(out, m, of: firstInput)
        }
    }
    return node
}

/// Records that `view` (whose metadata is `m`) is a view of `input`'s base.
@inline(never)
private func markView(_ view: Tensor, _ m: AutogradMeta, of input: Tensor) {
    guard view !== input else { return }
    let base = input.autogradMeta?.viewBase ?? input
    m.viewBase = base
    m.viewBaseNode = base.autogradMeta?.gradFn
}

/// For in-place ops on a tensor that requires grad: a leaf, or a view of one, cannot be
/// changed in place while grad mode is on.
func checkInPlaceAllowed(_ t: Tensor) {
    guard let m = t.autogradMeta, isGradEnabled() else { return }
    if let base = m.viewBase, let bm = base.autogradMeta, bm.gradFn == nil, bm.requiresGradFlag {
        torchFatal("RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation.")
    }
    if m.viewBase == nil, m.gradFn == nil, m.requiresGradFlag {
        torchFatal("RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.")
    }
}

/// The gradient of a linear op (`y = A x`: pooling, diagonal views, padding): `Aᵀ g`,
/// computed by `adjoint` (a fused kernel, run without recording). When the gradient itself
/// requires grad (a backward recorded with `createGraph: true`), the result is recorded as
/// a node whose own backward applies `A` again through `forward`, a recorded op, so
/// second and higher derivatives stay exact while first derivatives keep the fast kernel.
func linearBackward(_ g: Tensor, name: String, adjoint: (Tensor) -> Tensor,
                    forward: @escaping (Tensor) -> Tensor) -> Tensor {
    let out = noGrad { adjoint(g) }
    if needsGrad(g) {
        record(name, input: g, outputs: [out]) { gg in [forward(gg[0]!)] }
    }
    return out
}
