/// The product loop of `torch.kron`.

/// `out[i * bShape + j] = a[i] * b[j]` along every dimension, for dense `a` and `b` of
/// `out`'s dtype padded to one rank (`aShape`, `bShape`); floating products in float64
/// rounded once, integer products wrapping in int64.
func kronKernel(_ a: Tensor, _ b: Tensor, aShape: [Int], bShape: [Int], into out: Tensor) {
    out.dtype.dispatch(KronKernel(a: a, b: b, out: out, aShape: aShape, bShape: bShape, outStrides: out.strides))
}

/// ``kronKernel(_:_:aShape:bShape:into:)``'s body for one element type.
private struct KronKernel: DTypeVisitor {
    let a: Tensor, b: Tensor, out: Tensor
    let aShape: [Int], bShape: [Int], outStrides: [Int]

    func visit<T: TensorScalar>(_: T.Type) {
        let pa = a.pointer(as: T.self), pb = b.pointer(as: T.self), po = out.pointer(as: T.self)
        let rank = aShape.count
        for i in 0..<a.numel {
            let ai = unravel(i, aShape)
            var base = 0
            for d in 0..<rank { base += ai[d] * bShape[d] * outStrides[d] }
            for j in 0..<b.numel {
                let bj = unravel(j, bShape)
                var o = base
                for d in 0..<rank { o += bj[d] * outStrides[d] }
                po[o] = T.dtype.isFloatingPoint
                    ? T(castingDouble: pa[i].doubleValue * pb[j].doubleValue)
                    : T(castingInt64: pa[i].int64Value &* pb[j].int64Value)
            }
        }
    }
}
