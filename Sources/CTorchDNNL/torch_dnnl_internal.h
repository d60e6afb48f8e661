// What the C files of CTorchDNNL share and Swift never sees: the one oneDNN engine and
// the way a failed oneDNN call is reported.
#ifndef SWIFTTORCH_CTORCHDNNL_INTERNAL_H
#define SWIFTTORCH_CTORCHDNNL_INTERNAL_H
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>
#include <stdio.h>

// The process's CPU engine and the attribute asking for a user scratchpad, made once
// (torch_dnnl_conv.c owns them); returns the status of making them.
dnnl_status_t tdc_shared_engine(dnnl_engine_t *engine, const_dnnl_primitive_attr_t *attr);

// Returns the status of `call` from the enclosing function when it failed, with the call
// and oneDNN's name for the status written to `message` (a 256-byte buffer, may be NULL)
// — every creating function here takes such a `message`.
#define CHECK(call)                                                                                    \
    do {                                                                                               \
        dnnl_status_t s_ = (call);                                                                     \
        if (s_ != dnnl_success) {                                                                      \
            if (message) snprintf(message, 256, "oneDNN %s failed: %s", #call, dnnl_status2str(s_));   \
            return s_;                                                                                 \
        }                                                                                              \
    } while (0)
#endif
