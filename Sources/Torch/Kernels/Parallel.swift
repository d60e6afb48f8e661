import COpenBLAS
import CTorchSIMD
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The kernel families whose work splits across cores only above a size measured for each
/// (README.md, Performance: the table of one- against two-thread times behind each number).
/// SwiftTorch only: PyTorch has no counterpart (its kernels share one `at::internal::GRAIN_SIZE`).
@_spi(Benchmarking)
public enum ParallelFamily: Int, CaseIterable, Sendable {
    /// Elementwise maps (unary, binary, activations, per-channel affine, random fills).
    case elementwise
    /// Reductions and softmax-like row passes.
    case reduction
    /// Strided and converting copies.
    case copy
    /// float32 and float64 matrix products, counted in multiply-adds (m·n·k).
    case gemm

    /// The measured size below which the family's work stays on the calling thread.
    ///
    /// `torchbench --thread-sweep` on this 2-core machine (one thread against two, medians of
    /// 3 alternating rounds; README.md, Performance, has the table): elementwise `add` 10.5
    /// µs against 10.4 at 2^16 elements and 43 against 29 at 2^18, `exp` 27.8 against 25.6
    /// at 2^16 (quiet machine; `add_100000` 17 µs on one thread, 9–10 µs split); `sum` 5.7 against 7.8 µs at 2^17
    /// but 12.2 against 8.8 at 2^18; a transposed copy 57 against 32 µs at 2^16 but 20
    /// against 70 at 2^14; float32 GEMM 6.0 against 6.8 µs at 64³ (2^18 multiply-adds) and
    /// 16.9 against 10.6 at 96³, float64 9.8 against 9.6 and 32 against 19.
    var measuredThreshold: Int {
        switch self {
        case .elementwise: return 1 << 16
        case .reduction: return 1 << 18
        case .copy: return 1 << 16
        case .gemm: return 1 << 19
        }
    }
}

/// Below this many elements a copy between two dense layouts stays on one thread: it is
/// bandwidth-bound (a 393k-float copy took 28 µs on one thread and 37 µs split over two).
let minimumParallelDenseCopyElements = 1 << 20

// The thresholds in force, one per ``ParallelFamily`` (changed only by benchmarks).
private let elementwiseThreshold = Atomic(ParallelFamily.elementwise.measuredThreshold)
private let reductionThreshold = Atomic(ParallelFamily.reduction.measuredThreshold)
private let copyThreshold = Atomic(ParallelFamily.copy.measuredThreshold)
private let gemmThreshold = Atomic(ParallelFamily.gemm.measuredThreshold)

/// The atomic holding `family`'s threshold.
@inline(__always)
private func withThreshold<R>(_ family: ParallelFamily, _ body: (borrowing Atomic<Int>) -> R) -> R {
    switch family {
    case .elementwise: return body(elementwiseThreshold)
    case .reduction: return body(reductionThreshold)
    case .copy: return body(copyThreshold)
    case .gemm: return body(gemmThreshold)
    }
}

/// Overrides one family's split threshold, for the benchmark program's sweep that measures
/// them (`torchbench --thread-sweep`); a negative value restores the measured one.
@_spi(Benchmarking)
public func setParallelThreshold(_ family: ParallelFamily, _ elements: Int) {
    withThreshold(family) { $0.store(elements < 0 ? family.measuredThreshold : elements, ordering: .relaxed) }
}

/// The size (elements, or multiply-adds for GEMM) from which `family` splits across cores.
@inline(__always)
func parallelThreshold(_ family: ParallelFamily) -> Int {
    withThreshold(family) { $0.load(ordering: .relaxed) }
}

/// How many workers a pass over `elements` items of `family` should use: one below the
/// family's threshold (waking a second thread costs tens of microseconds here), else one
/// per core.
@inline(__always)
func parallelPartCount(elements: Int, family: ParallelFamily = .elementwise) -> Int {
    elements < parallelThreshold(family) ? 1 : availableCores
}

/// How many workers a pass over `elements` items should use, with its own `minimum`.
@inline(__always)
func parallelPartCount(elements: Int, minimum: Int) -> Int {
    elements < minimum ? 1 : availableCores
}

/// The number of cores this machine has online.
let hardwareCores: Int = {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}()

/// The threads used when ``setNumThreads(_:)`` has not been called, as PyTorch chooses them:
/// `OMP_NUM_THREADS` when set (its first entry), else one per core; never more than
/// `OMP_THREAD_LIMIT`. The limit matters for correctness, not only speed: OpenMP gives a
/// region at most that many threads whatever it asks for, and oneDNN's primitives split
/// their work for the count they were asked for, so asking for more would leave parts of
/// an output unwritten.
let defaultThreads: Int = {
    var threads = hardwareCores
    if let value = getenv("OMP_NUM_THREADS").map({ String(cString: $0) }),
       let first = value.split(separator: ",").first.flatMap({ Int(String($0.filter { !$0.isWhitespace })) }),
       first > 0 {
        threads = first
    }
    let limit = Int(torch_parallel_thread_limit())
    return limit > 0 ? max(1, min(threads, limit)) : threads
}()

/// The most threads any request gets: OpenMP's thread limit, or unlimited.
private let threadCeiling: Int = {
    let limit = Int(torch_parallel_thread_limit())
    return limit > 0 ? limit : Int.max
}()

/// A limit set by ``setNumThreads(_:)`` (0: none).
private let threadLimit = Atomic<Int>(0)

/// The number of workers SwiftTorch's own kernels split work over.
var availableCores: Int {
    let limit = threadLimit.load(ordering: .relaxed)
    return limit > 0 ? min(limit, hardwareCores, threadCeiling) : defaultThreads
}

/// Limits the threads SwiftTorch's kernels and oneDNN use (`torch.set_num_threads`); 0
/// restores the default (`OMP_NUM_THREADS` when set, else one per core; never above
/// `OMP_THREAD_LIMIT`). OpenBLAS runs single-threaded inside SwiftTorch's own split
/// (unless `OPENBLAS_NUM_THREADS` asks for more), so it follows too.
public func setNumThreads(_ count: Int) {
    threadLimit.store(max(0, count), ordering: .relaxed)
    if openBLASThreadedByUser {
        openblas_set_num_threads(Int32(count > 0 ? min(count, hardwareCores) : hardwareCores))
    }
}

/// Whether OpenBLAS runs its own threads: only when the user set `OPENBLAS_NUM_THREADS`
/// above 1 (otherwise the program's start-up set it to 1, `torch_environment.c`). Then
/// float64 products are left to OpenBLAS's threads instead of being split here.
let openBLASThreadedByUser = openblas_get_num_threads() > 1

/// Sets the thread count that oneDNN's next parallel region on this thread opens: one for
/// work below the family's threshold, so a small product never wakes the pool.
@inline(__always)
func setLibraryThreads(forWork work: Int, family: ParallelFamily) {
    torch_parallel_set_library_threads(Int32(parallelPartCount(elements: work, family: family)))
}

/// The threads SwiftTorch's kernels use (`torch.get_num_threads`).
public func getNumThreads() -> Int { availableCores }

/// Whether the OpenMP pool oneDNN runs on is in the process (it is whenever oneDNN is linked).
private let openMPPoolAvailable = torch_parallel_available() != 0

/// Calls `body(i)` for every `i` in `0..<count` concurrently and returns when all are done —
/// on the OpenMP thread pool oneDNN's GEMMs use, so SwiftTorch's kernels and oneDNN share one
/// set of workers (two pools on two cores would preempt each other), else on Dispatch.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
        if count == 1 { body(0) }
        return
    }
    guard openMPPoolAvailable else {
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedParallelBody(body: escapable)
            DispatchQueue.concurrentPerform(iterations: count) { box.body($0) }
        }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        var closure = escapable
        withUnsafeMutablePointer(to: &closure) { pointer in
            torch_parallel_for(count, UInt32(Swift.min(count, availableCores)), { context, index in
                context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(index)
            }, pointer)
        }
    }
}

/// Carries a loop body into Dispatch's workers, which finish before the caller returns.
private struct UncheckedParallelBody: @unchecked Sendable {
    let body: (Int) -> Void
}
