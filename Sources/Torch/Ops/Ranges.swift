/// `arange` and `linspace`: sizes, dtypes and checks here; the fills are in
/// `Kernels/RangeKernels.swift`.

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
        arangeKernel(into: t, start: start, step: step)
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
        linspaceKernel(into: t, start: start.doubleValue, end: end.doubleValue, steps: steps)
        return t
    }
}
