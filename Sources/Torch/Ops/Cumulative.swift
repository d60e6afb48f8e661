/// Running sums and products along a dim: `cumsum`, `cumprod`. Integers and booleans give
/// int64, as in PyTorch; `dtype:` converts the input first.

/// A scan of `x` along `dim` in the result dtype.
private func scan(_ x: Tensor, dim: Int, dtype: DType?, product: Bool) -> Tensor {
    let d = normalizeDim(dim, rank: x.dim)
    let resultType = dtype ?? (x.dtype.isFloatingPoint ? x.dtype : .int64)
    let input = x.converted(to: resultType)
    let out = Tensor(uninitializedShape: x.shape, dtype: resultType, zeroed: false)
    guard x.dim > 0 else {
        // A 0-d tensor is its own running sum.
        copyElements(from: input, to: out)
        return out
    }
    scanKernel(input, dim: d, product: product, into: out)
    if needsGrad(x) && resultType.isFloatingPoint {
        // cumsum's derivative reads nothing; cumprod's reads its input and result.
        let sx = product ? SavedTensor(x) : nil
        let so = product ? SavedTensor(output: out, producer: "CumprodBackward0") : nil
        record(product ? "CumprodBackward0" : "CumsumBackward0", input: x, outputs: [out]) { g in
            // The reversed running sum: Σ_{j≥i} g_j.
            func reverseCumsum(_ t: Tensor) -> Tensor { t.sum(dim: d, keepdim: true) - t.cumsum(dim: d) + t }
            if !product { return [reverseCumsum(g[0]!)] }
            let v = sx!.unpack()
            if !logicalNot(v .== 0.0).toArray(Bool.self).contains(false) {
                // For non-zero inputs, d(Π_{k≤j} x_k)/dx_i = y_j / x_i for j ≥ i.
                return [reverseCumsum(g[0]! * so!.unpack()) / v]
            }
            return [noGrad { cumprodGradientWithZeros(v, g[0]!, dim: d) }]
        }
    }
    return out
}

extension Tensor {
    /// Running sums along `dim` (`x.cumsum(dim: 0)`, `torch.Tensor.cumsum`).
    public func cumsum(dim: Int, dtype: DType? = nil) -> Tensor { scan(self, dim: dim, dtype: dtype, product: false) }

    /// Running products along `dim` (`x.cumprod(dim: 0)`, `torch.Tensor.cumprod`).
    public func cumprod(dim: Int, dtype: DType? = nil) -> Tensor { scan(self, dim: dim, dtype: dtype, product: true) }
}

/// `x.cumsum(dim:)` as a free function (`torch.cumsum`).
public func cumsum(_ x: Tensor, dim: Int, dtype: DType? = nil) -> Tensor { x.cumsum(dim: dim, dtype: dtype) }
/// `x.cumprod(dim:)` as a free function (`torch.cumprod`).
public func cumprod(_ x: Tensor, dim: Int, dtype: DType? = nil) -> Tensor { x.cumprod(dim: dim, dtype: dtype) }

/// The exact cumprod gradient when some inputs are zero (division would give NaN):
/// `dx_i = Σ_{j≥i} g_j Π_{k≤j, k≠i} x_k`, per slice along `dim`, in O(n²) per slice.
private func cumprodGradientWithZeros(_ x: Tensor, _ g: Tensor, dim: Int) -> Tensor {
    let last = x.dim - 1
    let xs = x.transpose(dim, last).contiguous(), gs = g.transpose(dim, last).contiguous()
    let n = xs.shape[last], slices = xs.numel / max(n, 1)
    let xv = xs.toArray(Double.self), gv = gs.toArray(Double.self)
    var out = [Double](repeating: 0, count: xv.count)
    for s in 0..<slices {
        let base = s * n
        for i in 0..<n {
            var total = 0.0
            var left = 1.0
            for k in 0..<i { left *= xv[base + k] }
            var running = left
            for j in i..<n {
                if j > i { running *= xv[base + j] }
                total += gv[base + j] * running
            }
            out[base + i] = total
        }
    }
    return Tensor(shape: xs.shape, scalars: out).to(x.dtype).transpose(dim, last).contiguous()
}
