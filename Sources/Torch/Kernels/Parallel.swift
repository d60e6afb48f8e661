import COpenBLAS
import CTorchSIMD
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How many workers a pass over `elements` items should use: one below `minimum`
/// (waking a second thread costs about 10 µs here), else one per core.
func parallelPartCount(elements: Int, minimum: Int = minimumParallelElements) -> Int {
    elements < minimum ? 1 : availableCores
}

/// Below this many elements a compute-bound pass stays on the calling thread.
let minimumParallelElements = 1 << 18

/// Below this many elements a pure copy stays on one thread: measured here, a 393k-float
/// copy takes 28 µs on one thread and 37 µs split over two.
let minimumParallelCopyElements = 1 << 20

/// The number of cores this machine has online.
let hardwareCores: Int = {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}()

/// A limit set by ``setNumThreads(_:)`` (0: none).
private let threadLimit = Atomic<Int>(0)

/// The number of workers SwiftTorch's own kernels split work over.
var availableCores: Int {
    let limit = threadLimit.load(ordering: .relaxed)
    return limit > 0 ? min(limit, hardwareCores) : hardwareCores
}

/// Limits the threads SwiftTorch's kernels and OpenBLAS use (`torch.set_num_threads`);
/// 0 restores one per core. oneDNN follows `OMP_NUM_THREADS`, read at start-up.
public func setNumThreads(_ count: Int) {
    threadLimit.store(max(0, count), ordering: .relaxed)
    openblas_set_num_threads(Int32(count > 0 ? min(count, hardwareCores) : hardwareCores))
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
