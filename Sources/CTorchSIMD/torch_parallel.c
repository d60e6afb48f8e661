#define _GNU_SOURCE
#include "torch_parallel.h"
#include <dlfcn.h>
#include <pthread.h>

typedef void (*gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
typedef int (*omp_query_fn)(void);
typedef void (*omp_set_fn)(int);

static gomp_parallel_fn gomp_parallel;
static omp_query_fn omp_thread_num, omp_thread_count, omp_thread_limit;
static omp_set_fn omp_set_threads;
static pthread_once_t resolved = PTHREAD_ONCE_INIT;

static void resolve(void) {
    gomp_parallel_fn p = (gomp_parallel_fn)dlsym(RTLD_DEFAULT, "GOMP_parallel");
    omp_query_fn n = (omp_query_fn)dlsym(RTLD_DEFAULT, "omp_get_thread_num");
    omp_query_fn c = (omp_query_fn)dlsym(RTLD_DEFAULT, "omp_get_num_threads");
    omp_set_fn s = (omp_set_fn)dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    omp_query_fn l = (omp_query_fn)dlsym(RTLD_DEFAULT, "omp_get_thread_limit");
    if (p && n && c && s && l) {
        omp_thread_num = n; omp_thread_count = c; omp_thread_limit = l; omp_set_threads = s; gomp_parallel = p;
    }
}

int torch_parallel_available(void) {
    pthread_once(&resolved, resolve);
    return gomp_parallel != 0;
}

int torch_parallel_thread_limit(void) {
    return torch_parallel_available() ? omp_thread_limit() : 0;
}

struct task { torch_task_fn fn; void *context; long count; };

static void run_task(void *data) {
    struct task *t = data;
    long id = omp_thread_num(), n = omp_thread_count();
    for (long i = id; i < t->count; i += n) t->fn(t->context, i);
}

void torch_parallel_for(long count, unsigned threads, torch_task_fn fn, void *context) {
    struct task t = { fn, context, count };
    gomp_parallel(run_task, &t, threads, 0);
}

// The last count given on this thread, so that the common case (unchanged) is one compare.
static __thread int requested_threads;

void torch_parallel_set_library_threads(int threads) {
    if (threads == requested_threads || !torch_parallel_available()) return;
    requested_threads = threads;
    omp_set_threads(threads);
}
