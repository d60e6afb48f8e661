/// The cell a recurrent layer repeats.
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
/// `batchFirst`, and unbatched `(L, H)`.
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
        guard h0.shape == stateShape else {
            torchFatal("RuntimeError: Expected hidden size \(Size(stateShape)), got \(Size(h0.shape))")
        }
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

    private func runDirection(_ x: Tensor, reverse: Bool, wIH: Tensor, wHH: Tensor, bIH: Tensor?, bHH: Tensor?,
                              h0: Tensor, c0: Tensor?) -> (Tensor, Tensor, Tensor?) {
        let steps = x.shape[0], batch = x.shape[1]
        // One GEMM for every step's input projection; only the hidden path is sequential.
        let projected = linear(x.reshape([steps * batch, x.shape[2]]), wIH, bIH).reshape([steps, batch, -1])
        var h = h0, c = c0
        var outputs = [Tensor](repeating: h0, count: steps)
        for step in 0..<steps {
            let t = reverse ? steps - 1 - step : step
            let xGates = projected.select(0, t)
            let hGates = linear(h, wHH, bHH)
            switch mode {
            case .rnnTanh: h = tanh(xGates + hGates)
            case .rnnRelu: h = relu(xGates + hGates)
            case .lstm:
                let g = (xGates + hGates).chunk(4, dim: 1)
                let cNext = sigmoid(g[1]) * c! + sigmoid(g[0]) * tanh(g[2])
                h = sigmoid(g[3]) * tanh(cNext)
                c = cNext
            case .gru:
                let xg = xGates.chunk(3, dim: 1), hg = hGates.chunk(3, dim: 1)
                let r = sigmoid(xg[0] + hg[0])
                let z = sigmoid(xg[1] + hg[1])
                let n = tanh(xg[2] + r * hg[2])
                h = (1 - z) * n + z * h
            }
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

/// `nn.RNN`: hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh) (or ReLU).
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
        let r = run(input, h0: h0, c0: nil)
        return (r.output, r.h)
    }

    /// The output sequence (for use inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, h0: nil, c0: nil).output }
}

/// `nn.GRU`.
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
        let r = run(input, h0: h0, c0: nil)
        return (r.output, r.h)
    }

    /// The output sequence (for use inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, h0: nil, c0: nil).output }
}

/// `nn.LSTM`.
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
        let r = run(input, h0: state?.h, c0: state?.c)
        return (r.output, (r.h, r.c!))
    }

    /// The output sequence (for use inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, h0: nil, c0: nil).output }
}
