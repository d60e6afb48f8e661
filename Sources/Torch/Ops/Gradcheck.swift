/// Numerical gradient checking, as `torch.autograd.gradcheck`: the analytical Jacobian
/// from backward against central finite differences, in float64.

/// The outcome of ``gradcheck(_:inputs:eps:atol:rtol:)``. SwiftTorch only: PyTorch has no
/// counterpart (`torch.autograd.gradcheck` returns a `bool`).
public struct GradcheckResult: CustomStringConvertible {
    /// `true` when every Jacobian entry agrees within tolerance.
    public let passed: Bool
    /// The worst disagreement found, described for a test failure message.
    public let worst: String
    /// "passed" or the worst mismatch.
    public var description: String { passed ? "gradcheck passed" : "gradcheck failed: \(worst)" }
}

/// Compares `function`'s backward with finite differences at `inputs` (`torch.autograd.gradcheck`).
///
/// Inputs should be float64 leaves that require grad (others are held constant). For each
/// output element, backward with a one-hot gradient gives a Jacobian row; perturbing each
/// input element by ±`eps` gives the numerical column. Entries must satisfy
/// `|analytical - numerical| <= atol + rtol * |numerical|`.
public func gradcheck(
    _ function: ([Tensor]) -> Tensor, inputs: [Tensor],
    eps: some ScalarConvertible = 1e-6, atol: some ScalarConvertible = 1e-5, rtol: some ScalarConvertible = 1e-3
) -> GradcheckResult {
    let (eps, atol, rtol, differentiable) = gradcheckSetup(inputs, eps, atol, rtol)
    let output = function(inputs)
    let outCount = output.numel
    // Analytical: one backward per output element.
    var analytical: [[[Double]]] = differentiable.map { _ in [] }  // [input][outElem][inElem]
    for o in 0..<outCount {
        var oneHot = [Double](repeating: 0, count: outCount)
        oneHot[o] = 1
        let g = Tensor(shape: output.shape, scalars: oneHot).to(output.dtype)
        let out = function(inputs)
        let grads = output.requiresGrad
            ? gradients(of: [out], wrt: differentiable.map { inputs[$0] }, gradOutputs: [g], allowUnused: true)
            : differentiable.map { _ in nil }
        for (k, i) in differentiable.enumerated() {
            analytical[k].append(grads[k]?.toArray(Double.self) ?? [Double](repeating: 0, count: inputs[i].numel))
        }
    }
    // Numerical: central differences, element by element, writing through the storage.
    var worstError = 0.0
    var worst = ""
    for (k, i) in differentiable.enumerated() {
        let x = inputs[i]
        for e in 0..<x.numel {
            let index = unravel(e, x.shape)
            let original = x.doubleValue(at: index)
            x.setDoubleValue(original + eps, at: index)
            let plus = noGrad { function(inputs).toArray(Double.self) }
            x.setDoubleValue(original - eps, at: index)
            let minus = noGrad { function(inputs).toArray(Double.self) }
            x.setDoubleValue(original, at: index)
            for o in 0..<outCount {
                let numerical = (plus[o] - minus[o]) / (2 * eps)
                let a = analytical[k][o][e]
                let error = abs(a - numerical) - (atol + rtol * abs(numerical))
                if error > worstError || (a.isNaN != numerical.isNaN) {
                    worstError = max(error, worstError)
                    worst = "input \(i) element \(index), output element \(o): analytical \(a), numerical \(numerical)"
                }
            }
        }
    }
    return GradcheckResult(passed: worst.isEmpty, worst: worst)
}

extension Tensor {
    /// Writes one element, converting from `Double` (used by gradcheck's perturbations).
    func setDoubleValue(_ value: Double, at indices: [Int]) {
        dtype.dispatch(ElementWriter(storage: storage, index: storageIndex(of: indices), value: value))
    }
}

private struct ElementWriter: DTypeVisitor {
    let storage: Storage
    let index: Int
    let value: Double
    func visit<T: TensorScalar>(_: T.Type) {
        storage.data.assumingMemoryBound(to: T.self)[index] = T(castingDouble: value)
    }
}

/// Checks second derivatives, as `torch.autograd.gradgradcheck`: the first derivative
/// (`gradients(of:wrt:gradOutputs:createGraph: true)` with a fixed random `gradOutput`,
/// itself an input) is gradchecked against finite differences with respect to the inputs
/// and `gradOutput`.
///
/// Inputs should be float64 leaves that require grad; `gradOutput` defaults to a seeded
/// random tensor of the output's shape.
public func gradgradcheck(
    _ function: @escaping ([Tensor]) -> Tensor, inputs: [Tensor], gradOutput: Tensor? = nil,
    eps: some ScalarConvertible = 1e-6, atol: some ScalarConvertible = 1e-5, rtol: some ScalarConvertible = 1e-3
) -> GradcheckResult {
    let (eps, atol, rtol, differentiable) = gradcheckSetup(inputs, eps, atol, rtol)
    let shape = function(inputs)
    let v = gradOutput ?? Tensor.randn(shape.shape, dtype: shape.dtype, generator: Generator().manualSeed(7)).requiresGrad_()
    let firstDerivative: ([Tensor]) -> Tensor = { all in
        // The finite differences run with grad mode off; the first derivative needs it on.
        enableGrad {
            let xs = Array(all.prefix(inputs.count)), g = all[inputs.count]
            let y = function(xs)
            guard y.requiresGrad else { return Tensor.zeros([differentiable.reduce(0) { $0 + xs[$1].numel }], dtype: g.dtype) }
            let grads = gradients(of: [y], wrt: differentiable.map { xs[$0] }, gradOutputs: [g],
                                  createGraph: true, allowUnused: true)
            let flat = zip(grads, differentiable).map { grad, i in (grad ?? Tensor.zerosLike(xs[i])).reshape([-1]) }
            return cat(flat, dim: 0)
        }
    }
    return gradcheck(firstDerivative, inputs: inputs + [v], eps: eps, atol: atol, rtol: rtol)
}

/// The tolerances as doubles and the positions of the inputs that are checked (floating,
/// requiring grad): what gradcheck and gradgradcheck both start from.
private func gradcheckSetup(_ inputs: [Tensor], _ eps: some ScalarConvertible, _ atol: some ScalarConvertible,
                            _ rtol: some ScalarConvertible) -> (eps: Double, atol: Double, rtol: Double, differentiable: [Int]) {
    let differentiable = inputs.indices.filter { inputs[$0].requiresGrad && inputs[$0].dtype.isFloatingPoint }
    return (eps.scalarValue.doubleValue, atol.scalarValue.doubleValue, rtol.scalarValue.doubleValue, differentiable)
}
