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
    public internal(set) var nextEdges: [Edge?]
    /// How many outputs the forward op produced (gradients arrive per output).
    let outputCount: Int
    /// Creation order: later nodes run first when several are ready, as in PyTorch.
    let sequenceNumber: Int
    /// Computes input gradients from output gradients; `nil` once released after backward.
    var backwardFunction: (([Tensor?]) -> [Tensor?])?
    /// For `AccumulateGrad`: the leaf whose `.grad` receives the gradient.
    let variable: Tensor?
    /// Hooks run on the gradient of one output before the node runs (retainGrad, tensor hooks).
    var preHooks: [(output: Int, hook: (Tensor) -> Tensor?)] = []
    /// Shapes of the saved tensors, for `graphviz(of:)`.
    public internal(set) var savedShapes: [[Int]] = []

    init(name: String, nextEdges: [Edge?], outputCount: Int = 1, backward: @escaping ([Tensor?]) -> [Tensor?]) {
        self.name = name
        self.nextEdges = nextEdges
        self.outputCount = outputCount
        self.sequenceNumber = nextSequenceNumber()
        self.backwardFunction = backward
        self.variable = nil
    }

    /// An `AccumulateGrad` node for a leaf.
    init(accumulatingInto leaf: Tensor) {
        self.name = "AccumulateGrad"
        self.nextEdges = []
        self.outputCount = 1
        self.sequenceNumber = Int.max
        self.backwardFunction = nil
        self.variable = leaf
    }

    /// `true` for the node that writes a leaf's `.grad`.
    public var isAccumulateGrad: Bool { variable != nil }

    /// The nodes this node sends gradients to, as PyTorch's `next_functions`.
    public var nextFunctions: [(node: Node?, inputNumber: Int)] {
        nextEdges.map { ($0?.node, $0?.inputNumber ?? 0) }
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
    /// The node that produced the saved tensor (`nil` for a leaf), named in the error.
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
        self.producer = tensor.gradFn?.name
        self.weakOutput = nil
    }

    /// Saves the op's own result as a detached alias, so the node does not own its output;
    /// `producer` is the name of the node being built.
    init(output tensor: Tensor, producer: String, outputNumber: Int = 0) {
        self.tensor = tensor.detach()
        self.version = tensor.storage.version
        self.producer = producer
        self.weakOutput = WeakTensor(tensor)
        self.outputNumber = outputNumber
    }

    /// The saved tensor, failing like PyTorch if it was modified in place since.
    func unpack() -> Tensor {
        if tensor.storage.version != version {
            let origin = producer.map { "], which is output 0 of \($0)," } ?? "]"
            torchFatal("RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation: [\(tensor.type()) \(tensor.shape)\(origin) is at version \(tensor.storage.version); expected version \(version) instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).")
        }
        if isGradEnabled(), let weakOutput {
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

/// A weak reference to a tensor.
final class WeakTensor {
    weak var tensor: Tensor?
    init(_ tensor: Tensor) { self.tensor = tensor }
}
