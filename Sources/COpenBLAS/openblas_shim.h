// Shim over Debian's OpenBLAS (libopenblas-dev). Named so it cannot shadow <cblas.h>.
#ifndef SWIFTTORCH_OPENBLAS_SHIM_H
#define SWIFTTORCH_OPENBLAS_SHIM_H
#include <cblas.h>
#endif
