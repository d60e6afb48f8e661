/// Copy and cast kernels: `dst[i] = cast(src[i])` over any two layouts of the same shape.

private struct CastCopy<Src: TensorScalar>: DTypeVisitor {
    let src: Tensor
    let dst: Tensor
    func visit<Dst: TensorScalar>(_: Dst.Type) {
        let s = src.storage.data.assumingMemoryBound(to: Src.self)
        let d = dst.storage.data.assumingMemoryBound(to: Dst.self)
        forEachRun2(
            shape: dst.shape,
            OperandStrides(strides: dst.strides, offset: dst.offset),
            OperandStrides(strides: src.strides, offset: src.offset)
        ) { od, os, n, sd, ss in
            if sd == 1 && ss == 1 {
                for i in 0..<n { d[od + i] = castScalar(s[os + i], to: Dst.self) }
            } else {
                for i in 0..<n { d[od + i * sd] = castScalar(s[os + i * ss], to: Dst.self) }
            }
        }
    }
}

private struct CastCopySource: DTypeVisitor {
    let src: Tensor
    let dst: Tensor
    func visit<Src: TensorScalar>(_: Src.Type) {
        dst.dtype.dispatch(CastCopy<Src>(src: src, dst: dst))
    }
}

/// Copies `src` into `dst` elementwise, converting dtype; `src` must already have `dst`'s
/// shape (broadcast it with stride-0 views first).
func copyElements(from src: Tensor, to dst: Tensor) {
    src.dtype.dispatch(CastCopySource(src: src, dst: dst))
}

private struct FillKernel: DTypeVisitor {
    let dst: Tensor
    let value: Double
    let intValue: Int64
    func visit<T: TensorScalar>(_: T.Type) {
        let v: T = T.dtype.isFloatingPoint || T.self == Bool.self ? T(castingDouble: value) : T(castingInt64: intValue)
        let d = dst.storage.data.assumingMemoryBound(to: T.self)
        forEachRun1(shape: dst.shape, OperandStrides(strides: dst.strides, offset: dst.offset)) { o, n, s in
            for i in 0..<n { d[o + i * s] = v }
        }
    }
}

/// Writes one value into every element `dst` sees.
func fillElements(_ dst: Tensor, with value: Scalar) {
    dst.dtype.dispatch(FillKernel(dst: dst, value: value.doubleValue, intValue: value.int64Value))
}
