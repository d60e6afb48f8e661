import Foundation

/// One benchmark: `setUp` builds the inputs once and returns the timed body. Set-up is
/// deferred so that `--case NAME` (one process per case, as `Benchmarks/run` runs them)
/// builds only what that case needs.
struct BenchmarkCase {
    let name: String
    let setUp: () -> () -> Void

    init(_ name: String, setUp: @escaping () -> () -> Void) {
        self.name = name
        self.setUp = setUp
    }
}

/// Times `body` the way the PyTorch side does: warm up, pick an iteration count that fills
/// about `target` seconds, then take the median of `samples` such batches.
func measure(_ body: () -> Void, target: Double = 0.1, samples: Int = 7) -> Double {
    // For instruction counts (valgrind): a fixed number of runs, no timing loop.
    if let fixed = ProcessInfo.processInfo.environment["TORCHBENCH_ITERATIONS"].flatMap(Int.init) {
        return time(fixed, body) / Double(max(fixed, 1))
    }
    for _ in 0..<3 { body() }
    var iterations = 1
    while true {
        let t = time(iterations, body)
        if t >= target / 4 || iterations >= 1 << 24 { break }
        iterations *= 4
    }
    let per = time(iterations, body) / Double(iterations)
    iterations = max(1, Int(target / max(per, 1e-9)))
    var times: [Double] = []
    for _ in 0..<samples { times.append(time(iterations, body) / Double(iterations)) }
    times.sort()
    return times[times.count / 2]
}

private func time(_ n: Int, _ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<n { body() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
