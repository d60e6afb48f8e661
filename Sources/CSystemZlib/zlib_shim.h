// Shim over Debian's zlib (zlib1g-dev): gzip decompression for datasets and .npz files,
// deflate and CRC-32 for PNG. Named so it cannot shadow <zlib.h>.
#ifndef SWIFTTORCH_ZLIB_SHIM_H
#define SWIFTTORCH_ZLIB_SHIM_H
#include <zlib.h>
#endif
