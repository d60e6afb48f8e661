// Shim over Debian's libjpeg-turbo (libjpeg62-turbo-dev). Its error_exit must not return,
// so CTorchImage catches it with setjmp in C; Swift only sees CTorchImage's functions.
#ifndef SWIFTTORCH_JPEG_SHIM_H
#define SWIFTTORCH_JPEG_SHIM_H
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
#endif
