#define _GNU_SOURCE
#include "CTorchDNNL.h"
#include "torch_dnnl_internal.h"
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// One engine for the process: oneDNN's CPU engine is stateless and safe to share.
static dnnl_engine_t engine;
static dnnl_status_t engine_status = dnnl_runtime_error;
// Convolutions take their scratchpad from the caller (with the reorder copies), as PyTorch
// runs them: in oneDNN's default library mode each thread keeps a scratchpad of its own,
// which outlives the pool threads that made it.
static dnnl_primitive_attr_t user_scratchpad;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static void make_engine(void) {
    engine_status = dnnl_engine_create(&engine, dnnl_cpu, 0);
    if (engine_status == dnnl_success) engine_status = dnnl_primitive_attr_create(&user_scratchpad);
    if (engine_status == dnnl_success)
        engine_status = dnnl_primitive_attr_set_scratchpad_mode(user_scratchpad, dnnl_scratchpad_mode_user);
}

// The process's engine and user-scratchpad attribute for the other primitives
// (torch_dnnl_primitives.c), made on first use; returns the status of making them.
dnnl_status_t tdc_shared_engine(dnnl_engine_t *shared_engine, const_dnnl_primitive_attr_t *attr) {
    pthread_once(&engine_once, make_engine);
    *shared_engine = engine;
    *attr = user_scratchpad;
    return engine_status;
}

// One primitive argument: the caller's plain buffer, and when the primitive wants another
// layout, the reorder between them and the size of the primitive's copy.
typedef struct {
    dnnl_memory_t user, inner;
    dnnl_primitive_t reorder;
    size_t inner_bytes;
    int is_output;
    dnnl_memory_t scratchpad;   // the reorder's, when it needs one
    size_t scratchpad_bytes;
} tdc_arg;

// One primitive with its arguments (at most four: three inputs or outputs plus bias) and
// its scratchpad.
typedef struct {
    dnnl_primitive_t primitive;
    tdc_arg args[4];
    int ids[4];
    int count;
    dnnl_memory_t scratchpad;
    size_t scratchpad_bytes;
} tdc_step;

struct tdc_conv {
    tdc_geometry g;
    dnnl_stream_t stream;
    dnnl_primitive_desc_t forward_pd;
    tdc_step forward, backward_data, backward_weights;
    int has_backward_data, has_backward_weights;
    dnnl_memory_desc_t src_md, weights_md, bias_md, dst_md;             // plain layouts
    dnnl_memory_desc_t src_any, weights_any, dst_any;                   // "any" layouts
    dnnl_dims_t strides, dilates, pad_l, pad_r;
};

static dnnl_status_t arg_init(tdc_arg *a, const dnnl_memory_desc_t *user_md, const dnnl_memory_desc_t *inner_md,
                              int is_output, char *message) {
    memset(a, 0, sizeof *a);
    a->is_output = is_output;
    CHECK(dnnl_memory_create(&a->user, user_md, engine, DNNL_MEMORY_NONE));
    if (dnnl_memory_desc_equal(user_md, inner_md)) return dnnl_success;
    CHECK(dnnl_memory_create(&a->inner, inner_md, engine, DNNL_MEMORY_NONE));
    a->inner_bytes = dnnl_memory_desc_get_size(inner_md);
    dnnl_primitive_desc_t pd;
    if (is_output) CHECK(dnnl_reorder_primitive_desc_create(&pd, inner_md, engine, user_md, engine, user_scratchpad));
    else CHECK(dnnl_reorder_primitive_desc_create(&pd, user_md, engine, inner_md, engine, user_scratchpad));
    const dnnl_memory_desc_t *scratchpad = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    a->scratchpad_bytes = scratchpad ? dnnl_memory_desc_get_size(scratchpad) : 0;
    dnnl_status_t s = dnnl_success;
    if (a->scratchpad_bytes) s = dnnl_memory_create(&a->scratchpad, scratchpad, engine, DNNL_MEMORY_NONE);
    if (s == dnnl_success) s = dnnl_primitive_create(&a->reorder, pd);
    dnnl_primitive_desc_destroy(pd);
    CHECK(s);
    return dnnl_success;
}

static void arg_destroy(tdc_arg *a) {
    if (a->reorder) dnnl_primitive_destroy(a->reorder);
    if (a->scratchpad) dnnl_memory_destroy(a->scratchpad);
    if (a->inner) dnnl_memory_destroy(a->inner);
    if (a->user) dnnl_memory_destroy(a->user);
}

// Adds argument `id` of `pd` (queried as `query`) with the caller's layout `user_md`.
// The bias is the weights query's second entry (index 1).
static dnnl_status_t step_add(tdc_step *step, dnnl_primitive_desc_t pd, int id, dnnl_query_t query,
                              const dnnl_memory_desc_t *user_md, int is_output, char *message) {
    int index = id == DNNL_ARG_BIAS || id == DNNL_ARG_DIFF_BIAS ? 1 : 0;
    const dnnl_memory_desc_t *inner = dnnl_primitive_desc_query_md(pd, query, index);
    if (!inner) {
        if (message) snprintf(message, 256, "oneDNN primitive has no argument %d", id);
        return dnnl_invalid_arguments;
    }
    step->ids[step->count] = id;
    return arg_init(&step->args[step->count++], user_md, inner, is_output, message);
}

static dnnl_status_t step_finish(tdc_step *step, dnnl_primitive_desc_t pd, char *message) {
    const dnnl_memory_desc_t *md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    step->scratchpad_bytes = md ? dnnl_memory_desc_get_size(md) : 0;
    if (step->scratchpad_bytes) CHECK(dnnl_memory_create(&step->scratchpad, md, engine, DNNL_MEMORY_NONE));
    CHECK(dnnl_primitive_create(&step->primitive, pd));
    return dnnl_success;
}

static void step_destroy(tdc_step *step) {
    for (int i = 0; i < step->count; i++) arg_destroy(&step->args[i]);
    if (step->scratchpad) dnnl_memory_destroy(step->scratchpad);
    if (step->primitive) dnnl_primitive_destroy(step->primitive);
}

static size_t round_up(size_t n) { return (n + 63) / 64 * 64; }

// The scratch a step needs: the primitive's copies of the arguments it wants in another
// layout and its scratchpad, each 64-byte aligned.
static size_t step_scratch_bytes(const tdc_step *step) {
    size_t total = step->scratchpad_bytes ? round_up(step->scratchpad_bytes) : 0;
    for (int i = 0; i < step->count; i++) {
        const tdc_arg *a = &step->args[i];
        if (a->reorder) total += round_up(a->inner_bytes ? a->inner_bytes : 64) + round_up(a->scratchpad_bytes);
    }
    return total;
}

// Runs an argument's reorder from one of its memories to the other.
static dnnl_status_t reorder_run(tdc_conv *conv, tdc_arg *a, dnnl_memory_t from, dnnl_memory_t to) {
    dnnl_exec_arg_t r[3] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}, {DNNL_ARG_SCRATCHPAD, a->scratchpad}};
    return dnnl_primitive_execute(a->reorder, conv->stream, a->scratchpad ? 3 : 2, r);
}

// Runs a step on the caller's buffers: inputs reordered into their slices of `scratch`
// first, outputs reordered out of theirs after.
static dnnl_status_t step_run(tdc_conv *conv, tdc_step *step, void *const *buffers, void *scratch, char *message) {
    dnnl_exec_arg_t exec[5];
    int count = step->count;
    dnnl_status_t status = dnnl_success;
    char *next = scratch;
    if (step->scratchpad_bytes) {
        status = dnnl_memory_set_data_handle(step->scratchpad, next);
        next += round_up(step->scratchpad_bytes);
        exec[count].arg = DNNL_ARG_SCRATCHPAD;
        exec[count++].memory = step->scratchpad;
    }
    for (int i = 0; i < step->count && status == dnnl_success; i++) {
        tdc_arg *a = &step->args[i];
        status = dnnl_memory_set_data_handle(a->user, buffers[i]);
        exec[i].arg = step->ids[i];
        exec[i].memory = a->user;
        if (status != dnnl_success || !a->reorder) continue;
        status = dnnl_memory_set_data_handle(a->inner, next);
        next += round_up(a->inner_bytes ? a->inner_bytes : 64);
        if (status == dnnl_success && a->scratchpad) status = dnnl_memory_set_data_handle(a->scratchpad, next);
        next += round_up(a->scratchpad_bytes);
        exec[i].memory = a->inner;
        if (status == dnnl_success && !a->is_output) status = reorder_run(conv, a, a->user, a->inner);
    }
    if (status == dnnl_success) status = dnnl_primitive_execute(step->primitive, conv->stream, count, exec);
    for (int i = 0; i < step->count && status == dnnl_success; i++) {
        tdc_arg *a = &step->args[i];
        if (!a->reorder || !a->is_output) continue;
        status = reorder_run(conv, a, a->inner, a->user);
    }
    if (status == dnnl_success) status = dnnl_stream_wait(conv->stream);
    if (status != dnnl_success && message) snprintf(message, 256, "oneDNN convolution failed: %s", dnnl_status2str(status));
    return status;
}

static dnnl_status_t conv_init(tdc_conv *c, const tdc_geometry *g, char *message) {
    CHECK(engine_status);
    c->g = *g;
    CHECK(dnnl_stream_create(&c->stream, engine, dnnl_stream_default_flags));
    dnnl_dims_t src = {g->batch, g->in_channels, g->in_h, g->in_w};
    dnnl_dims_t dst = {g->batch, g->out_channels, g->out_h, g->out_w};
    dnnl_dims_t bias = {g->out_channels};
    CHECK(dnnl_memory_desc_init_by_tag(&c->src_md, 4, src, dnnl_f32, dnnl_nchw));
    CHECK(dnnl_memory_desc_init_by_tag(&c->src_any, 4, src, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&c->dst_md, 4, dst, dnnl_f32, dnnl_nchw));
    CHECK(dnnl_memory_desc_init_by_tag(&c->dst_any, 4, dst, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&c->bias_md, 1, bias, dnnl_f32, dnnl_x));
    if (g->groups == 1) {
        dnnl_dims_t w = {g->out_channels, g->in_channels, g->kernel_h, g->kernel_w};
        CHECK(dnnl_memory_desc_init_by_tag(&c->weights_md, 4, w, dnnl_f32, dnnl_oihw));
        CHECK(dnnl_memory_desc_init_by_tag(&c->weights_any, 4, w, dnnl_f32, dnnl_format_tag_any));
    } else {
        dnnl_dims_t w = {g->groups, g->out_channels / g->groups, g->in_channels / g->groups, g->kernel_h, g->kernel_w};
        CHECK(dnnl_memory_desc_init_by_tag(&c->weights_md, 5, w, dnnl_f32, dnnl_goihw));
        CHECK(dnnl_memory_desc_init_by_tag(&c->weights_any, 5, w, dnnl_f32, dnnl_format_tag_any));
    }
    // oneDNN counts dilation from 0; the right padding is PyTorch's symmetric one (oneDNN
    // checks the output size with the same floor division PyTorch uses).
    c->strides[0] = g->stride_h; c->strides[1] = g->stride_w;
    c->dilates[0] = g->dilation_h - 1; c->dilates[1] = g->dilation_w - 1;
    c->pad_l[0] = c->pad_r[0] = g->pad_h; c->pad_l[1] = c->pad_r[1] = g->pad_w;

    dnnl_convolution_desc_t desc;
    CHECK(dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_training, dnnl_convolution_direct,
                                                     &c->src_any, &c->weights_any, g->has_bias ? &c->bias_md : NULL,
                                                     &c->dst_any, c->strides, c->dilates, c->pad_l, c->pad_r));
    CHECK(dnnl_primitive_desc_create(&c->forward_pd, &desc, user_scratchpad, engine, NULL));
    tdc_step *f = &c->forward;
    dnnl_status_t s;
    if ((s = step_add(f, c->forward_pd, DNNL_ARG_SRC, dnnl_query_src_md, &c->src_md, 0, message))) return s;
    if ((s = step_add(f, c->forward_pd, DNNL_ARG_WEIGHTS, dnnl_query_weights_md, &c->weights_md, 0, message))) return s;
    if (g->has_bias && (s = step_add(f, c->forward_pd, DNNL_ARG_BIAS, dnnl_query_weights_md, &c->bias_md, 0, message)))
        return s;
    if ((s = step_add(f, c->forward_pd, DNNL_ARG_DST, dnnl_query_dst_md, &c->dst_md, 1, message))) return s;
    return step_finish(f, c->forward_pd, message);
}

tdc_conv *tdc_conv_create(const tdc_geometry *g, char *message) {
    pthread_once(&engine_once, make_engine);
    tdc_conv *c = calloc(1, sizeof *c);
    if (!c) {
        if (message) snprintf(message, 256, "out of memory");
        return NULL;
    }
    if (conv_init(c, g, message) != dnnl_success) {
        tdc_conv_destroy(c);
        return NULL;
    }
    return c;
}

void tdc_conv_destroy(tdc_conv *c) {
    if (!c) return;
    step_destroy(&c->forward);
    step_destroy(&c->backward_data);
    step_destroy(&c->backward_weights);
    if (c->forward_pd) dnnl_primitive_desc_destroy(c->forward_pd);
    if (c->stream) dnnl_stream_destroy(c->stream);
    free(c);
}

int tdc_conv_forward(tdc_conv *c, const float *src, const float *weights, const float *bias, float *dst,
                     void *scratch, char *message) {
    void *buffers[4];
    int i = 0;
    buffers[i++] = (void *)src;
    buffers[i++] = (void *)weights;
    if (c->g.has_bias) buffers[i++] = (void *)bias;
    buffers[i++] = dst;
    return step_run(c, &c->forward, buffers, scratch, message);
}

static dnnl_status_t make_backward_data(tdc_conv *c, char *message) {
    dnnl_convolution_desc_t desc;
    CHECK(dnnl_dilated_convolution_backward_data_desc_init(&desc, dnnl_convolution_direct, &c->src_any, &c->weights_any,
                                                           &c->dst_any, c->strides, c->dilates, c->pad_l, c->pad_r));
    dnnl_primitive_desc_t pd;
    CHECK(dnnl_primitive_desc_create(&pd, &desc, user_scratchpad, engine, c->forward_pd));
    tdc_step *b = &c->backward_data;
    dnnl_status_t s;
    if (!(s = step_add(b, pd, DNNL_ARG_DIFF_DST, dnnl_query_diff_dst_md, &c->dst_md, 0, message)) &&
        !(s = step_add(b, pd, DNNL_ARG_WEIGHTS, dnnl_query_weights_md, &c->weights_md, 0, message)) &&
        !(s = step_add(b, pd, DNNL_ARG_DIFF_SRC, dnnl_query_diff_src_md, &c->src_md, 1, message)))
        s = step_finish(b, pd, message);
    dnnl_primitive_desc_destroy(pd);
    return s;
}

int tdc_conv_backward_data(tdc_conv *c, const float *diff_dst, const float *weights, float *diff_src,
                           void *scratch, char *message) {
    if (!c->has_backward_data) {
        if (message) snprintf(message, 256, "tdc_conv_scratch_bytes was not called for the backward step");
        return dnnl_invalid_arguments;
    }
    void *buffers[3] = {(void *)diff_dst, (void *)weights, diff_src};
    return step_run(c, &c->backward_data, buffers, scratch, message);
}

static dnnl_status_t make_backward_weights(tdc_conv *c, char *message) {
    dnnl_convolution_desc_t desc;
    CHECK(dnnl_dilated_convolution_backward_weights_desc_init(
        &desc, dnnl_convolution_direct, &c->src_any, &c->weights_any, c->g.has_bias ? &c->bias_md : NULL,
        &c->dst_any, c->strides, c->dilates, c->pad_l, c->pad_r));
    dnnl_primitive_desc_t pd;
    CHECK(dnnl_primitive_desc_create(&pd, &desc, user_scratchpad, engine, c->forward_pd));
    tdc_step *b = &c->backward_weights;
    dnnl_status_t s;
    if (!(s = step_add(b, pd, DNNL_ARG_SRC, dnnl_query_src_md, &c->src_md, 0, message)) &&
        !(s = step_add(b, pd, DNNL_ARG_DIFF_DST, dnnl_query_diff_dst_md, &c->dst_md, 0, message)) &&
        !(s = step_add(b, pd, DNNL_ARG_DIFF_WEIGHTS, dnnl_query_diff_weights_md, &c->weights_md, 1, message)) &&
        !(c->g.has_bias && (s = step_add(b, pd, DNNL_ARG_DIFF_BIAS, dnnl_query_diff_weights_md, &c->bias_md, 1, message))))
        s = step_finish(b, pd, message);
    dnnl_primitive_desc_destroy(pd);
    return s;
}

int tdc_conv_backward_weights(tdc_conv *c, const float *src, const float *diff_dst, float *diff_weights,
                              float *diff_bias, void *scratch, char *message) {
    if (!c->has_backward_weights) {
        if (message) snprintf(message, 256, "tdc_conv_scratch_bytes was not called for the backward step");
        return dnnl_invalid_arguments;
    }
    void *buffers[4] = {(void *)src, (void *)diff_dst, diff_weights, diff_bias};
    float *spare = NULL;
    if (c->g.has_bias && !diff_bias) {
        // The bias gradient comes with the weights' in one pass; it needs somewhere to go.
        spare = malloc((size_t)c->g.out_channels * sizeof(float));
        if (!spare) return dnnl_out_of_memory;
        buffers[3] = spare;
    }
    int s = step_run(c, &c->backward_weights, buffers, scratch, message);
    free(spare);
    return s;
}

int tdc_conv_scratch_bytes(tdc_conv *c, int step, size_t *bytes, char *message) {
    dnnl_status_t s = dnnl_success;
    switch (step) {
    case TDC_FORWARD: *bytes = step_scratch_bytes(&c->forward); return 0;
    case TDC_BACKWARD_DATA:
        if (!c->has_backward_data) {
            if ((s = make_backward_data(c, message)) != dnnl_success) return s;
            c->has_backward_data = 1;
        }
        *bytes = step_scratch_bytes(&c->backward_data);
        return 0;
    case TDC_BACKWARD_WEIGHTS:
        if (!c->has_backward_weights) {
            if ((s = make_backward_weights(c, message)) != dnnl_success) return s;
            c->has_backward_weights = 1;
        }
        *bytes = step_scratch_bytes(&c->backward_weights);
        return 0;
    }
    if (message) snprintf(message, 256, "unknown convolution step %d", step);
    return dnnl_invalid_arguments;
}
