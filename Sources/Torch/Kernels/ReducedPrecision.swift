/// float16 and bfloat16 in kernels that have float32 code only (vectorised reductions,
/// softmax, BLAS, optimizers): the operands are widened to float32 (exactly), the float32
/// kernel runs, and its result is rounded once into the 16-bit output. That is what
/// PyTorch's CPU backend computes for `Half`/`BFloat16` (float32 arithmetic and
/// accumulation, one rounding on output), so these dtypes need no kernels of their own.
/// Elementwise kernels instead take `Float16`/``BFloat16`` directly: their element
/// arithmetic already runs in float32 and rounds per element.

extension Tensor {
    /// A contiguous float32 copy of a 16-bit float tensor; any other tensor as it is.
    var widenedForKernel: Tensor {
        dtype.isReducedPrecisionFloat ? convertedForKernel(to: .float32) : self
    }
}

/// Runs `body` on a float32 stand-in for `out` when `out` is 16-bit (copying `out`'s
/// current values in first when `body` reads them), then rounds the result into `out`;
/// otherwise runs `body(out)`.
func writingThroughFloat32(_ out: Tensor, readsOutput: Bool = false, _ body: (Tensor) -> Void) {
    guard out.dtype.isReducedPrecisionFloat else {
        body(out)
        return
    }
    let wide = readsOutput ? out.convertedForKernel(to: .float32)
        : Tensor(uninitializedShape: out.shape, dtype: .float32, zeroed: false)
    body(wide)
    copyElements(from: wide, to: out)
}
