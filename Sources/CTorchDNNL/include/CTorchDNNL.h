// Float32 2-D convolutions on oneDNN's convolution primitives (what PyTorch's CPU build
// runs), behind a small C interface: oneDNN's C API is a web of descriptors, primitives,
// memories and reorders that is clearer written once here than spelled through Swift's
// C import. A `tdc_conv` holds the primitives for one geometry; the caller caches it.
//
// Layouts: the caller passes plain NCHW activations and OIHW (groups: G·O/G, I/G, kh, kw)
// weights. Each primitive is created with "any" layouts so that oneDNN picks its blocked
// layouts; the plain buffers are reordered in and out around the primitive, through scratch
// memory the caller passes in (so a cached geometry holds no activation-sized memory, and
// the caller's caching allocator, not a fresh mapping, serves it).
#ifndef SWIFTTORCH_CTORCHDNNL_H
#define SWIFTTORCH_CTORCHDNNL_H
#include <stddef.h>
#include <stdint.h>

// A convolution's geometry, PyTorch's meaning: dilation 1 is no dilation, padding is
// applied on both sides.
typedef struct {
    int64_t batch, in_channels, in_h, in_w;
    int64_t out_channels, kernel_h, kernel_w, out_h, out_w;
    int64_t stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups;
    int has_bias;
} tdc_geometry;

typedef struct tdc_conv tdc_conv;

// The primitives for `g` (forward; backward ones are made on first use), or NULL when
// oneDNN cannot run it, with the reason in `message` (256 bytes).
tdc_conv *tdc_conv_create(const tdc_geometry *g, char *message);
void tdc_conv_destroy(tdc_conv *conv);

// The three steps a convolution runs.
enum { TDC_FORWARD = 0, TDC_BACKWARD_DATA = 1, TDC_BACKWARD_WEIGHTS = 2 };

// The scratch bytes `step` needs (64-byte aligned memory of that size goes to its call);
// builds a backward step's primitives on first use. Every call returns 0 on success, else
// oneDNN's status, with `message` filled.
int tdc_conv_scratch_bytes(tdc_conv *conv, int step, size_t *bytes, char *message);
// dst = conv(src, weights) + bias (bias may be NULL when the geometry has none).
int tdc_conv_forward(tdc_conv *conv, const float *src, const float *weights, const float *bias, float *dst,
                     void *scratch, char *message);
// diff_src = the input gradient for `diff_dst`.
int tdc_conv_backward_data(tdc_conv *conv, const float *diff_dst, const float *weights, float *diff_src,
                           void *scratch, char *message);
// diff_weights (and diff_bias when not NULL) for `src` and `diff_dst`.
int tdc_conv_backward_weights(tdc_conv *conv, const float *src, const float *diff_dst, float *diff_weights,
                              float *diff_bias, void *scratch, char *message);
// ---- Batch normalisation and 2-D pooling (torch_dnnl_primitives.c) ----
// One primitive on plain NCHW float32 buffers (no reorders: these primitives run on the
// plain layout), with a user scratchpad the caller passes in. The caller caches a
// `tdc_primitive` per geometry and step, as it does a `tdc_conv`.
typedef struct tdc_primitive tdc_primitive;

// A batch normalisation over `(batch, channels, height, width)`; a 2-D or 3-D input is
// passed as height × 1 (the same memory). `has_scale`/`has_shift`: a weight/bias is given.
typedef struct {
    int64_t batch, channels, height, width;
    int has_scale, has_shift;
    float eps;
} tdc_bnorm_geometry;

// The batch-norm steps and their argument slots, in the order `tdc_primitive_run` takes
// the buffers (an absent scale/shift slot is passed as NULL and skipped):
//   TDC_BNORM_TRAINING:  src, scale, shift | dst, mean, variance (batch statistics, biased)
//   TDC_BNORM_INFERENCE: src, mean, variance, scale, shift | dst
//   TDC_BNORM_BACKWARD:  src, mean, variance, diff_dst, scale, shift | diff_src, diff_scale, diff_shift
//                        (the shift is not read, but oneDNN wants one when there is a bias)
enum { TDC_BNORM_TRAINING = 0, TDC_BNORM_INFERENCE = 1, TDC_BNORM_BACKWARD = 2 };

// The primitive for `step` of the batch normalisation `g`, or NULL when oneDNN cannot run
// it, with the reason in `message` (256 bytes).
tdc_primitive *tdc_bnorm_create(const tdc_bnorm_geometry *g, int step, char *message);

// A 2-D pooling, PyTorch's geometry (dilation 1 is none); `pad_bottom`/`pad_right` are the
// padding after the input, larger than `pad_h`/`pad_w` when ceil mode adds a last window.
typedef struct {
    int64_t batch, channels, in_h, in_w, out_h, out_w;
    int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, pad_bottom, pad_right, dilation_h, dilation_w;
    int algorithm;
} tdc_pool_geometry;

// Pooling algorithms: max, average over the padded window, average over the input part.
enum { TDC_POOL_MAX = 0, TDC_POOL_AVG_INCLUDE_PAD = 1, TDC_POOL_AVG_EXCLUDE_PAD = 2 };

// The pooling steps and their buffers:
//   TDC_POOL_FORWARD:          src | dst            (no workspace: inference)
//   TDC_POOL_FORWARD_TRAINING: src | dst, workspace (max only: which window element won)
//   TDC_POOL_BACKWARD:         diff_dst, workspace | diff_src (workspace NULL for averages)
enum { TDC_POOL_FORWARD = 0, TDC_POOL_FORWARD_TRAINING = 1, TDC_POOL_BACKWARD = 2 };

// The primitive for `step` of the pooling `g`, or NULL when oneDNN cannot run it (or,
// for max pooling's training step, keeps its workspace in a layout other than the plain
// one of the output), with the reason in `message`.
tdc_primitive *tdc_pool_create(const tdc_pool_geometry *g, int step, char *message);

void tdc_primitive_destroy(tdc_primitive *p);
// The scratchpad bytes a run needs (64-byte aligned memory of that size, or NULL for 0).
size_t tdc_primitive_scratch_bytes(const tdc_primitive *p);
// The bytes of the workspace, and the size of one of its elements (1 for u8, 4 for s32;
// each holds the winning offset kh·kernel_w + kw of an output's window); 0 without one.
size_t tdc_primitive_workspace_bytes(const tdc_primitive *p, int *element_size);
// Runs the primitive on `buffers` (the step's slots, above); 0 on success, else oneDNN's
// status with `message` filled.
int tdc_primitive_run(tdc_primitive *p, void *const *buffers, void *scratch, char *message);
#endif
