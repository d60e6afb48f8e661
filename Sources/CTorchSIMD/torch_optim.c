#include "torch_optim.h"
#include "torch_simd.h"

#define AVX512 __attribute__((target("avx512f,avx512dq")))
#define AVX2 __attribute__((target("avx2,fma")))

// The width torch_simd.h's loops use (the same CPU test), so the tests' per-thread override
// reaches these loops too.
static int optim_width(void) { return st_simd_width(); }

// One body per element type and instruction set; the flags are loop-invariant, so each
// call runs a branch-free loop the compiler vectorises.
#define SGD_BODY(T)                                                                              \
    const T sign = maximize ? (T)-1 : (T)1;                                                      \
    if (!buf) {                                                                                  \
        for (size_t i = 0; i < n; i++) { T d = sign * g[i] + weight_decay * p[i]; p[i] = p[i] + (-lr) * d; } \
    } else if (first) {                                                                          \
        for (size_t i = 0; i < n; i++) {                                                         \
            T d = sign * g[i] + weight_decay * p[i]; buf[i] = d;                                 \
            p[i] = p[i] + (-lr) * (nesterov ? d + momentum * d : d);                             \
        }                                                                                        \
    } else if (nesterov) {                                                                       \
        for (size_t i = 0; i < n; i++) {                                                         \
            T d = sign * g[i] + weight_decay * p[i]; T b = buf[i] * momentum + ((T)1 - dampening) * d; \
            buf[i] = b; p[i] = p[i] + (-lr) * (d + momentum * b);                                \
        }                                                                                        \
    } else {                                                                                     \
        for (size_t i = 0; i < n; i++) {                                                         \
            T d = sign * g[i] + weight_decay * p[i]; T b = buf[i] * momentum + ((T)1 - dampening) * d; \
            buf[i] = b; p[i] = p[i] + (-lr) * b;                                                 \
        }                                                                                        \
    }

#define SGD_VARIANT(NAME, T, ATTR)                                                               \
    ATTR static void NAME(T *restrict p, const T *restrict g, T *restrict buf, size_t n, T lr, T momentum, \
                          T dampening, T weight_decay, int nesterov, int maximize, int first) { SGD_BODY(T) }

SGD_VARIANT(sgd_f32_512, float, AVX512)
SGD_VARIANT(sgd_f32_256, float, AVX2)
SGD_VARIANT(sgd_f32_any, float, )
SGD_VARIANT(sgd_f64_512, double, AVX512)
SGD_VARIANT(sgd_f64_256, double, AVX2)
SGD_VARIANT(sgd_f64_any, double, )

void torch_sgd_f32(float *p, const float *g, float *buf, size_t n, float lr, float momentum, float dampening,
                   float weight_decay, int nesterov, int maximize, int first) {
    switch (optim_width()) {
    case 512: sgd_f32_512(p, g, buf, n, lr, momentum, dampening, weight_decay, nesterov, maximize, first); break;
    case 256: sgd_f32_256(p, g, buf, n, lr, momentum, dampening, weight_decay, nesterov, maximize, first); break;
    default: sgd_f32_any(p, g, buf, n, lr, momentum, dampening, weight_decay, nesterov, maximize, first);
    }
}

void torch_sgd_f64(double *p, const double *g, double *buf, size_t n, double lr, double momentum, double dampening,
                   double weight_decay, int nesterov, int maximize, int first) {
    switch (optim_width()) {
    case 512: sgd_f64_512(p, g, buf, n, lr, momentum, dampening, weight_decay, nesterov, maximize, first); break;
    case 256: sgd_f64_256(p, g, buf, n, lr, momentum, dampening, weight_decay, nesterov, maximize, first); break;
    default: sgd_f64_any(p, g, buf, n, lr, momentum, dampening, weight_decay, nesterov, maximize, first);
    }
}

// PyTorch's lerp for a scalar weight: `start + w·(end - start)` below one half,
// `end - (end - start)·(1 - w)` from there (exact at both ends).
#define ADAM_BODY(T, SQRT)                                                                       \
    const T sign = maximize ? (T)-1 : (T)1;                                                      \
    const int low = beta1c < (T)0.5;                                                             \
    for (size_t i = 0; i < n; i++) {                                                             \
        T x = p[i] * decay;                                                                      \
        T d = sign * g[i] + weight_decay * x;                                                    \
        T mi = low ? m[i] + beta1c * (d - m[i]) : d - (d - m[i]) * ((T)1 - beta1c);              \
        T vi = v[i] * beta2 + beta2c * (d * d);                                                  \
        m[i] = mi; v[i] = vi;                                                                    \
        T second = vi;                                                                           \
        if (vmax) { second = vmax[i] > vi ? vmax[i] : vi; vmax[i] = second; }                    \
        p[i] = x + (-step_size) * (mi / (SQRT(second) / bc2_sqrt + eps));                        \
    }

#define ADAM_VARIANT(NAME, T, SQRT, ATTR)                                                        \
    ATTR static void NAME##_plain(T *restrict p, const T *restrict g, T *restrict m, T *restrict v, size_t n, \
        T beta1c, T beta2, T beta2c, T step_size, T bc2_sqrt, T eps, T weight_decay, T decay, int maximize) { \
        T *vmax = 0; ADAM_BODY(T, SQRT) }                                                        \
    ATTR static void NAME##_ams(T *restrict p, const T *restrict g, T *restrict m, T *restrict v, T *restrict vmax, \
        size_t n, T beta1c, T beta2, T beta2c, T step_size, T bc2_sqrt, T eps, T weight_decay, T decay, int maximize) { \
        ADAM_BODY(T, SQRT) }

ADAM_VARIANT(adam_f32_512, float, __builtin_elementwise_sqrt, AVX512)
ADAM_VARIANT(adam_f32_256, float, __builtin_elementwise_sqrt, AVX2)
ADAM_VARIANT(adam_f32_any, float, __builtin_elementwise_sqrt, )
ADAM_VARIANT(adam_f64_512, double, __builtin_elementwise_sqrt, AVX512)
ADAM_VARIANT(adam_f64_256, double, __builtin_elementwise_sqrt, AVX2)
ADAM_VARIANT(adam_f64_any, double, __builtin_elementwise_sqrt, )

#define ADAM_DISPATCH(PREFIX)                                                                    \
    if (vmax) {                                                                                  \
        switch (optim_width()) {                                                                 \
        case 512: PREFIX##_512_ams(p, g, m, v, vmax, n, beta1c, beta2, beta2c, step_size, bc2_sqrt, eps, weight_decay, decay, maximize); return; \
        case 256: PREFIX##_256_ams(p, g, m, v, vmax, n, beta1c, beta2, beta2c, step_size, bc2_sqrt, eps, weight_decay, decay, maximize); return; \
        default: PREFIX##_any_ams(p, g, m, v, vmax, n, beta1c, beta2, beta2c, step_size, bc2_sqrt, eps, weight_decay, decay, maximize); return; \
        }                                                                                        \
    }                                                                                            \
    switch (optim_width()) {                                                                     \
    case 512: PREFIX##_512_plain(p, g, m, v, n, beta1c, beta2, beta2c, step_size, bc2_sqrt, eps, weight_decay, decay, maximize); return; \
    case 256: PREFIX##_256_plain(p, g, m, v, n, beta1c, beta2, beta2c, step_size, bc2_sqrt, eps, weight_decay, decay, maximize); return; \
    default: PREFIX##_any_plain(p, g, m, v, n, beta1c, beta2, beta2c, step_size, bc2_sqrt, eps, weight_decay, decay, maximize); return; \
    }

void torch_adam_f32(float *p, const float *g, float *m, float *v, float *vmax, size_t n, float beta1c, float beta2,
                    float beta2c, float step_size, float bc2_sqrt, float eps, float weight_decay, float decay, int maximize) {
    ADAM_DISPATCH(adam_f32)
}

void torch_adam_f64(double *p, const double *g, double *m, double *v, double *vmax, size_t n, double beta1c, double beta2,
                    double beta2c, double step_size, double bc2_sqrt, double eps, double weight_decay, double decay,
                    int maximize) {
    ADAM_DISPATCH(adam_f64)
}

// Adadelta: the operations of PyTorch's separate in-place ops (mul_, addcmul_, add, sqrt_,
// div_, mul_, add_ with alpha), in their order, one rounding each. Contraction is off: clang
// would otherwise fuse `a·b + c` within an expression into an FMA where the target has one,
// and the AVX loops would round differently from the portable one.
#define ADADELTA_VARIANT(NAME, T, ATTR)                                                          \
    ATTR static void NAME(T *restrict p, const T *restrict g, T *restrict sq, T *restrict acc, size_t n, \
        T lr, T rho, T rho_c, T eps, T weight_decay, int maximize) {                             \
        _Pragma("clang fp contract(off)")                                                        \
        for (size_t i = 0; i < n; i++) {                                                         \
            T d = maximize ? -g[i] : g[i];                                                       \
            if (weight_decay != 0) d = d + weight_decay * p[i];                                  \
            T s = sq[i] * rho + rho_c * d * d;                                                   \
            sq[i] = s;                                                                           \
            T std = __builtin_elementwise_sqrt(s + eps);                                         \
            T delta = __builtin_elementwise_sqrt(acc[i] + eps) / std * d;                        \
            acc[i] = acc[i] * rho + rho_c * delta * delta;                                       \
            p[i] = p[i] + (-lr) * delta;                                                         \
        }                                                                                        \
    }

ADADELTA_VARIANT(adadelta_f32_512, float, AVX512)
ADADELTA_VARIANT(adadelta_f32_256, float, AVX2)
ADADELTA_VARIANT(adadelta_f32_any, float, )
ADADELTA_VARIANT(adadelta_f64_512, double, AVX512)
ADADELTA_VARIANT(adadelta_f64_256, double, AVX2)
ADADELTA_VARIANT(adadelta_f64_any, double, )

void torch_adadelta_f32(float *p, const float *g, float *sq, float *acc, size_t n, float lr, float rho, float rho_c,
                        float eps, float weight_decay, int maximize) {
    switch (optim_width()) {
    case 512: adadelta_f32_512(p, g, sq, acc, n, lr, rho, rho_c, eps, weight_decay, maximize); break;
    case 256: adadelta_f32_256(p, g, sq, acc, n, lr, rho, rho_c, eps, weight_decay, maximize); break;
    default: adadelta_f32_any(p, g, sq, acc, n, lr, rho, rho_c, eps, weight_decay, maximize);
    }
}

void torch_adadelta_f64(double *p, const double *g, double *sq, double *acc, size_t n, double lr, double rho,
                        double rho_c, double eps, double weight_decay, int maximize) {
    switch (optim_width()) {
    case 512: adadelta_f64_512(p, g, sq, acc, n, lr, rho, rho_c, eps, weight_decay, maximize); break;
    case 256: adadelta_f64_256(p, g, sq, acc, n, lr, rho, rho_c, eps, weight_decay, maximize); break;
    default: adadelta_f64_any(p, g, sq, acc, n, lr, rho, rho_c, eps, weight_decay, maximize);
    }
}
