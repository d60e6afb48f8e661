import ArgumentParser
import Foundation
import Torch
import TorchDistributed

/// `swifttorch dist-check`: run under `mpirun -np N`, checks every collective and
/// point-to-point operation on every dtype, and DistributedDataParallel's gradients, against
/// values computed by hand on each rank. Exits non-zero on any mismatch. It verifies an MPI
/// installation (one machine or a cluster) and is what the multi-process tests run.
struct DistCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dist-check",
        abstract: "Under mpirun: check every torch.distributed operation on every dtype across the ranks.")

    @Option(help: "Make this rank fail on purpose after start-up (tests that the others stop instead of hanging).")
    var dieAtRank: Int?

    func run() throws {
        initProcessGroup(backend: .mpi)
        let rank = getRank(), n = getWorldSize()
        if let dieAtRank {
            barrier()
            if rank == dieAtRank { torchFatal("RuntimeError: dist-check: rank \(rank) fails on purpose (--die-at-rank)") }
            // The others wait in a collective the failed rank never joins.
            allReduce(Tensor.ones(4))
            print("rank \(rank): unreachable, the collective should never complete")
            return
        }
        var checker = Checker(rank: rank)
        for dtype in DType.allCases { checkCollectives(dtype, rank: rank, n: n, &checker) }
        checkPointToPoint(rank: rank, n: n, &checker)
        checkDistributedDataParallel(rank: rank, n: n, &checker)

        let failures = Tensor([Int64(checker.failures)])
        allReduce(failures)
        let total = failures.item(as: Int.self)
        if rank == 0 {
            print(total == 0 ? "dist-check: \(checker.passed) checks passed on each of \(n) ranks"
                             : "dist-check: \(total) checks failed across \(n) ranks")
        }
        destroyProcessGroup()
        if total > 0 { throw ExitCode.failure }
    }
}

/// Counts checks and reports mismatches with the rank, the check and both values.
struct Checker {
    let rank: Int
    var passed = 0
    var failures = 0

    mutating func expect(_ got: Tensor, _ expected: Tensor, _ name: String) {
        let same = got.dtype == expected.dtype && got.shape == expected.shape
            && (got.dtype.isFloatingPoint ? allclose(got, expected, rtol: got.dtype.itemSize == 2 ? 1e-2 : 1e-6, atol: 1e-6)
                : equal(got, expected))
        if same {
            passed += 1
        } else {
            failures += 1
            FileHandle.standardError.write(Data("FAIL rank \(rank): \(name)\n  expected \(expected)\n  got      \(got)\n".utf8))
        }
    }

    mutating func expect(_ condition: Bool, _ name: String) {
        if condition { passed += 1 } else {
            failures += 1
            FileHandle.standardError.write(Data("FAIL rank \(rank): \(name)\n".utf8))
        }
    }
}

/// A tensor of `dtype` from values written as doubles (bool: nonzero is true).
private func tensor(_ values: [Double], _ dtype: DType, shape: [Int]? = nil) -> Tensor {
    Tensor(shape: shape ?? [values.count], scalars: values).to(dtype)
}

/// Rank `r`'s element `i`: small numbers, exact in every dtype, whose sums and products
/// over three ranks fit in `uint8`; on `bool` a pattern with both values on every rank.
private func value(_ r: Int, _ i: Int, _ dtype: DType) -> Double {
    dtype == .bool ? ((r + i) % 3 == 0 ? 1 : 0) : Double(r + 1 + i % 3)
}

/// The reduction of `values` as `op` computes it; on `bool` sum/max are OR, product/min AND.
private func reduced(_ values: [Double], _ op: ReduceOp, _ dtype: DType) -> Double {
    switch op {
    case .sum: return dtype == .bool ? (values.max() ?? 0) : values.reduce(0, +)
    case .avg: return values.reduce(0, +) / Double(values.count)
    case .product: return dtype == .bool ? (values.min() ?? 0) : values.reduce(1, *)
    case .min: return values.min() ?? 0
    case .max: return values.max() ?? 0
    }
}

private func checkCollectives(_ dtype: DType, rank: Int, n: Int, _ c: inout Checker) {
    let m = 6, ranks = Array(0..<n)
    func mine(_ r: Int = rank) -> [Double] { (0..<m).map { value(r, $0, dtype) } }
    func expected(_ op: ReduceOp) -> [Double] { (0..<m).map { i in reduced(ranks.map { value($0, i, dtype) }, op, dtype) } }

    var ops: [ReduceOp] = [.sum, .product, .min, .max]
    if dtype.isFloatingPoint { ops.append(.avg) }
    for op in ops {
        let x = tensor(mine(), dtype)
        allReduce(x, op: op)
        c.expect(x, tensor(expected(op), dtype), "all_reduce \(op) \(dtype)")

        let y = tensor(mine(), dtype)
        allReduce(y, op: op, asyncOp: true).wait()
        c.expect(y, tensor(expected(op), dtype), "all_reduce async \(op) \(dtype)")
    }
    // Above 1 MiB a blocking all-reduce runs as a ring: the small pattern repeated, minus one
    // element so the chunks are uneven (few ops on large tensors keep debug builds quick).
    let copies = (1 << 20) / (m * dtype.itemSize) + 2
    func repeated(_ values: [Double]) -> Tensor {
        tensor(values, dtype).unsqueeze(0).expand(copies, m).contiguous().flatten().narrow(0, 0, copies * m - 1)
    }
    for op: ReduceOp in [.sum, .max] {
        let x = repeated(mine())
        allReduce(x, op: op)
        c.expect(x, repeated(expected(op)), "all_reduce \(op) \(dtype) on \(x.numel) elements (ring)")
    }
    // A non-contiguous tensor (a transpose) is reduced through a copy and written back.
    let base = tensor(mine(), dtype, shape: [2, 3])
    let view = base.t()
    allReduce(view, op: .max)
    c.expect(base, tensor(expected(.max), dtype, shape: [2, 3]), "all_reduce non-contiguous \(dtype)")

    let b = tensor(mine(), dtype)
    broadcast(b, src: n - 1)
    c.expect(b, tensor(mine(n - 1), dtype), "broadcast \(dtype)")
    let bAsync = tensor(mine(), dtype)
    broadcast(bAsync, src: 0, asyncOp: true).wait()
    c.expect(bAsync, tensor(mine(0), dtype), "broadcast async \(dtype)")

    let r = tensor(mine(), dtype)
    reduce(r, dst: 0, op: .sum)
    c.expect(r, tensor(rank == 0 ? expected(.sum) : mine(), dtype), "reduce \(dtype)")

    let gathered = (0..<n).map { _ in Tensor.zeros([m], dtype: dtype) }
    allGather(gathered, tensor(mine(), dtype))
    for j in 0..<n { c.expect(gathered[j], tensor(mine(j), dtype), "all_gather piece \(j) \(dtype)") }

    let into = Tensor.zeros([n, m], dtype: dtype)
    allGatherIntoTensor(into, tensor(mine(), dtype))
    c.expect(into, tensor(ranks.flatMap { mine($0) }, dtype, shape: [n, m]), "all_gather_into_tensor \(dtype)")

    // reduce_scatter: rank r's input piece j is its values shifted by j; rank j gets the
    // sum over ranks of piece j.
    func piece(_ r: Int, _ j: Int) -> [Double] {
        (0..<m).map { i in dtype == .bool ? ((r + i + j) % 2 == 0 ? 1 : 0) : value(r, i, dtype) + Double(j) }
    }
    let scatteredOp: ReduceOp = dtype.isFloatingPoint ? .avg : .sum
    let scatterExpected = (0..<m).map { i in reduced(ranks.map { piece($0, rank)[i] }, scatteredOp, dtype) }
    let out = Tensor.zeros([m], dtype: dtype)
    reduceScatter(out, (0..<n).map { tensor(piece(rank, $0), dtype) }, op: scatteredOp)
    c.expect(out, tensor(scatterExpected, dtype), "reduce_scatter \(scatteredOp) \(dtype)")
    let outTensor = Tensor.zeros([m], dtype: dtype)
    reduceScatterTensor(outTensor, tensor((0..<n).flatMap { piece(rank, $0) }, dtype), op: scatteredOp)
    c.expect(outTensor, tensor(scatterExpected, dtype), "reduce_scatter_tensor \(scatteredOp) \(dtype)")

    // all_to_all with pieces of different sizes: rank r sends r + j + 1 elements to rank j.
    func sent(_ r: Int, _ j: Int) -> [Double] {
        (0..<(r + j + 1)).map { k in dtype == .bool ? ((r + j + k) % 2 == 0 ? 1 : 0) : Double(10 * r + j + k % 2) }
    }
    let outputs = (0..<n).map { i in Tensor.zeros([i + rank + 1], dtype: dtype) }
    allToAll(outputs, (0..<n).map { tensor(sent(rank, $0), dtype) })
    for i in 0..<n { c.expect(outputs[i], tensor(sent(i, rank), dtype), "all_to_all from rank \(i) \(dtype)") }

    // all_to_all_single with equal splits of two rows each.
    func rows(_ r: Int, _ j: Int) -> [Double] { (0..<4).map { k in dtype == .bool ? Double((r + j + k) % 2) : Double(r * 4 + j + k) } }
    let single = Tensor.zeros([2 * n, 2], dtype: dtype)
    allToAllSingle(single, tensor((0..<n).flatMap { rows(rank, $0) }, dtype, shape: [2 * n, 2]), asyncOp: true).wait()
    c.expect(single, tensor((0..<n).flatMap { rows($0, rank) }, dtype, shape: [2 * n, 2]), "all_to_all_single \(dtype)")

    barrier()
    barrier(asyncOp: true).wait()
    c.expect(true, "barrier \(dtype)")
}

private func checkPointToPoint(rank: Int, n: Int, _ c: inout Checker) {
    guard n > 1 else { return }
    for dtype in DType.allCases {
        // A ring: send to the next rank, receive from the previous one.
        let next = (rank + 1) % n, previous = (rank + n - 1) % n
        let message = tensor((0..<5).map { dtype == .bool ? Double(($0 + rank) % 2) : Double(rank * 10 + $0) }, dtype)
        let sending = isend(message, dst: next, tag: 7)
        let received = Tensor.zeros([5], dtype: dtype)
        let source = recv(received, src: previous, tag: 7)
        sending.wait()
        let expected = tensor((0..<5).map { dtype == .bool ? Double(($0 + previous) % 2) : Double(previous * 10 + $0) }, dtype)
        c.expect(received, expected, "send/recv ring \(dtype)")
        c.expect(source == previous, "recv source rank \(dtype)")

        // Rank 1 sends to rank 0, which receives from any rank into a non-contiguous view.
        if rank == 1 {
            send(tensor([1, 0, 1, 1], dtype), dst: 0)
        } else if rank == 0 {
            let base = Tensor.zeros([2, 2], dtype: dtype)
            let work = irecv(base.t(), src: nil)
            c.expect(work.sourceRank == 1, "irecv any-source rank \(dtype)")
            c.expect(base, tensor([1, 1, 0, 1], dtype, shape: [2, 2]), "irecv into a transpose \(dtype)")
        }
    }
}

/// A two-layer network plus a branch used only when asked, for DDP's checks.
private final class CheckNet: Module {
    let fc1 = Linear(4, 8)
    let fc2 = Linear(8, 3)
    let spare = Linear(8, 3)
    var useSpare = true
    override func forward(_ x: Tensor) -> Tensor {
        let h = relu(fc1(x))
        return useSpare ? fc2(h) + spare(h) : fc2(h)
    }
}

private func checkDistributedDataParallel(rank: Int, n: Int, _ c: inout Checker) {
    // Each rank's batch; the gradient DDP must produce is the mean of the ranks' gradients.
    func batch(_ r: Int) -> Tensor { Tensor.arange(0, 12).reshape([3, 4]).float() * Float(r + 1) / 10 }
    func localGradients(_ net: CheckNet, ranks: [Int]) -> [Tensor] {
        net.zeroGrad()
        for r in ranks { net(batch(r)).pow(2).sum().backward() }
        return net.parameters().map { $0.grad ?? Tensor.zerosLike($0) }
    }

    manualSeed(UInt64(100 + rank))              // different initial weights on every rank ...
    let net = CheckNet()
    let ddp = DistributedDataParallel(net, bucketCapMB: 0.0001)   // ... until DDP broadcasts rank 0's
    c.expect(ddp.bucketAssignment.count > 1, "ddp several buckets")
    c.expect(ddp.stateDictKeys().first == "module.fc1.weight", "ddp state dict keys")
    let reference = CheckNet()
    for (p, q) in zip(reference.parameters(), net.parameters()) { noGrad { _ = p.copy_(q) } }
    let expected = localGradients(reference, ranks: Array(0..<n)).map { $0 / Float(n) }

    net.zeroGrad()
    ddp(batch(rank)).pow(2).sum().backward()
    for (i, p) in net.parameters().enumerated() { c.expect(p.grad!, expected[i], "ddp averaged gradient \(i)") }

    // Gradient accumulation: two local backwards under noSync, the third synchronises.
    net.zeroGrad()
    ddp.noSync {
        ddp(batch(rank)).pow(2).sum().backward()
        ddp(batch(rank)).pow(2).sum().backward()
    }
    ddp(batch(rank)).pow(2).sum().backward()
    for (i, p) in net.parameters().enumerated() { c.expect(p.grad!, expected[i] * 3, "ddp noSync accumulation \(i)") }

    // gradientAsBucketView: `.grad` becomes the bucket slice; later backwards accumulate
    // straight into it, with grads set to nil or zeroed in place between steps.
    let viewed = CheckNet()
    for (p, q) in zip(viewed.parameters(), net.parameters()) { noGrad { _ = p.copy_(q) } }
    let ddpViewed = DistributedDataParallel(viewed, bucketCapMB: 0.0001, gradientAsBucketView: true)
    for setToNone in [true, false, false] {
        viewed.zeroGrad(setToNone: setToNone)
        ddpViewed(batch(rank)).pow(2).sum().backward()
        for (i, p) in viewed.parameters().enumerated() {
            c.expect(p.grad!, expected[i], "ddp gradientAsBucketView gradient \(i) (setToNone \(setToNone))")
        }
    }

    // findUnusedParameters: rank 0 skips the spare branch, the others use it.
    let sparse = CheckNet()
    let ddpSparse = DistributedDataParallel(sparse, bucketCapMB: 0.0001, findUnusedParameters: true)
    let ref = CheckNet()
    for (p, q) in zip(ref.parameters(), sparse.parameters()) { noGrad { _ = p.copy_(q) } }
    ref.zeroGrad()
    for r in 0..<n {
        ref.useSpare = r != 0
        ref(batch(r)).pow(2).sum().backward()
    }
    sparse.useSpare = rank != 0
    sparse.zeroGrad()
    ddpSparse(batch(rank)).pow(2).sum().backward()
    for (i, (p, q)) in zip(sparse.namedParameters(), ref.parameters()).enumerated() {
        if n == 1 && p.name.hasPrefix("spare") {
            c.expect(p.parameter.grad == nil, "ddp unused everywhere keeps grad nil \(i)")
        } else {
            c.expect(p.parameter.grad!, q.grad! / Float(n), "ddp findUnusedParameters gradient \(p.name)")
        }
    }
}
