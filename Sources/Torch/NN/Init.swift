#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `torch.nn.init`: parameter initialisations with PyTorch's formulas and fan computations,
/// drawing through the same in-place samplers, so after the same seed a layer gets the very
/// weights PyTorch would give it. All run with autograd off, so they apply to parameters.

/// The activation a layer feeds, for ``calculateGain(_:param:)`` (the `nonlinearity=` strings of
/// `torch.nn.init.calculate_gain`).
public enum Nonlinearity: String, Sendable, CaseIterable {
    /// No activation (gain 1).
    case linear
    /// A 1-D convolution feeding the next layer directly (gain 1).
    case conv1d
    /// A 2-D convolution (gain 1).
    case conv2d
    /// A 3-D convolution (gain 1).
    case conv3d
    /// A 1-D transposed convolution (gain 1).
    case convTranspose1d = "conv_transpose1d"
    /// A 2-D transposed convolution (gain 1).
    case convTranspose2d = "conv_transpose2d"
    /// A 3-D transposed convolution (gain 1).
    case convTranspose3d = "conv_transpose3d"
    /// The logistic sigmoid (gain 1).
    case sigmoid
    /// The hyperbolic tangent (gain 5/3).
    case tanh
    /// ReLU (gain √2).
    case relu
    /// Leaky ReLU; its negative slope is the `param` / `a` argument (gain √(2 / (1 + slope²))).
    case leakyRelu = "leaky_relu"
    /// SELU (gain 3/4, PyTorch's empirical choice).
    case selu
}

/// Which fan Kaiming initialisation keeps the variance of (`mode=`): the forward pass's
/// (`fanIn`) or the backward pass's (`fanOut`) (the `mode` strings of
/// `torch.nn.init.kaiming_uniform_`).
public enum FanMode: String, Sendable {
    /// Inputs per output unit: keeps activations' variance in the forward pass.
    case fanIn = "fan_in"
    /// Outputs per input unit: keeps gradients' variance in the backward pass.
    case fanOut = "fan_out"
}

/// The recommended gain for a nonlinearity (`nn.init.calculate_gain`): 1 for linear ones
/// and sigmoid, 5/3 for tanh, √2 for ReLU, √(2 / (1 + slope²)) for leaky ReLU (slope 0.01
/// when `param` is nil), 3/4 for SELU (`torch.nn.init.calculate_gain`).
public func calculateGain(_ nonlinearity: Nonlinearity, param: (any ScalarConvertible)? = nil) -> Double {
    let param = param?.scalarValue.doubleValue
    switch nonlinearity {
    case .linear, .conv1d, .conv2d, .conv3d, .convTranspose1d, .convTranspose2d, .convTranspose3d, .sigmoid:
        return 1
    case .tanh:
        return 5.0 / 3
    case .relu:
        return 2.0.squareRoot()
    case .leakyRelu:
        let slope = param ?? 0.01
        return (2.0 / (1 + slope * slope)).squareRoot()
    case .selu:
        return 3.0 / 4
    }
}

/// Fan-in and fan-out of a weight (`nn.init._calculate_fan_in_and_fan_out`): dimension 1
/// and dimension 0, each times the product of the remaining (receptive field) sizes
/// (`torch.nn.init._calculate_fan_in_and_fan_out`).
public func calculateFanInAndFanOut(_ tensor: Tensor) -> (fanIn: Int, fanOut: Int) {
    guard tensor.dim >= 2 else {
        torchFatal("ValueError: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    }
    let receptiveField = tensor.shape.dropFirst(2).reduce(1, *)
    return (tensor.shape[1] * receptiveField, tensor.shape[0] * receptiveField)
}

/// Fills `tensor` from U(a, b) (`nn.init.uniform_`, `torch.nn.init.uniform_`).
@discardableResult
public func uniform_(_ tensor: Tensor, a: some ScalarConvertible = 0, b: some ScalarConvertible = 1,
                     generator: Generator? = nil) -> Tensor {
    let a = a.scalarValue.doubleValue
    let b = b.scalarValue.doubleValue
    return noGrad { tensor.uniform_(from: a, to: b, generator: generator) }
}

/// Fills `tensor` from N(mean, std²) (`nn.init.normal_`, `torch.nn.init.normal_`).
@discardableResult
public func normal_(_ tensor: Tensor, mean: some ScalarConvertible = 0, std: some ScalarConvertible = 1,
                    generator: Generator? = nil) -> Tensor {
    let mean = mean.scalarValue.doubleValue
    let std = std.scalarValue.doubleValue
    return noGrad { tensor.normal_(mean: mean, std: std, generator: generator) }
}

/// Kaiming (He) uniform initialisation (`nn.init.kaiming_uniform_`): U(-bound, bound) with
/// bound = gain · √(3 / fan). `Linear` and `Conv` layers use it with `a: sqrt(5)`
/// (`torch.nn.init.kaiming_uniform_`).
@discardableResult
public func kaimingUniform_(_ tensor: Tensor, a: some ScalarConvertible = 0, mode: FanMode = .fanIn,
                            nonlinearity: Nonlinearity = .leakyRelu, generator: Generator? = nil) -> Tensor {
    let a = a.scalarValue.doubleValue
    if tensor.shape.contains(0) { return tensor }
    let std = calculateGain(nonlinearity, param: a) / Double(correctFan(tensor, mode)).squareRoot()
    let bound = 3.0.squareRoot() * std
    return noGrad { tensor.uniform_(from: -bound, to: bound, generator: generator) }
}

/// Kaiming (He) normal initialisation (`nn.init.kaiming_normal_`): N(0, (gain / √fan)²)
/// (`torch.nn.init.kaiming_normal_`).
@discardableResult
public func kaimingNormal_(_ tensor: Tensor, a: some ScalarConvertible = 0, mode: FanMode = .fanIn,
                           nonlinearity: Nonlinearity = .leakyRelu, generator: Generator? = nil) -> Tensor {
    let a = a.scalarValue.doubleValue
    if tensor.shape.contains(0) { return tensor }
    let std = calculateGain(nonlinearity, param: a) / Double(correctFan(tensor, mode)).squareRoot()
    return noGrad { tensor.normal_(mean: 0, std: std, generator: generator) }
}

/// Xavier (Glorot) uniform initialisation (`nn.init.xavier_uniform_`): U(-a, a) with
/// a = gain · √(6 / (fan_in + fan_out)) (`torch.nn.init.xavier_uniform_`).
@discardableResult
public func xavierUniform_(_ tensor: Tensor, gain: some ScalarConvertible = 1, generator: Generator? = nil) -> Tensor {
    let gain = gain.scalarValue.doubleValue
    let (fanIn, fanOut) = calculateFanInAndFanOut(tensor)
    let std = gain * (2.0 / Double(fanIn + fanOut)).squareRoot()
    let a = 3.0.squareRoot() * std
    return noGrad { tensor.uniform_(from: -a, to: a, generator: generator) }
}

/// Xavier (Glorot) normal initialisation (`nn.init.xavier_normal_`):
/// N(0, gain² · 2 / (fan_in + fan_out)) (`torch.nn.init.xavier_normal_`).
@discardableResult
public func xavierNormal_(_ tensor: Tensor, gain: some ScalarConvertible = 1, generator: Generator? = nil) -> Tensor {
    let gain = gain.scalarValue.doubleValue
    let (fanIn, fanOut) = calculateFanInAndFanOut(tensor)
    let std = gain * (2.0 / Double(fanIn + fanOut)).squareRoot()
    return noGrad { tensor.normal_(mean: 0, std: std, generator: generator) }
}

private func correctFan(_ tensor: Tensor, _ mode: FanMode) -> Int {
    let (fanIn, fanOut) = calculateFanInAndFanOut(tensor)
    return mode == .fanIn ? fanIn : fanOut
}

/// Fills `tensor` from N(mean, std²) truncated to [a, b] (`nn.init.trunc_normal_`), by
/// PyTorch 2.15's two samplers: when [a, b] holds more than 30% of the mass, whole-tensor
/// normal draws redrawn where out of range; otherwise uniform proposals on [a, b] accepted
/// against the normal density, the whole tensor redrawn each round for what is pending
/// (`torch.nn.init.trunc_normal_`).
@discardableResult
public func truncNormal_(_ tensor: Tensor, mean: some ScalarConvertible = 0, std: some ScalarConvertible = 1,
                         a: some ScalarConvertible = -2, b: some ScalarConvertible = 2,
                         generator: Generator? = nil) -> Tensor {
    let mean = mean.scalarValue.doubleValue
    let std = std.scalarValue.doubleValue
    let a = a.scalarValue.doubleValue
    let b = b.scalarValue.doubleValue
    if isSkippingInit { return tensor }
    noGrad {
        switch tensor.dtype {
        case .float32: truncatedNormal(tensor, Float.self, mean: mean, std: std, a: a, b: b, generator: generator)
        case .float64: truncatedNormal(tensor, Double.self, mean: mean, std: std, a: a, b: b, generator: generator)
        default: tensor.normal_(mean: mean, std: std, generator: generator)  // fails with PyTorch's message
        }
    }
    return tensor
}

private func truncatedNormal<T: TensorScalar & BinaryFloatingPoint>(
    _ tensor: Tensor, _: T.Type, mean: Double, std: Double, a: Double, b: Double, generator: Generator?
) {
    if tensor.numel == 0 { return }
    func normCDF(_ x: Double) -> Double { (1 + erf(x / 2.0.squareRoot())) / 2 }
    let mass = normCDF((b - mean) / std) - normCDF((a - mean) / std)
    // Scratch tensors share the target's layout, so each fill draws in the same order.
    func scratch() -> Tensor { emptyLikeForRandom(tensor, dtype: tensor.dtype) }
    func read(_ t: Tensor) -> [T] { readInIteratorOrder(t, T.self) }
    if mass > 0.3 {
        let lo = T(a), hi = T(b)
        tensor.normal_(mean: mean, std: std, generator: generator)
        var result = read(tensor)
        var replaced = false
        while true {
            let outside = result.map { $0 < lo || $0 > hi }
            if !outside.contains(true) { break }
            let fresh = read(scratch().normal_(mean: mean, std: std, generator: generator))
            for i in result.indices where outside[i] { result[i] = fresh[i] }
            replaced = true
        }
        if replaced { writeIteratorOrderValues(tensor, result) }
        return
    }
    let mode = max(a, min(mean, b))
    let z = (mode - mean) / std
    let logPeak = -0.5 * (z * z)
    let (m, s, lp) = (T(mean), T(std), T(logPeak))
    func logDensity(_ x: [T]) -> [T] { x.map { v -> T in
        var c = v - m
        c = c / s
        c = c * c
        c = c * T(-0.5)
        return c - lp
    } }
    let acceptBuffer = scratch()
    func acceptDraw(_ candidates: [T]) -> [Bool] {
        let logU = logOfValues(read(acceptBuffer.uniform_(generator: generator)))
        return zip(logU, candidates).map { $0 > $1 }
    }
    tensor.uniform_(from: a, to: b, generator: generator)
    var result = read(tensor)
    var pending = acceptDraw(logDensity(result))
    if !pending.contains(true) { return }
    let proposals = scratch()
    while true {
        let drawn = read(proposals.uniform_(from: a, to: b, generator: generator))
        for i in result.indices where pending[i] { result[i] = drawn[i] }
        let again = acceptDraw(logDensity(drawn))
        for i in pending.indices where pending[i] { pending[i] = again[i] }
        if !pending.contains(true) { break }
    }
    writeIteratorOrderValues(tensor, result)
}

/// Writes `values` back into `t` in the order ``readInIteratorOrder(_:_:)`` read them.
private func writeIteratorOrderValues<T: TensorScalar>(_ t: Tensor, _ values: [T]) {
    var i = 0
    writeInIteratorOrder(t, T.self) {
        defer { i += 1 }
        return values[i]
    }
    t.storage.bumpVersion()
}

/// Fills `tensor` with a (semi-)orthogonal matrix (`nn.init.orthogonal_`): the Q factor of
/// a standard normal matrix, column signs fixed so R has a positive diagonal, times `gain`.
/// Dimensions after the first are flattened. The draws match PyTorch's; the QR here is a
/// double-precision Householder factorisation, so values agree to float rounding, not bits
/// (`torch.nn.init.orthogonal_`).
@discardableResult
public func orthogonal_(_ tensor: Tensor, gain: some ScalarConvertible = 1, generator: Generator? = nil) -> Tensor {
    let gain = gain.scalarValue.doubleValue
    guard tensor.dim >= 2 else { torchFatal("ValueError: Only tensors with 2 or more dimensions are supported") }
    if tensor.numel == 0 || isSkippingInit { return tensor }
    guard tensor.dtype.isFloatingPoint else {
        notImplemented("normal_kernel_cpu", for: tensor.dtype)
    }
    let rows = tensor.shape[0], cols = tensor.numel / rows
    let flattened = Tensor(uninitializedShape: [rows, cols], dtype: tensor.dtype, zeroed: false)
    flattened.normal_(mean: 0, std: 1, generator: generator)
    let drawn = flattened.to(.float64).toArray(Double.self)
    // Factor the tall orientation: A is m × n with m ≥ n.
    let tall = rows >= cols
    let m = max(rows, cols), n = min(rows, cols)
    var a = [Double](repeating: 0, count: m * n)
    for i in 0..<rows {
        for j in 0..<cols {
            if tall { a[i * n + j] = drawn[i * cols + j] } else { a[j * n + i] = drawn[i * cols + j] }
        }
    }
    let q = householderQPositive(&a, m: m, n: n)
    let isFloat = tensor.dtype == .float32
    var values = [Double](repeating: 0, count: rows * cols)
    for i in 0..<rows {
        for j in 0..<cols {
            let v = tall ? q[i * n + j] : q[j * n + i]
            // PyTorch scales after storing Q in the tensor's dtype: two roundings in float32.
            values[i * cols + j] = isFloat ? Double(Float(v) * Float(gain)) : v * gain
        }
    }
    noGrad {
        copyElements(from: Tensor(shape: tensor.shape, scalars: values), to: tensor)
        tensor.storage.bumpVersion()
    }
    return tensor
}

/// `nn.init.orthogonal_(w, gain)`: the gain by position, as PyTorch's
/// `init.orthogonal_(self.conv1.weight, init.calculate_gain('relu'))`
/// (`torch.nn.init.orthogonal_`).
@discardableResult
public func orthogonal_(_ tensor: Tensor, _ gain: some ScalarConvertible, generator: Generator? = nil) -> Tensor {
    orthogonal_(tensor, gain: gain, generator: generator)
}

/// The m × n Q of A = QR (m ≥ n, row-major, destroyed) by Householder reflections, with
/// each column's sign flipped so that R's diagonal is non-negative.
private func householderQPositive(_ a: inout [Double], m: Int, n: Int) -> [Double] {
    var reflectors: [[Double]] = []
    var diagonal = [Double](repeating: 0, count: n)
    for k in 0..<n {
        var v = (k..<m).map { a[$0 * n + k] }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let alpha = v[0] >= 0 ? -norm : norm
        v[0] -= alpha
        let vNorm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if vNorm > 0 {
            for i in v.indices { v[i] /= vNorm }
            for j in k..<n {
                var dot = 0.0
                for i in v.indices { dot += v[i] * a[(k + i) * n + j] }
                for i in v.indices { a[(k + i) * n + j] -= 2 * v[i] * dot }
            }
        }
        diagonal[k] = a[k * n + k]
        reflectors.append(vNorm > 0 ? v : [])
    }
    var q = [Double](repeating: 0, count: m * n)
    for j in 0..<n { q[j * n + j] = 1 }
    for k in stride(from: n - 1, through: 0, by: -1) where !reflectors[k].isEmpty {
        let v = reflectors[k]
        for j in 0..<n {
            var dot = 0.0
            for i in v.indices { dot += v[i] * q[(k + i) * n + j] }
            for i in v.indices { q[(k + i) * n + j] -= 2 * v[i] * dot }
        }
    }
    for j in 0..<n where diagonal[j] < 0 {
        for i in 0..<m { q[i * n + j] = -q[i * n + j] }
    }
    return q
}
