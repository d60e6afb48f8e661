/// The backward pass: runs the graph's nodes once each, in dependency order, summing the
/// gradients that reach each node and accumulating into leaves' `.grad`.

extension Tensor {
    /// Computes the gradient of this tensor with respect to the graph's leaves and adds it
    /// into their `.grad` (`tensor.backward()`, `torch.Tensor.backward`).
    ///
    /// - Parameters:
    ///   - gradient: The gradient of some scalar with respect to this tensor (the vector of
    ///     a vector-Jacobian product); may be omitted only for a one-element tensor.
    ///   - retainGraph: Keep the saved tensors so backward can run through the graph again.
    ///   - createGraph: Record the backward pass itself, for higher-order derivatives.
    ///   - inputs: If given, accumulate only into these tensors' `.grad`.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool? = nil, createGraph: Bool = false, inputs: [Tensor]? = nil) {
        let g = gradient ?? implicitGradient(for: self)
        runBackward(roots: [self], gradOutputs: [g], retainGraph: retainGraph ?? createGraph,
                    createGraph: createGraph, capture: nil, accumulateOnly: inputs)
    }
}

/// The gradients of `outputs` with respect to `inputs` (`torch.autograd.grad`), returned
/// instead of accumulated into `.grad`.
///
/// - Parameters:
///   - outputs: The tensors to differentiate.
///   - inputs: The tensors to differentiate with respect to.
///   - gradOutputs: One gradient per output; `nil` entries (or a `nil` list) mean ones for
///     one-element outputs.
///   - retainGraph: Keep the graph for another backward pass (default: `createGraph`).
///   - createGraph: Record the backward pass itself, for higher derivatives.
///   - allowUnused: Return `nil` for an input the outputs do not depend on instead of failing.
public func gradients(
    of outputs: [Tensor], wrt inputs: [Tensor], gradOutputs: [Tensor?]? = nil,
    retainGraph: Bool? = nil, createGraph: Bool = false, allowUnused: Bool = false
) -> [Tensor?] {
    let grads = outputs.enumerated().map { i, out in
        (gradOutputs?[i]) ?? implicitGradient(for: out)
    }
    for t in inputs where !t.requiresGrad {
        torchFatal("RuntimeError: One of the differentiated Tensors does not require grad")
    }
    let captured = runBackward(roots: outputs, gradOutputs: grads, retainGraph: retainGraph ?? createGraph,
                               createGraph: createGraph, capture: inputs, accumulateOnly: nil)
    if !allowUnused, captured.contains(where: { $0 == nil }) {
        torchFatal("RuntimeError: One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.")
    }
    return captured
}

/// `ones` for a one-element output; PyTorch's error otherwise.
private func implicitGradient(for t: Tensor) -> Tensor {
    guard t.numel == 1 else {
        torchFatal("RuntimeError: grad can be implicitly created only for scalar outputs")
    }
    return Tensor.onesGradient(like: t)
}

/// The engine proper. With `capture`, gradients reaching those tensors are returned (in
/// order) and no `.grad` is touched; otherwise leaves accumulate (only `accumulateOnly`
/// ones, if given).
@discardableResult
func runBackward(
    roots: [Tensor], gradOutputs: [Tensor], retainGraph: Bool, createGraph: Bool,
    capture: [Tensor]?, accumulateOnly: [Tensor]?
) -> [Tensor?] {
    var rootEdges: [Edge] = []
    for (i, root) in roots.enumerated() {
        guard let edge = root.gradientEdge() else {
            torchFatal("RuntimeError: element \(i) of tensors does not require grad and does not have a grad_fn")
        }
        guard gradOutputs[i].shape == root.shape else {
            torchFatal("RuntimeError: Mismatch in shape: grad_output[\(i)] has a shape of torch.Size(\(gradOutputs[i].shape)) and output[\(i)] has a shape of torch.Size(\(root.shape)).")
        }
        rootEdges.append(edge)
    }

    var captured = [Tensor?](repeating: nil, count: capture?.count ?? 0)
    let accumulateTargets = accumulateOnly.map { Set($0.map { ObjectIdentifier($0) }) }

    // Number every reachable node once; the walk then works on arrays indexed by that
    // number (no lookup per gradient).
    var graph = GraphNumbering(roots: rootEdges)
    let nodes = graph.nodes
    let rootNumbers = rootEdges.map { graph.number(of: $0.node)! }
    // Where to catch gradients for `gradients(of:wrt:)` (only it has any), by node number:
    // a leaf's accumulator, or a non-leaf's producing node at its output number. A tensor
    // the graph does not reach keeps no slot (its gradient stays nil).
    var captureAt: [Int: [(output: Int, index: Int)]] = [:]
    for (i, t) in (capture ?? []).enumerated() {
        guard let edge = t.gradientEdge(), let n = graph.number(of: edge.node) else { continue }
        captureAt[n, default: []].append((edge.inputNumber, i))
    }

    // Callbacks queued during this pass run after it (PyTorch's final callbacks); a nested
    // backward (from a hook) keeps its own list.
    let threadState = autogradThreadState()
    threadState.finalCallbacks.append([])
    defer { runFinalCallbacks(threadState) }

    // The gradients reaching each node's outputs, summed as they arrive.
    var buffers = [[Tensor?]?](repeating: nil, count: nodes.count)
    func deliver(_ g: Tensor, to target: Int, output: Int) {
        if buffers[target] == nil {
            buffers[target] = [Tensor?](repeating: nil, count: nodes[target].outputCount)
        }
        if var existing = buffers[target]![output] {
            buffers[target]![output] = nil
            // A sum no one else can see (a gradient the engine made, held only here, the
            // only view of its memory) takes the next gradient in place: no new tensor.
            if !createGraph && isKnownUniquelyReferenced(&existing) && isPrivateDense(existing, shapedLike: g) {
                buffers[target]![output] = Tensor.gradientAddInPlace(existing, g)
            } else {
                buffers[target]![output] = accumulate(existing, g)
            }
        } else {
            buffers[target]![output] = g
        }
    }

    withGradMode(createGraph) {
        for (k, (edge, g)) in zip(rootEdges, gradOutputs).enumerated() {
            deliver(g, to: rootNumbers[k], output: edge.inputNumber)
        }
        // Ready nodes run latest-created first, as PyTorch orders its ready queue.
        var queued = [Bool](repeating: false, count: nodes.count)
        var ready: [Int] = []
        for i in rootNumbers where graph.dependencies[i] == 0 && !queued[i] {
            queued[i] = true
            ready.append(i)
        }
        while !ready.isEmpty {
            let position = ready.indices.max { nodes[ready[$0]].sequenceNumber < nodes[ready[$1]].sequenceNumber }!
            let i = ready.remove(at: position)
            let node = nodes[i]
            var inputs = buffers[i] ?? [Tensor?](repeating: nil, count: node.outputCount)
            buffers[i] = nil

            for (output, hook) in node.preHooks {
                if let g = inputs[output], let replaced = hook(g) { inputs[output] = replaced }
            }
            if !captureAt.isEmpty {
                for (output, slot) in captureAt[i] ?? [] { captured[slot] = inputs[output] }
            }

            if node.isAccumulateGrad {
                if capture == nil, let leaf = node.variable, var g = inputs[0] {
                    inputs[0] = nil
                    for hook in leaf.autogradMeta?.leafHooks ?? [] { if let r = hook(g) { g = r } }
                    if accumulateTargets.map({ $0.contains(ObjectIdentifier(leaf)) }) ?? true {
                        let adoptable = !createGraph && isKnownUniquelyReferenced(&g) && isPrivateDense(g, shapedLike: leaf)
                        accumulateIntoLeaf(leaf, g, createGraph: createGraph, adoptable: adoptable)
                        for hook in leaf.autogradMeta?.postAccumulateHooks ?? [] { hook(leaf) }
                    }
                }
            } else if inputs.contains(where: { $0 != nil }) {
                guard let backward = node.backwardFunction else {
                    torchFatal("RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.")
                }
                // Under createGraph a saved output whose tensor is gone is rebuilt with this
                // node as its grad_fn (PyTorch's SavedVariable), so it must know the node.
                let outputs = createGraph ? Node.$running.withValue(RunningNode(node)) { backward(inputs) } : backward(inputs)
                if threadState.detectAnomaly { checkForNaN(outputs, of: node) }
                if !retainGraph { node.backwardFunction = nil }
                for (k, edge) in node.nextEdges.enumerated() {
                    if let edge, k < outputs.count, let g = outputs[k] {
                        deliver(g, to: graph.target(of: i, edge: k), output: edge.inputNumber)
                    }
                }
            }

            for k in 0..<node.nextEdges.count {
                let t = graph.target(of: i, edge: k)
                guard t >= 0 else { continue }
                graph.dependencies[t] -= 1
                if graph.dependencies[t] == 0 && !queued[t] {
                    queued[t] = true
                    ready.append(t)
                }
            }
        }
    }
    return captured
}

extension autograd {
    /// Queues `callback` to run once, on this thread, when the backward pass now running
    /// has processed every node (PyTorch's `Variable._execution_engine.queue_callback`).
    ///
    /// Hooks use it to finish work that must see the whole pass, e.g. distributed data
    /// parallel waiting for its last gradient all-reduce. Callbacks run in the order queued,
    /// in the caller's grad mode; one queued by a callback runs in the same round.
    /// Calling it outside a backward pass stops the program with PyTorch's message.
    public static func queueCallback(_ callback: @escaping () -> Void) {
        let state = autogradThreadState()
        guard !state.finalCallbacks.isEmpty else {
            torchFatal("RuntimeError: Final callbacks can only be installed during backward pass.")
        }
        state.finalCallbacks[state.finalCallbacks.count - 1].append(callback)
    }
}

/// Runs the final callbacks of the innermost backward pass, including those they queue,
/// then closes its list.
private func runFinalCallbacks(_ state: AutogradThreadState) {
    var next = 0
    while next < state.finalCallbacks[state.finalCallbacks.count - 1].count {
        let callback = state.finalCallbacks[state.finalCallbacks.count - 1][next]
        next += 1
        callback()
    }
    state.finalCallbacks.removeLast()
}

/// Adds a gradient into a leaf's `.grad`: the first one is copied (it may be shared with
/// another leaf or with the caller), later ones are added in place — or out of place when
/// recording, so the sum itself is differentiable.
private func accumulateIntoLeaf(_ leaf: Tensor, _ g: Tensor, createGraph: Bool, adoptable: Bool) {
    let m = leaf.meta
    if let existing = m.grad {
        m.grad = createGraph ? Tensor.gradientSum(existing, g) : Tensor.gradientAddInPlace(existing, g)
    } else {
        m.grad = createGraph || adoptable ? g : Tensor.gradientCopy(g)
    }
}

/// Whether `g` is a plain dense tensor with `other`'s shape and dtype that is the only view
/// of its storage (so writing into it changes nothing anyone else sees, once `g` itself is
/// known to be referenced only by the caller).
private func isPrivateDense(_ g: Tensor, shapedLike other: Tensor) -> Bool {
    g.autogradMeta == nil && g.offset == 0 && g.isContiguous && g.dtype == other.dtype && g.shape == other.shape
        && g.storage.viewers.load(ordering: .relaxed) == 1
        && g.storage.byteCount == g.numel * g.dtype.itemSize
}

/// The sum of two gradients reaching the same place.
private func accumulate(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.gradientSum(a, b)
}
