// Box-Muller for SwiftTorch's float normal_ fill, PyTorch's AVX2 NormalFill16 to the bit.
// Used by Sources/Torch/Kernels/RandomKernels.swift; the portable path lives in Swift.
#ifndef SWIFTTORCH_RANDOM_H
#define SWIFTTORCH_RANDOM_H

#ifdef __cplusplus
extern "C" {
#endif

/// Transforms `blocks` consecutive blocks of 16 uniforms in [0, 1) at `data` into normals
/// N(mean, std^2) in place, exactly as PyTorch's AVX2 `normal_` kernel does. Returns 1, or
/// 0 without touching `data` when the CPU lacks AVX2/FMA (or st_simd_force_width(0) was
/// called), in which case the caller must do the transform itself.
int st_normal_fill16_f32(float *data, long blocks, float mean, float std);

#ifdef __cplusplus
}
#endif

#endif
