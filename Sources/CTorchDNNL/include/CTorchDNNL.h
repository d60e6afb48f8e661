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
#endif
