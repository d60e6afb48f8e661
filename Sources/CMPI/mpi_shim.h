// Shim over Debian's Open MPI (libopenmpi-dev). Open MPI spells its predefined handles
// (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) as macros over the addresses of library
// globals, which Swift cannot import; these inline functions hand them over instead.
// Only Sources/TorchDistributed/MPI.swift calls into this module.
#ifndef SWIFTTORCH_MPI_SHIM_H
#define SWIFTTORCH_MPI_SHIM_H
#include <mpi.h>

static inline MPI_Comm torch_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm torch_mpi_comm_null(void) { return MPI_COMM_NULL; }

static inline MPI_Datatype torch_mpi_bool(void) { return MPI_C_BOOL; }
static inline MPI_Datatype torch_mpi_uint8(void) { return MPI_UINT8_T; }
static inline MPI_Datatype torch_mpi_int8(void) { return MPI_INT8_T; }
static inline MPI_Datatype torch_mpi_int16(void) { return MPI_INT16_T; }
static inline MPI_Datatype torch_mpi_uint16(void) { return MPI_UINT16_T; }
static inline MPI_Datatype torch_mpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype torch_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype torch_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype torch_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype torch_mpi_byte(void) { return MPI_BYTE; }

static inline MPI_Op torch_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op torch_mpi_prod(void) { return MPI_PROD; }
static inline MPI_Op torch_mpi_min(void) { return MPI_MIN; }
static inline MPI_Op torch_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op torch_mpi_lor(void) { return MPI_LOR; }
static inline MPI_Op torch_mpi_land(void) { return MPI_LAND; }

static inline void *torch_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Status *torch_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Request torch_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline int torch_mpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int torch_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline MPI_Errhandler torch_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int torch_mpi_success(void) { return MPI_SUCCESS; }
static inline int torch_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

#endif
