/// Dedicated loops for the activations a training step runs most (ReLU): a flat,
/// branch-free pass over contiguous memory the compiler vectorises.

/// `max(x, 0)` into `out` (both contiguous, same float dtype); NaN stays NaN, -0 becomes 0.
/// Returns `false` when the layout or dtype needs the general path.
func reluContiguous(_ x: Tensor, into out: Tensor) -> Bool {
    guard x.isContiguous, x.dtype == out.dtype else { return false }
    func run<T: TensorScalar & BinaryFloatingPoint>(_: T.Type) {
        let src = x.pointer(as: T.self), dst = out.pointer(as: T.self)
        forEachRange(x.numel) { start, end in
            for i in start..<end {
                let v = src[i]
                dst[i] = v > 0 || v != v ? v : 0
            }
        }
    }
    switch x.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    default: return false
    }
    return true
}
