// Shim over Debian's OpenBLAS (libopenblas-dev). Named so it cannot shadow <cblas.h>.
#ifndef SWIFTTORCH_OPENBLAS_SHIM_H
#define SWIFTTORCH_OPENBLAS_SHIM_H
#include <cblas.h>

// The LAPACK routines SwiftTorch uses, which libopenblas exports with Fortran linkage
// (column-major, every argument by pointer). Debian ships no lapack.h with OpenBLAS.
void sgetrf_(const int *m, const int *n, float *a, const int *lda, int *ipiv, int *info);
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void sgesv_(const int *n, const int *nrhs, float *a, const int *lda, int *ipiv, float *b, const int *ldb, int *info);
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b, const int *ldb, int *info);
#endif
