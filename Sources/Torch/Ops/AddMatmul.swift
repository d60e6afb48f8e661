/// Fused "scale and add a product" ops: `addmm`, `addmv`, `baddbmm`, `addbmm`, and `kron`.
/// The sums ride on BLAS's own `beta * C + alpha * A @ B`, so there is no extra pass.

/// `t * s`, or `t` itself when `s` is 1 (PyTorch's `maybe_multiply`): the common case
/// costs no extra pass over the gradient.
@inline(__always)
func maybeMultiply(_ t: Tensor, _ s: Double) -> Tensor { s == 1 ? t : t * s }

/// `beta * input + alpha * (m1 @ m2)` for 2-D `m1`, `m2`; `input` broadcasts
/// (`torch.addmm`). With `beta == 0`, `input` is ignored (its NaNs do not propagate).
public func addmm(_ input: Tensor, _ m1: Tensor, _ m2: Tensor, beta: some ScalarConvertible = 1,
                  alpha: some ScalarConvertible = 1) -> Tensor {
    let beta = beta.scalarValue.doubleValue
    let alpha = alpha.scalarValue.doubleValue
    let (input, m1, m2) = (autocastToLowerPrecision(input), autocastToLowerPrecision(m1), autocastToLowerPrecision(m2))
    guard m1.dim == 2, m2.dim == 2 else {
        torchFatal("RuntimeError: mat1 must be a matrix, got \(m1.dim)-D tensor")
    }
    guard m1.shape[1] == m2.shape[0] else {
        torchFatal("RuntimeError: mat1 and mat2 shapes cannot be multiplied (\(m1.shape[0])x\(m1.shape[1]) and \(m2.shape[0])x\(m2.shape[1]))")
    }
    let out = scaledInputCopy(input, shape: [m1.shape[0], m2.shape[1]], dtype: m1.dtype, beta: beta)
    batchedGEMM(a: m1, b: m2, out: out, alpha: alpha, beta: beta)
    if needsGrad(input, m1, m2) {
        // Each matrix is saved only for the other's gradient; their layouts choose the
        // gradients' layouts (PyTorch saves the strides too).
        let s1 = m2.requiresGrad ? SavedTensor(m1) : nil, s2 = m1.requiresGrad ? SavedTensor(m2) : nil
        let ii = InputSummary(input), firstColumnMajor = isColumnMajor(m1), secondColumnMajor = isColumnMajor(m2)
        record("AddmmBackward0", inputs: [input, m1, m2], outputs: [out], savedShapes: [m1.shape, m2.shape]) { g in
            let grad = g[0]!
            return [ii.requiresGrad ? gradient(maybeMultiply(grad, beta), for: ii) : nil,
                    s2.map { maybeMultiply(mmFirstGradient(grad, columnMajor: firstColumnMajor, $0.unpack()), alpha) },
                    s1.map { maybeMultiply(mmSecondGradient(grad, $0.unpack(), columnMajor: secondColumnMajor), alpha) }]
        }
    }
    return out
}

/// `beta * input + alpha * (mat @ vec)` (`torch.addmv`).
public func addmv(_ input: Tensor, _ mat: Tensor, _ vec: Tensor, beta: some ScalarConvertible = 1,
                  alpha: some ScalarConvertible = 1) -> Tensor {
    let beta = beta.scalarValue.doubleValue
    let alpha = alpha.scalarValue.doubleValue
    guard mat.dim == 2, vec.dim == 1, mat.shape[1] == vec.shape[0] else {
        torchFatal("RuntimeError: size mismatch, got input (\(input.shape.first ?? 1)), mat (\(mat.shape.map(String.init).joined(separator: "x"))), vec (\(vec.shape.first ?? 0))")
    }
    let column = vec.makeView(shape: [vec.shape[0], 1], strides: [vec.strides[0], 1], offset: vec.offset)
    let inputColumn = input.dim == 1
        ? input.makeView(shape: [input.shape[0], 1], strides: [input.strides[0], 0], offset: input.offset) : input
    let out = addmm(inputColumn, mat, column, beta: beta, alpha: alpha)
    return out.makeView(shape: [mat.shape[0]], strides: [1], offset: 0)
}

/// `beta * input + alpha * bmm(b1, b2)` (`torch.baddbmm`); `input` broadcasts.
public func baddbmm(_ input: Tensor, _ b1: Tensor, _ b2: Tensor, beta: some ScalarConvertible = 1,
                    alpha: some ScalarConvertible = 1) -> Tensor {
    let beta = beta.scalarValue.doubleValue
    let alpha = alpha.scalarValue.doubleValue
    let (input, b1, b2) = (autocastToLowerPrecision(input), autocastToLowerPrecision(b1), autocastToLowerPrecision(b2))
    checkBatches(b1, b2)
    let out = scaledInputCopy(input, shape: [b1.shape[0], b1.shape[1], b2.shape[2]], dtype: b1.dtype, beta: beta)
    batchedGEMM(a: b1, b: b2, out: out, alpha: alpha, beta: beta)
    if needsGrad(input, b1, b2) {
        let s1 = b2.requiresGrad ? SavedTensor(b1) : nil, s2 = b1.requiresGrad ? SavedTensor(b2) : nil
        let ii = InputSummary(input)
        record("BaddbmmBackward0", inputs: [input, b1, b2], outputs: [out], savedShapes: [b1.shape, b2.shape]) { g in
            let grad = g[0]!
            return [ii.requiresGrad ? gradient(maybeMultiply(grad, beta), for: ii) : nil,
                    s2.map { maybeMultiply(bmm(grad, $0.unpack().transpose(1, 2)), alpha) },
                    s1.map { maybeMultiply(bmm($0.unpack().transpose(1, 2), grad), alpha) }]
        }
    }
    return out
}

/// `beta * input + alpha * Σ_b b1[b] @ b2[b]` (`torch.addbmm`).
public func addbmm(_ input: Tensor, _ b1: Tensor, _ b2: Tensor, beta: some ScalarConvertible = 1,
                   alpha: some ScalarConvertible = 1) -> Tensor {
    let beta = beta.scalarValue.doubleValue
    let alpha = alpha.scalarValue.doubleValue
    checkBatches(b1, b2)
    let out = scaledInputCopy(input, shape: [b1.shape[1], b2.shape[2]], dtype: b1.dtype, beta: beta)
    for i in 0..<b1.shape[0] {
        let m1 = b1.makeView(shape: [b1.shape[1], b1.shape[2]], strides: [b1.strides[1], b1.strides[2]], offset: b1.offset + i * b1.strides[0])
        let m2 = b2.makeView(shape: [b2.shape[1], b2.shape[2]], strides: [b2.strides[1], b2.strides[2]], offset: b2.offset + i * b2.strides[0])
        batchedGEMM(a: m1, b: m2, out: out, alpha: alpha, beta: i == 0 ? beta : 1)
    }
    return out
}

/// The Kronecker product (`torch.kron`): operands are padded to the same rank with leading
/// ones, and `out[i * b.shape + j] = a[i] * b[j]` along every dimension.
public func kron(_ a: Tensor, _ b: Tensor) -> Tensor {
    let dt = promoteTypes(a.dtype, b.dtype)
    let rank = max(a.dim, b.dim)
    let ap = a.to(dt).contiguous(), bp = b.to(dt).contiguous()
    let aShape = [Int](repeating: 1, count: rank - a.dim) + a.shape
    let bShape = [Int](repeating: 1, count: rank - b.dim) + b.shape
    let outShape = zip(aShape, bShape).map { $0 * $1 }
    let out = Tensor(uninitializedShape: outShape, dtype: dt, zeroed: false)
    kronKernel(ap, bp, aShape: aShape, bShape: bShape, into: out)
    if needsGrad(a, b) {
        let sa = b.requiresGrad ? SavedTensor(a) : nil, sb = a.requiresGrad ? SavedTensor(b) : nil
        let aOriginal = a.shape, bOriginal = b.shape
        record("UnsafeViewBackward0", inputs: (a, b), outputs: [out], savedShapes: [a.shape, b.shape]) { g in
            // out[i*bs + j] = a[i] b[j] per dim: view g with a's and b's indices interleaved.
            let interleaved = zip(aShape, bShape).flatMap { [$0, $1] }
            let gi = g[0]!.reshape(interleaved)
            let aDims = (0..<rank).map { 2 * $0 + 1 }, bDims = (0..<rank).map { 2 * $0 }
            return [sb.map { (gi * $0.unpack().reshape(bShape.flatMap { [1, $0] })).sum(dims: aDims).reshape(aOriginal) },
                    sa.map { (gi * $0.unpack().reshape(aShape.flatMap { [$0, 1] })).sum(dims: bDims).reshape(bOriginal) }]
        }
    }
    return out
}

extension Tensor {
    /// `torch.addmm(self, m1, m2, beta:, alpha:)`.
    public func addmm(_ m1: Tensor, _ m2: Tensor, beta: some ScalarConvertible = 1,
                      alpha: some ScalarConvertible = 1) -> Tensor {
        let beta = beta.scalarValue.doubleValue
        let alpha = alpha.scalarValue.doubleValue
        return Torch.addmm(self, m1, m2, beta: beta, alpha: alpha)
    }
    /// `torch.kron(self, other)`.
    public func kron(_ other: Tensor) -> Tensor { Torch.kron(self, other) }
}

private func checkBatches(_ b1: Tensor, _ b2: Tensor) {
    guard b1.dim == 3, b2.dim == 3 else { torchFatal("RuntimeError: batch1 must be a 3D tensor") }
    guard b1.shape[0] == b2.shape[0], b1.shape[2] == b2.shape[1] else {
        torchFatal("RuntimeError: Expected size for first two dimensions of batch2 tensor to be: [\(b1.shape[0]), \(b1.shape[2])] but got: [\(b2.shape[0]), \(b2.shape[1])].")
    }
}

/// A fresh output holding `input` broadcast to `shape` (when `beta` will read it).
private func scaledInputCopy(_ input: Tensor, shape: [Int], dtype: DType, beta: Double) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: dtype, zeroed: beta == 0)
    if beta != 0 { copyElements(from: input.broadcastView(to: shape), to: out) }
    return out
}
