/// The state a recurrent layer carries between calls, whichever the layer: one hidden tensor
/// for ``RNN`` and ``GRU``, the `(h, c)` pair for ``LSTM``. SwiftTorch only: PyTorch has no
/// counterpart (it passes `h` or an `(h, c)` tuple). Code written against
/// ``RecurrentLayer`` with this state runs any of the three (PyTorch's word-language-model
/// example switches between them with a flag):
///
/// ```swift
/// let rnn: RecurrentLayer = useLSTM ? LSTM(200, 200, numLayers: 2) : GRU(200, 200, numLayers: 2)
/// var hidden = rnn.zeroState(batchSize: 20)
/// for (x, y) in batches {
///     hidden = hidden.detach()           // repackage_hidden
///     let (output, next) = rnn(x, state: hidden)
///     hidden = next
/// }
/// ```
public enum RecurrentState {
    /// The hidden state of an RNN or GRU, `(layers·directions, N, hidden)`.
    case hidden(Tensor)
    /// An LSTM's hidden and cell states, each `(layers·directions, N, hidden)`.
    case lstm(h: Tensor, c: Tensor)

    /// The hidden state (an LSTM's `h`).
    public var h: Tensor {
        switch self {
        case .hidden(let h), .lstm(let h, _): h
        }
    }

    /// An LSTM's cell state, `nil` for the others.
    public var c: Tensor? {
        if case .lstm(_, let c) = self { return c }
        return nil
    }

    /// The same state cut from the graph that produced it (the examples' `repackage_hidden`),
    /// so backpropagation stops at the start of the next batch.
    public func detach() -> RecurrentState {
        switch self {
        case .hidden(let h): .hidden(h.detach())
        case .lstm(let h, let c): .lstm(h: h.detach(), c: c.detach())
        }
    }
}

extension RecurrentLayer {
    /// Runs the sequence from `state` (zeros when `nil`) and returns every step's output and
    /// the final state, for code generic over ``RNN``, ``GRU`` and ``LSTM``.
    public func callAsFunction(_ input: Tensor, state: RecurrentState?) -> (output: Tensor, state: RecurrentState) {
        checkStateKind(state)
        let r = run(runForwardPreHooks(input), h0: state?.h, c0: state?.c)
        if let c = r.c { return (r.output, .lstm(h: r.h, c: c)) }
        return (r.output, .hidden(r.h))
    }

    /// Runs a packed batch from `state` (zeros when `nil`), for code generic over ``RNN``,
    /// ``GRU`` and ``LSTM``: the packed output and each sequence's state after its own last
    /// step, in the batch's original order.
    public func callAsFunction(_ input: PackedSequence, state: RecurrentState?) -> (output: PackedSequence, state: RecurrentState) {
        checkStateKind(state)
        let r = runPacked(runForwardPreHooks(input), h0: state?.h, c0: state?.c)
        if let c = r.c { return (r.output, .lstm(h: r.h, c: c)) }
        return (r.output, .hidden(r.h))
    }

    private func checkStateKind(_ state: RecurrentState?) {
        if state?.c != nil && mode != .lstm {
            torchFatal("RuntimeError: \(typeName) takes one hidden state, but an LSTM (h, c) state was given")
        }
        if mode == .lstm, let state, state.c == nil {
            torchFatal("RuntimeError: LSTM takes an (h, c) state, but a single hidden tensor was given")
        }
    }

    /// A zero state for batches of `batchSize` (`(layers·directions, N, hidden)` zeros, a
    /// pair for an LSTM) in the dtype of the layer's weights, as the examples' `init_hidden`.
    public func zeroState(batchSize: Int) -> RecurrentState {
        let shape = [numLayers * (bidirectional ? 2 : 1), batchSize, hiddenSize]
        let dtype = parameters().first?.dtype ?? .float32
        if mode == .lstm { return .lstm(h: Tensor.zeros(shape, dtype: dtype), c: Tensor.zeros(shape, dtype: dtype)) }
        return .hidden(Tensor.zeros(shape, dtype: dtype))
    }
}
