// See include/torch_binary.h. Explicit intrinsics rather than auto-vectorised loops: a
// compiler guards a vectorised loop with an overlap check that sends an in-place call
// (`y == a`) to its scalar fallback, while loading both operands before each store is
// exact for that case.
#include "torch_binary.h"
#include "torch_simd.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512dq")))
#define AVX2 __attribute__((target("avx2,fma")))

// Two vectors a step (the loads of the second overlap the first's arithmetic), then a
// scalar tail: one IEEE operation per element, the same value in any width.
#define DEFINE_BINARY(name, OP, P512, P256) \
    AVX512 static void name##_f32_512(const float *a, const float *b, float *y, long n) { \
        long i = 0; \
        for (; i + 32 <= n; i += 32) { \
            __m512 r0 = _mm512_##P512##_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)); \
            __m512 r1 = _mm512_##P512##_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16)); \
            _mm512_storeu_ps(y + i, r0); _mm512_storeu_ps(y + i + 16, r1); \
        } \
        for (; i < n; i++) y[i] = a[i] OP b[i]; \
    } \
    AVX512 static void name##_f64_512(const double *a, const double *b, double *y, long n) { \
        long i = 0; \
        for (; i + 16 <= n; i += 16) { \
            __m512d r0 = _mm512_##P512##_pd(_mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i)); \
            __m512d r1 = _mm512_##P512##_pd(_mm512_loadu_pd(a + i + 8), _mm512_loadu_pd(b + i + 8)); \
            _mm512_storeu_pd(y + i, r0); _mm512_storeu_pd(y + i + 8, r1); \
        } \
        for (; i < n; i++) y[i] = a[i] OP b[i]; \
    } \
    AVX2 static void name##_f32_256(const float *a, const float *b, float *y, long n) { \
        long i = 0; \
        for (; i + 16 <= n; i += 16) { \
            __m256 r0 = _mm256_##P256##_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)); \
            __m256 r1 = _mm256_##P256##_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8)); \
            _mm256_storeu_ps(y + i, r0); _mm256_storeu_ps(y + i + 8, r1); \
        } \
        for (; i < n; i++) y[i] = a[i] OP b[i]; \
    } \
    AVX2 static void name##_f64_256(const double *a, const double *b, double *y, long n) { \
        long i = 0; \
        for (; i + 8 <= n; i += 8) { \
            __m256d r0 = _mm256_##P256##_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i)); \
            __m256d r1 = _mm256_##P256##_pd(_mm256_loadu_pd(a + i + 4), _mm256_loadu_pd(b + i + 4)); \
            _mm256_storeu_pd(y + i, r0); _mm256_storeu_pd(y + i + 4, r1); \
        } \
        for (; i < n; i++) y[i] = a[i] OP b[i]; \
    } \
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

DEFINE_BINARY(add, +, add, add)
DEFINE_BINARY(sub, -, sub, sub)
DEFINE_BINARY(mul, *, mul, mul)
DEFINE_BINARY(div, /, div, div)
