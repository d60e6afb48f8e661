/// The few tensor operations the engine itself needs. They go through the public ops, so
/// that under `createGraph` the engine's own sums are recorded too.

/// `a + b` for two gradients of the same shape.
func gradientSum(_ a: Tensor, _ b: Tensor) -> Tensor {
    engineAdd(a, b)
}

/// `a += b` in place, returning `a`.
func gradientAddInPlace(_ a: Tensor, _ b: Tensor) -> Tensor {
    engineAddInPlace(a, b)
}

/// A detached contiguous copy.
func gradientCopy(_ g: Tensor) -> Tensor {
    g.detach().clone()
}

// Until the arithmetic ops carry derivatives, the engine adds with a plain kernel (the
// sum is then not recorded under `createGraph`).
private func engineAdd(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = a.detach().clone()
    return engineAddInPlace(out, b)
}

private func engineAddInPlace(_ a: Tensor, _ b: Tensor) -> Tensor {
    a.dtype.dispatch(SameShapeAdd(a: a, b: b.to(a.dtype)))
    a.storage.bumpVersion()
    return a
}

private struct SameShapeAdd: DTypeVisitor {
    let a: Tensor
    let b: Tensor
    func visit<T: TensorScalar>(_: T.Type) {
        let pa = a.storage.data.assumingMemoryBound(to: T.self)
        let pb = b.storage.data.assumingMemoryBound(to: T.self)
        forEachRun2(shape: a.shape, OperandStrides(strides: a.strides, offset: a.offset),
                    OperandStrides(strides: b.strides, offset: b.offset)) { oa, ob, n, sa, sb in
            for i in 0..<n {
                pa[oa + i * sa] = T(castingDouble: pa[oa + i * sa].doubleValue + pb[ob + i * sb].doubleValue)
            }
        }
    }
}
