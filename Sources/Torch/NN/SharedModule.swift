/// A trained module shared by many tasks for inference: the weights read at once by
/// concurrent forward passes, each without gradients. SwiftTorch only: PyTorch has no counterpart
/// (Python threads share a module without a wrapper).
///
/// ``Module`` is not `Sendable`: a module holds mutable state (parameters an optimizer
/// updates, batch-norm running statistics, its training flag), and two tasks training one
/// module race. Inference is different: in eval mode and under ``noGrad(_:)`` a forward pass
/// only reads parameters and buffers and writes new tensors, so any number of tasks may run
/// it at once. `SharedModule` is the promise that this is how the module will be used: it
/// switches the module to eval mode, and its call runs the forward pass under `noGrad`.
///
/// ```swift
/// let shared = SharedModule(model)              // model: trained, not trained further
/// await withTaskGroup(of: Tensor.self) { group in
///     for batch in batches { group.addTask { shared(batch) } }
/// }
/// ```
///
/// Changing the module (its parameters, its mode, its hooks) while tasks still call it is a
/// data race; the wrapped module remains reachable as ``module`` for that reason only.
public struct SharedModule<M: Module>: @unchecked Sendable {
    /// The wrapped module, in eval mode.
    public let module: M

    /// Wraps `module`, switching it to eval mode and building its cached structure (read
    /// by every later call) once, before any task sees it.
    public init(_ module: M) {
        module.eval()
        _ = module.namedModules()
        self.module = module
    }

    /// The module's output for `input`, computed without recording gradients.
    public func callAsFunction(_ input: Tensor) -> Tensor { noGrad { module(input) } }
}
