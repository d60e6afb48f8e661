/// Dedicated loops for the activations a training step runs most (ReLU): a flat,
/// branch-free pass over contiguous memory the compiler vectorises.

/// `max(x, 0)` into `out` (both contiguous, same float dtype); NaN stays NaN, -0 becomes 0.
/// Returns `false` when the layout or dtype needs the general path.
func reluContiguous(_ x: Tensor, into out: Tensor) -> Bool {
    guard x.isContiguous, x.dtype == out.dtype, x.dtype.isFloatingPoint else { return false }
    x.dtype.dispatchFloat(ReluLoop(x: x, out: out))
    return true
}

private struct ReluLoop: FloatVisitor {
    let x: Tensor, out: Tensor

    func visit<T: FloatElement & Element>(_: T.Type) {
        let src = x.pointer(as: T.self), dst = out.pointer(as: T.self)
        forEachRange(x.numel) { start, end in
            for i in start..<end {
                let v = src[i]
                dst[i] = v > 0 || v != v ? v : 0
            }
        }
    }
}

/// ReLU's backward (PyTorch's `threshold_backward`): `g` where `y > 0` or NaN, else 0, for
/// contiguous `g` and `y` of one float dtype; `nil` when the general path is needed.
func reluBackwardContiguous(_ g: Tensor, _ y: Tensor) -> Tensor? {
    guard g.isContiguous, y.isContiguous, g.dtype == y.dtype, g.shape == y.shape, g.dtype.isFloatingPoint else { return nil }
    let out = Tensor(uninitializedShape: g.shape, dtype: g.dtype, zeroed: false)
    g.dtype.dispatchFloat(ReluBackwardLoop(g: g, y: y, out: out))
    return out
}

private struct ReluBackwardLoop: FloatVisitor {
    let g: Tensor, y: Tensor, out: Tensor

    func visit<T: FloatElement & Element>(_: T.Type) {
        let gp = g.pointer(as: T.self), yp = y.pointer(as: T.self), dst = out.pointer(as: T.self)
        forEachRange(g.numel) { start, end in
            // Both loads before the choice: a select the compiler vectorises. Loading `gp[i]`
            // only on one side made a branch per element, mispredicted on a ReLU's random mask.
            for i in start..<end {
                let g = gp[i], y = yp[i]
                dst[i] = y <= 0 ? 0 : g
            }
        }
    }
}
