// Start-up settings for the libraries SwiftTorch runs on, each applied only when the user
// has not chosen otherwise, so an explicit setting always wins. Measurements: README.md,
// Performance.
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

// Pause loops an idle libgomp thread spins before it sleeps on a futex (libgomp's default
// is 300000 loops). A waiting thread that spins holds its core: between ops it keeps
// other processes off it, and when the machine is shared the thread at a barrier spins while
// its partner waits for a core, so a small parallel region costs a whole scheduler slice
// (an MLP training step: 0.46 ms quiet, 24–31 ms beside another busy process; with 1000,
// about 0.9 ms there).
static char spin_entry[] = "GOMP_SPINCOUNT=1000";

// One OpenBLAS thread: its own pthread pool would be a second set of spinning workers
// beside OpenMP's (float64 products are split over the OpenMP pool instead,
// Kernels/GEMM.swift). Given at start-up, OpenBLAS does not even start its workers, which
// otherwise spin in sched_yield for their first ~0.1 s.
static char blas_entry[] = "OPENBLAS_NUM_THREADS=1";

// libgomp reads GOMP_SPINCOUNT, and OpenBLAS OPENBLAS_NUM_THREADS, in their constructors,
// which run before any of the program's. Only the executable's .preinit_array runs earlier,
// but a setenv there is lost: libc's own initialisation, after it, resets `environ` to the
// original array. That array is the only place the libraries will look, so each entry goes
// into one of its slots, taken from a variable no library reads at start-up (the shell's
// `_`, `SHLVL` or `OLDPWD`), and the displaced entries are put back by the constructor
// below, before main. Without a free slot nothing changes (OpenBLAS is then set to one
// thread through its API).
static char *displaced_entry[2];
static char *placed_entry[2];
static int placed;

static int has_entry(char **envp, const char *prefix) {
    size_t n = strlen(prefix);
    for (char **e = envp; *e; e++) if (strncmp(*e, prefix, n) == 0) return 1;
    return 0;
}

// Puts `entry` into the first slot of a spare variable not taken yet.
static void place(char **envp, char *entry) {
    static const char *const spare[] = { "_=", "SHLVL=", "OLDPWD=" };
    for (size_t s = 0; s < sizeof spare / sizeof *spare; s++) {
        size_t n = strlen(spare[s]);
        for (char **e = envp; *e; e++) {
            if (strncmp(*e, spare[s], n) != 0) continue;
            displaced_entry[placed] = *e;
            placed_entry[placed] = entry;
            *e = entry;
            placed++;
            return;
        }
    }
}

static void torch_environment_early(int argc, char **argv, char **envp) {
    (void)argc; (void)argv;
    if (!envp) return;
    if (!has_entry(envp, "OMP_WAIT_POLICY=") && !has_entry(envp, "GOMP_SPINCOUNT=")) place(envp, spin_entry);
    if (!has_entry(envp, "OPENBLAS_NUM_THREADS=")) place(envp, blas_entry);
}

__attribute__((section(".preinit_array"), used))
static void (*const torch_environment_preinit)(int, char **, char **) = torch_environment_early;

extern char **environ;

__attribute__((constructor))
static void torch_environment_defaults(void) {
    // The displaced variables come back (wherever `environ` now is, in case a library's
    // constructor called setenv), so main and child processes see the user's environment.
    for (int i = 0; i < placed; i++) {
        for (char **e = environ; e && *e; e++) {
            if (*e == placed_entry[i]) { *e = displaced_entry[i]; break; }
        }
    }
    // oneDNN's ITT task hooks serve only a profiler (VTune); off unless asked for by either
    // name. (The ~4% a profile showed in `__itt_pt_write` was other oneDNN code: the library
    // is stripped, and perf names its internal functions after the nearest exported symbol.)
    if (!getenv("ONEDNN_ITT_TASK_LEVEL") && !getenv("DNNL_ITT_TASK_LEVEL")) setenv("DNNL_ITT_TASK_LEVEL", "0", 0);
    // Without a slot for OPENBLAS_NUM_THREADS, one thread through OpenBLAS's API.
    if (!getenv("OPENBLAS_NUM_THREADS")) {
        void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
        if (set) set(1);
    }
}
