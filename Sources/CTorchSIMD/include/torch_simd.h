// Vectorised elementwise loops over contiguous float32/float64 arrays, on SLEEF's
// AVX-512 or AVX2 functions chosen at run time, with a portable libm fallback.
// SwiftTorch's kernels call these for transcendental functions.
#ifndef SWIFTTORCH_SIMD_H
#define SWIFTTORCH_SIMD_H

#ifdef __cplusplus
extern "C" {
#endif

/// Which instruction set the loops use: 512 (AVX-512), 256 (AVX2) or 0 (portable libm).
int st_simd_width(void);
/// Forces a narrower instruction set (for tests and for benchmarks of the fallback):
/// 512, 256 or 0; a width the CPU lacks is ignored.
void st_simd_force_width(int bits);
/// The same, for the calling thread only (-1 removes the override): what in-process tests
/// use, so that other tests running at the same time keep the detected width.
void st_simd_force_width_on_this_thread(int bits);

/// Transposes a 16×16 tile of 4-byte elements: `dst[j * dstStride + i] = src[i * srcStride
/// + j]` (strides in elements), in registers (16 row loads, four rounds of shuffles, 16 row
/// stores). Returns 0, copying nothing, without AVX-512 (the caller copies element by element).
int st_transpose16_32(const void *src, long srcStride, void *dst, long dstStride);

#define ST_UNARY_DECL(name) \
    void st_##name##_f32(const float *x, float *y, long n); \
    void st_##name##_f64(const double *x, double *y, long n);

ST_UNARY_DECL(exp)
ST_UNARY_DECL(expm1)
ST_UNARY_DECL(log)
ST_UNARY_DECL(log2)
ST_UNARY_DECL(log10)
ST_UNARY_DECL(log1p)
ST_UNARY_DECL(sin)
ST_UNARY_DECL(cos)
ST_UNARY_DECL(tan)
ST_UNARY_DECL(asin)
ST_UNARY_DECL(acos)
ST_UNARY_DECL(atan)
ST_UNARY_DECL(sinh)
ST_UNARY_DECL(cosh)
ST_UNARY_DECL(tanh)
ST_UNARY_DECL(erf)
/// 1 / (1 + exp(-x)).
ST_UNARY_DECL(sigmoid)

#undef ST_UNARY_DECL

#ifdef __cplusplus
}
#endif
#endif
