/// `softmax`, `logSoftmax` and `logsumexp`: exponentials normalised along a dim, computed
/// with the maximum subtracted first so large inputs neither overflow nor lose precision.

/// The input of a softmax-family op as a contiguous tensor of the result dtype, seen as
/// `[outer, n, inner]` around `dim`.
private func softmaxGeometry(_ x: Tensor, dim: Int) -> (input: Tensor, outer: Int, n: Int, inner: Int) {
    let input = x.contiguous()
    guard x.dim > 0 else { return (input, 1, 1, 1) }
    let outer = x.shape[..<dim].reduce(1, *), inner = x.shape[(dim + 1)...].reduce(1, *)
    return (input, outer, x.shape[dim], inner)
}

/// The softmax-family gradient in one kernel pass per row, for the common case: a plain
/// backward (nothing to record for second derivatives), the last dim, dense float32 or
/// float64 gradient and output of one dtype. `nil`: the composed formula handles it.
private func fusedSoftmaxBackward(_ kind: SoftmaxKind, grad: Tensor, output y: Tensor, dim: Int) -> Tensor? {
    guard !isGradEnabled(), y.dim > 0, dim == y.dim - 1, grad.dtype == y.dtype,
          y.dtype == .float32 || y.dtype == .float64, grad.shape == y.shape, grad.isContiguous, y.isContiguous
    else { return nil }
    let n = y.shape[dim]
    let out = Tensor(uninitializedShape: y.shape, dtype: y.dtype, zeroed: false)
    softmaxBackwardRows(kind, grad: grad, output: y, outer: n == 0 ? 0 : y.numel / n, n: n, into: out)
    return out
}

/// `softmax` or `logSoftmax` of `x` along `dim`.
private func softmaxFamily(_ x: Tensor, dim: Int, dtype: DType?, log: Bool) -> Tensor {
    let x = autocastToFloat32(x)
    let d = normalizeDim(dim, rank: x.dim)
    guard let resultType = dtype ?? (x.dtype.isFloatingPoint ? x.dtype : nil) else {
        let lastDim = x.dim == 0 || d == x.dim - 1
        torchFatal("NotImplementedError: \"\(log ? "log_" : "")softmax_\(lastDim ? "lastdim_" : "")kernel_impl\" not implemented for '\(x.dtype.scalarTypeName)'")
    }
    guard resultType.isFloatingPoint else {
        torchFatal("NotImplementedError: \"\(log ? "log_" : "")softmax_kernel_impl\" not implemented for '\(resultType.scalarTypeName)'")
    }
    let (input, outer, n, inner) = softmaxGeometry(x.converted(to: resultType), dim: d)
    let out = Tensor(uninitializedShape: x.shape, dtype: resultType, zeroed: false)
    if n > 0 { softmaxKernel(log ? .logSoftmax : .softmax, input, outer: outer, n: n, inner: inner, into: out) }
    if needsGrad(x) {
        let name = log ? "LogSoftmaxBackward0" : "SoftmaxBackward0"
        let so = SavedTensor(output: out, producer: name)
        let inputType = x.dtype
        record(name, input: x, outputs: [out]) { g in
            let y = so.unpack(), grad = g[0]!
            if let dx = fusedSoftmaxBackward(log ? .logSoftmax : .softmax, grad: grad, output: y, dim: d) {
                return [dx.to(inputType)]
            }
            let dx = log ? grad - exp(y) * grad.sum(dim: d, keepdim: true)
                         : y * (grad - (grad * y).sum(dim: d, keepdim: true))
            return [dx.to(inputType)]
        }
    }
    return out
}

extension Tensor {
    /// `exp(x) / Σ exp(x)` along `dim` (`x.softmax(dim: -1)`); `dtype:` converts the input
    /// first (needed for integer tensors) (`torch.Tensor.softmax`).
    public func softmax(dim: Int, dtype: DType? = nil) -> Tensor { softmaxFamily(self, dim: dim, dtype: dtype, log: false) }

    /// `log(softmax(x))` along `dim`, computed as `x - max - log Σ exp(x - max)`
    /// (`torch.Tensor.log_softmax`).
    public func logSoftmax(dim: Int, dtype: DType? = nil) -> Tensor { softmaxFamily(self, dim: dim, dtype: dtype, log: true) }

    /// `log Σ exp(x)` over `dims` (all when empty), without overflow
    /// (`x.logsumexp(dim: 1)`). Integer tensors give the default float dtype
    /// (`torch.Tensor.logsumexp`).
    public func logsumexp(dims: [Int], keepdim: Bool = false) -> Tensor {
        let out = noGrad { logsumexpValue(dims: dims, keepdim: keepdim) }
        if needsGrad(self) {
            let sx = SavedTensor(self), so = SavedTensor(output: out, producer: "LogsumexpBackward0")
            let set = reductionDims(dims, rank: dim), shape = self.shape
            record("LogsumexpBackward0", input: self, outputs: [out]) { g in
                let y = expandReduced(so.unpack(), to: shape, dims: set, keepdim: keepdim)
                return [expandReduced(g[0]!, to: shape, dims: set, keepdim: keepdim) * Torch.exp(sx.unpack() - y)]
            }
        }
        return out
    }

    private func logsumexpValue(dims: [Int], keepdim: Bool) -> Tensor {
        let resultType = dtype.isFloatingPoint ? dtype : defaultDtype()
        let set = reductionDims(dims, rank: dim)
        let x = converted(to: resultType)
        let out = reductionOutput(x, dims: set, keepdim: keepdim, dtype: resultType)
        guard out.numel > 0 else { return out }
        let reduced = (0..<dim).filter { set.contains($0) }
        if reduced.count <= 1 {
            let d = reduced.first ?? 0
            let (input, outer, n, inner) = softmaxGeometry(x, dim: d)
            if n == 0 || x.numel == 0 {
                fillElements(out, with: .double(-.infinity))
            } else {
                softmaxKernel(.logSumExp, input, outer: outer, n: n, inner: inner, into: out)
            }
            return out
        }
        // Several dims: gather them last in one contiguous block per output.
        let kept = (0..<dim).filter { !set.contains($0) }
        let order = kept + reduced
        let permuted = x.makeView(shape: order.map { x.shape[$0] }, strides: order.map { x.strides[$0] }, offset: x.offset)
        let block = Tensor(uninitializedShape: permuted.shape, dtype: resultType, zeroed: false)
        copyElements(from: permuted, to: block)
        let n = reduced.reduce(1) { $0 * shape[$1] }
        if n == 0 {
            fillElements(out, with: .double(-.infinity))
        } else {
            softmaxKernel(.logSumExp, block, outer: out.numel, n: n, inner: 1, into: out)
        }
        return out
    }

    /// `log Σ exp(x)` along `dim` (`torch.Tensor.logsumexp`).
    public func logsumexp(dim: Int, keepdim: Bool = false) -> Tensor { logsumexp(dims: [dim], keepdim: keepdim) }
}

/// `x.softmax(dim:)` as a free function (`torch.softmax`, `F.softmax`).
public func softmax(_ x: Tensor, dim: Int, dtype: DType? = nil) -> Tensor { x.softmax(dim: dim, dtype: dtype) }
/// `x.logSoftmax(dim:)` as a free function (`torch.log_softmax`, `F.log_softmax`).
public func logSoftmax(_ x: Tensor, dim: Int, dtype: DType? = nil) -> Tensor { x.logSoftmax(dim: dim, dtype: dtype) }
/// `x.logsumexp(dim:keepdim:)` as a free function (`torch.logsumexp`).
public func logsumexp(_ x: Tensor, dim: Int, keepdim: Bool = false) -> Tensor { x.logsumexp(dim: dim, keepdim: keepdim) }
/// `x.logsumexp(dims:keepdim:)` as a free function (`torch.logsumexp`).
public func logsumexp(_ x: Tensor, dims: [Int], keepdim: Bool = false) -> Tensor { x.logsumexp(dims: dims, keepdim: keepdim) }
