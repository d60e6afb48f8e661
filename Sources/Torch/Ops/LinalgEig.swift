/// `torch.linalg.eig` and `eigvals` for general (non-symmetric) real matrices by LAPACK's
/// `geev`. PyTorch returns complex tensors; SwiftTorch has no complex dtypes, so each
/// complex result comes as a pair of real tensors `(real, imag)` of the input's dtype.
/// Eigenvalues are in LAPACK's order (conjugate pairs adjacent, positive imaginary part
/// first); each eigenvector has unit 2-norm with its largest component real, as LAPACK
/// normalises it (a real eigenvector's sign is LAPACK's choice and may differ from
/// PyTorch's MKL build). No gradient: PyTorch's derivative is complex-valued.

extension linalg {
    /// The eigenvalues and right eigenvectors of each square matrix (`torch.linalg.eig`):
    /// `A V = V diag(λ)` with `λ = eigenvalues.real + i·eigenvalues.imag` `(*, n)` and
    /// `V = eigenvectors.real + i·eigenvectors.imag` `(*, n, n)` (column `j` for `λⱼ`).
    /// Backward through the results stops with `NotImplementedError`.
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
    func wrap<T: LeastSquaresScalar>(_ r: (valuesRe: [T], valuesIm: [T], vectorsRe: [T], vectorsIm: [T], info: [Int])) -> [Tensor] {
        if let bad = r.info.first(where: { $0 != 0 }) {
            torchFatal("RuntimeError: \(op): The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated eigenvalues (error code: \(bad)).")
        }
        var result = [Tensor(shape: lead + [n], scalars: r.valuesRe), Tensor(shape: lead + [n], scalars: r.valuesIm)]
        if vectors {
            result += [Tensor(shape: lead + [n, n], scalars: r.vectorsRe), Tensor(shape: lead + [n, n], scalars: r.vectorsIm)]
        }
        return result
    }
    if a.dtype == .float32 {
        outputs = wrap(generalEigenKernel(dense.pointer(as: Float.self), count: count, n: n, vectors: vectors))
    } else {
        outputs = wrap(generalEigenKernel(dense.pointer(as: Double.self), count: count, n: n, vectors: vectors))
    }
    if needsGrad(a) {
        record(vectors ? "LinalgEigBackward0" : "LinalgEigvalsBackward0", inputs: [a], outputs: outputs) { _ in
            torchFatal("NotImplementedError: the derivative of \(op) is complex-valued, and SwiftTorch has no complex dtypes")
        }
    }
    return (outputs[0], outputs[1], vectors ? outputs[2] : nil, vectors ? outputs[3] : nil)
}
