// See include/torch_binary.h. Explicit intrinsics rather than auto-vectorised loops: a
// compiler guards a vectorised loop with an overlap check that sends an in-place call
// (`y == a`) to its scalar fallback, while loading both operands before each store is
// exact for that case.
#include "torch_binary.h"
#include "torch_simd.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512dq")))
#define AVX2 __attribute__((target("avx2,fma")))

// One width's loop: two vectors a step (the loads of the second overlap the first's
// arithmetic), then a scalar tail — one IEEE operation per element, the same value in any
// width. PRE and SUF wrap the intrinsics' names (`_mm512_` … `_ps`); L is the lanes per vector.
#define WIDE_LOOP(NAME, T, VEC, PRE, SUF, L, P, OP, ATTR) \
    ATTR static void NAME(const T *a, const T *b, T *y, long n) { \
        long i = 0; \
        for (; i + 2 * (L) <= n; i += 2 * (L)) { \
            VEC r0 = PRE##P##SUF(PRE##loadu##SUF(a + i), PRE##loadu##SUF(b + i)); \
            VEC r1 = PRE##P##SUF(PRE##loadu##SUF(a + i + (L)), PRE##loadu##SUF(b + i + (L))); \
            PRE##storeu##SUF(y + i, r0); PRE##storeu##SUF(y + i + (L), r1); \
        } \
        for (; i < n; i++) y[i] = a[i] OP b[i]; \
    }

// The four widths of one op and its run-time choice among them.
#define DEFINE_BINARY(name, OP, P) \
    WIDE_LOOP(name##_f32_512, float, __m512, _mm512_, _ps, 16, P, OP, AVX512) \
    WIDE_LOOP(name##_f64_512, double, __m512d, _mm512_, _pd, 8, P, OP, AVX512) \
    WIDE_LOOP(name##_f32_256, float, __m256, _mm256_, _ps, 8, P, OP, AVX2) \
    WIDE_LOOP(name##_f64_256, double, __m256d, _mm256_, _pd, 4, P, OP, AVX2) \
    void st_##name##_f32(const float *a, const float *b, float *y, long n) { \
        switch (st_simd_width()) { \
        case 512: name##_f32_512(a, b, y, n); return; \
        case 256: name##_f32_256(a, b, y, n); return; \
        default: for (long i = 0; i < n; i++) y[i] = a[i] OP b[i]; \
        } \
    } \
    void st_##name##_f64(const double *a, const double *b, double *y, long n) { \
        switch (st_simd_width()) { \
        case 512: name##_f64_512(a, b, y, n); return; \
        case 256: name##_f64_256(a, b, y, n); return; \
        default: for (long i = 0; i < n; i++) y[i] = a[i] OP b[i]; \
        } \
    }

DEFINE_BINARY(add, +, add)
DEFINE_BINARY(sub, -, sub)
DEFINE_BINARY(mul, *, mul)
DEFINE_BINARY(div, /, div)
