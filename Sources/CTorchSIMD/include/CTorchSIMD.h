// The CTorchSIMD module's umbrella header: every loop family SwiftTorch's kernels call.
// (Named after the target so SwiftPM uses it as the umbrella; add new headers here.)
#ifndef SWIFTTORCH_CTORCHSIMD_H
#define SWIFTTORCH_CTORCHSIMD_H
#include "torch_simd.h"
#include "torch_reduce.h"
#include "torch_random.h"
#include "torch_optim.h"
#include "torch_parallel.h"
#include "torch_binary.h"
#include "torch_convert.h"
#endif
