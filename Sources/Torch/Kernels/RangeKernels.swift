/// The fills of `torch.arange` and `torch.linspace`, as PyTorch's CPU kernels compute them.

/// `start + step·i` into each element `i` of fresh contiguous `t`: in float64 (rounded once
/// to the dtype) for floating dtypes, in int64 for integer ones.
func arangeKernel(into t: Tensor, start: Scalar, step: Scalar) {
    t.dtype.dispatch(ArangeKernel(tensor: t, start: start, step: step))
}

/// `steps` evenly spaced values from `start` to `end` into fresh contiguous `t`: the first
/// half counted up from `start`, the second down from `end` (both ends exact); float32
/// steps in float32 arithmetic, as PyTorch's kernel does, other dtypes in float64.
func linspaceKernel(into t: Tensor, start: Double, end: Double, steps: Int) {
    t.dtype.dispatch(LinspaceKernel(tensor: t, start: start, end: end, steps: steps))
}

/// ``arangeKernel(into:start:step:)``'s body for one element type.
private struct ArangeKernel: DTypeVisitor {
    let tensor: Tensor
    let start: Scalar
    let step: Scalar
    func visit<T: TensorScalar>(_: T.Type) {
        let p = tensor.pointer(as: T.self)
        let n = tensor.numel
        if T.dtype.isFloatingPoint {
            let s = start.doubleValue, st = step.doubleValue
            for i in 0..<n { p[i] = T(castingDouble: s + st * Double(i)) }
        } else {
            let s = start.int64Value, st = step.int64Value
            for i in 0..<n { p[i] = T(castingInt64: s + st * Int64(i)) }
        }
    }
}

/// ``linspaceKernel(into:start:end:steps:)``'s body for one element type.
private struct LinspaceKernel: DTypeVisitor {
    let tensor: Tensor
    let start: Double
    let end: Double
    let steps: Int
    func visit<T: TensorScalar>(_: T.Type) {
        let p = tensor.pointer(as: T.self)
        if steps == 0 { return }
        if steps == 1 { p[0] = T(castingDouble: start); return }
        let halfway = steps / 2
        if T.self == Float.self {
            // float32 steps in float32 arithmetic, as PyTorch's kernel does.
            let s = Float(start), e = Float(end)
            let step = (e - s) / Float(steps - 1)
            for i in 0..<steps {
                let v = i < halfway ? s + step * Float(i) : e - step * Float(steps - i - 1)
                p[i] = T(castingDouble: Double(v))
            }
        } else {
            let step = (end - start) / Double(steps - 1)
            for i in 0..<steps {
                let v = i < halfway ? start + step * Double(i) : end - step * Double(steps - i - 1)
                p[i] = T(castingDouble: v)
            }
        }
    }
}
