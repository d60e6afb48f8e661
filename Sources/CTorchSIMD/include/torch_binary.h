// add, sub, mul and div over contiguous float32/float64 arrays in the CPU's widest vectors
// (AVX-512 or AVX2, chosen at run time as torch_simd.h's loops are), with a portable loop.
// Swift code compiles for baseline x86-64, so its own loops run 128-bit SSE; for arrays that
// sit in L2 these loops are about 25% faster (README.md, Performance). Each element is one
// IEEE operation in any width, so the results are bit-identical to the portable loop's.
#ifndef SWIFTTORCH_BINARY_H
#define SWIFTTORCH_BINARY_H

#ifdef __cplusplus
extern "C" {
#endif

/// `y[i] = a[i] op b[i]` for `i < n`. `y` may be `a` or `b` (an in-place op); no other
/// overlap is allowed.
#define ST_BINARY_DECL(name) \
    void st_##name##_f32(const float *a, const float *b, float *y, long n); \
    void st_##name##_f64(const double *a, const double *b, double *y, long n);

ST_BINARY_DECL(add)
ST_BINARY_DECL(sub)
ST_BINARY_DECL(mul)
ST_BINARY_DECL(div)

#undef ST_BINARY_DECL

#ifdef __cplusplus
}
#endif
#endif
