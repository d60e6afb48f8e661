/// Swift arrays into tensor memory: the loops behind `Tensor(shape:scalars:)` and
/// `Tensor(shape:values:)` (`torch.tensor` from host data). The initialisers check sizes
/// and pick the dtype; these only write.

/// Copies `scalars` (row-major, one per element, of `t`'s dtype) into fresh contiguous `t`.
/// A raw byte copy: the generic element loop is not specialised across modules.
func copyScalars<T: TensorScalar>(_ scalars: [T], into t: Tensor) {
    let byteCount = scalars.count * T.dtype.itemSize
    scalars.withUnsafeBytes { src in
        if let base = src.baseAddress { (t.storage.data + t.offset * T.dtype.itemSize).copyMemory(from: base, byteCount: byteCount) }
    }
}

/// Writes `values` (row-major, one per element, of mixed kinds) into fresh contiguous `t`,
/// each cast to `t`'s dtype as PyTorch casts Python numbers.
func writeScalars(_ values: [Scalar], into t: Tensor) {
    struct Writer: DTypeVisitor {
        let tensor: Tensor
        let values: [Scalar]
        func visit<T: TensorScalar>(_: T.Type) {
            let p = tensor.pointer(as: T.self)
            for (i, v) in values.enumerated() {
                switch v {
                case .double(let d): p[i] = T(castingDouble: d)
                case .int(let n): p[i] = T(castingInt64: n)
                case .bool(let b): p[i] = T(castingInt64: b ? 1 : 0)
                }
            }
        }
    }
    t.dtype.dispatch(Writer(tensor: t, values: values))
}
