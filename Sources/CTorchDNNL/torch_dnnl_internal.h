// What the C files of CTorchDNNL share and Swift never sees: the one oneDNN engine.
#ifndef SWIFTTORCH_CTORCHDNNL_INTERNAL_H
#define SWIFTTORCH_CTORCHDNNL_INTERNAL_H
#include <oneapi/dnnl/dnnl.h>

// The process's CPU engine and the attribute asking for a user scratchpad, made once
// (torch_dnnl_conv.c owns them); returns the status of making them.
dnnl_status_t tdc_shared_engine(dnnl_engine_t *engine, const_dnnl_primitive_attr_t *attr);
#endif
