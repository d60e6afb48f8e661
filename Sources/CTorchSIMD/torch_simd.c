// See include/torch_simd.h. Each loop is compiled three times: for AVX-512 and AVX2 via
// target attributes (no global compiler flags, so the package stays free of unsafeFlags),
// and portably. The tail of an array goes through the same vector function on a padded
// copy, so every element gets bit-identical results wherever it sits.
#include "torch_simd.h"
#include <immintrin.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f,avx512dq")))
#define AVX2 __attribute__((target("avx2,fma")))

// Atomic (relaxed): kernels on every thread read it, and the tests' width override writes
// it while other tests run (a plain int was a data race ThreadSanitizer reported).
static _Atomic int selected_width = -1;
// A per-thread override for the in-process tests, which call the loops directly on their own
// thread: a process-wide override leaked into other tests running at the same time (a
// million-element sum took the portable path mid-test and lost its pairwise accuracy).
static _Thread_local int thread_width = -1;

static int detect_width(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return 512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 256;
    return 0;
}

int st_simd_width(void) {
    if (thread_width >= 0) return thread_width;
    int width = atomic_load_explicit(&selected_width, memory_order_relaxed);
    if (width < 0) {
        // Every thread that gets here computes the same value.
        width = detect_width();
        atomic_store_explicit(&selected_width, width, memory_order_relaxed);
    }
    return width;
}

static int supported_width(int bits) {
    int best = detect_width();
    return bits >= 512 ? best : bits >= 256 ? (best >= 256 ? 256 : 0) : 0;
}

void st_simd_force_width(int bits) {
    atomic_store_explicit(&selected_width, supported_width(bits), memory_order_relaxed);
}

void st_simd_force_width_on_this_thread(int bits) {
    thread_width = bits < 0 ? -1 : supported_width(bits);
}

static inline float sigmoidf_scalar(float x) { return 1.0f / (1.0f + expf(-x)); }
static inline double sigmoid_scalar(double x) { return 1.0 / (1.0 + exp(-x)); }

// SLEEF's vector entry points, declared here with the target each needs.
#define SLEEF_DECL(fn) \
    AVX512 __m512 Sleef_##fn##f16_u10avx512f(__m512); \
    AVX512 __m512d Sleef_##fn##d8_u10avx512f(__m512d); \
    AVX2 __m256 Sleef_##fn##f8_u10avx2(__m256); \
    AVX2 __m256d Sleef_##fn##d4_u10avx2(__m256d);

SLEEF_DECL(exp) SLEEF_DECL(expm1) SLEEF_DECL(log) SLEEF_DECL(log2) SLEEF_DECL(log10)
SLEEF_DECL(log1p) SLEEF_DECL(sin) SLEEF_DECL(cos) SLEEF_DECL(tan) SLEEF_DECL(asin)
SLEEF_DECL(acos) SLEEF_DECL(atan) SLEEF_DECL(sinh) SLEEF_DECL(cosh) SLEEF_DECL(tanh)
SLEEF_DECL(erf)

// Vector bodies for sigmoid, built on SLEEF's exp.
AVX512 static inline __m512 sigmoid16(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 e = Sleef_expf16_u10avx512f(_mm512_sub_ps(_mm512_setzero_ps(), x));
    return _mm512_div_ps(one, _mm512_add_ps(one, e));
}
AVX512 static inline __m512d sigmoid8d(__m512d x) {
    const __m512d one = _mm512_set1_pd(1.0);
    __m512d e = Sleef_expd8_u10avx512f(_mm512_sub_pd(_mm512_setzero_pd(), x));
    return _mm512_div_pd(one, _mm512_add_pd(one, e));
}
AVX2 static inline __m256 sigmoid8(__m256 x) {
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 e = Sleef_expf8_u10avx2(_mm256_sub_ps(_mm256_setzero_ps(), x));
    return _mm256_div_ps(one, _mm256_add_ps(one, e));
}
AVX2 static inline __m256d sigmoid4d(__m256d x) {
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d e = Sleef_expd4_u10avx2(_mm256_sub_pd(_mm256_setzero_pd(), x));
    return _mm256_div_pd(one, _mm256_add_pd(one, e));
}

// One loop per (function, type, width). V512/V256 are the vector functions; S the scalar.
#define DEFINE_LOOPS(name, V512F, V512D, V256F, V256D, SF, SD) \
    AVX512 static void name##_f32_512(const float *x, float *y, long n) { \
        long i = 0; \
        for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, V512F(_mm512_loadu_ps(x + i))); \
        if (i < n) { float buf[16] = {0}; memcpy(buf, x + i, (size_t)(n - i) * sizeof(float)); \
            _mm512_storeu_ps(buf, V512F(_mm512_loadu_ps(buf))); memcpy(y + i, buf, (size_t)(n - i) * sizeof(float)); } \
    } \
    AVX512 static void name##_f64_512(const double *x, double *y, long n) { \
        long i = 0; \
        for (; i + 8 <= n; i += 8) _mm512_storeu_pd(y + i, V512D(_mm512_loadu_pd(x + i))); \
        if (i < n) { double buf[8] = {0}; memcpy(buf, x + i, (size_t)(n - i) * sizeof(double)); \
            _mm512_storeu_pd(buf, V512D(_mm512_loadu_pd(buf))); memcpy(y + i, buf, (size_t)(n - i) * sizeof(double)); } \
    } \
    AVX2 static void name##_f32_256(const float *x, float *y, long n) { \
        long i = 0; \
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, V256F(_mm256_loadu_ps(x + i))); \
        if (i < n) { float buf[8] = {0}; memcpy(buf, x + i, (size_t)(n - i) * sizeof(float)); \
            _mm256_storeu_ps(buf, V256F(_mm256_loadu_ps(buf))); memcpy(y + i, buf, (size_t)(n - i) * sizeof(float)); } \
    } \
    AVX2 static void name##_f64_256(const double *x, double *y, long n) { \
        long i = 0; \
        for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, V256D(_mm256_loadu_pd(x + i))); \
        if (i < n) { double buf[4] = {0}; memcpy(buf, x + i, (size_t)(n - i) * sizeof(double)); \
            _mm256_storeu_pd(buf, V256D(_mm256_loadu_pd(buf))); memcpy(y + i, buf, (size_t)(n - i) * sizeof(double)); } \
    } \
    void st_##name##_f32(const float *x, float *y, long n) { \
        switch (st_simd_width()) { \
        case 512: name##_f32_512(x, y, n); return; \
        case 256: name##_f32_256(x, y, n); return; \
        default: for (long i = 0; i < n; i++) y[i] = SF(x[i]); \
        } \
    } \
    void st_##name##_f64(const double *x, double *y, long n) { \
        switch (st_simd_width()) { \
        case 512: name##_f64_512(x, y, n); return; \
        case 256: name##_f64_256(x, y, n); return; \
        default: for (long i = 0; i < n; i++) y[i] = SD(x[i]); \
        } \
    }

#define SLEEF_LOOPS(fn) DEFINE_LOOPS(fn, Sleef_##fn##f16_u10avx512f, Sleef_##fn##d8_u10avx512f, \
    Sleef_##fn##f8_u10avx2, Sleef_##fn##d4_u10avx2, fn##f, fn)

SLEEF_LOOPS(exp) SLEEF_LOOPS(expm1) SLEEF_LOOPS(log) SLEEF_LOOPS(log2) SLEEF_LOOPS(log10)
SLEEF_LOOPS(log1p) SLEEF_LOOPS(sin) SLEEF_LOOPS(cos) SLEEF_LOOPS(tan) SLEEF_LOOPS(asin)
SLEEF_LOOPS(acos) SLEEF_LOOPS(atan) SLEEF_LOOPS(sinh) SLEEF_LOOPS(cosh) SLEEF_LOOPS(tanh)
SLEEF_LOOPS(erf)
DEFINE_LOOPS(sigmoid, sigmoid16, sigmoid8d, sigmoid8, sigmoid4d, sigmoidf_scalar, sigmoid_scalar)

// The 16x16 transpose: unpack pairs of rows (2x2 blocks of elements), shuffle pairs of those
// (4x4 blocks), then exchange 128-bit lanes twice (8x8, then 16x16).
AVX512 static void transpose16_32_512(const float *s, long ls, float *d, long ld) {
    __m512 r[16], t[16];
    for (int j = 0; j < 16; j++) r[j] = _mm512_loadu_ps(s + j * ls);
    for (int j = 0; j < 16; j += 2) {
        t[j] = _mm512_unpacklo_ps(r[j], r[j + 1]);
        t[j + 1] = _mm512_unpackhi_ps(r[j], r[j + 1]);
    }
    for (int j = 0; j < 16; j += 4) {
        r[j] = _mm512_shuffle_ps(t[j], t[j + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[j + 1] = _mm512_shuffle_ps(t[j], t[j + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[j + 2] = _mm512_shuffle_ps(t[j + 1], t[j + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[j + 3] = _mm512_shuffle_ps(t[j + 1], t[j + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int j = 0; j < 4; j++) {
        t[j] = _mm512_shuffle_f32x4(r[j], r[j + 4], 0x88);
        t[j + 4] = _mm512_shuffle_f32x4(r[j], r[j + 4], 0xdd);
        t[j + 8] = _mm512_shuffle_f32x4(r[j + 8], r[j + 12], 0x88);
        t[j + 12] = _mm512_shuffle_f32x4(r[j + 8], r[j + 12], 0xdd);
    }
    for (int j = 0; j < 4; j++) {
        r[j] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0x88);
        r[j + 8] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0xdd);
        r[j + 4] = _mm512_shuffle_f32x4(t[j + 4], t[j + 12], 0x88);
        r[j + 12] = _mm512_shuffle_f32x4(t[j + 4], t[j + 12], 0xdd);
    }
    for (int j = 0; j < 16; j++) _mm512_storeu_ps(d + j * ld, r[j]);
}

int st_transpose16_32(const void *src, long srcStride, void *dst, long dstStride) {
    if (st_simd_width() != 512) return 0;
    // Moved as float bit patterns: shuffles never touch the bits, so any 4-byte type works.
    transpose16_32_512((const float *)src, srcStride, (float *)dst, dstStride);
    return 1;
}
