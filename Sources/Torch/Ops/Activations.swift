#if canImport(Glibc)
import Glibc
#endif

/// Activation functions (`torch.nn.functional`): `relu gelu silu softplus leakyRelu elu
/// hardtanh mish logsigmoid`, each with PyTorch's defaults and derivative.

/// An elementwise float activation with its derivative `backward(grad, input)`. Only the
/// input is saved, as PyTorch saves it: the result may be changed in place afterwards.
private func activation(
    _ x: Tensor, name: String, _ f32: @escaping @Sendable (Float) -> Float, _ f64: @escaping @Sendable (Double) -> Double,
    backward: @escaping (Tensor, Tensor) -> Tensor
) -> Tensor {
    let out = applyFloat(x, UnaryFloatFunction(name: name, vector: nil, f32: f32, f64: f64))
    if needsGrad(x) {
        let sx = SavedTensor(x)
        record(name, input: x, outputs: [out]) { g in [backward(g[0]!, sx.unpack())] }
    }
    return out
}

/// `max(x, 0)` (`torch.relu`); integer tensors stay integer.
public func relu(_ x: Tensor) -> Tensor {
    let out: Tensor
    if x.dtype.isFloatingPoint && x.isContiguous {
        out = Tensor(uninitializedShape: x.shape, dtype: x.dtype, zeroed: false)
        if !reluContiguous(x, into: out) { copyElements(from: noGrad { clamp(x, min: 0) }, to: out) }
    } else {
        out = noGrad { clamp(x, min: 0) }
    }
    if needsGrad(x) {
        let so = SavedTensor(output: out, producer: "ReluBackward0")
        record("ReluBackward0", input: x, outputs: [out]) { g in
            // PyTorch's threshold_backward: zero where the result is <= 0, so NaN passes.
            // Recorded ops when the backward itself is differentiated, one pass otherwise.
            let y = so.unpack(), grad = g[0]!
            if !isGradEnabled(), let fast = reluBackwardContiguous(grad, y) { return [fast] }
            return [`where`(y .<= 0.0, .double(0), grad)]
        }
    }
    return out
}

/// The Gaussian error linear unit (`F.gelu`): exact, or `approximate: "tanh"`
/// (`torch.nn.functional.gelu`).
public func gelu(_ x: Tensor, approximate: String = "none") -> Tensor {
    let tanhForm = approximate == "tanh"
    let k = 0.7978845608028654  // sqrt(2 / pi)
    if tanhForm {
        return activation(x, name: "GeluBackward0",
                          { 0.5 * $0 * (1 + tanhf(Float(k) * ($0 + 0.044715 * $0 * $0 * $0))) },
                          { 0.5 * $0 * (1 + Glibc.tanh(k * ($0 + 0.044715 * $0 * $0 * $0))) }) { g, x in
            let inner = k * (x + 0.044715 * x * x * x)
            let t = tanh(inner)
            let left = 0.5 * (1.0 + t)
            let right = 0.5 * x * (1.0 - t * t) * k * (1.0 + 3.0 * 0.044715 * x * x)
            return g * (left + right)
        }
    }
    return activation(x, name: "GeluBackward0",
                      { 0.5 * $0 * (1 + erff($0 * 0.70710678)) },
                      { 0.5 * $0 * (1 + Glibc.erf($0 * 0.7071067811865476)) }) { g, x in
        let cdf = 0.5 * (1.0 + erf(x * 0.7071067811865476))
        let pdf = exp(-0.5 * x * x) * 0.3989422804014327
        return g * (cdf + x * pdf)
    }
}

/// `x * sigmoid(x)` (`F.silu`, `torch.nn.functional.silu`).
public func silu(_ x: Tensor) -> Tensor {
    activation(x, name: "SiluBackward0", { $0 / (1 + expf(-$0)) }, { $0 / (1 + Glibc.exp(-$0)) }) { g, x in
        let s = sigmoid(x)
        return g * s * (1.0 + x * (1.0 - s))
    }
}

/// `log(1 + e^(beta x)) / beta`, linear above `threshold` (`F.softplus`,
/// `torch.nn.functional.softplus`).
public func softplus(_ x: Tensor, beta: some ScalarConvertible = 1, threshold: some ScalarConvertible = 20) -> Tensor {
    let beta = beta.scalarValue.doubleValue
    let threshold = threshold.scalarValue.doubleValue
    let b32 = Float(beta), t32 = Float(threshold)
    return activation(x, name: "SoftplusBackward0",
                      { $0 * b32 > t32 ? $0 : log1pf(expf($0 * b32)) / b32 },
                      { $0 * beta > threshold ? $0 : Glibc.log1p(Glibc.exp($0 * beta)) / beta }) { g, x in
        let z = x * beta
        return Torch.where(z .> threshold, g, g * sigmoid(z))
    }
}

/// `x` for positive inputs, else `negativeSlope * x` (`F.leaky_relu`,
/// `torch.nn.functional.leaky_relu`).
public func leakyRelu(_ x: Tensor, negativeSlope: some ScalarConvertible = 0.01) -> Tensor {
    let negativeSlope = negativeSlope.scalarValue.doubleValue
    let s32 = Float(negativeSlope)
    return activation(x, name: "LeakyReluBackward0", { $0 > 0 ? $0 : $0 * s32 }, { $0 > 0 ? $0 : $0 * negativeSlope }) { g, x in
        Torch.where(x .> 0.0, g, g * negativeSlope)
    }
}

/// `x` for positive inputs, else `alpha * (e^x - 1)` (`F.elu`, `torch.nn.functional.elu`).
public func elu(_ x: Tensor, alpha: some ScalarConvertible = 1) -> Tensor {
    let alpha = alpha.scalarValue.doubleValue
    let a32 = Float(alpha)
    return activation(x, name: "EluBackward0", { $0 > 0 ? $0 : a32 * expm1f($0) }, { $0 > 0 ? $0 : alpha * Glibc.expm1($0) }) { g, x in
        // PyTorch's elu_backward on the saved input (EluBackward0 does not save the result).
        Torch.where(x .> 0.0, g, g * alpha * exp(x))
    }
}

/// `x` clamped to `[minVal, maxVal]` (`F.hardtanh`, `torch.nn.functional.hardtanh`).
public func hardtanh(_ x: Tensor, minVal: some ScalarConvertible = -1, maxVal: some ScalarConvertible = 1) -> Tensor {
    let minVal = minVal.scalarValue.doubleValue
    let maxVal = maxVal.scalarValue.doubleValue
    let lo = Float(minVal), hi = Float(maxVal)
    return activation(x, name: "HardtanhBackward0", { Swift.min(Swift.max($0, lo), hi) }, { Swift.min(Swift.max($0, minVal), maxVal) }) { g, x in
        g * ((x .> minVal) .& (x .< maxVal)).to(g.dtype)
    }
}

/// `min(max(x, 0), 6)` (`F.relu6`, which PyTorch builds on `hardtanh`)
/// (`torch.nn.functional.relu6`).
public func relu6(_ x: Tensor) -> Tensor { hardtanh(x, minVal: 0, maxVal: 6) }

/// `x · relu6(x + 3) / 6` (`F.hardswish`, MobileNetV3's activation)
/// (`torch.nn.functional.hardswish`).
public func hardswish(_ x: Tensor) -> Tensor {
    activation(x, name: "HardswishBackward0", { $0 * Swift.min(Swift.max($0 + 3, 0), 6) / 6 },
               { $0 * Swift.min(Swift.max($0 + 3, 0), 6) / 6 }) { g, x in
        // PyTorch's hardswish_backward: 0 below -3, x/3 + 1/2 up to 3, 1 above.
        Torch.where(x .< -3.0, 0.0, Torch.where(x .<= 3.0, g * (x / 3 + 0.5), g))
    }
}

/// `relu6(x + 3) / 6` (`F.hardsigmoid`, the gate of MobileNetV3's squeeze-excitation)
/// (`torch.nn.functional.hardsigmoid`).
public func hardsigmoid(_ x: Tensor) -> Tensor {
    activation(x, name: "HardsigmoidBackward0", { Swift.min(Swift.max($0 + 3, 0), 6) / 6 },
               { Swift.min(Swift.max($0 + 3, 0), 6) / 6 }) { g, x in
        g * ((x .> -3.0) .& (x .< 3.0)).to(g.dtype) / 6
    }
}

/// `x * tanh(softplus(x))` (`F.mish`, `torch.nn.functional.mish`).
public func mish(_ x: Tensor) -> Tensor {
    activation(x, name: "MishBackward0",
               { $0 * tanhf($0 > 20 ? $0 : log1pf(expf($0))) },
               { $0 * Glibc.tanh($0 > 20 ? $0 : Glibc.log1p(Glibc.exp($0))) }) { g, x in
        let t = tanh(softplus(x))
        return g * (t + x * sigmoid(x) * (1.0 - t * t))
    }
}

/// `log(sigmoid(x))`, stable for large `|x|` (`F.logsigmoid`, `torch.nn.functional.logsigmoid`).
public func logsigmoid(_ x: Tensor) -> Tensor {
    activation(x, name: "LogSigmoidBackward0",
               { Swift.min($0, 0) - log1pf(expf(-Swift.abs($0))) },
               { Swift.min($0, 0) - Glibc.log1p(Glibc.exp(-Swift.abs($0))) }) { g, x in
        g * sigmoid(-x)
    }
}

extension Tensor {
    /// `relu(self)` (`torch.Tensor.relu`).
    public func relu() -> Tensor { Torch.relu(self) }
    /// `relu` in place (`x.relu_()`, `nn.ReLU(inplace=True)`, `torch.Tensor.relu_`).
    @discardableResult public func relu_() -> Tensor { inPlace { Torch.relu($0) } }
    /// `leakyRelu` in place (`F.leaky_relu_`, `nn.LeakyReLU(0.2, inplace=True)`,
    /// `torch.nn.functional.leaky_relu_`).
    @discardableResult public func leakyRelu_(negativeSlope: some ScalarConvertible = 0.01) -> Tensor {
        let negativeSlope = negativeSlope.scalarValue.doubleValue
        return inPlace { Torch.leakyRelu($0, negativeSlope: negativeSlope) }
    }
}
