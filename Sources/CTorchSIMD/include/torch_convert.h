// bfloat16 <-> float32 conversion of contiguous arrays in the CPU's widest vectors (AVX-512 or
// AVX2, chosen at run time as torch_simd.h's loops are), with a portable loop. The rounding is
// SwiftTorch's `BFloat16(Float)`: to nearest, ties to even, any NaN to 0xFFFF (what PyTorch's
// vectorised CPU conversion writes); widening is exact.
#ifndef SWIFTTORCH_CONVERT_H
#define SWIFTTORCH_CONVERT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `y[i]` = the float32 value of the bfloat16 bits `x[i]`, for `i < n`.
void st_bf16_to_f32(const uint16_t *x, float *y, long n);
/// `y[i]` = the bfloat16 bits of `x[i]` rounded as above, for `i < n`.
void st_f32_to_bf16(const float *x, uint16_t *y, long n);

#ifdef __cplusplus
}
#endif
#endif
