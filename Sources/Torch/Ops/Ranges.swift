/// `arange` and `linspace`.

extension Tensor {
    /// Values from `start` up to (not including) `end` by `step` (`torch.arange`).
    ///
    /// Without `dtype`, integer arguments give `int64` and any floating argument gives the
    /// default dtype, as in PyTorch.
    public static func arange(_ start: Scalar, _ end: Scalar, step: Scalar = 1, dtype: DType? = nil) -> Tensor {
        let anyFloat = [start, end, step].contains { if case .double = $0 { return true } else { return false } }
        let dt = dtype ?? (anyFloat ? defaultDtype() : .int64)
        let s = start.doubleValue, e = end.doubleValue, st = step.doubleValue
        guard st != 0 else { torchFatal("RuntimeError: step must be nonzero") }
        guard st > 0 ? e >= s : e <= s else {
            torchFatal("RuntimeError: upper bound and lower bound inconsistent with step sign")
        }
        guard s.isFinite && e.isFinite else { torchFatal("RuntimeError: unsupported range: \(s) -> \(e)") }
        let count: Int
        if !anyFloat {
            let a = start.int64Value, b = end.int64Value, c = step.int64Value
            count = Int((b - a + c + (c > 0 ? -1 : 1)) / c)
        } else {
            count = Int(((e - s) / st).rounded(.up))
        }
        let t = Tensor(uninitializedShape: [Swift.max(count, 0)], dtype: dt)
        t.dtype.dispatch(ArangeKernel(tensor: t, start: start, step: step))
        return t
    }

    /// `torch.arange(end)`: `0, 1, ..., end - 1`.
    public static func arange(_ end: Scalar, dtype: DType? = nil) -> Tensor {
        let zero: Scalar = { if case .double = end { return .double(0) } else { return .int(0) } }()
        return arange(zero, end, step: 1, dtype: dtype)
    }

    /// `steps` evenly spaced values from `start` to `end` inclusive (`torch.linspace`).
    ///
    /// Computed as PyTorch does: the first half counts up from `start`, the second half down
    /// from `end`, so both ends are exact.
    public static func linspace(_ start: Scalar, _ end: Scalar, steps: Int, dtype: DType? = nil) -> Tensor {
        guard steps >= 0 else { torchFatal("RuntimeError: number of steps must be non-negative") }
        let t = Tensor(uninitializedShape: [steps], dtype: dtype ?? defaultDtype())
        t.dtype.dispatch(LinspaceKernel(tensor: t, start: start.doubleValue, end: end.doubleValue, steps: steps))
        return t
    }
}

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
