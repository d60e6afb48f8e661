// Shim over Debian's libpng 1.6 (libpng-dev). Swift never calls libpng directly: its errors
// longjmp, which Swift frames cannot survive, so CTorchImage wraps every call in C.
#ifndef SWIFTTORCH_PNG_SHIM_H
#define SWIFTTORCH_PNG_SHIM_H
#include <png.h>
#endif
