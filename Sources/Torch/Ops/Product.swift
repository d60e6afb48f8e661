/// `prod`: the product of all elements or along one dim, with PyTorch's result dtypes
/// (integers and booleans multiply in int64; `dtype:` converts the input first).

/// The dtype `prod` gives: integers and booleans widen to `int64`.
private func productDtype(_ x: Tensor, _ dtype: DType?) -> DType {
    dtype ?? (x.dtype.isFloatingPoint ? x.dtype : .int64)
}

extension Tensor {
    /// The product of all elements, a 0-d tensor (`x.prod()`, `torch.Tensor.prod`).
    public func prod(dtype: DType? = nil) -> Tensor {
        let out = prodKernel(self, dims: Set(0..<dim), keepdim: false, dtype: productDtype(self, dtype))
        recordProduct(self, out, dims: Set(0..<dim), keepdim: false, name: "ProdBackward0")
        return out
    }

    /// The product along `dim` (`x.prod(dim: 1, keepdim: true)`, `torch.Tensor.prod`).
    public func prod(dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        let d = normalizeDim(dim, rank: self.dim)
        let out = prodKernel(self, dims: [d], keepdim: keepdim, dtype: productDtype(self, dtype))
        recordProduct(self, out, dims: [d], keepdim: keepdim, name: "ProdBackward1")
        return out
    }
}

/// The derivative of a product: each element's gradient is the product of the others,
/// computed exactly (zeros included) as the product over the reduced block with that one
/// element replaced by 1.
private func recordProduct(_ x: Tensor, _ out: Tensor, dims: Set<Int>, keepdim: Bool, name: String) {
    guard needsGrad(x) else { return }
    let sx = SavedTensor(x)
    let shape = x.shape
    record(name, input: x, outputs: [out]) { g in
        let v = sx.unpack()
        let zeros = v .== 0.0
        let grad = expandReduced(g[0]!, to: shape, dims: dims, keepdim: keepdim)
        // Without zeros, prod / x; with zeros, the product of the others, taken directly.
        let safe = Torch.where(zeros, 1.0, v)
        let zeroCount = expandReduced(zeros.to(v.dtype).sum(dims: Array(dims), keepdim: keepdim), to: shape, dims: dims, keepdim: keepdim)
        let prodSafe = expandReduced(safe.prod(dims: dims, keepdim: keepdim), to: shape, dims: dims, keepdim: keepdim)
        let others = Torch.where(zeros, Torch.where(zeroCount .== 1.0, prodSafe, 0.0),
                                 Torch.where(zeroCount .== 0.0, prodSafe / safe, 0.0))
        return [grad * others]
    }
}

extension Tensor {
    /// The product over several dims, used by derivatives: recorded one dim at a time when
    /// a derivative is itself being differentiated (`createGraph`), so second derivatives
    /// see how the product depends on every element.
    func prod(dims: Set<Int>, keepdim: Bool) -> Tensor {
        guard needsGrad(self), !dims.isEmpty else {
            return prodKernel(self, dims: dims, keepdim: keepdim, dtype: productDtype(self, nil))
        }
        var result = self
        for d in dims.sorted(by: >) { result = result.prod(dim: d, keepdim: keepdim) }
        return result
    }
}

/// `x.prod()` as a free function (`torch.prod`).
public func prod(_ x: Tensor, dtype: DType? = nil) -> Tensor { x.prod(dtype: dtype) }
/// `x.prod(dim:keepdim:)` as a free function (`torch.prod`).
public func prod(_ x: Tensor, dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
    x.prod(dim: dim, keepdim: keepdim, dtype: dtype)
}
