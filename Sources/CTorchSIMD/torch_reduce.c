// See include/torch_reduce.h. reduce_template.h holds the loop bodies; this file includes
// it once per (type, instruction set) with the vector operations as macros, and picks the
// instruction set per call as torch_simd.c does (st_simd_width()).
#include "torch_reduce.h"
#include "torch_simd.h"
#include <immintrin.h>
#include <math.h>

#define AVX512 __attribute__((target("avx512f,avx512dq")))
#define AVX2 __attribute__((target("avx2,fma")))

AVX512 __m512 Sleef_expf16_u10avx512f(__m512);
AVX512 __m512d Sleef_expd8_u10avx512f(__m512d);
AVX2 __m256 Sleef_expf8_u10avx2(__m256);
AVX2 __m256d Sleef_expd4_u10avx2(__m256d);

/// How many items each cascade level adds before passing its sum up: 2^(log2(n)/3), at
/// least 16, so three levels cover any length.
static inline int st_cascade_power(long n) {
    int log2 = 0;
    while ((1L << log2) < n) log2++;
    return log2 / 3 > 4 ? log2 / 3 : 4;
}

// Horizontal operations AVX2 lacks as single intrinsics.
AVX2 static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
AVX2 static inline double hsum4d(__m256d v) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    s = _mm_add_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}
AVX2 static inline float hmax8(__m256 v) {
    float a[8]; _mm256_storeu_ps(a, v);
    float m = a[0]; for (int i = 1; i < 8; i++) m = a[i] > m ? a[i] : m;
    return m;
}
AVX2 static inline float hmin8(__m256 v) {
    float a[8]; _mm256_storeu_ps(a, v);
    float m = a[0]; for (int i = 1; i < 8; i++) m = a[i] < m ? a[i] : m;
    return m;
}
AVX2 static inline double hmax4d(__m256d v) {
    double a[4]; _mm256_storeu_pd(a, v);
    double m = a[0]; for (int i = 1; i < 4; i++) m = a[i] > m ? a[i] : m;
    return m;
}
AVX2 static inline double hmin4d(__m256d v) {
    double a[4]; _mm256_storeu_pd(a, v);
    double m = a[0]; for (int i = 1; i < 4; i++) m = a[i] < m ? a[i] : m;
    return m;
}

#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)

// float32, AVX-512
#define T float
#define W 16
#define TARGET AVX512
#define VEC __m512
#define LOADU(p) _mm512_loadu_ps(p)
#define STOREU(p, v) _mm512_storeu_ps(p, v)
#define ADD(a, b) _mm512_add_ps(a, b)
#define SUB(a, b) _mm512_sub_ps(a, b)
#define MUL(a, b) _mm512_mul_ps(a, b)
#define SET1(x) _mm512_set1_ps(x)
#define ZERO _mm512_setzero_ps()
#define VMAX(a, b) _mm512_max_ps(a, b)
#define VMIN(a, b) _mm512_min_ps(a, b)
#define HSUM(v) _mm512_reduce_add_ps(v)
#define HMAX(v) _mm512_reduce_max_ps(v)
#define HMIN(v) _mm512_reduce_min_ps(v)
#define ANYNAN(v) (_mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q) != 0)
#define VEXP(v) Sleef_expf16_u10avx512f(v)
#define SLOG(x) logf(x)
#define NAME(x) CAT(x, f32_512)
#include "reduce_template.h"
#undef T
#undef W
#undef TARGET
#undef VEC
#undef LOADU
#undef STOREU
#undef ADD
#undef SUB
#undef MUL
#undef SET1
#undef ZERO
#undef VMAX
#undef VMIN
#undef HSUM
#undef HMAX
#undef HMIN
#undef ANYNAN
#undef VEXP
#undef SLOG
#undef NAME

// float64, AVX-512
#define T double
#define W 8
#define TARGET AVX512
#define VEC __m512d
#define LOADU(p) _mm512_loadu_pd(p)
#define STOREU(p, v) _mm512_storeu_pd(p, v)
#define ADD(a, b) _mm512_add_pd(a, b)
#define SUB(a, b) _mm512_sub_pd(a, b)
#define MUL(a, b) _mm512_mul_pd(a, b)
#define SET1(x) _mm512_set1_pd(x)
#define ZERO _mm512_setzero_pd()
#define VMAX(a, b) _mm512_max_pd(a, b)
#define VMIN(a, b) _mm512_min_pd(a, b)
#define HSUM(v) _mm512_reduce_add_pd(v)
#define HMAX(v) _mm512_reduce_max_pd(v)
#define HMIN(v) _mm512_reduce_min_pd(v)
#define ANYNAN(v) (_mm512_cmp_pd_mask(v, v, _CMP_UNORD_Q) != 0)
#define VEXP(v) Sleef_expd8_u10avx512f(v)
#define SLOG(x) log(x)
#define NAME(x) CAT(x, f64_512)
#include "reduce_template.h"
#undef T
#undef W
#undef TARGET
#undef VEC
#undef LOADU
#undef STOREU
#undef ADD
#undef SUB
#undef MUL
#undef SET1
#undef ZERO
#undef VMAX
#undef VMIN
#undef HSUM
#undef HMAX
#undef HMIN
#undef ANYNAN
#undef VEXP
#undef SLOG
#undef NAME

// float32, AVX2
#define T float
#define W 8
#define TARGET AVX2
#define VEC __m256
#define LOADU(p) _mm256_loadu_ps(p)
#define STOREU(p, v) _mm256_storeu_ps(p, v)
#define ADD(a, b) _mm256_add_ps(a, b)
#define SUB(a, b) _mm256_sub_ps(a, b)
#define MUL(a, b) _mm256_mul_ps(a, b)
#define SET1(x) _mm256_set1_ps(x)
#define ZERO _mm256_setzero_ps()
#define VMAX(a, b) _mm256_max_ps(a, b)
#define VMIN(a, b) _mm256_min_ps(a, b)
#define HSUM(v) hsum8(v)
#define HMAX(v) hmax8(v)
#define HMIN(v) hmin8(v)
#define ANYNAN(v) (_mm256_movemask_ps(_mm256_cmp_ps(v, v, _CMP_UNORD_Q)) != 0)
#define VEXP(v) Sleef_expf8_u10avx2(v)
#define SLOG(x) logf(x)
#define NAME(x) CAT(x, f32_256)
#include "reduce_template.h"
#undef T
#undef W
#undef TARGET
#undef VEC
#undef LOADU
#undef STOREU
#undef ADD
#undef SUB
#undef MUL
#undef SET1
#undef ZERO
#undef VMAX
#undef VMIN
#undef HSUM
#undef HMAX
#undef HMIN
#undef ANYNAN
#undef VEXP
#undef SLOG
#undef NAME

// float64, AVX2
#define T double
#define W 4
#define TARGET AVX2
#define VEC __m256d
#define LOADU(p) _mm256_loadu_pd(p)
#define STOREU(p, v) _mm256_storeu_pd(p, v)
#define ADD(a, b) _mm256_add_pd(a, b)
#define SUB(a, b) _mm256_sub_pd(a, b)
#define MUL(a, b) _mm256_mul_pd(a, b)
#define SET1(x) _mm256_set1_pd(x)
#define ZERO _mm256_setzero_pd()
#define VMAX(a, b) _mm256_max_pd(a, b)
#define VMIN(a, b) _mm256_min_pd(a, b)
#define HSUM(v) hsum4d(v)
#define HMAX(v) hmax4d(v)
#define HMIN(v) hmin4d(v)
#define ANYNAN(v) (_mm256_movemask_pd(_mm256_cmp_pd(v, v, _CMP_UNORD_Q)) != 0)
#define VEXP(v) Sleef_expd4_u10avx2(v)
#define SLOG(x) log(x)
#define NAME(x) CAT(x, f64_256)
#include "reduce_template.h"
#undef T
#undef W
#undef TARGET
#undef VEC
#undef LOADU
#undef STOREU
#undef ADD
#undef SUB
#undef MUL
#undef SET1
#undef ZERO
#undef VMAX
#undef VMIN
#undef HSUM
#undef HMAX
#undef HMIN
#undef ANYNAN
#undef VEXP
#undef SLOG
#undef NAME

// Portable: one lane, plain C.
#define W 1
#define TARGET
#define LOADU(p) (*(p))
#define STOREU(p, v) (*(p) = (v))
#define ADD(a, b) ((a) + (b))
#define SUB(a, b) ((a) - (b))
#define MUL(a, b) ((a) * (b))
#define SET1(x) (x)
#define ZERO 0
#define HSUM(v) (v)
#define HMAX(v) (v)
#define HMIN(v) (v)
#define ANYNAN(v) ((v) != (v))

#define T float
#define VEC float
#define VMAX(a, b) ((b) > (a) ? (b) : (a))
#define VMIN(a, b) ((b) < (a) ? (b) : (a))
#define VEXP(v) expf(v)
#define SLOG(x) logf(x)
#define NAME(x) CAT(x, f32_1)
#include "reduce_template.h"
#undef T
#undef VEC
#undef VEXP
#undef SLOG
#undef NAME

#define T double
#define VEC double
#define VEXP(v) exp(v)
#define SLOG(x) log(x)
#define NAME(x) CAT(x, f64_1)
#include "reduce_template.h"

// Two-pass moments in double: the mean, then the squared deviations from it.
AVX512 static void moments_f32_512(const float *x, long n, double *mean, double *m2) {
    __m512d s0 = _mm512_setzero_pd(), s1 = _mm512_setzero_pd();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm512_add_pd(s0, _mm512_cvtps_pd(_mm256_loadu_ps(x + i)));
        s1 = _mm512_add_pd(s1, _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 8)));
    }
    double s = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
    for (long k = i; k < n; k++) s += x[k];
    const double mu = s / (double)n;
    const __m512d m = _mm512_set1_pd(mu);
    s0 = _mm512_setzero_pd(); s1 = _mm512_setzero_pd();
    for (i = 0; i + 16 <= n; i += 16) {
        __m512d d0 = _mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(x + i)), m);
        __m512d d1 = _mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(x + i + 8)), m);
        s0 = _mm512_fmadd_pd(d0, d0, s0);
        s1 = _mm512_fmadd_pd(d1, d1, s1);
    }
    double q = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
    for (long k = i; k < n; k++) { double d = x[k] - mu; q += d * d; }
    *mean = mu; *m2 = q;
}
AVX512 static void moments_f64_512(const double *x, long n, double *mean, double *m2) {
    __m512d s0 = _mm512_setzero_pd(), s1 = _mm512_setzero_pd();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm512_add_pd(s0, _mm512_loadu_pd(x + i));
        s1 = _mm512_add_pd(s1, _mm512_loadu_pd(x + i + 8));
    }
    double s = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
    for (long k = i; k < n; k++) s += x[k];
    const double mu = s / (double)n;
    const __m512d m = _mm512_set1_pd(mu);
    s0 = _mm512_setzero_pd(); s1 = _mm512_setzero_pd();
    for (i = 0; i + 16 <= n; i += 16) {
        __m512d d0 = _mm512_sub_pd(_mm512_loadu_pd(x + i), m);
        __m512d d1 = _mm512_sub_pd(_mm512_loadu_pd(x + i + 8), m);
        s0 = _mm512_fmadd_pd(d0, d0, s0);
        s1 = _mm512_fmadd_pd(d1, d1, s1);
    }
    double q = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
    for (long k = i; k < n; k++) { double d = x[k] - mu; q += d * d; }
    *mean = mu; *m2 = q;
}
AVX2 static void moments_f32_256(const float *x, long n, double *mean, double *m2) {
    __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm_loadu_ps(x + i)));
        s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)));
    }
    double s = hsum4d(_mm256_add_pd(s0, s1));
    for (long k = i; k < n; k++) s += x[k];
    const double mu = s / (double)n;
    const __m256d m = _mm256_set1_pd(mu);
    s0 = _mm256_setzero_pd(); s1 = _mm256_setzero_pd();
    for (i = 0; i + 8 <= n; i += 8) {
        __m256d d0 = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i)), m);
        __m256d d1 = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)), m);
        s0 = _mm256_fmadd_pd(d0, d0, s0);
        s1 = _mm256_fmadd_pd(d1, d1, s1);
    }
    double q = hsum4d(_mm256_add_pd(s0, s1));
    for (long k = i; k < n; k++) { double d = x[k] - mu; q += d * d; }
    *mean = mu; *m2 = q;
}
AVX2 static void moments_f64_256(const double *x, long n, double *mean, double *m2) {
    __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 = _mm256_add_pd(s0, _mm256_loadu_pd(x + i));
        s1 = _mm256_add_pd(s1, _mm256_loadu_pd(x + i + 4));
    }
    double s = hsum4d(_mm256_add_pd(s0, s1));
    for (long k = i; k < n; k++) s += x[k];
    const double mu = s / (double)n;
    const __m256d m = _mm256_set1_pd(mu);
    s0 = _mm256_setzero_pd(); s1 = _mm256_setzero_pd();
    for (i = 0; i + 8 <= n; i += 8) {
        __m256d d0 = _mm256_sub_pd(_mm256_loadu_pd(x + i), m);
        __m256d d1 = _mm256_sub_pd(_mm256_loadu_pd(x + i + 4), m);
        s0 = _mm256_fmadd_pd(d0, d0, s0);
        s1 = _mm256_fmadd_pd(d1, d1, s1);
    }
    double q = hsum4d(_mm256_add_pd(s0, s1));
    for (long k = i; k < n; k++) { double d = x[k] - mu; q += d * d; }
    *mean = mu; *m2 = q;
}
#define MOMENTS_PORTABLE(suffix, T) \
    static void moments_##suffix##_1(const T *x, long n, double *mean, double *m2) { \
        double s = 0; \
        for (long k = 0; k < n; k++) s += x[k]; \
        const double mu = s / (double)n; \
        double q = 0; \
        for (long k = 0; k < n; k++) { double d = x[k] - mu; q += d * d; } \
        *mean = mu; *m2 = q; \
    }
MOMENTS_PORTABLE(f32, float)
MOMENTS_PORTABLE(f64, double)

// Public entry points: pick the instruction set per call.
#define DISPATCH(name, suffix, args) \
    switch (st_simd_width()) { \
    case 512: return name##_##suffix##_512 args; \
    case 256: return name##_##suffix##_256 args; \
    default: return name##_##suffix##_1 args; \
    }
#define DISPATCH_VOID(name, suffix, args) \
    switch (st_simd_width()) { \
    case 512: name##_##suffix##_512 args; return; \
    case 256: name##_##suffix##_256 args; return; \
    default: name##_##suffix##_1 args; return; \
    }

float st_sum_f32(const float *x, long n) { DISPATCH(sum, f32, (x, n)) }
double st_sum_f64(const double *x, long n) { DISPATCH(sum, f64, (x, n)) }
float st_max_f32(const float *x, long n) { DISPATCH(max, f32, (x, n)) }
double st_max_f64(const double *x, long n) { DISPATCH(max, f64, (x, n)) }
float st_min_f32(const float *x, long n) { DISPATCH(min, f32, (x, n)) }
double st_min_f64(const double *x, long n) { DISPATCH(min, f64, (x, n)) }
void st_softmax_f32(const float *x, float *y, long n) { DISPATCH_VOID(softmax, f32, (x, y, n)) }
void st_softmax_f64(const double *x, double *y, long n) { DISPATCH_VOID(softmax, f64, (x, y, n)) }
void st_log_softmax_f32(const float *x, float *y, long n) { DISPATCH_VOID(log_softmax, f32, (x, y, n)) }
void st_log_softmax_f64(const double *x, double *y, long n) { DISPATCH_VOID(log_softmax, f64, (x, y, n)) }
float st_logsumexp_f32(const float *x, long n) { DISPATCH(logsumexp, f32, (x, n)) }
double st_logsumexp_f64(const double *x, long n) { DISPATCH(logsumexp, f64, (x, n)) }
float st_prod_f32(const float *x, long n) { DISPATCH(prod, f32, (x, n)) }
double st_prod_f64(const double *x, long n) { DISPATCH(prod, f64, (x, n)) }
void st_add_rows_f32(float *acc, const float *x, long width, long rows, long row_stride) {
    DISPATCH_VOID(add_rows, f32, (acc, x, width, rows, row_stride))
}
void st_add_rows_f64(double *acc, const double *x, long width, long rows, long row_stride) {
    DISPATCH_VOID(add_rows, f64, (acc, x, width, rows, row_stride))
}
void st_max_rows_f32(float *acc, const float *x, long width, long rows, long row_stride) {
    DISPATCH_VOID(max_rows, f32, (acc, x, width, rows, row_stride))
}
void st_max_rows_f64(double *acc, const double *x, long width, long rows, long row_stride) {
    DISPATCH_VOID(max_rows, f64, (acc, x, width, rows, row_stride))
}
void st_min_rows_f32(float *acc, const float *x, long width, long rows, long row_stride) {
    DISPATCH_VOID(min_rows, f32, (acc, x, width, rows, row_stride))
}
void st_min_rows_f64(double *acc, const double *x, long width, long rows, long row_stride) {
    DISPATCH_VOID(min_rows, f64, (acc, x, width, rows, row_stride))
}
void st_moments_f32(const float *x, long n, double *mean, double *m2) { DISPATCH_VOID(moments, f32, (x, n, mean, m2)) }
void st_moments_f64(const double *x, long n, double *mean, double *m2) { DISPATCH_VOID(moments, f64, (x, n, mean, m2)) }
