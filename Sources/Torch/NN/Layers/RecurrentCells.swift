/// Single-step recurrent cells (`nn.RNNCell`, `nn.LSTMCell`, `nn.GRUCell`): one time step
/// of the matching layer, with the same gate order (LSTM: input, forget, cell, output; GRU:
/// reset, update, new), parameter names (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`)
/// and initialisation (every parameter U(-1/√hidden, 1/√hidden), in that order) (PyTorch's
/// `torch.nn.RNNCellBase`).
public class RecurrentCell: Module {
    /// Features of the input.
    public let inputSize: Int
    /// Features of the hidden state.
    public let hiddenSize: Int
    /// Input-to-hidden weights, `(gates·hidden, input)`.
    @Parameter public var weightIH: Tensor
    /// Hidden-to-hidden weights, `(gates·hidden, hidden)`.
    @Parameter public var weightHH: Tensor
    /// Input bias, if any.
    @Parameter public var biasIH: Tensor?
    /// Hidden bias, if any.
    @Parameter public var biasHH: Tensor?

    init(inputSize: Int, hiddenSize: Int, gates: Int, bias: Bool, dtype: DType) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let bound = 1 / Double(hiddenSize).squareRoot()
        func parameter(_ shape: [Int]) -> Tensor { uniform_(Tensor.empty(shape, dtype: dtype), a: -bound, b: bound).requiresGrad_() }
        weightIH = parameter([gates * hiddenSize, inputSize])
        weightHH = parameter([gates * hiddenSize, hiddenSize])
        biasIH = bias ? parameter([gates * hiddenSize]) : nil
        biasHH = bias ? parameter([gates * hiddenSize]) : nil
        super.init()
    }

    /// A zero state for `input` (batched `(N, input)` or unbatched `(input)`).
    func zeroState(_ input: Tensor) -> Tensor {
        Tensor.zeros(input.dim == 1 ? [hiddenSize] : [input.shape[0], hiddenSize], dtype: input.dtype)
    }

    /// The gate pre-activations from the input and from the hidden state.
    func gates(_ x: Tensor, _ h: Tensor) -> (Tensor, Tensor) { (linear(x, weightIH, biasIH), linear(h, weightHH, biasHH)) }

    /// `input_size, hidden_size`.
    public override var extraRepresentation: String { "\(inputSize), \(hiddenSize)" + (biasIH == nil ? ", bias=False" : "") }
}

/// `nn.RNNCell`: `h' = tanh(W_ih x + b_ih + W_hh h + b_hh)` (or ReLU) (`torch.nn.RNNCell`).
public final class RNNCell: RecurrentCell {
    /// `"tanh"` or `"relu"`.
    public let nonlinearity: String

    /// Creates the cell.
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, nonlinearity: String = "tanh", dtype: DType = .float32) {
        self.nonlinearity = nonlinearity
        super.init(inputSize: inputSize, hiddenSize: hiddenSize, gates: 1, bias: bias, dtype: dtype)
    }

    /// The next hidden state (a zero state when `hx` is `nil`).
    public func callAsFunction(_ input: Tensor, _ hx: Tensor?) -> Tensor {
        let (a, b) = gates(input, hx ?? zeroState(input))
        return nonlinearity == "relu" ? relu(a + b) : tanh(a + b)
    }

    /// `cell(x)` from a zero state.
    public override func forward(_ input: Tensor) -> Tensor { self(input, nil) }
}

/// `nn.LSTMCell`: one LSTM step, returning `(h', c')` (`torch.nn.LSTMCell`).
public final class LSTMCell: RecurrentCell {
    /// Creates the cell.
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, dtype: DType = .float32) {
        super.init(inputSize: inputSize, hiddenSize: hiddenSize, gates: 4, bias: bias, dtype: dtype)
    }

    /// The next `(h, c)` (zero states when `state` is `nil`).
    public func callAsFunction(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?) -> (h: Tensor, c: Tensor) {
        let h = state?.h ?? zeroState(input), c = state?.c ?? zeroState(input)
        let (a, b) = gates(input, h)
        let g = (a + b).chunk(4, dim: -1)
        let cNext = sigmoid(g[1]) * c + sigmoid(g[0]) * tanh(g[2])
        return (sigmoid(g[3]) * tanh(cNext), cNext)
    }

    /// `h'` from zero states.
    public override func forward(_ input: Tensor) -> Tensor { self(input, nil).h }
}

/// `nn.GRUCell`: one GRU step (`torch.nn.GRUCell`).
public final class GRUCell: RecurrentCell {
    /// Creates the cell.
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, dtype: DType = .float32) {
        super.init(inputSize: inputSize, hiddenSize: hiddenSize, gates: 3, bias: bias, dtype: dtype)
    }

    /// The next hidden state (a zero state when `hx` is `nil`).
    public func callAsFunction(_ input: Tensor, _ hx: Tensor?) -> Tensor {
        let h = hx ?? zeroState(input)
        let (a, b) = gates(input, h)
        let xg = a.chunk(3, dim: -1), hg = b.chunk(3, dim: -1)
        let r = sigmoid(xg[0] + hg[0]), z = sigmoid(xg[1] + hg[1])
        let n = tanh(xg[2] + r * hg[2])
        return (1 - z) * n + z * h
    }

    /// `cell(x)` from a zero state.
    public override func forward(_ input: Tensor) -> Tensor { self(input, nil) }
}
