/// `torch.linalg.householder_product` (`torch.orgqr`): the first `n` columns of the product
/// of Householder reflections `H₁ H₂ ⋯ H_k`, `Hᵢ = I - τᵢ vᵢ vᵢᵀ`, as LAPACK's `orgqr` forms
/// `Q` from `geqrf`'s output. Composed of matrix ops run unrecorded, then recorded as one node
/// (`LinalgHouseholderProductBackward0`) whose gradient is the composition's own, so first
/// and second derivatives are exact.

extension linalg {
    /// The product of Householder reflections stored below the diagonal of `a` with
    /// scales `tau` (`torch.linalg.householder_product`).
    ///
    /// - Parameters:
    ///   - a: `(*, m, n)`, m ≥ n: column `i` below the diagonal holds `vᵢ` (its `i`-th
    ///     entry is an implicit 1, entries above are zeros; the diagonal and above of `a`
    ///     are not read).
    ///   - tau: `(*, k)`, k ≤ n, the reflections' scales.
    /// - Returns: `(*, m, n)`, the first `n` columns of `H₁ ⋯ H_k`.
    public static func householderProduct(_ a: Tensor, _ tau: Tensor) -> Tensor {
        let op = "torch.linalg.householder_product"
        guard a.dim >= 2 else { torchFatal("RuntimeError: \(op): input must have at least 2 dimensions.") }
        let m = a.shape[a.dim - 2], n = a.shape[a.dim - 1]
        guard m >= n else {
            torchFatal("RuntimeError: \(op): input.shape[-2] must be greater than or equal to input.shape[-1]")
        }
        guard tau.dim == a.dim - 1 else {
            torchFatal("RuntimeError: \(op): Expected tau to have one dimension less than input, but got tau.ndim equal to \(tau.dim) and input.ndim is equal to \(a.dim)")
        }
        let k = tau.shape[tau.dim - 1]
        guard n >= k else { torchFatal("RuntimeError: \(op): input.shape[-1] must be greater than or equal to tau.shape[-1]") }
        guard Array(tau.shape.dropLast()) == Array(a.shape.dropLast(2)) else {
            torchFatal("RuntimeError: \(op): Expected batch dimensions of tau to be equal to input.shape[:-2], but got \(tau.shape.dropLast().map { $0 })")
        }
        guard tau.dtype == a.dtype else {
            torchFatal("RuntimeError: \(op): tau dtype \(tau.dtype.scalarTypeName) does not match input dtype \(a.dtype.scalarTypeName)")
        }
        guard a.dtype.isFloatingPoint else { notImplemented("householder_product", for: a.dtype) }
        return recordedAsOneNode("LinalgHouseholderProductBackward0", [a, tau]) { inputs in
            householderComposition(inputs[0], inputs[1], m: m, n: n, k: k)
        }
    }

    /// `torch.orgqr`, the older name of ``householderProduct(_:_:)``.
    public static func orgqr(_ a: Tensor, _ tau: Tensor) -> Tensor { householderProduct(a, tau) }
}

/// `Q = H₁ ⋯ H_k I[:, :n]`, applied from the last reflection back (as `orgqr`): `Q ← Q - τᵢ vᵢ (vᵢᵀ Q)`.
private func householderComposition(_ a: Tensor, _ tau: Tensor, m: Int, n: Int, k: Int) -> Tensor {
    let lead = Array(a.shape.dropLast(2))
    var q = Tensor.eye(m, n, dtype: a.dtype).expand(lead + [m, n])
    let rows = Tensor.arange(0, m)
    for i in stride(from: k - 1, through: 0, by: -1) {
        // vᵢ: zeros above row i, 1 at row i, the column of `a` below.
        let below = (rows .> i).to(a.dtype), unit = (rows .== i).to(a.dtype)
        let v = (a.select(-1, i) * below + unit).unsqueeze(-1)             // (*, m, 1)
        let scale = tau.select(-1, i).unsqueeze(-1).unsqueeze(-1)          // (*, 1, 1)
        q = q - scale * matmul(v, matmul(v.transpose(-2, -1), q))
    }
    return q
}

/// Runs `compose` unrecorded and records one node `name` whose backward differentiates the
/// composition again (with the graph kept when a second derivative is being built), for an op
/// PyTorch records as a single node but whose derivative is simply that of its composition.
func recordedAsOneNode(_ name: String, _ inputs: [Tensor], _ compose: @escaping ([Tensor]) -> Tensor) -> Tensor {
    let out = noGrad { compose(inputs) }
    guard needsGrad(inputs) else { return out }
    // The composition is run again on the inputs: saved with version checks.
    let saved = inputs.map(SavedTensor.init)
    record(name, inputs: inputs, outputs: [out]) { g in
        let inputs = saved.map { $0.unpack() }
        let createGraph = isGradEnabled()
        // Without a graph to build, differentiate detached copies so nothing reaches the
        // inputs' own history; with one, the originals, so higher derivatives reach it.
        let xs = inputs.map { x in createGraph || !x.requiresGrad ? x : x.detach().requiresGrad_() }
        let wrt = xs.filter(\.requiresGrad)
        let y = enableGrad { compose(xs) }
        let grads = gradients(of: [y], wrt: wrt, gradOutputs: [g[0]!], createGraph: createGraph, allowUnused: true)
        var next = grads.makeIterator()
        return xs.map { x in x.requiresGrad ? (next.next() ?? nil) : nil }
    }
    return out
}
