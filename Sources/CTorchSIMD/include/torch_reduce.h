// Vectorised reductions over contiguous float32/float64 arrays (AVX-512 or AVX2 chosen at
// run time like torch_simd.h's loops, with a portable fallback). SwiftTorch's reduction
// kernels call these for the contiguous runs of sum, max/min, softmax and logsumexp.
#ifndef SWIFTTORCH_REDUCE_H
#define SWIFTTORCH_REDUCE_H

#ifdef __cplusplus
extern "C" {
#endif

/// Cascade sum of n elements (partial sums of similar magnitude are added level by level).
float st_sum_f32(const float *x, long n);
double st_sum_f64(const double *x, long n);
/// Largest / smallest element; NaN if any element is NaN; -inf / +inf when n == 0.
float st_max_f32(const float *x, long n);
double st_max_f64(const double *x, long n);
float st_min_f32(const float *x, long n);
double st_min_f64(const double *x, long n);
/// y = softmax(x) over n elements (y may not alias x).
void st_softmax_f32(const float *x, float *y, long n);
void st_softmax_f64(const double *x, double *y, long n);
/// y = x - max - log(sum(exp(x - max))) over n elements (y may not alias x).
void st_log_softmax_f32(const float *x, float *y, long n);
void st_log_softmax_f64(const double *x, double *y, long n);
/// log(sum(exp(x))) over n elements, with the maximum subtracted first.
float st_logsumexp_f32(const float *x, long n);
double st_logsumexp_f64(const double *x, long n);

/// Product of n elements (partial products interleaved, so the order differs from a loop).
float st_prod_f32(const float *x, long n);
double st_prod_f64(const double *x, long n);
/// acc[j] += sum over r < rows of x[r * row_stride + j], for j < width (cascade over rows).
void st_add_rows_f32(float *acc, const float *x, long width, long rows, long row_stride);
void st_add_rows_f64(double *acc, const double *x, long width, long rows, long row_stride);
/// acc[j] = max (min) of acc[j] and x[r * row_stride + j] over r < rows; NaN propagates.
void st_max_rows_f32(float *acc, const float *x, long width, long rows, long row_stride);
void st_max_rows_f64(double *acc, const double *x, long width, long rows, long row_stride);
void st_min_rows_f32(float *acc, const float *x, long width, long rows, long row_stride);
void st_min_rows_f64(double *acc, const double *x, long width, long rows, long row_stride);
/// Two-pass mean and sum of squared deviations of n > 0 elements, in double.
void st_moments_f32(const float *x, long n, double *mean, double *m2);
void st_moments_f64(const double *x, long n, double *mean, double *m2);

#ifdef __cplusplus
}
#endif
#endif
