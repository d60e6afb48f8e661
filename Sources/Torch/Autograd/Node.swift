import Synchronization

/// A node of the backward graph: PyTorch's `grad_fn` (`torch.autograd.graph.Node`).
///
/// A node knows the gradients it produces for its inputs from the gradients of its
/// outputs. It holds what it saved from the forward pass (inside `backwardFunction`)
/// and edges to the nodes of its inputs. It never holds its own outputs strongly: an op
/// that needs its result saves a detached alias (`SavedTensor.output(_:)`), so a graph
/// is freed as soon as its last tensor goes.
public final class Node: CustomStringConvertible {
    /// PyTorch's name for this node, e.g. `AddBackward0`, `AccumulateGrad`.
    public let name: String
    /// One edge per differentiable input (`nil` where the input needs no gradient).
    ///
    /// This, ``backwardFunction`` and `preHooks` skip Swift's run-time exclusivity check, as
    /// `AutogradMeta`'s fields do: the thread running a graph's backward or freeing it
    /// touches them alone, never across an overlapping write.
    @exclusivity(unchecked) public internal(set) var nextEdges: [Edge?]
    /// How many outputs the forward op produced (gradients arrive per output).
    let outputCount: Int
    /// Creation order: later nodes run first when several are ready, as in PyTorch.
    let sequenceNumber: Int
    /// Computes input gradients from output gradients; `nil` once released after backward.
    @exclusivity(unchecked) var backwardFunction: (([Tensor?]) -> [Tensor?])?
    /// For `AccumulateGrad`: the leaf whose `.grad` receives the gradient. Weak: the leaf
    /// owns its node; once the leaf is gone no one can read its `.grad`, so nothing is lost.
    weak var variable: Tensor?
    /// Whether this is an `AccumulateGrad` node (its leaf may be gone since).
    public let isAccumulateGrad: Bool
    /// Hooks run on the gradient of one output before the node runs (retainGrad, tensor hooks).
    @exclusivity(unchecked) var preHooks: [(output: Int, hook: (Tensor) -> Tensor?)] = []
    /// Shapes of the saved tensors, for `graphviz(of:)`.
    public internal(set) var savedShapes: [[Int]] = []

    init(name: String, nextEdges: [Edge?], outputCount: Int = 1, backward: @escaping ([Tensor?]) -> [Tensor?]) {
        self.name = name
        self.nextEdges = nextEdges
        self.outputCount = outputCount
        self.sequenceNumber = nextSequenceNumber()
        self.backwardFunction = backward
        self.variable = nil
        self.isAccumulateGrad = false
    }

    /// An `AccumulateGrad` node for a leaf.
    init(accumulatingInto leaf: Tensor) {
        self.name = "AccumulateGrad"
        self.nextEdges = []
        self.outputCount = 1
        self.sequenceNumber = Int.max
        self.backwardFunction = nil
        self.variable = leaf
        self.isAccumulateGrad = true
    }

    /// The nodes this node sends gradients to, as PyTorch's `next_functions`.
    public var nextFunctions: [(node: Node?, inputNumber: Int)] {
        nextEdges.map { ($0?.node, $0?.inputNumber ?? 0) }
    }

    deinit {
        // Freeing the last tensor of a long chain (10⁵ ops of an unrolled loop) would free
        // node after node, each inside the previous one's deinit, and overflow the stack.
        // As PyTorch's deleteNode, the nodes this one leads to are handed to one loop per
        // thread instead, which releases them one at a time; a deinit inside that loop only
        // hands its own on. The derivative's closure goes here too, after the edges: the
        // tensors it saved lead to nodes among those edges, which the list still holds.
        //
        // Edges that all lead to leaves' `AccumulateGrad` nodes (or nowhere) skip the list:
        // such a node has no edges, so releasing it here nests one level at most, and the
        // usual `a + b` on two leaves then frees its node without the thread-state lookup
        // (`pthread_getspecific`) and the list's appends and pops.
        guard nextEdges.contains(where: { $0.map { !$0.node.isAccumulateGrad } ?? false }) else { return }
        let state = autogradThreadState()
        for case let edge? in nextEdges { state.nodesToRelease.append(edge.node) }
        nextEdges = []
        backwardFunction = nil
        guard !state.releasingNodes else { return }
        state.releasingNodes = true
        while let node = state.nodesToRelease.popLast() { withExtendedLifetime(node) {} }
        state.releasingNodes = false
    }

    /// `<AddBackward0>`.
    public var description: String { "<\(name)>" }

    /// The node whose backward is running while a graph of the backward pass is recorded.
    @TaskLocal static var running: RunningNode?
}

/// The running node, boxed for a task-local value: it is read only by the thread running
/// that node's backward, so the box is never shared across threads.
final class RunningNode: @unchecked Sendable {
    unowned let node: Node
    init(_ node: Node) { self.node = node }
}

/// Where a gradient flows: input number `inputNumber` of `node`
/// (`torch.autograd.graph.GradientEdge`).
public struct Edge {
    /// The node receiving the gradient.
    public let node: Node
    /// Which of the node's outputs the gradient belongs to.
    public let inputNumber: Int
}

private let sequenceCounter = Atomic<Int>(0)

private func nextSequenceNumber() -> Int {
    sequenceCounter.add(1, ordering: .relaxed).newValue
}

/// A tensor saved for backward, with the version it had then, so that an in-place change
/// before backward is caught with PyTorch's message (PyTorch's C++
/// `torch::autograd::SavedVariable`).
public struct SavedTensor {
    let tensor: Tensor
    let version: Int
    /// For a saved output: the name of the node that saved it, named in the error (an
    /// input's node is read when the error happens: an in-place op changes it).
    let producer: String?
    /// For a saved output: the output itself, held weakly (holding it strongly would make
    /// the node own its output, a cycle). While it lives, higher-order gradients see it with
    /// its history.
    private let weakOutput: WeakTensor?
    /// For a saved output: which output of its node it is.
    private var outputNumber = 0

    /// Saves an input of an op.
    init(_ tensor: Tensor) {
        self.tensor = tensor
        self.version = tensor.storage.version
        self.producer = nil
        self.weakOutput = nil
    }

    /// Saves the op's own result as a detached alias, so the node does not own its output;
    /// `producer` is the name of the node being built.
    init(output tensor: Tensor, producer: String, outputNumber: Int = 0) {
        self.tensor = tensor.detach()
        self.version = tensor.storage.version
        self.producer = producer
        let record = WeakTensor(tensor)
        self.weakOutput = record
        self.outputNumber = outputNumber
        tensor.meta.savedAsOutput = record
    }

    /// The saved tensor, failing like PyTorch if it was modified in place since.
    func unpack() -> Tensor {
        // An in-place op's result lives on in the tensor it was written into: its version counts.
        let (storage, expected) = weakOutput?.writtenInto.map { ($0.storage, $0.version) } ?? (tensor.storage, version)
        if storage.version != expected {
            // PyTorch names the saved tensor's node: for an output the node that saved it,
            // for an input its history now (an in-place op on it gave it a new one).
            let node = weakOutput == nil ? tensor.gradFn?.name : producer
            let origin = node.map { "], which is output \(outputNumber) of \(modifiedTensorLabel($0))," } ?? "]"
            torchFatal("RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation: [\(tensor.type()) \(tensor.shape)\(origin) is at version \(storage.version); expected version \(expected) instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).")
        }
        if let weakOutput, isGradEnabled() {
            if let original = weakOutput.tensor, original.gradFn != nil { return original }
            // The output itself is gone, but its node is running: an alias of the saved
            // data with that node as its history keeps higher-order gradients exact.
            if let node = Node.running?.node, node.name == producer {
                let alias = tensor.detach()
                alias.meta.gradFn = node
                alias.meta.outputNumber = outputNumber
                return alias
            }
        }
        return tensor
    }
}

/// How PyTorch's modified-saved-tensor message names a node: without `Backward0`
/// (`ExpBackward0` → `Exp`), or without `Backward` when another number follows
/// (`FillBackward2` → `Fill2`).
func modifiedTensorLabel(_ nodeName: String) -> String {
    nodeName.hasSuffix("Backward0") ? String(nodeName.dropLast("Backward0".count)) : nodeName.replacing("Backward", with: "")
}

/// A weak reference to a tensor.
final class WeakTensor {
    weak var tensor: Tensor?
    /// For an in-place op's saved output: the storage its result was written into and that
    /// storage's version just after the write, which the saved output's check follows.
    var writtenInto: (storage: Storage, version: Int)?
    init(_ tensor: Tensor) { self.tensor = tensor }
}
