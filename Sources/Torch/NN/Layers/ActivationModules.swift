/// `nn.ReLU(inplace=False)` (`torch.nn.ReLU`).
public final class ReLU: Module {
    /// Whether `forward` overwrites its input (saving a tensor, as PyTorch's `inplace`).
    public let inplace: Bool
    /// Creates the layer; `ReLU(true)` is PyTorch's `nn.ReLU(True)`.
    public init(_ inplace: Bool = false) { self.inplace = inplace; super.init() }
    /// Creates the layer, as `nn.ReLU(inplace=True)`.
    public convenience init(inplace: Bool) { self.init(inplace) }
    /// `max(x, 0)`.
    public override func forward(_ x: Tensor) -> Tensor { inplace ? x.relu_() : relu(x) }
    /// `inplace=True` when set, as PyTorch prints it.
    public override var extraRepresentation: String { inplace ? "inplace=True" : "" }
}

/// `nn.LeakyReLU(negative_slope=0.01, inplace=False)` (`torch.nn.LeakyReLU`).
public final class LeakyReLU: Module {
    /// The slope for negative inputs.
    public let negativeSlope: Double
    /// Whether `forward` overwrites its input.
    public let inplace: Bool
    /// Creates the layer; `LeakyReLU(0.2, inplace: true)` is PyTorch's `nn.LeakyReLU(0.2, inplace=True)`.
    public init(_ negativeSlope: some ScalarConvertible = 0.01, inplace: Bool = false) {
        let negativeSlope = negativeSlope.scalarValue.doubleValue
        self.negativeSlope = negativeSlope
        self.inplace = inplace
        super.init()
    }
    /// Creates the layer with the slope by name.
    public convenience init(negativeSlope: some ScalarConvertible, inplace: Bool = false) {
        self.init(negativeSlope, inplace: inplace)
    }
    /// `x` or `negativeSlope · x`.
    public override func forward(_ x: Tensor) -> Tensor {
        inplace ? x.leakyRelu_(negativeSlope: negativeSlope) : leakyRelu(x, negativeSlope: negativeSlope)
    }
    /// `negative_slope=…` (and `, inplace=True` when set).
    public override var extraRepresentation: String {
        "negative_slope=\(formatPythonFloat(negativeSlope))" + (inplace ? ", inplace=True" : "")
    }
}

/// `nn.ELU(alpha=1.0)` (`torch.nn.ELU`).
public final class ELU: Module {
    /// The saturation value for negative inputs.
    public let alpha: Double
    /// Creates the layer.
    public init(alpha: some ScalarConvertible = 1) {
        let alpha = alpha.scalarValue.doubleValue
        self.alpha = alpha; super.init()
    }
    /// `x` or `alpha · (eˣ - 1)`.
    public override func forward(_ x: Tensor) -> Tensor { elu(x, alpha: alpha) }
    /// `alpha=…`.
    public override var extraRepresentation: String { "alpha=\(formatPythonFloat(alpha))" }
}

/// `nn.GELU(approximate='none')` (`torch.nn.GELU`).
public final class GELU: Module {
    /// `"none"` or `"tanh"`.
    public let approximate: String
    /// Creates the layer.
    public init(approximate: String = "none") { self.approximate = approximate; super.init() }
    /// The Gaussian error linear unit.
    public override func forward(_ x: Tensor) -> Tensor { gelu(x, approximate: approximate) }
    /// `approximate='…'`.
    public override var extraRepresentation: String { "approximate='\(approximate)'" }
}

/// `nn.SiLU` (swish) (`torch.nn.SiLU`).
public final class SiLU: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// `x · σ(x)`.
    public override func forward(_ x: Tensor) -> Tensor { silu(x) }
}

/// `nn.Mish` (`torch.nn.Mish`).
public final class Mish: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// `x · tanh(softplus(x))`.
    public override func forward(_ x: Tensor) -> Tensor { mish(x) }
}

/// `nn.Sigmoid` (`torch.nn.Sigmoid`).
public final class Sigmoid: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// `σ(x)`.
    public override func forward(_ x: Tensor) -> Tensor { sigmoid(x) }
}

/// `nn.Tanh` (`torch.nn.Tanh`).
public final class Tanh: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// `tanh(x)`.
    public override func forward(_ x: Tensor) -> Tensor { tanh(x) }
}

/// `nn.Softmax(dim)` (`torch.nn.Softmax`).
public final class Softmax: Module {
    /// The dimension normalised.
    public let dim: Int
    /// Creates the layer.
    public init(dim: Int) { self.dim = dim; super.init() }
    /// Softmax over ``dim``.
    public override func forward(_ x: Tensor) -> Tensor { x.softmax(dim: dim) }
    /// `dim=…`.
    public override var extraRepresentation: String { "dim=\(dim)" }
}

/// `nn.LogSoftmax(dim)` (`torch.nn.LogSoftmax`).
public final class LogSoftmax: Module {
    /// The dimension normalised.
    public let dim: Int
    /// Creates the layer.
    public init(dim: Int) { self.dim = dim; super.init() }
    /// Log-softmax over ``dim``.
    public override func forward(_ x: Tensor) -> Tensor { x.logSoftmax(dim: dim) }
    /// `dim=…`.
    public override var extraRepresentation: String { "dim=\(dim)" }
}

/// `nn.Softplus(beta=1.0, threshold=20.0)` (`torch.nn.Softplus`).
public final class Softplus: Module {
    /// The sharpness.
    public let beta: Double
    /// Above `beta · x > threshold` the layer is linear.
    public let threshold: Double
    /// Creates the layer.
    public init(beta: some ScalarConvertible = 1, threshold: some ScalarConvertible = 20) {
        let beta = beta.scalarValue.doubleValue
        let threshold = threshold.scalarValue.doubleValue
        self.beta = beta; self.threshold = threshold; super.init()
    }
    /// `log(1 + e^(βx)) / β`.
    public override func forward(_ x: Tensor) -> Tensor { softplus(x, beta: beta, threshold: threshold) }
    /// `beta=…, threshold=…`.
    public override var extraRepresentation: String {
        "beta=\(formatPythonFloat(beta)), threshold=\(formatPythonFloat(threshold))"
    }
}

/// `nn.Hardtanh(min_val=-1.0, max_val=1.0)` (`torch.nn.Hardtanh`).
public final class Hardtanh: Module {
    /// Lower bound.
    public let minVal: Double
    /// Upper bound.
    public let maxVal: Double
    /// Creates the layer.
    public init(minVal: some ScalarConvertible = -1, maxVal: some ScalarConvertible = 1) {
        let minVal = minVal.scalarValue.doubleValue
        let maxVal = maxVal.scalarValue.doubleValue
        self.minVal = minVal; self.maxVal = maxVal; super.init()
    }
    /// `clamp(x, minVal, maxVal)`.
    public override func forward(_ x: Tensor) -> Tensor { hardtanh(x, minVal: minVal, maxVal: maxVal) }
    /// `min_val=…, max_val=…`.
    public override var extraRepresentation: String {
        "min_val=\(formatPythonFloat(minVal)), max_val=\(formatPythonFloat(maxVal))"
    }
}

/// `nn.ReLU6`: `min(max(x, 0), 6)` (`torch.nn.ReLU6`).
public final class ReLU6: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// `relu6(x)`.
    public override func forward(_ x: Tensor) -> Tensor { relu6(x) }
}

/// `nn.Hardswish`: `x · relu6(x + 3) / 6` (`torch.nn.Hardswish`).
public final class Hardswish: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// `hardswish(x)`.
    public override func forward(_ x: Tensor) -> Tensor { hardswish(x) }
}

/// `nn.Hardsigmoid`: `relu6(x + 3) / 6` (`torch.nn.Hardsigmoid`).
public final class Hardsigmoid: Module {
    /// Creates the layer.
    public override init() { super.init() }
    /// `hardsigmoid(x)`.
    public override func forward(_ x: Tensor) -> Tensor { hardsigmoid(x) }
}

/// Formats a Double the way Python's `repr(float)` does (`0.01`, `1.0`, `1e-05`), for
/// module reprs; Swift's shortest round-trip description already agrees with it.
func formatPythonFloat(_ v: Double) -> String { "\(v)" }
