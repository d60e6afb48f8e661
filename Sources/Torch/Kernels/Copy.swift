import CTorchSIMD
import Dispatch

/// Copy and cast kernels: `dst[i] = cast(src[i])` over any two layouts of the same shape.

private struct CastCopy<Src: TensorScalar>: DTypeVisitor {
    let src: Tensor
    let dst: Tensor
    func visit<Dst: TensorScalar>(_: Dst.Type) {
        let s = src.storage.data.assumingMemoryBound(to: Src.self)
        let d = dst.storage.data.assumingMemoryBound(to: Dst.self)
        /// Copies `rows` rows of `n` elements: row `r` starts at `od0 + r * rd` in the
        /// destination and `os0 + r * rs` in the source, elements `sd` and `ss` apart.
        /// The same-type loops step pointers: indexing `d[od + i * sd]` checked every
        /// product and sum for overflow, a third of a permute-copy's time (perf annotate of
        /// einsum's operand copies).
        func copyRows(_ od0: Int, _ os0: Int, _ n: Int, _ sd: Int, _ ss: Int, _ rows: Int, _ rd: Int, _ rs: Int) {
            if Src.self == Dst.self {
                let same = UnsafeRawPointer(s).assumingMemoryBound(to: Dst.self)
                // A whole 16×16 tile of a transpose (see forEachTransposedTile2) of 4-byte
                // elements: in registers (einsum's transposing copy on one thread: 1.27×
                // faster than the strided loop below; the copy is mostly memory-bound).
                if MemoryLayout<Dst>.stride == 4 && n == transposedTileSide && rows == transposedTileSide && sd == 1 && rs == 1,
                   st_transpose16_32(same + os0, ss, d + od0, rd) != 0 {
                    return
                }
                for r in 0..<rows {
                    var to = d + od0 + r * rd, from = same + os0 + r * rs
                    if sd == 1 && ss == 1 && n >= 256 {
                        UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: n * MemoryLayout<Dst>.stride)
                    } else if sd == 1 && ss == 1 {
                        // Short runs (a permute's inner dimension): a plain loop beats a memmove call.
                        for i in 0..<n { to[i] = from[i] }
                    } else {
                        for _ in 0..<n {
                            to.pointee = from.pointee
                            to += sd
                            from += ss
                        }
                    }
                }
                return
            }
            for r in 0..<rows {
                let od = od0 + r * rd, os = os0 + r * rs
                if sd == 1 && ss == 1 {
                    if convertsBFloat16Run(s + os, d + od, n) { continue }
                    for i in 0..<n { d[od + i] = castScalar(s[os + i], to: Dst.self) }
                } else {
                    for i in 0..<n { d[od + i * sd] = castScalar(s[os + i * ss], to: Dst.self) }
                }
            }
        }
        let to = OperandStrides(strides: dst.strides, offset: dst.offset)
        let from = OperandStrides(strides: src.strides, offset: src.offset)
        // A permute that moves the source's contiguous dimension outwards is copied in square
        // tiles (whole cache lines on both sides); every other layout in rows of runs.
        if !forEachTransposedTile2(shape: dst.shape, to, from, copyRows) {
            forEachTile2(shape: dst.shape, to, from, copyRows)
        }
    }
}

/// Converts a contiguous run between bfloat16 and float32 in CTorchSIMD's vector loops
/// (`torch_convert.h`, the same rounding as `BFloat16(Float)`) and returns true;
/// false for any other pair of types. `castScalar` goes through `Double` one element at a
/// time: a bfloat16 model's SGD step spent half its time there (perf of
/// `bf16_linear_train_step`: 0.41 ns per widened element, 0.75 per narrowed one).
@inline(__always)
private func convertsBFloat16Run<Src: TensorScalar, Dst: TensorScalar>(
    _ s: UnsafeMutablePointer<Src>, _ d: UnsafeMutablePointer<Dst>, _ n: Int
) -> Bool {
    if Src.self == BFloat16.self && Dst.self == Float.self {
        st_bf16_to_f32(UnsafeRawPointer(s).assumingMemoryBound(to: UInt16.self),
                       UnsafeMutableRawPointer(d).assumingMemoryBound(to: Float.self), n)
        return true
    }
    if Src.self == Float.self && Dst.self == BFloat16.self {
        st_f32_to_bf16(UnsafeRawPointer(s).assumingMemoryBound(to: Float.self),
                       UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt16.self), n)
        return true
    }
    return false
}

private struct CastCopySource: DTypeVisitor {
    let src: Tensor
    let dst: Tensor
    func visit<Src: TensorScalar>(_: Src.Type) {
        dst.dtype.dispatch(CastCopy<Src>(src: src, dst: dst))
    }
}

/// Copies `src` into `dst` elementwise, converting dtype; `src` must already have `dst`'s
/// shape (broadcast it with stride-0 views first). Large copies are split across cores
/// along the dimension (of at least one index per core) whose elements lie farthest apart
/// in both tensors.
func copyElements(from src: Tensor, to dst: Tensor) {
    // A copy between two dense layouts is bandwidth-bound and splits only from
    // `minimumParallelDenseCopyElements`; a strided one (a transpose, a permute) is bound by
    // its address arithmetic and splits from the copy family's threshold.
    let dense = src.isContiguous && dst.isContiguous
    let parts = dense ? parallelPartCount(elements: dst.numel, minimum: minimumParallelDenseCopyElements)
        : parallelPartCount(elements: dst.numel, family: .copy)
    // Split where elements lie farthest apart on both sides. The outermost dimension of the
    // destination can be the source's unit-stride one (a transpose): splitting it had each
    // core read every source cache line, and cut the 16×16 tiles in half.
    func spread(_ i: Int) -> Int {
        let to = abs(dst.strides[i]), from = abs(src.strides[i])
        return from == 0 ? to : Swift.min(to, from)
    }
    guard parts > 1,
          let d = dst.shape.indices.lazy.filter({ dst.shape[$0] >= parts }).max(by: { spread($0) < spread($1) }) else {
        src.dtype.dispatch(CastCopySource(src: src, dst: dst))
        return
    }
    let size = dst.shape[d]
    parallelFor(parts) { p in
        let lo = size * p / parts, hi = size * (p + 1) / parts
        var shape = dst.shape
        shape[d] = hi - lo
        let s = src.makeView(shape: shape, strides: src.strides, offset: src.offset + lo * src.strides[d])
        let t = dst.makeView(shape: shape, strides: dst.strides, offset: dst.offset + lo * dst.strides[d])
        src.dtype.dispatch(CastCopySource(src: s, dst: t))
    }
}

private struct FillKernel: DTypeVisitor {
    let dst: Tensor
    let value: Scalar
    func visit<T: TensorScalar>(_: T.Type) {
        let v = numberElement(value, as: T.self)
        let d = dst.storage.data.assumingMemoryBound(to: T.self)
        forEachRun1(shape: dst.shape, OperandStrides(strides: dst.strides, offset: dst.offset)) { o, n, s in
            for i in 0..<n { d[o + i * s] = v }
        }
    }
}

/// Writes one value into every element `dst` sees.
func fillElements(_ dst: Tensor, with value: Scalar) {
    dst.dtype.dispatch(FillKernel(dst: dst, value: value))
}

/// `number` as an element of `T`, as a tensor of `T` filled with it holds it (floats and
/// bool from the number's `Double`, integers from its `Int64`): the one conversion for
/// fills, 0-d number tensors and the kernels that read a number as a constant.
@inline(__always)
func numberElement<T: TensorScalar>(_ number: Scalar, as _: T.Type) -> T {
    T.dtype.isFloatingPoint || T.self == Bool.self ? T(castingDouble: number.doubleValue) : T(castingInt64: number.int64Value)
}

extension Tensor {
    /// This tensor if it is contiguous, else a contiguous copy: the kernels' own layout
    /// helper, which never records autograd state (unlike the op ``contiguous()``).
    var denseForKernel: Tensor {
        isContiguous ? self : convertedForKernel(to: dtype)
    }

    /// This tensor in `dtype` for an op's or kernel's internal use: itself when the dtype
    /// already matches, else a contiguous converted copy; never recorded by autograd (the op
    /// records itself against the original inputs). Inlined, as ``broadcastView(to:)``:
    /// the matching dtype costs no call.
    @inline(__always)
    func converted(to dtype: DType) -> Tensor {
        dtype == self.dtype ? self : convertedForKernel(to: dtype)
    }

    /// A contiguous copy in `dtype`, never recorded (kernels convert their operands with it).
    @inline(never)
    func convertedForKernel(to dtype: DType) -> Tensor {
        let out = Tensor(uninitializedShape: shape, dtype: dtype, zeroed: false)
        copyElements(from: self, to: out)
        return out
    }
}
