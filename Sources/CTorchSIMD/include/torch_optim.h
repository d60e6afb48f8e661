// Fused optimizer updates over contiguous float32 / float64 memory: one pass per parameter,
// vectorised (restrict pointers, branch-free inner loops, AVX2/AVX-512 clones chosen at run
// time). Scalars arrive converted to the element type, as PyTorch's CPU kernels convert them.
#ifndef SWIFTTORCH_TORCH_OPTIM_H
#define SWIFTTORCH_TORCH_OPTIM_H
#include <stddef.h>

// SGD. `buf` may be NULL (no momentum); `first` marks the step that creates the buffer.
void torch_sgd_f32(float *p, const float *g, float *buf, size_t n, float lr, float momentum, float dampening,
                   float weight_decay, int nesterov, int maximize, int first);
void torch_sgd_f64(double *p, const double *g, double *buf, size_t n, double lr, double momentum, double dampening,
                   double weight_decay, int nesterov, int maximize, int first);

// Adam / AdamW. `vmax` may be NULL (no AMSGrad); `decay` is AdamW's 1 - lr·wd (1 for Adam).
void torch_adam_f32(float *p, const float *g, float *m, float *v, float *vmax, size_t n, float beta1c, float beta2,
                    float beta2c, float step_size, float bc2_sqrt, float eps, float weight_decay, float decay, int maximize);
void torch_adam_f64(double *p, const double *g, double *m, double *v, double *vmax, size_t n, double beta1c, double beta2,
                    double beta2c, double step_size, double bc2_sqrt, double eps, double weight_decay, double decay,
                    int maximize);

/// Adadelta over `n` elements: `sq` = square_avg, `acc` = acc_delta; `rho_c` = 1 − rho.
void torch_adadelta_f32(float *p, const float *g, float *sq, float *acc, size_t n, float lr, float rho, float rho_c,
                        float eps, float weight_decay, int maximize);
void torch_adadelta_f64(double *p, const double *g, double *sq, double *acc, size_t n, double lr, double rho,
                        double rho_c, double eps, double weight_decay, int maximize);
#endif
