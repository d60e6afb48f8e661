// Parallel loops on the OpenMP thread pool oneDNN already runs in this process (libgomp),
// so SwiftTorch's own kernels and oneDNN's GEMMs share one set of worker threads instead of
// two pools competing for the cores. Resolved at run time with dlsym; when libgomp is not
// loaded, torch_parallel_available returns 0 and callers fall back to Dispatch.
#ifndef SWIFTTORCH_TORCH_PARALLEL_H
#define SWIFTTORCH_TORCH_PARALLEL_H

typedef void (*torch_task_fn)(void *context, long index);

// 1 when the OpenMP runtime is present.
int torch_parallel_available(void);
// OpenMP's thread-limit-var (OMP_THREAD_LIMIT; INT_MAX when unset): no parallel region gets
// more threads, whatever it asks for. 0 without the OpenMP runtime.
int torch_parallel_thread_limit(void);
// Calls fn(context, i) for every i in 0..<count on up to `threads` threads of the pool
// (the caller's thread included); returns when all are done.
void torch_parallel_for(long count, unsigned threads, torch_task_fn fn, void *context);
// The threads the libraries' own parallel regions (oneDNN's GEMMs and primitives) open on
// the calling thread from now on: OpenMP's omp_set_num_threads, a per-thread setting.
void torch_parallel_set_library_threads(int threads);
#endif
