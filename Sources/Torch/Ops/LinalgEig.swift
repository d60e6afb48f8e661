/// `torch.linalg.eig` and `eigvals` for general (non-symmetric) real matrices by LAPACK's
/// `geev`. PyTorch returns complex tensors; SwiftTorch has no complex dtypes, so each
/// complex result comes as a pair of real tensors `(real, imag)` of the input's dtype.
/// Eigenvalues are in LAPACK's order (conjugate pairs adjacent, positive imaginary part
/// first); each eigenvector has unit 2-norm with its largest component real, as LAPACK
/// normalises it (a real eigenvector's sign is LAPACK's choice and may differ from
/// PyTorch's MKL build). Gradients flow back from both parts of both results, by PyTorch's
/// formula computed on real/imaginary pairs (`eigBackward` below); as in PyTorch, a loss
/// that depends on an eigenvector's phase is refused.

extension linalg {
    /// The eigenvalues and right eigenvectors of each square matrix (`torch.linalg.eig`):
    /// `A V = V diag(λ)` with `λ = eigenvalues.real + i·eigenvalues.imag` `(*, n)` and
    /// `V = eigenvectors.real + i·eigenvectors.imag` `(*, n, n)` (column `j` for `λⱼ`).
    /// Differentiable when the loss does not depend on each eigenvector's phase (PyTorch's
    /// rule: functions of the eigenvalues, of `|V|`, of `V diag(λ) V⁻¹`, ...).
    public static func eig(_ a: Tensor) -> (eigenvalues: (real: Tensor, imag: Tensor), eigenvectors: (real: Tensor, imag: Tensor)) {
        let r = generalEigen(a, vectors: true, op: "linalg.eig")
        return ((r.valuesRe, r.valuesIm), (r.vectorsRe!, r.vectorsIm!))
    }

    /// The eigenvalues of each square matrix as `(real, imag)` parts (`torch.linalg.eigvals`).
    public static func eigvals(_ a: Tensor) -> (real: Tensor, imag: Tensor) {
        let r = generalEigen(a, vectors: false, op: "linalg.eigvals")
        return (r.valuesRe, r.valuesIm)
    }
}

/// `geev` over the batch, after PyTorch's checks, with a node that refuses backward.
private func generalEigen(_ a: Tensor, vectors: Bool, op: String)
    -> (valuesRe: Tensor, valuesIm: Tensor, vectorsRe: Tensor?, vectorsIm: Tensor?) {
    guard a.dim >= 2 else {
        torchFatal("RuntimeError: \(op): The input tensor A must have at least 2 dimensions.")
    }
    let n = a.shape[a.dim - 1]
    guard a.shape[a.dim - 2] == n else {
        torchFatal("RuntimeError: linalg.eig: A must be batches of square matrices, but they are \(a.shape[a.dim - 2]) by \(n) matrices")
    }
    guard a.dtype == .float32 || a.dtype == .float64 else {
        torchFatal("RuntimeError: \(op): expected a float32 or float64 tensor (complex results come as real and imaginary parts), got \(a.dtype.scalarTypeName)")
    }
    guard noGrad({ isfinite(a).all().item() != 0 }) else {
        torchFatal("RuntimeError: torch.linalg.eig: input tensor should not contain infs or NaNs.")
    }
    let lead = Array(a.shape.dropLast(2)), count = lead.reduce(1, *)
    let dense = noGrad { a.contiguous() }
    var outputs: [Tensor]
    // The eigenvalues' derivative needs the eigenvectors too: computed when asked for, or
    // when a gradient will flow.
    let withVectors = vectors || needsGrad(a)
    let r = generalEigenKernel(dense, count: count, n: n, lead: lead, vectors: withVectors)
    if let bad = r.info.first(where: { $0 != 0 }) {
        torchFatal("RuntimeError: \(op): The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated eigenvalues (error code: \(bad)).")
    }
    outputs = [r.valuesRe, r.valuesIm]
    if let vectorsRe = r.vectorsRe, let vectorsIm = r.vectorsIm { outputs += [vectorsRe, vectorsIm] }
    if needsGrad(a) {
        // Saved: the results (the input is not read by the formula); eigvals' eigenvectors
        // are not results, so they are saved as ordinary tensors.
        let name = vectors ? "LinalgEigBackward0" : "LinalgEigvalsBackward0"
        let recorded = vectors ? outputs : Array(outputs.prefix(2))
        let saved = outputs.indices.map { i in
            i < recorded.count ? SavedTensor(output: outputs[i], producer: name, outputNumber: i) : SavedTensor(outputs[i])
        }
        record(name, input: a, outputs: recorded) { g in
            let values = ComplexPair(re: saved[0].unpack(), im: saved[1].unpack())
            let eigenvectors = ComplexPair(re: saved[2].unpack(), im: saved[3].unpack())
            func pair(_ re: Tensor?, _ im: Tensor?, like t: Tensor) -> ComplexPair? {
                guard re != nil || im != nil else { return nil }
                return ComplexPair(re: re ?? Tensor.zeros(t.shape, dtype: t.dtype), im: im ?? Tensor.zeros(t.shape, dtype: t.dtype))
            }
            let gL = pair(g[0], g[1], like: values.re)
            let gV = g.count > 2 ? pair(g[2], g[3], like: eigenvectors.re) : nil
            return [eigBackward(gL: gL, gV: gV, L: values, V: eigenvectors)]
        }
    }
    return (outputs[0], outputs[1], vectors ? outputs[2] : nil, vectors ? outputs[3] : nil)
}

/// A complex tensor as its real and imaginary parts (SwiftTorch has no complex dtypes), with
/// the operations `eig`'s derivative needs.
private struct ComplexPair {
    var re: Tensor
    var im: Tensor

    /// The conjugate transpose of the last two dimensions.
    var mH: ComplexPair { ComplexPair(re: re.mT, im: -im.mT) }

    /// The matrix product.
    func matmul(_ b: ComplexPair) -> ComplexPair {
        ComplexPair(re: Torch.matmul(re, b.re) - Torch.matmul(im, b.im), im: Torch.matmul(re, b.im) + Torch.matmul(im, b.re))
    }

    /// The elementwise quotient.
    func divided(by b: ComplexPair) -> ComplexPair {
        let norm = b.re * b.re + b.im * b.im
        return ComplexPair(re: (re * b.re + im * b.im) / norm, im: (im * b.re - re * b.im) / norm)
    }

    static func - (a: ComplexPair, b: ComplexPair) -> ComplexPair { ComplexPair(re: a.re - b.re, im: a.im - b.im) }

    /// `X` with `self · X = b` (square `self`), through the real system of twice the size
    /// `[[re, −im], [im, re]] [Xre; Xim] = [bre; bim]`.
    func solve(_ b: ComplexPair) -> ComplexPair {
        let n = re.shape[re.dim - 1]
        let system = cat([cat([re, -im], dim: -1), cat([im, re], dim: -1)], dim: -2)
        let x = linalg.solve(system, cat([b.re, b.im], dim: -2))
        return ComplexPair(re: x.narrow(-2, 0, n), im: x.narrow(-2, n, n))
    }
}

/// PyTorch's `linalg_eig_backward` for a real input: with `E[i][j] = conj(λⱼ) − conj(λᵢ)`,
/// `gA = re(V⁻ᴴ (diag(gλ) + offdiag((Vᴴ gV − Vᴴ V diag(re(diag(Vᴴ gV)))) / E)) Vᴴ)`.
/// The imaginary part of `diag(Vᴴ gV)` is the loss's dependence on each eigenvector's phase,
/// which LAPACK chose arbitrarily; like PyTorch, a loss that depends on it is an error.
private func eigBackward(gL: ComplexPair?, gV: ComplexPair?, L: ComplexPair, V: ComplexPair) -> Tensor? {
    guard gL != nil || gV != nil else { return nil }
    let n = L.re.shape[L.re.dim - 1]
    let vh = V.mH
    let eye = Tensor.eye(n, dtype: L.re.dtype)
    var inner: ComplexPair
    if let gV {
        var vhgv = vh.matmul(gV)
        let diagonalRe = vhgv.re.diagonal(offset: 0, dim1: -2, dim2: -1)
        let diagonalIm = vhgv.im.diagonal(offset: 0, dim1: -2, dim2: -1)
        guard allclose(diagonalIm, Tensor.zeros(diagonalIm.shape, dtype: diagonalIm.dtype), rtol: 1e-2, atol: 1e-2) else {
            torchFatal("RuntimeError: linalg_eig_backward: The eigenvectors in the complex case are specified up to multiplication by e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")
        }
        let scale = diagonalRe.unsqueeze(-2)
        vhgv = vhgv - vh.matmul(ComplexPair(re: V.re * scale, im: V.im * scale))
        let e = ComplexPair(re: L.re.unsqueeze(-2) - L.re.unsqueeze(-1) + eye, im: L.im.unsqueeze(-1) - L.im.unsqueeze(-2))
        inner = vhgv.divided(by: e)
        let offDiagonal = 1 - eye
        inner = ComplexPair(re: inner.re * offDiagonal, im: inner.im * offDiagonal)
        if let gL {
            inner = ComplexPair(re: inner.re + gL.re.diagEmbed(), im: inner.im + gL.im.diagEmbed())
        }
    } else {
        inner = ComplexPair(re: gL!.re.diagEmbed(), im: gL!.im.diagEmbed())
    }
    return vh.solve(inner.matmul(vh)).re
}
