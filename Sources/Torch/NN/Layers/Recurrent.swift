/// The cell a recurrent layer repeats (the `mode` of `torch.nn.RNNBase`: `RNN_TANH`, `RNN_RELU`,
/// `LSTM`, `GRU`).
public enum RecurrentMode: Sendable {
    /// Elman RNN with tanh.
    case rnnTanh
    /// Elman RNN with ReLU.
    case rnnRelu
    /// Long short-term memory (gates i, f, g, o, in PyTorch's order).
    case lstm
    /// Gated recurrent unit (gates r, z, n, in PyTorch's order).
    case gru

    var gateCount: Int {
        switch self {
        case .rnnTanh, .rnnRelu: 1
        case .lstm: 4
        case .gru: 3
        }
    }
}

/// The shared machinery of ``RNN``, ``LSTM`` and ``GRU``: PyTorch's parameter names
/// (`weight_ih_l0`, `bias_hh_l1_reverse`, ...) and initialisation (every parameter from
/// U(±1/√hidden), in registration order), input layouts `(L, N, H)`, `(N, L, H)` with
/// `batchFirst`, and unbatched `(L, H)` (`torch.nn.RNNBase`).
public class RecurrentLayer: Module {
    /// The cell.
    public let mode: RecurrentMode
    /// Features per input step.
    public let inputSize: Int
    /// Features of the hidden state.
    public let hiddenSize: Int
    /// Stacked layers.
    public let numLayers: Int
    /// Whether the layers have biases.
    public let hasBias: Bool
    /// Whether inputs are `(N, L, H)`.
    public let batchFirst: Bool
    /// Dropout between stacked layers, in training mode.
    public let dropoutProbability: Double
    /// Whether each layer also runs backwards in time.
    public let bidirectional: Bool
    private let cells: [(name: String, slot: TensorSlot)]

    init(mode: RecurrentMode, inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool,
         batchFirst: Bool, dropout: Double, bidirectional: Bool, dtype: DType) {
        self.mode = mode
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.hasBias = bias
        self.batchFirst = batchFirst
        self.dropoutProbability = dropout
        self.bidirectional = bidirectional
        let gates = mode.gateCount * hiddenSize
        var cells: [(name: String, slot: TensorSlot)] = []
        for layer in 0..<numLayers {
            for direction in 0..<(bidirectional ? 2 : 1) {
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                let layerInput = layer == 0 ? inputSize : hiddenSize * (bidirectional ? 2 : 1)
                cells.append(("weight_ih" + suffix, .parameter(Tensor.empty([gates, layerInput], dtype: dtype))))
                cells.append(("weight_hh" + suffix, .parameter(Tensor.empty([gates, hiddenSize], dtype: dtype))))
                if bias {
                    cells.append(("bias_ih" + suffix, .parameter(Tensor.empty([gates], dtype: dtype))))
                    cells.append(("bias_hh" + suffix, .parameter(Tensor.empty([gates], dtype: dtype))))
                }
            }
        }
        let bound = 1 / Double(hiddenSize).squareRoot()
        for (_, slot) in cells { uniform_(slot.tensor!, a: -bound, b: bound) }
        self.cells = cells
        super.init()
    }

    /// The per-layer weights, named as in PyTorch.
    public override var dynamicParameters: [(name: String, slot: TensorSlot)] { cells }

    /// The parameter called `name` (`"weight_ih_l0"`), as PyTorch's attribute access.
    public func parameter(_ name: String) -> Tensor? { cells.first { $0.name == name }?.slot.tensor }

    /// Runs every layer and direction; `state` holds `h` (and `c` for LSTM) shaped
    /// `(layers·directions, N, hidden)`, zeros when absent.
    func run(_ input: Tensor, h0: Tensor?, c0: Tensor?) -> (output: Tensor, h: Tensor, c: Tensor?) {
        let unbatched = input.dim == 2
        guard input.dim == 3 || unbatched else {
            torchFatal("ValueError: \(typeName): Expected input to be 2D or 3D, got \(input.dim)D instead")
        }
        var x = unbatched ? input.unsqueeze(1) : (batchFirst ? input.transpose(0, 1) : input)
        guard x.shape[2] == inputSize else {
            torchFatal("RuntimeError: input.size(-1) must be equal to input_size. Expected \(inputSize), got \(x.shape[2])")
        }
        let directions = bidirectional ? 2 : 1
        let batch = x.shape[1]
        let stateShape = [numLayers * directions, batch, hiddenSize]
        let h0 = h0.map { unbatched ? $0.unsqueeze(1) : $0 } ?? Tensor.zeros(stateShape, dtype: x.dtype)
        let c0 = mode == .lstm ? (c0.map { unbatched ? $0.unsqueeze(1) : $0 } ?? Tensor.zeros(stateShape, dtype: x.dtype)) : nil
        checkHiddenShape(h0, stateShape)
        if let c0 { checkHiddenShape(c0, stateShape, cell: true) }
        var hs: [Tensor] = [], cs: [Tensor] = []
        for layer in 0..<numLayers {
            if layer > 0, dropoutProbability > 0, isTraining {
                let keep = Tensor.emptyLike(x).bernoulli_(p: 1 - dropoutProbability)
                x = x * keep / (1 - dropoutProbability)
            }
            var outputs: [Tensor] = []
            for direction in 0..<directions {
                let index = layer * directions + direction
                let base = index * (hasBias ? 4 : 2)
                let (out, h, c) = runDirection(
                    x, reverse: direction == 1,
                    wIH: cells[base].slot.tensor!, wHH: cells[base + 1].slot.tensor!,
                    bIH: hasBias ? cells[base + 2].slot.tensor : nil, bHH: hasBias ? cells[base + 3].slot.tensor : nil,
                    h0: h0.select(0, index), c0: c0?.select(0, index))
                outputs.append(out)
                hs.append(h)
                if let c { cs.append(c) }
            }
            x = directions == 1 ? outputs[0] : cat(outputs, dim: 2)
        }
        var output = batchFirst && !unbatched ? x.transpose(0, 1) : x
        var h = stack(hs)
        var c = cs.isEmpty ? nil : stack(cs)
        if unbatched {
            output = output.squeeze(1)
            h = h.squeeze(1)
            c = c?.squeeze(1)
        }
        return (output, h, c)
    }

    /// PyTorch's `check_hidden_size` message: the expected shape as a tuple, the given one
    /// as a list.
    private func checkHiddenShape(_ state: Tensor, _ expected: [Int], cell: Bool = false) {
        guard state.shape != expected else { return }
        let want = "(" + expected.map(String.init).joined(separator: ", ") + ")"
        torchFatal("RuntimeError: Expected hidden\(cell ? "[1]" : "") size \(want), got [\(state.shape.map(String.init).joined(separator: ", "))]")
    }

    /// Runs a packed batch: each sequence only for its own length, so its final state is the
    /// one after its last real step (PyTorch's packed RNN). `h0`/`c0` are in the caller's
    /// batch order and are permuted to the sorted order and back, as PyTorch's
    /// `permute_hidden` does.
    func runPacked(_ input: PackedSequence, h0: Tensor?, c0: Tensor?) -> (output: PackedSequence, h: Tensor, c: Tensor?) {
        var x = input.data
        guard x.dim == 2 else {
            torchFatal("RuntimeError: packed input must be 2-D (steps·batch, features), got \(x.dim)-D data")
        }
        guard x.shape[1] == inputSize else {
            torchFatal("RuntimeError: input.size(-1) must be equal to input_size. Expected \(inputSize), got \(x.shape[1])")
        }
        let steps = input.steps
        let directions = bidirectional ? 2 : 1
        let batch = steps.first ?? 0
        let stateShape = [numLayers * directions, batch, hiddenSize]
        func sorted(_ t: Tensor) -> Tensor { input.sortedIndices.map { t.indexSelect(1, $0) } ?? t }
        let h0 = h0.map(sorted) ?? Tensor.zeros(stateShape, dtype: x.dtype)
        let c0 = mode == .lstm ? (c0.map(sorted) ?? Tensor.zeros(stateShape, dtype: x.dtype)) : nil
        checkHiddenShape(h0, stateShape)
        if let c0 { checkHiddenShape(c0, stateShape, cell: true) }
        var hs: [Tensor] = [], cs: [Tensor] = []
        for layer in 0..<numLayers {
            if layer > 0, dropoutProbability > 0, isTraining {
                let keep = Tensor.emptyLike(x).bernoulli_(p: 1 - dropoutProbability)
                x = x * keep / (1 - dropoutProbability)
            }
            var outputs: [Tensor] = []
            for direction in 0..<directions {
                let index = layer * directions + direction
                let base = index * (hasBias ? 4 : 2)
                let (out, h, c) = runPackedDirection(
                    x, steps: steps, reverse: direction == 1,
                    wIH: cells[base].slot.tensor!, wHH: cells[base + 1].slot.tensor!,
                    bIH: hasBias ? cells[base + 2].slot.tensor : nil, bHH: hasBias ? cells[base + 3].slot.tensor : nil,
                    h0: h0.select(0, index), c0: c0?.select(0, index))
                outputs.append(out)
                hs.append(h)
                if let c { cs.append(c) }
            }
            x = directions == 1 ? outputs[0] : cat(outputs, dim: 1)
        }
        func unsorted(_ t: Tensor) -> Tensor { input.unsortedIndices.map { t.indexSelect(1, $0) } ?? t }
        return (input.withData(x), unsorted(stack(hs)), cs.isEmpty ? nil : unsorted(stack(cs)))
    }

    /// One direction over packed data: at step `t` only the first `steps[t]` rows of the
    /// state advance. Forwards, rows that stop running keep their state (it is their final
    /// one); backwards, a sequence joins at its last step from its own `h0` row.
    private func runPackedDirection(_ x: Tensor, steps: [Int], reverse: Bool, wIH: Tensor, wHH: Tensor, bIH: Tensor?,
                                    bHH: Tensor?, h0: Tensor, c0: Tensor?) -> (Tensor, Tensor, Tensor?) {
        // One node for every step's rows (`split`, as `unbind` in the padded case).
        let stepInputs = linear(x, wIH, bIH).split(steps, dim: 0)
        var outputs = [Tensor?](repeating: nil, count: steps.count)
        var h: Tensor, c: Tensor?
        var finishedH: [Tensor] = [], finishedC: [Tensor] = []
        if reverse {
            let last = steps.last ?? 0
            h = h0.narrow(0, 0, last)
            c = c0?.narrow(0, 0, last)
        } else {
            h = h0
            c = c0
        }
        for step in 0..<steps.count {
            let t = reverse ? steps.count - 1 - step : step
            let running = steps[t], current = h.shape[0]
            if running < current {
                finishedH.append(h.narrow(0, running, current - running))
                h = h.narrow(0, 0, running)
                if let cc = c {
                    finishedC.append(cc.narrow(0, running, current - running))
                    c = cc.narrow(0, 0, running)
                }
            } else if running > current {
                h = cat([h, h0.narrow(0, current, running - current)], dim: 0)
                if let cc = c, let c0 { c = cat([cc, c0.narrow(0, current, running - current)], dim: 0) }
            }
            (h, c) = cellStep(stepInputs[t], h: h, c: c, wHH: wHH, bHH: bHH)
            outputs[t] = h
        }
        // Rows finished earlier hold the later batch positions: the last to finish come first.
        let finalH = finishedH.isEmpty ? h : cat([h] + finishedH.reversed(), dim: 0)
        let finalC = c.map { finishedC.isEmpty ? $0 : cat([$0] + finishedC.reversed(), dim: 0) }
        return (cat(outputs.map { $0! }, dim: 0), finalH, finalC)
    }

    /// One step of the cell from the input gates already projected.
    private func cellStep(_ xGates: Tensor, h: Tensor, c: Tensor?, wHH: Tensor, bHH: Tensor?) -> (Tensor, Tensor?) {
        let hGates = linear(h, wHH, bHH)
        switch mode {
        case .rnnTanh: return (tanh(xGates + hGates), nil)
        case .rnnRelu: return (relu(xGates + hGates), nil)
        case .lstm:
            let g = (xGates + hGates).chunk(4, dim: 1)
            let cNext = sigmoid(g[1]) * c! + sigmoid(g[0]) * tanh(g[2])
            return (sigmoid(g[3]) * tanh(cNext), cNext)
        case .gru:
            let xg = xGates.chunk(3, dim: 1), hg = hGates.chunk(3, dim: 1)
            let r = sigmoid(xg[0] + hg[0])
            let z = sigmoid(xg[1] + hg[1])
            let n = tanh(xg[2] + r * hg[2])
            return ((1 - z) * n + z * h, nil)
        }
    }

    private func runDirection(_ x: Tensor, reverse: Bool, wIH: Tensor, wHH: Tensor, bIH: Tensor?, bHH: Tensor?,
                              h0: Tensor, c0: Tensor?) -> (Tensor, Tensor, Tensor?) {
        let steps = x.shape[0], batch = x.shape[1]
        // One GEMM for every step's input projection; only the hidden path is sequential.
        let projected = linear(x.reshape([steps * batch, x.shape[2]]), wIH, bIH).reshape([steps, batch, -1])
        // One node for every step's slice (`unbind`): its backward stacks the steps'
        // gradients once, where a `select` per step zeroed and added a whole-sequence gradient
        // each step.
        let stepInputs = projected.unbind(0)
        var h = h0, c = c0
        var outputs = [Tensor](repeating: h0, count: steps)
        for step in 0..<steps {
            let t = reverse ? steps - 1 - step : step
            (h, c) = cellStep(stepInputs[t], h: h, c: c, wHH: wHH, bHH: bHH)
            outputs[t] = h
        }
        _ = batch
        return (stack(outputs), h, c)
    }

    /// `input_size, hidden_size` and the settings that differ from PyTorch's defaults.
    public override var extraRepresentation: String {
        var parts = ["\(inputSize)", "\(hiddenSize)"]
        if numLayers != 1 { parts.append("num_layers=\(numLayers)") }
        if mode == .rnnRelu { parts.append("nonlinearity='relu'") }
        if !hasBias { parts.append("bias=False") }
        if batchFirst { parts.append("batch_first=True") }
        if dropoutProbability != 0 { parts.append("dropout=\(formatPythonFloat(dropoutProbability))") }
        if bidirectional { parts.append("bidirectional=True") }
        return parts.joined(separator: ", ")
    }
}

/// `nn.RNN`: hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh) (or ReLU) (`torch.nn.RNN`).
public final class RNN: RecurrentLayer {
    /// Creates the layer with PyTorch's arguments; `nonlinearity` is `"tanh"` or `"relu"`.
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: String = "tanh",
                bias: Bool = true, batchFirst: Bool = false, dropout: some ScalarConvertible = 0,
                bidirectional: Bool = false, dtype: DType = .float32) {
        let dropout = dropout.scalarValue.doubleValue
        guard nonlinearity == "tanh" || nonlinearity == "relu" else {
            torchFatal("ValueError: Unknown nonlinearity '\(nonlinearity)'. Select from 'tanh' or 'relu'.")
        }
        super.init(mode: nonlinearity == "tanh" ? .rnnTanh : .rnnRelu, inputSize: inputSize, hiddenSize: hiddenSize,
                   numLayers: numLayers, bias: bias, batchFirst: batchFirst, dropout: dropout,
                   bidirectional: bidirectional, dtype: dtype)
    }

    /// Runs the sequence from `h0` (zeros when omitted); returns every step's output and the
    /// final hidden state: `let (output, h) = rnn(x)`. (`let y = rnn(x)` with nothing to
    /// destructure is `Module`'s call, which gives the output alone.)
    public func callAsFunction(_ input: Tensor, _ h0: Tensor? = nil) -> (output: Tensor, hidden: Tensor) {
        let r = run(runForwardPreHooks(input), h0: h0, c0: nil)
        return (r.output, r.h)
    }

    /// Runs a packed batch from `h0` (`(layers·directions, N, hidden)` in the batch's original
    /// order, zeros when omitted); returns the packed output and each sequence's hidden
    /// state after its own last step, in the original order.
    public func callAsFunction(_ input: PackedSequence, _ h0: Tensor? = nil) -> (output: PackedSequence, hidden: Tensor) {
        let r = runPacked(runForwardPreHooks(input), h0: h0, c0: nil)
        return (r.output, r.h)
    }

    /// The output sequence (for use inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, h0: nil, c0: nil).output }
}

/// `nn.GRU` (`torch.nn.GRU`).
public final class GRU: RecurrentLayer {
    /// Creates the layer with PyTorch's arguments.
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: some ScalarConvertible = 0, bidirectional: Bool = false, dtype: DType = .float32) {
        let dropout = dropout.scalarValue.doubleValue
        super.init(mode: .gru, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, dtype: dtype)
    }

    /// Runs the sequence from `h0` (zeros when omitted); returns every step's output and the
    /// final hidden state: `let (output, h) = rnn(x)`. (`let y = rnn(x)` with nothing to
    /// destructure is `Module`'s call, which gives the output alone.)
    public func callAsFunction(_ input: Tensor, _ h0: Tensor? = nil) -> (output: Tensor, hidden: Tensor) {
        let r = run(runForwardPreHooks(input), h0: h0, c0: nil)
        return (r.output, r.h)
    }

    /// Runs a packed batch from `h0` (`(layers·directions, N, hidden)` in the batch's original
    /// order, zeros when omitted); returns the packed output and each sequence's hidden
    /// state after its own last step, in the original order.
    public func callAsFunction(_ input: PackedSequence, _ h0: Tensor? = nil) -> (output: PackedSequence, hidden: Tensor) {
        let r = runPacked(runForwardPreHooks(input), h0: h0, c0: nil)
        return (r.output, r.h)
    }

    /// The output sequence (for use inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, h0: nil, c0: nil).output }
}

/// `nn.LSTM` (`torch.nn.LSTM`).
public final class LSTM: RecurrentLayer {
    /// Creates the layer with PyTorch's arguments.
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: some ScalarConvertible = 0, bidirectional: Bool = false, dtype: DType = .float32) {
        let dropout = dropout.scalarValue.doubleValue
        super.init(mode: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, dtype: dtype)
    }

    /// Runs the sequence from `state` (`(h0, c0)`, zeros when omitted or `nil`); returns
    /// every step's output and the final `(h, c)`: `let (output, (h, c)) = lstm(x)`.
    /// (`let y = lstm(x)` with nothing to destructure is `Module`'s call, which gives the
    /// output alone.)
    public func callAsFunction(_ input: Tensor, _ state: (h: Tensor, c: Tensor)? = nil) -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        let r = run(runForwardPreHooks(input), h0: state?.h, c0: state?.c)
        return (r.output, (r.h, r.c!))
    }

    /// Runs a packed batch from `state` (`(h0, c0)` in the batch's original order, zeros when
    /// omitted); returns the packed output and each sequence's `(h, c)` after its own last
    /// step, in the original order.
    public func callAsFunction(_ input: PackedSequence, _ state: (h: Tensor, c: Tensor)? = nil)
        -> (output: PackedSequence, state: (h: Tensor, c: Tensor)) {
        let r = runPacked(runForwardPreHooks(input), h0: state?.h, c0: state?.c)
        return (r.output, (r.h, r.c!))
    }

    /// The output sequence (for use inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, h0: nil, c0: nil).output }
}

extension RNN {
    /// `nn.RNN(input_size=28, hidden_size=64, batch_first=True)`: the sizes by label.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: String = "tanh",
                            bias: Bool = true, batchFirst: Bool = false, dropout: some ScalarConvertible = 0,
                            bidirectional: Bool = false, dtype: DType = .float32) {
        self.init(inputSize, hiddenSize, numLayers: numLayers, nonlinearity: nonlinearity, bias: bias,
                  batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, dtype: dtype)
    }
}

extension GRU {
    /// `nn.GRU(input_size=28, hidden_size=64, batch_first=True)`: the sizes by label.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true,
                            batchFirst: Bool = false, dropout: some ScalarConvertible = 0,
                            bidirectional: Bool = false, dtype: DType = .float32) {
        self.init(inputSize, hiddenSize, numLayers: numLayers, bias: bias, batchFirst: batchFirst,
                  dropout: dropout, bidirectional: bidirectional, dtype: dtype)
    }
}

extension LSTM {
    /// `nn.LSTM(input_size=28, hidden_size=64, batch_first=True)`: the sizes by label.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true,
                            batchFirst: Bool = false, dropout: some ScalarConvertible = 0,
                            bidirectional: Bool = false, dtype: DType = .float32) {
        self.init(inputSize, hiddenSize, numLayers: numLayers, bias: bias, batchFirst: batchFirst,
                  dropout: dropout, bidirectional: bidirectional, dtype: dtype)
    }
}
