// Shim over Debian's oneDNN (libdnnl-dev), which ships no pkg-config file.
#ifndef SWIFTTORCH_DNNL_SHIM_H
#define SWIFTTORCH_DNNL_SHIM_H
#include <oneapi/dnnl/dnnl.h>
#endif
