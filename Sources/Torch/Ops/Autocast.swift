/// Mixed precision (`torch.autocast`): inside an ``autocast(_:dtype:enabled:_:)`` block the
/// ops on PyTorch's CPU lower-precision list run in bfloat16 (or float16) and the ops on its
/// float32 list run in float32, whatever dtype their inputs arrive in. The casts are
/// recorded ops, so gradients flow back to float32 parameters in float32.
///
/// Lower precision: `mm`, `bmm`, `matmul`, `addmm`, `baddbmm`, `linear`, the convolutions
/// and `scaledDotProductAttention`. Float32: the losses (`crossEntropy`, `nllLoss`,
/// `mseLoss`, `l1Loss`, `smoothL1Loss`, `huberLoss`, `binaryCrossEntropy`,
/// `binaryCrossEntropyWithLogits`, `klDiv`) and `softmax`/`logSoftmax`. Everything else
/// runs in the dtype its inputs have, promoting as usual. As in PyTorch, float64 tensors are
/// never cast, and `backward()` belongs outside the block.
///
/// Differences from PyTorch, by choice: casts of a weight are not cached across ops within
/// one block (each op converts its operands; the numbers are the same), and the state is
/// per task/thread (Swift's `TaskLocal`), as PyTorch's is per thread.

/// The device an autocast block applies to; SwiftTorch runs on the CPU (the `device_type` argument
/// of `torch.autocast`).
public enum AutocastDevice: Sendable {
    /// `torch.autocast(device_type="cpu")`.
    case cpu
}

/// The lower-precision dtype of the innermost enabled block; `nil` outside or when disabled.
private let autocastState = ScopedTaskSetting<DType?>(nil)

/// Runs `body` with autocast (`with torch.autocast("cpu", dtype=torch.bfloat16):`).
///
/// - Parameters:
///   - device: only `.cpu`.
///   - dtype: `.bfloat16` (the default, as PyTorch's CPU autocast) or `.float16`.
///   - enabled: `false` turns autocast off inside an enclosing block.
///   - body: The code to run with autocast; its result is returned.
@discardableResult
public func autocast<R>(_ device: AutocastDevice = .cpu, dtype: DType = .bfloat16, enabled: Bool = true,
                        _ body: () throws -> R) rethrows -> R {
    guard dtype.isReducedPrecisionFloat else {
        torchFatal("RuntimeError: In CPU autocast, but the target dtype is not supported. CPU Autocast only supports dtype of torch.bfloat16, torch.float16 currently.")
    }
    return try autocastState.withValue(enabled ? dtype : nil, body)
}

/// Whether ops here run under autocast (`torch.is_autocast_enabled()`).
public func isAutocastEnabled() -> Bool { autocastDType != nil }

/// The lower-precision dtype in force here, if any.
@inline(__always)
private var autocastDType: DType? { autocastState.current }

/// `t` in the autocast dtype when an op on the lower-precision list runs under autocast
/// (float32 and 16-bit floats; never float64 or non-floats), else `t`.
@inline(__always)
func autocastToLowerPrecision(_ t: Tensor) -> Tensor {
    guard let dtype = autocastDType, t.dtype != dtype, t.dtype.isFloatingPoint, t.dtype != .float64 else { return t }
    return t.to(dtype)
}

/// Runs an op's body with autocast off, once the op has cast its own inputs: the ops it is
/// built from must run in the dtypes it chose (PyTorch casts only at the outermost op).
@inline(__always)
func withoutAutocast<R>(_ body: () -> R) -> R {
    autocastDType == nil ? body() : autocastState.withValue(nil, body)
}

/// `t` in float32 when an op on the float32 list runs under autocast and `t` is a 16-bit
/// float, else `t`.
@inline(__always)
func autocastToFloat32(_ t: Tensor) -> Tensor {
    guard autocastDType != nil, t.dtype.isReducedPrecisionFloat else { return t }
    return t.to(.float32)
}
