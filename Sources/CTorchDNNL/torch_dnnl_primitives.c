// Batch normalisation and 2-D pooling on oneDNN's primitives, float32 and plain NCHW
// throughout: unlike convolutions these primitives run on the plain layout, so a
// `tdc_primitive` is one primitive with one memory per argument and no reorders. The
// buffers are the caller's, set on the memories at each run; the scratchpad too.
#include "CTorchDNNL.h"
#include "torch_dnnl_internal.h"
#include <oneapi/dnnl/dnnl_debug.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// A slot a step does not use (oneDNN numbers its arguments from 1).
#define TDC_UNUSED 0

// The most argument slots a step has (batch-norm backward: six inputs, three outputs).
#define TDC_MAX_SLOTS 9

struct tdc_primitive {
    dnnl_stream_t stream;
    dnnl_primitive_t primitive;
    int count;                               // slots, in the order of the step's buffers
    int ids[TDC_MAX_SLOTS];                  // oneDNN's argument per slot, or TDC_UNUSED
    dnnl_memory_t memories[TDC_MAX_SLOTS];
    dnnl_memory_t scratchpad;
    size_t scratchpad_bytes;
    size_t workspace_bytes;
    int workspace_element;
};

// Makes `p`'s primitive from `pd` with one memory per used slot (each described by what
// `pd` says that argument is: the plain layouts the descriptors were made with) and the
// scratchpad `pd` asks for.
static dnnl_status_t finish(tdc_primitive *p, dnnl_primitive_desc_t pd, dnnl_engine_t engine, const int *ids, int count,
                            char *message) {
    p->count = count;
    for (int i = 0; i < count; i++) {
        p->ids[i] = ids[i];
        if (ids[i] == TDC_UNUSED) continue;
        const dnnl_memory_desc_t *md = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, ids[i]);
        if (!md || md->ndims == 0) {
            if (message) snprintf(message, 256, "oneDNN primitive has no argument %d", ids[i]);
            return dnnl_invalid_arguments;
        }
        CHECK(dnnl_memory_create(&p->memories[i], md, engine, DNNL_MEMORY_NONE));
        if (ids[i] == DNNL_ARG_WORKSPACE) {
            p->workspace_bytes = dnnl_memory_desc_get_size(md);
            p->workspace_element = md->data_type == dnnl_u8 ? 1 : md->data_type == dnnl_s32 ? 4 : 0;
        }
    }
    const dnnl_memory_desc_t *scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    p->scratchpad_bytes = scratch ? dnnl_memory_desc_get_size(scratch) : 0;
    if (p->scratchpad_bytes) CHECK(dnnl_memory_create(&p->scratchpad, scratch, engine, DNNL_MEMORY_NONE));
    CHECK(dnnl_stream_create(&p->stream, engine, dnnl_stream_default_flags));
    CHECK(dnnl_primitive_create(&p->primitive, pd));
    return dnnl_success;
}

// Destroys `pd` (when made) and returns `p`, or destroys `p` too and returns NULL when
// `status` is a failure.
static tdc_primitive *conclude(tdc_primitive *p, dnnl_primitive_desc_t pd, dnnl_status_t status) {
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (status == dnnl_success) return p;
    tdc_primitive_destroy(p);
    return NULL;
}

// Makes the primitive descriptor for a geometry (a `tdc_bnorm_geometry` or
// `tdc_pool_geometry`) and step on `engine`.
typedef dnnl_status_t (*pd_maker)(dnnl_primitive_desc_t *pd, const void *geometry, int step, dnnl_engine_t engine,
                                  const_dnnl_primitive_attr_t attr, char *message);

// A zeroed primitive and, in `pd`, the descriptor `make` builds on the shared engine
// (returned in `engine`); or NULL with `message` set, nothing left allocated.
static tdc_primitive *begin(const void *geometry, int step, pd_maker make, dnnl_primitive_desc_t *pd,
                            dnnl_engine_t *engine, char *message) {
    const_dnnl_primitive_attr_t attr;
    dnnl_status_t s = tdc_shared_engine(engine, &attr);
    if (s != dnnl_success) {
        if (message) snprintf(message, 256, "oneDNN engine: %s", dnnl_status2str(s));
        return NULL;
    }
    tdc_primitive *p = calloc(1, sizeof *p);
    if (!p) {
        if (message) snprintf(message, 256, "out of memory");
        return NULL;
    }
    *pd = NULL;
    if ((s = make(pd, geometry, step, *engine, attr, message)) != dnnl_success) return conclude(p, NULL, s);
    return p;
}

// The batch-norm primitive descriptor for `step` (backward steps are made with the training
// forward as their hint, as oneDNN requires).
static dnnl_status_t bnorm_pd(dnnl_primitive_desc_t *pd, const void *geometry, int step, dnnl_engine_t engine,
                             const_dnnl_primitive_attr_t attr, char *message) {
    const tdc_bnorm_geometry *g = geometry;
    dnnl_dims_t dims = {g->batch, g->channels, g->height, g->width};
    dnnl_memory_desc_t data;
    CHECK(dnnl_memory_desc_init_by_tag(&data, 4, dims, dnnl_f32, dnnl_nchw));
    unsigned flags = (g->has_scale ? dnnl_use_scale : 0) | (g->has_shift ? dnnl_use_shift : 0);
    dnnl_batch_normalization_desc_t desc;
    if (step == TDC_BNORM_INFERENCE) {
        CHECK(dnnl_batch_normalization_forward_desc_init(&desc, dnnl_forward_inference, &data, g->eps,
                                                         flags | dnnl_use_global_stats));
        CHECK(dnnl_primitive_desc_create(pd, &desc, attr, engine, NULL));
        return dnnl_success;
    }
    CHECK(dnnl_batch_normalization_forward_desc_init(&desc, dnnl_forward_training, &data, g->eps, flags));
    if (step == TDC_BNORM_TRAINING) {
        CHECK(dnnl_primitive_desc_create(pd, &desc, attr, engine, NULL));
        return dnnl_success;
    }
    dnnl_primitive_desc_t hint;
    CHECK(dnnl_primitive_desc_create(&hint, &desc, attr, engine, NULL));
    dnnl_batch_normalization_desc_t backward;
    dnnl_status_t s = dnnl_batch_normalization_backward_desc_init(
        &backward, flags ? dnnl_backward : dnnl_backward_data, &data, &data, g->eps, flags);
    if (s == dnnl_success) s = dnnl_primitive_desc_create(pd, &backward, attr, engine, hint);
    dnnl_primitive_desc_destroy(hint);
    CHECK(s);
    return dnnl_success;
}

tdc_primitive *tdc_bnorm_create(const tdc_bnorm_geometry *g, int step, char *message) {
    dnnl_engine_t engine;
    dnnl_primitive_desc_t pd;
    tdc_primitive *p = begin(g, step, bnorm_pd, &pd, &engine, message);
    if (!p) return NULL;
    dnnl_status_t s;
    int scale = g->has_scale ? DNNL_ARG_SCALE : TDC_UNUSED, shift = g->has_shift ? DNNL_ARG_SHIFT : TDC_UNUSED;
    int training[] = {DNNL_ARG_SRC, scale, shift, DNNL_ARG_DST, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE};
    int inference[] = {DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, scale, shift, DNNL_ARG_DST};
    // The backward takes the shift too (it never reads it, but oneDNN checks it is there).
    int backward[] = {DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_DIFF_DST, scale, shift, DNNL_ARG_DIFF_SRC,
                      g->has_scale ? DNNL_ARG_DIFF_SCALE : TDC_UNUSED,
                      g->has_shift ? DNNL_ARG_DIFF_SHIFT : TDC_UNUSED};
    switch (step) {
    case TDC_BNORM_TRAINING: s = finish(p, pd, engine, training, 6, message); break;
    case TDC_BNORM_INFERENCE: s = finish(p, pd, engine, inference, 6, message); break;
    default: s = finish(p, pd, engine, backward, 9, message); break;
    }
    return conclude(p, pd, s);
}

// The pooling primitive descriptor for `step`, PyTorch's geometry in oneDNN's terms
// (dilation counted from 0, the right/bottom padding given apart). Backward steps get the
// training forward as their hint.
static dnnl_status_t pool_pd(dnnl_primitive_desc_t *pd, const void *geometry, int step, dnnl_engine_t engine,
                             const_dnnl_primitive_attr_t attr, char *message) {
    const tdc_pool_geometry *g = geometry;
    dnnl_dims_t src = {g->batch, g->channels, g->in_h, g->in_w}, dst = {g->batch, g->channels, g->out_h, g->out_w};
    dnnl_memory_desc_t src_md, dst_md;
    CHECK(dnnl_memory_desc_init_by_tag(&src_md, 4, src, dnnl_f32, dnnl_nchw));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_md, 4, dst, dnnl_f32, dnnl_nchw));
    dnnl_dims_t strides = {g->stride_h, g->stride_w}, kernel = {g->kernel_h, g->kernel_w};
    dnnl_dims_t dilation = {g->dilation_h - 1, g->dilation_w - 1};
    dnnl_dims_t pad_l = {g->pad_h, g->pad_w}, pad_r = {g->pad_bottom, g->pad_right};
    dnnl_alg_kind_t alg = g->algorithm == TDC_POOL_MAX ? dnnl_pooling_max
                          : g->algorithm == TDC_POOL_AVG_INCLUDE_PAD ? dnnl_pooling_avg_include_padding
                                                                     : dnnl_pooling_avg_exclude_padding;
    dnnl_pooling_v2_desc_t desc;
    dnnl_prop_kind_t prop = step == TDC_POOL_FORWARD ? dnnl_forward_inference : dnnl_forward_training;
    CHECK(dnnl_pooling_v2_forward_desc_init(&desc, prop, alg, &src_md, &dst_md, strides, kernel, dilation, pad_l, pad_r));
    if (step != TDC_POOL_BACKWARD) {
        CHECK(dnnl_primitive_desc_create(pd, &desc, attr, engine, NULL));
        return dnnl_success;
    }
    dnnl_primitive_desc_t hint;
    CHECK(dnnl_primitive_desc_create(&hint, &desc, attr, engine, NULL));
    dnnl_pooling_v2_desc_t backward;
    dnnl_status_t s = dnnl_pooling_v2_backward_desc_init(&backward, alg, &src_md, &dst_md, strides, kernel, dilation,
                                                         pad_l, pad_r);
    if (s == dnnl_success) s = dnnl_primitive_desc_create(pd, &backward, attr, engine, hint);
    dnnl_primitive_desc_destroy(hint);
    CHECK(s);
    return dnnl_success;
}

// Whether the workspace of `pd` is laid out as the output is (plain NCHW of the output's
// dimensions), so that the caller can read it as one window offset per output element.
static int workspace_is_plain(dnnl_primitive_desc_t pd, const tdc_pool_geometry *g) {
    const dnnl_memory_desc_t *ws = dnnl_primitive_desc_query_md(pd, dnnl_query_workspace_md, 0);
    if (!ws || ws->ndims == 0 || (ws->data_type != dnnl_u8 && ws->data_type != dnnl_s32)) return 0;
    dnnl_dims_t dims = {g->batch, g->channels, g->out_h, g->out_w};
    dnnl_memory_desc_t plain;
    if (dnnl_memory_desc_init_by_tag(&plain, 4, dims, ws->data_type, dnnl_nchw) != dnnl_success) return 0;
    return dnnl_memory_desc_equal(ws, &plain);
}

tdc_primitive *tdc_pool_create(const tdc_pool_geometry *g, int step, char *message) {
    dnnl_engine_t engine;
    dnnl_primitive_desc_t pd;
    tdc_primitive *p = begin(g, step, pool_pd, &pd, &engine, message);
    if (!p) return NULL;
    dnnl_status_t s;
    int max = g->algorithm == TDC_POOL_MAX;
    if (max && step != TDC_POOL_FORWARD && !workspace_is_plain(pd, g)) {
        if (message) snprintf(message, 256, "oneDNN max pooling keeps its workspace in a blocked layout");
        return conclude(p, pd, dnnl_unimplemented);
    }
    int forward[] = {DNNL_ARG_SRC, DNNL_ARG_DST};
    int training[] = {DNNL_ARG_SRC, DNNL_ARG_DST, max ? DNNL_ARG_WORKSPACE : TDC_UNUSED};
    int backward[] = {DNNL_ARG_DIFF_DST, max ? DNNL_ARG_WORKSPACE : TDC_UNUSED, DNNL_ARG_DIFF_SRC};
    switch (step) {
    case TDC_POOL_FORWARD: s = finish(p, pd, engine, forward, 2, message); break;
    case TDC_POOL_FORWARD_TRAINING: s = finish(p, pd, engine, training, 3, message); break;
    default: s = finish(p, pd, engine, backward, 3, message); break;
    }
    return conclude(p, pd, s);
}

void tdc_primitive_destroy(tdc_primitive *p) {
    if (!p) return;
    for (int i = 0; i < p->count; i++)
        if (p->memories[i]) dnnl_memory_destroy(p->memories[i]);
    if (p->scratchpad) dnnl_memory_destroy(p->scratchpad);
    if (p->primitive) dnnl_primitive_destroy(p->primitive);
    if (p->stream) dnnl_stream_destroy(p->stream);
    free(p);
}

size_t tdc_primitive_scratch_bytes(const tdc_primitive *p) { return p->scratchpad_bytes; }

size_t tdc_primitive_workspace_bytes(const tdc_primitive *p, int *element_size) {
    *element_size = p->workspace_element;
    return p->workspace_bytes;
}

int tdc_primitive_run(tdc_primitive *p, void *const *buffers, void *scratch, char *message) {
    dnnl_exec_arg_t exec[TDC_MAX_SLOTS + 1];
    int count = 0;
    for (int i = 0; i < p->count; i++) {
        if (p->ids[i] == TDC_UNUSED) continue;
        CHECK(dnnl_memory_set_data_handle(p->memories[i], buffers[i]));
        exec[count].arg = p->ids[i];
        exec[count++].memory = p->memories[i];
    }
    if (p->scratchpad_bytes) {
        CHECK(dnnl_memory_set_data_handle(p->scratchpad, scratch));
        exec[count].arg = DNNL_ARG_SCRATCHPAD;
        exec[count++].memory = p->scratchpad;
    }
    CHECK(dnnl_primitive_execute(p->primitive, p->stream, count, exec));
    CHECK(dnnl_stream_wait(p->stream));
    return 0;
}
