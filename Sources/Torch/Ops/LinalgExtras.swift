import Foundation

/// More of `torch.linalg`: `cholesky`/`choleskyEx`, `qr`, `slogdet`, `pinv`, `matrixRank`,
/// `matrixNorm`, `matrixPower`, `matrixExp`, `multiDot`, with PyTorch's derivative nodes
/// where PyTorch has its own (`LinalgCholeskyExBackward0`, `LinalgQrBackward0`,
/// `LinalgSlogdetBackward0`, `LinalgPinvBackward0`, `LinalgMatrixExpBackward0`).
/// `eig`/`eigvals` of non-symmetric matrices are in `LinalgEig.swift` (complex results as
/// real and imaginary parts); `eigh` covers symmetric ones.

/// The batch of `n × n` (or `m × n`) float64 matrices of `a`, row-major.
private func matrices(_ a: Tensor) -> [Double] { a.to(.float64).contiguous().toArray(Double.self) }

/// `I` shaped like the trailing `n × n` of `like`, in its dtype.
private func identity(_ n: Int, like: Tensor) -> Tensor { Tensor.eye(n, dtype: like.dtype) }

extension linalg {
    /// The lower Cholesky factor `L` (`A = L Lᵀ`) of each symmetric positive-definite
    /// matrix (`torch.linalg.cholesky`); fails naming the first bad leading minor.
    public static func cholesky(_ a: Tensor, upper: Bool = false) -> Tensor {
        let (l, info) = choleskyEx(a, upper: upper)
        if let bad = info.toArray(Int64.self).first(where: { $0 != 0 }) {
            torchFatal("RuntimeError: linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order \(bad) is not positive-definite).")
        }
        return l
    }

    /// `cholesky` without failing: the factor and, per matrix, 0 or the order of the first
    /// leading minor that is not positive definite (`torch.linalg.cholesky_ex`).
    public static func choleskyEx(_ a: Tensor, upper: Bool = false) -> (L: Tensor, info: Tensor) {
        checkSquareFloat(a, op: "linalg.cholesky")
        let n = a.shape[a.dim - 1], count = a.numel / Swift.max(n * n, 1)
        let (factor, info) = choleskyKernel(matrices(a), n: n, count: count)
        let lower = Tensor(shape: a.shape, scalars: factor).to(a.dtype)
        let out = upper ? lower.transpose(-2, -1).contiguous() : lower
        if needsGrad(a) {
            // The factor is the result itself (saved as an output: holding it would make the
            // node own its output, a cycle).
            let saved = SavedTensor(output: out, producer: "LinalgCholeskyExBackward0")
            record("LinalgCholeskyExBackward0", input: a, outputs: [out]) { g in
                // gA = L⁻ᵀ Φ(Lᵀ gL) L⁻¹, symmetrised; Φ keeps the lower triangle, halving the diagonal.
                let lower = upper ? saved.unpack().transpose(-2, -1) : saved.unpack()
                let gl = upper ? g[0]!.transpose(-2, -1) : g[0]!
                let phi = matmul(lower.transpose(-2, -1), gl).tril() - 0.5 * (matmul(lower.transpose(-2, -1), gl) * identity(n, like: gl))
                let lInv = linalg.inv(lower)
                let ga = matmul(matmul(lInv.transpose(-2, -1), phi), lInv)
                return [(ga + ga.transpose(-2, -1)) * 0.5]
            }
        }
        return (out, Tensor(shape: Array(a.shape.dropLast(2)), scalars: info.map { Int32($0) }))
    }

    /// The reduced QR decomposition `A = Q R` (`torch.linalg.qr(mode="reduced")`), by
    /// Householder reflections. Gradients need `m ≥ n`, as PyTorch's do.
    public static func qr(_ a: Tensor, mode: String = "reduced") -> (Q: Tensor, R: Tensor) {
        guard mode == "reduced" else { torchFatal("RuntimeError: qr received unrecognized mode '\(mode)' (SwiftTorch has \"reduced\")") }
        guard a.dim >= 2, a.dtype.isFloatingPoint else { torchFatal("RuntimeError: linalg.qr: The input tensor A must have at least 2 dimensions.") }
        let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1], k = Swift.min(m, n)
        let lead = Array(a.shape.dropLast(2)), count = lead.reduce(1, *)
        let (qv, rv) = qrKernel(matrices(a), m: m, n: n, count: count)
        let q = Tensor(shape: lead + [m, k], scalars: qv).to(a.dtype), r = Tensor(shape: lead + [k, n], scalars: rv).to(a.dtype)
        if needsGrad(a) {
            let sq = SavedTensor(output: q, producer: "LinalgQrBackward0", outputNumber: 0)
            let sr = SavedTensor(output: r, producer: "LinalgQrBackward0", outputNumber: 1)
            record("LinalgQrBackward0", input: a, outputs: [q, r]) { g in
                guard m >= n else { torchFatal("NotImplementedError: The derivative of linalg.qr depends on Q, which is not computed when mode='r'. (SwiftTorch: gradients need m >= n)") }
                let q = sq.unpack(), r = sr.unpack()
                let gq = g[0] ?? Tensor.zerosLike(q), gr = g[1] ?? Tensor.zerosLike(r)
                // M = R gRᵀ - gQᵀ Q; gA = (gQ + Q copyltu(M)) R⁻ᵀ.
                let mMat = matmul(r, gr.transpose(-2, -1)) - matmul(gq.transpose(-2, -1), q)
                let lowerM = mMat.tril(-1)
                let copyltu = lowerM + lowerM.transpose(-2, -1) + mMat * identity(k, like: mMat)
                let b = gq + matmul(q, copyltu)
                return [matmul(b, linalg.inv(r).transpose(-2, -1))]
            }
        }
        return (q, r)
    }

    /// The sign and the log of the absolute value of the determinant
    /// (`torch.linalg.slogdet`).
    public static func slogdet(_ a: Tensor) -> (sign: Tensor, logabsdet: Tensor) {
        checkSquareFloat(a, op: "linalg.slogdet")
        let (sign, logabs) = noGrad { () -> (Tensor, Tensor) in
            let d = det(a)
            return (Torch.sign(d), Torch.log(Torch.abs(d)))
        }
        if needsGrad(a) {
            let sa = SavedTensor(a), shape = a.shape, dtype = a.dtype
            record("LinalgSlogdetBackward0", input: a, outputs: [sign, logabs]) { g in
                guard let gl = g[1] else { return [Tensor.zeros(shape, dtype: dtype)] }
                return [gl.unsqueeze(-1).unsqueeze(-1) * inv(sa.unpack()).transpose(-2, -1)]
            }
        }
        return (sign, logabs)
    }

    /// The Moore–Penrose pseudo-inverse by SVD, singular values at or below
    /// `max(atol, rtol·σ_max)` dropped (`torch.linalg.pinv`).
    public static func pinv(_ a: Tensor, atol: (any ScalarConvertible)? = nil,
                            rtol: (any ScalarConvertible)? = nil) -> Tensor {
        let atol = atol?.scalarValue.doubleValue
        let rtol = rtol?.scalarValue.doubleValue
        let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1]
        let out = noGrad { () -> Tensor in
            let (u, s, vh) = svd(a, fullMatrices: false)
            let cutoff = singularValueCutoff(s, rows: m, cols: n, atol: atol, rtol: rtol)
            let sInv = `where`(s .> cutoff, 1 / s, Tensor.zeros([], dtype: s.dtype))
            return matmul(vh.transpose(-2, -1) * sInv.unsqueeze(-2), u.transpose(-2, -1))
        }
        if needsGrad(a) {
            let sa = SavedTensor(a), so = SavedTensor(output: out, producer: "LinalgPinvBackward0")
            record("LinalgPinvBackward0", input: a, outputs: [out]) { g in [pinvBackward(g[0]!, pinv: so.unpack(), sa.unpack())] }
        }
        return out
    }

    /// The gradient of `A⁺` with respect to `A` for an output gradient `g` (Golub–Pereyra:
    /// `-A⁺ᵀ G A⁺ᵀ + (I - A A⁺) Gᵀ A⁺ A⁺ᵀ + A⁺ᵀ A⁺ Gᵀ (I - A⁺ A)`), in recorded ops; shared
    /// with `lstsq`, whose gradient PyTorch writes through the pseudo-inverse.
    static func pinvBackward(_ g: Tensor, pinv p: Tensor, _ a: Tensor) -> Tensor {
        let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1]
        let pt = p.transpose(-2, -1), gt = g.transpose(-2, -1)
        let left = identity(m, like: a) - matmul(a, p), right = identity(n, like: a) - matmul(p, a)
        return -matmul(matmul(pt, g), pt) + matmul(matmul(left, gt), matmul(p, pt)) + matmul(matmul(pt, p), matmul(gt, right))
    }

    /// The number of singular values above `max(atol, rtol·σ_max)` (`torch.linalg.matrix_rank`).
    public static func matrixRank(_ a: Tensor, atol: (any ScalarConvertible)? = nil,
                                  rtol: (any ScalarConvertible)? = nil) -> Tensor {
        let atol = atol?.scalarValue.doubleValue
        let rtol = rtol?.scalarValue.doubleValue
        return noGrad {
            let s = svdvals(a)
            let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1]
            let cutoff = singularValueCutoff(s, rows: m, cols: n, atol: atol, rtol: rtol)
            return (s .> cutoff).sum(dims: [-1])
        }
    }

    /// A matrix norm over the last two dimensions (`torch.linalg.matrix_norm`): `"fro"`,
    /// `"nuc"`, or the order `1`, `-1`, `2`, `-2`, `inf`, `-inf`.
    public static func matrixNorm(_ a: Tensor, ord: String = "fro", keepdim: Bool = false) -> Tensor {
        switch ord {
        case "fro": return norm(a, ord: 2, dims: [-2, -1], keepdim: keepdim)
        case "nuc":
            let s = svdvals(a).sum(dims: [-1])
            return keepdim ? s.unsqueeze(-1).unsqueeze(-1) : s
        default: torchFatal("RuntimeError: linalg.matrix_norm: Order \(ord) not supported.")
        }
    }

    /// `matrixNorm` of a numeric order (`1`, `-1`, `2`, `-2`, `inf`, `-inf`).
    public static func matrixNorm(_ a: Tensor, ord: some ScalarConvertible, keepdim: Bool = false) -> Tensor {
        let ord = ord.scalarValue.doubleValue
        let result: Tensor
        switch ord {
        case 2, -2:
            let s = svdvals(a)
            result = ord > 0 ? s.amax(dims: [-1]) : s.amin(dims: [-1])
        case 1, -1:
            let sums = Torch.abs(a).sum(dims: [-2])
            result = ord > 0 ? sums.amax(dims: [-1]) : sums.amin(dims: [-1])
        case .infinity, -.infinity:
            let sums = Torch.abs(a).sum(dims: [-1])
            result = ord > 0 ? sums.amax(dims: [-1]) : sums.amin(dims: [-1])
        default: torchFatal("RuntimeError: linalg.matrix_norm: Order \(ord) not supported.")
        }
        return keepdim ? result.unsqueeze(-1).unsqueeze(-1) : result
    }

    /// `A` to the integer power `n` by repeated squaring; `n < 0` inverts first, `n = 0`
    /// gives the identity (`torch.linalg.matrix_power`).
    public static func matrixPower(_ a: Tensor, _ n: Int) -> Tensor {
        guard a.dim >= 2, a.shape[a.dim - 1] == a.shape[a.dim - 2] else {
            torchFatal("RuntimeError: linalg.matrix_power: A must be batches of square matrices, but they are \(a.dim >= 2 ? a.shape[a.dim - 2] : 0) by \(a.dim >= 1 ? a.shape[a.dim - 1] : 0) matrices")
        }
        // PyTorch copies the identity into a clone of A: a graph node (CopyBackwards) with zero gradient.
        if n == 0 { return a.clone().copy_(identity(a.shape[a.dim - 1], like: a).expand(a.shape)) }
        if n == 1 { return a.clone() }
        var base = n < 0 ? inv(a) : a
        var exponent = Swift.abs(n)
        var result: Tensor? = nil
        // As PyTorch: the result accumulates the squares of the set bits, low to high.
        while exponent > 0 {
            if exponent & 1 == 1 { result = result.map { matmul($0, base) } ?? base }
            exponent >>= 1
            if exponent > 0 { base = matmul(base, base) }
        }
        return result!
    }

    /// The matrix exponential `Σ Aᵏ/k!` by scaling and squaring (`torch.linalg.matrix_exp`).
    public static func matrixExp(_ a: Tensor) -> Tensor {
        checkSquareFloat(a, op: "linalg.matrix_exp")
        let out = noGrad { expm(a.to(.float64)).to(a.dtype) }
        if needsGrad(a) {
            let sa = SavedTensor(a), n = a.shape[a.dim - 1]
            record("LinalgMatrixExpBackward0", input: a, outputs: [out]) { g in
                // The Fréchet derivative: the upper-right block of exp([[Aᵀ, G], [0, Aᵀ]]).
                let at = sa.unpack().transpose(-2, -1)
                let top = cat([at, g[0]!], dim: -1), bottom = cat([Tensor.zerosLike(at), at], dim: -1)
                let big = cat([top, bottom], dim: -2)
                return [linalg.matrixExp(big).narrow(-2, 0, n).narrow(-1, n, n)]
            }
        }
        return out
    }

    /// The product of a chain of matrices, the first and last possibly vectors
    /// (`torch.linalg.multi_dot`).
    public static func multiDot(_ tensors: [Tensor]) -> Tensor {
        guard tensors.count >= 2 else { torchFatal("RuntimeError: multi_dot(): expected at least 2 tensors but got \(tensors.count)") }
        var chain = tensors
        let firstIsVector = chain[0].dim == 1, lastIsVector = chain[chain.count - 1].dim == 1
        if firstIsVector { chain[0] = chain[0].unsqueeze(0) }
        if lastIsVector { chain[chain.count - 1] = chain[chain.count - 1].unsqueeze(-1) }
        var result = chain[0]
        for t in chain.dropFirst() { result = mm(result, t) }
        var shape = result.shape
        if lastIsVector { shape.removeLast() }
        if firstIsVector { shape.removeFirst() }
        return result.view(shape)
    }
}

/// `max(atol, rtol·σ_max)` per matrix (keeping a trailing 1), PyTorch's threshold for the
/// singular values `pinv` inverts and `matrixRank` counts; `rtol` defaults to
/// `ε·max(m, n)` when neither tolerance is given.
private func singularValueCutoff(_ s: Tensor, rows m: Int, cols n: Int, atol: Double?, rtol: Double?) -> Tensor {
    let epsilon = s.dtype.machineEpsilon   // singular values are float32 or float64
    let relative = rtol ?? (atol == nil ? epsilon * Double(Swift.max(m, n)) : 0)
    return maximum(s.amax(dims: [-1], keepdim: true) * relative, Tensor.full([], .double(atol ?? 0), dtype: s.dtype))
}

/// `exp(A)` of float64 matrices: Taylor series on `A / 2^s` (‖A / 2^s‖ ≤ 1/2), squared `s`
/// times; unrecorded.
private func expm(_ a: Tensor) -> Tensor {
    let n = a.shape[a.dim - 1]
    let norm = Torch.abs(a).sum(dims: [-1]).amax().item()
    let s = norm > 0.5 ? Int(Foundation.ceil(Foundation.log2(norm / 0.5))) : 0
    let scaled = a / Foundation.pow(2.0, Double(s))
    let eye = Tensor.eye(n, dtype: a.dtype).expand(a.shape)
    var term = eye, sum = eye
    for k in 1...20 {
        term = matmul(term, scaled) / Double(k)
        sum = sum + term
    }
    for _ in 0..<s { sum = matmul(sum, sum) }
    return sum
}
