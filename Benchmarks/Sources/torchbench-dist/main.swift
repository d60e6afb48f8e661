// The distributed benchmarks, run under `mpirun -np 2` (see Benchmarks/run-distributed):
// all-reduce bandwidth and a DDP step against a plain step plus one all-reduce of all its
// gradients. Rank 0 prints one JSON object {"case": median seconds}; every time is the
// slowest rank's, each iteration starting from a barrier. torch_dist_bench.py is the twin.
import Foundation
import Torch
import TorchDistributed

initProcessGroup(backend: .mpi)
setNumThreads(1)   // two ranks share two cores
let rank = getRank()
let iterations = Int(ProcessInfo.processInfo.environment["TORCHBENCH_DIST_ITERATIONS"] ?? "") ?? 10
/// Runs only the cases whose name contains this (all when unset).
let filter = ProcessInfo.processInfo.environment["TORCHBENCH_DIST_FILTER"] ?? ""

/// The median over `iterations` of the slowest rank's time for `body`, after `warmup` runs.
func measure(warmup: Int = 2, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<iterations {
        barrier()
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let local = Tensor([Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9], dtype: .float64)
        allReduce(local, op: .max)
        times.append(local.item())
    }
    times.sort()
    return times[times.count / 2]
}

var results: [(String, Double)] = []
@MainActor func bench(_ name: String, _ body: () -> Void) {
    if filter.isEmpty || name.contains(filter) { results.append((name, measure(body))) }
}

// 100 MB of float32 summed across the ranks, in place.
let big = Tensor.ones([25_000_000])
bench("allreduce_100MB_float32") { allReduce(big) }

// DDP: a 4 × 2048 MLP (16.8 M parameters, 67 MB of gradients), batch 64 per rank.
func mlp() -> Sequential {
    manualSeed(0)
    return Sequential(Linear(2048, 2048), ReLU(), Linear(2048, 2048), ReLU(), Linear(2048, 2048), ReLU(), Linear(2048, 2048))
}
let x = Tensor.randn(64, 2048)
let local = mlp()
bench("local_step") {
    local.zeroGrad()
    local(x).pow(2).mean().backward()
}
let flat = Tensor.zeros([local.parameters().reduce(0) { $0 + $1.numel }])
bench("grads_allreduce") { allReduce(flat) }
let wrapped = mlp()
let ddp = DistributedDataParallel(wrapped)
bench("ddp_step") {
    wrapped.zeroGrad()
    ddp(x).pow(2).mean().backward()
}

// The same with `.grad` as views into the buckets, zeroed in place: no gradient copies.
let viewed = mlp()
let ddpViewed = DistributedDataParallel(viewed, gradientAsBucketView: true)
bench("ddp_step_bucket_view") {
    viewed.zeroGrad(setToNone: false)
    ddpViewed(x).pow(2).mean().backward()
}

if rank == 0 {
    print("{" + results.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}
destroyProcessGroup()
