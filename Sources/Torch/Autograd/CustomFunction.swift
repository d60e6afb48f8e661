/// Custom differentiable functions, PyTorch's `torch.autograd.Function`: a type gives the
/// forward computation and its derivative, and `apply` puts one node for it on the tape.
///
/// ```swift
/// /// A clamp whose gradient passes straight through (a straight-through estimator).
/// struct StraightThroughClamp: Function {
///     func forward(_ ctx: FunctionContext, _ inputs: [Tensor]) -> [Tensor] {
///         [clamp(inputs[0], min: -1.0, max: 1.0)]
///     }
///     func backward(_ ctx: FunctionContext, _ gradOutputs: [Tensor?]) -> [Tensor?] {
///         [gradOutputs[0]]
///     }
/// }
/// let y = StraightThroughClamp().apply(x)
/// ```
///
/// `forward` runs with grad mode off, as in PyTorch; its results get a node named after the
/// type (`StraightThroughClampBackward`). `backward` gets one gradient per output (`nil`
/// where none flowed) and returns one per input (`nil` for none). Functions are
/// once-differentiable by default, like `@once_differentiable`: differentiating the backward
/// fails with PyTorch's message. Set ``Function/isDifferentiableTwice`` to `true` when
/// `backward` is written with differentiable tensor ops.
public protocol Function {
    /// Computes the outputs; may save tensors and flags in `ctx` for the backward pass.
    func forward(_ ctx: FunctionContext, _ inputs: [Tensor]) -> [Tensor]
    /// The gradients of the inputs from the gradients of the outputs.
    func backward(_ ctx: FunctionContext, _ gradOutputs: [Tensor?]) -> [Tensor?]
    /// Whether `backward` may itself be differentiated (`createGraph: true`); `false` by
    /// default, as PyTorch's `@once_differentiable`.
    var isDifferentiableTwice: Bool { get }
}

extension Function {
    /// `false`: the backward pass is not recorded.
    public var isDifferentiableTwice: Bool { false }

    /// Runs the function on `inputs` and records it (`MyFunction.apply(x, y)`); returns
    /// every output.
    public func applyAll(_ inputs: [Tensor]) -> [Tensor] {
        let ctx = FunctionContext(needsInputGrad: inputs.map { $0.requiresGrad && isGradEnabled() })
        let rawOutputs = noGrad { forward(ctx, inputs) }
        let recording = isGradEnabled() && inputs.contains { $0.requiresGrad }
        guard recording else {
            ctx.freeze(outputs: rawOutputs, producer: "")
            return rawOutputs
        }
        let name = "\(type(of: self))Backward"
        // An input handed back unchanged becomes a new alias, so recording the output does
        // not replace the input's history; one marked dirty takes the new history itself.
        let outputs = rawOutputs.map { out in
            inputs.contains { $0 === out } && !ctx.dirty.contains { $0 === out } ? out.detach() : out
        }
        ctx.freeze(outputs: outputs, producer: name)
        let differentiable = outputs.filter { out in
            out.dtype.isFloatingPoint && !ctx.nonDifferentiable.contains { $0 === out }
        }
        let twice = isDifferentiableTwice
        let inputCount = inputs.count, outputCount = outputs.count
        let positions = differentiable.map { out in outputs.firstIndex { $0 === out }! }
        // The marks name outputs; kept in the context the backward closure holds, they would
        // make a cycle output → node → closure → context → output.
        ctx.forgetMarks()
        let function = self
        // The closure captures counts and positions, never `outputs` (same cycle).
        record(name, inputs: inputs, outputs: differentiable) { grads in
            var gradOutputs = [Tensor?](repeating: nil, count: outputCount)
            for (k, p) in positions.enumerated() { gradOutputs[p] = grads[k] }
            let result: [Tensor?]
            if twice || !isGradEnabled() {
                result = function.backward(ctx, gradOutputs)
            } else {
                // Once differentiable: the gradients are constants whose own derivative fails.
                let sources = grads.compactMap { $0 }.filter(\.requiresGrad)
                result = noGrad { function.backward(ctx, gradOutputs) }.map { g in
                    guard let g, !sources.isEmpty else { return g }
                    let alias = g.detach()
                    record("\(name)Backward", inputs: sources, outputs: [alias]) { _ in
                        torchFatal("RuntimeError: trying to differentiate twice a function that was marked with @once_differentiable")
                    }
                    return alias
                }
            }
            guard result.count == inputCount else {
                torchFatal("RuntimeError: function \(name) returned an incorrect number of gradients (expected \(inputCount), got \(result.count))")
            }
            return result
        }
        return outputs
    }

    /// Runs a one-output function on `inputs` and records it (`MyFunction().apply(x)`).
    public func apply(_ inputs: Tensor...) -> Tensor {
        applyAll(inputs)[0]
    }
}

/// What a custom ``Function`` keeps between forward and backward: PyTorch's `ctx`
/// (`torch.autograd.function.FunctionCtx`).
public final class FunctionContext {
    /// For each input, whether its gradient is needed (`ctx.needs_input_grad`).
    public let needsInputGrad: [Bool]
    /// Anything else the backward needs (sizes, flags, numbers), by name.
    public var values: [String: Scalar] = [:]
    private var pending: [Tensor] = []
    private var saved: [SavedTensor] = []
    fileprivate var dirty: [Tensor] = []
    fileprivate var nonDifferentiable: [Tensor] = []

    init(needsInputGrad: [Bool]) { self.needsInputGrad = needsInputGrad }

    /// Keeps tensors for backward (`ctx.save_for_backward`); a saved tensor changed in place
    /// before backward makes ``savedTensors`` fail with PyTorch's message.
    public func saveForBackward(_ tensors: Tensor...) { pending.append(contentsOf: tensors) }

    /// The tensors saved in forward (`ctx.saved_tensors`).
    public var savedTensors: [Tensor] { saved.map { $0.unpack() } }

    /// Declares inputs that forward changed in place (`ctx.mark_dirty`).
    public func markDirty(_ tensors: Tensor...) { dirty.append(contentsOf: tensors) }

    /// Declares outputs that have no gradient, such as indices (`ctx.mark_non_differentiable`).
    public func markNonDifferentiable(_ tensors: Tensor...) { nonDifferentiable.append(contentsOf: tensors) }

    /// Turns the tensors saved during forward into saved tensors with versions; outputs
    /// are saved without the node owning them (no cycle through the graph).
    /// Drops the dirty and non-differentiable marks once `applyAll` has read them.
    fileprivate func forgetMarks() {
        dirty = []
        nonDifferentiable = []
    }

    fileprivate func freeze(outputs: [Tensor], producer: String) {
        saved = pending.map { t in
            if let k = outputs.firstIndex(where: { $0 === t }) { return SavedTensor(output: t, producer: producer, outputNumber: k) }
            return SavedTensor(t)
        }
        pending = []
    }
}
