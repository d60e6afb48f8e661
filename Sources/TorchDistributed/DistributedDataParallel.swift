/// `torch.nn.parallel.DistributedDataParallel`: the same model on every rank, gradients
/// averaged across ranks during backward, bucket by bucket, so communication overlaps the
/// rest of the backward pass.

import Torch

/// Wraps a module for data-parallel training across the ranks of the default process
/// group (`torch.nn.parallel.DistributedDataParallel`).
///
/// At construction rank 0's parameters and buffers are copied to every rank. Each forward
/// (with grad mode on, outside ``noSync(_:)``) arms the gradient reducer; during the
/// following backward, gradients are copied into buckets of about `bucketCapMB` megabytes
/// (PyTorch's 25 MB, the first bucket 1 MB so that communication starts early), filled in
/// reverse registration order — roughly the order backward produces them. A bucket's
/// all-reduce starts as soon as its last gradient has been accumulated and runs on the
/// communication thread while backward goes on; buckets start in order, so every rank issues
/// the same sequence. When
/// backward ends, the reducer waits for the buckets and writes the averaged gradients back
/// into each parameter's `.grad`, so `optimizer.step()` sees the same gradients on every rank.
///
/// ```swift
/// initProcessGroup(backend: .mpi)
/// let ddp = DistributedDataParallel(net)
/// let opt = Adam(ddp.parameters(), lr: 1e-3)
/// let loss = crossEntropy(ddp(x), y)     // x: this rank's share of the batch
/// loss.backward()                        // gradients averaged over ranks
/// opt.step()
/// ```
///
/// State-dict keys carry the `module.` prefix, as PyTorch's wrapper's do.
public final class DistributedDataParallel: Module {
    /// The wrapped module (`ddp.module`).
    public let module: Module
    /// Whether rank 0's buffers (e.g. batch-norm statistics) are copied to every rank
    /// before each forward (`broadcast_buffers`).
    public let broadcastBuffers: Bool
    private let reducer: Reducer
    /// `false` inside ``noSync(_:)`` (PyTorch's `require_backward_grad_sync`).
    private var requireBackwardGradSync = true

    /// Wraps `module` and copies rank 0's parameters and buffers to every rank.
    ///
    /// - Parameters:
    ///   - module: The model to train; every rank builds the same one.
    ///   - bucketCapMB: Bucket size in megabytes (`bucket_cap_mb`, 25 by default).
    ///   - findUnusedParameters: Allow parameters that get no gradient in a backward pass
    ///     (`find_unused_parameters`): they count as ready with zeros, and one whose
    ///     gradient is missing on every rank keeps `grad == nil`. Without it such a
    ///     parameter stops the program with PyTorch's message.
    ///   - broadcastBuffers: Copy rank 0's buffers to all ranks before each forward.
    ///   - gradientAsBucketView: Make each `.grad` a view into its bucket
    ///     (`gradient_as_bucket_view`): saves a copy of every gradient per step (two with
    ///     `zeroGrad(setToNone: false)`), but a `.grad` kept across steps changes with the
    ///     bucket.
    public init(_ module: Module, bucketCapMB: some ScalarConvertible = 25, findUnusedParameters: Bool = false,
                broadcastBuffers: Bool = true, gradientAsBucketView: Bool = false) {
        let bucketCapMB = bucketCapMB.scalarValue.doubleValue
        _ = requireGroup()
        guard bucketCapMB > 0 else { torchFatal("ValueError: bucket_cap_mb must be positive, got \(bucketCapMB)") }
        self.module = module
        self.broadcastBuffers = broadcastBuffers
        // PyTorch's `_sync_module_states`: every rank starts from rank 0's weights.
        for t in module.parameters() + module.buffers() { broadcast(t, src: 0) }
        reducer = Reducer(parameters: module.parameters().filter(\.requiresGrad),
                          bucketCapBytes: Int(bucketCapMB * 1024 * 1024), findUnusedParameters: findUnusedParameters,
                          gradientAsBucketView: gradientAsBucketView)
        super.init()
    }

    /// Runs the wrapped module, arming gradient synchronisation for the next backward when
    /// grad mode is on and no ``noSync(_:)`` is active.
    override public func forward(_ input: Tensor) -> Tensor {
        if isGradEnabled() && requireBackwardGradSync { reducer.prepareForBackward() }
        if broadcastBuffers { for b in module.buffers() { broadcast(b, src: 0) } }
        return module(input)
    }

    /// Runs `body` without gradient synchronisation (`with ddp.no_sync():`): backward passes
    /// of forwards inside it only accumulate local gradients, and the first synchronised
    /// backward after it averages the accumulated sums.
    @discardableResult
    public func noSync<R>(_ body: () throws -> R) rethrows -> R {
        let previous = requireBackwardGradSync
        requireBackwardGradSync = false
        defer { requireBackwardGradSync = previous }
        return try body()
    }

    /// The buckets' parameter indices (into `module.parameters()` that require grad), in
    /// the order their all-reduces start: for tests and tuning.
    public var bucketAssignment: [[Int]] { reducer.buckets.map(\.parameters) }
}

/// PyTorch's usual short name for ``DistributedDataParallel``
/// (`torch.nn.parallel.DistributedDataParallel`).
public typealias DDP = DistributedDataParallel

/// One bucket: consecutive slices of a flat tensor of one dtype, one slice per parameter.
final class Bucket {
    let parameters: [Int]
    let offsets: [Int]
    let flat: Tensor

    init(parameters: [Int], of all: [Tensor]) {
        self.parameters = parameters
        var offsets: [Int] = [], total = 0
        for i in parameters {
            offsets.append(total)
            total += all[i].numel
        }
        self.offsets = offsets
        flat = Tensor.zeros([total], dtype: all[parameters[0]].dtype)
    }

    /// The slice of `flat` that stands for parameter number `k` of this bucket, shaped like it.
    func slice(_ k: Int, _ parameter: Tensor) -> Tensor {
        flat.narrow(0, offsets[k], parameter.numel).view(parameter.shape)
    }
}

/// The gradient reducer (PyTorch's `Reducer`): bucket bookkeeping during one backward.
final class Reducer {
    let parameters: [Tensor]
    let buckets: [Bucket]
    private let findUnusedParameters: Bool
    private let gradientAsBucketView: Bool
    private let worldSize: Int
    /// For each parameter, its bucket and its position in it.
    private let location: [(bucket: Int, slot: Int)]

    private var armed = false
    private var callbackQueued = false
    private var ready: [Bool]
    private var usedLocally: [Bool]
    private var pending: [Int]
    private var nextBucket = 0
    private var works: [Work?]

    init(parameters: [Tensor], bucketCapBytes: Int, findUnusedParameters: Bool, gradientAsBucketView: Bool) {
        self.parameters = parameters
        self.findUnusedParameters = findUnusedParameters
        self.gradientAsBucketView = gradientAsBucketView
        worldSize = getWorldSize()
        buckets = assignBuckets(parameters, capBytes: bucketCapBytes).map { Bucket(parameters: $0, of: parameters) }
        var location = [(bucket: Int, slot: Int)](repeating: (0, 0), count: parameters.count)
        for (b, bucket) in buckets.enumerated() {
            for (k, i) in bucket.parameters.enumerated() { location[i] = (b, k) }
        }
        self.location = location
        ready = Array(repeating: false, count: parameters.count)
        usedLocally = ready
        pending = buckets.map(\.parameters.count)
        works = Array(repeating: nil, count: buckets.count)
        for (i, p) in parameters.enumerated() {
            p.registerPostAccumulateGradHook { [weak self] _ in self?.gradientReady(i) }
        }
    }

    /// Expects a synchronised backward next (PyTorch's `prepare_for_backward`).
    func prepareForBackward() { armed = true }

    /// A parameter's gradient has been accumulated: copy it into its bucket and start the
    /// buckets that are complete.
    private func gradientReady(_ i: Int) {
        guard armed else { return }
        if !callbackQueued {
            // Runs when the engine has finished the whole pass.
            callbackQueued = true
            autograd.queueCallback { [weak self] in self?.finishBackward() }
        }
        guard !ready[i] else {
            torchFatal("RuntimeError: Expected to mark a variable ready only once. This error is caused by one of the following reasons: 1) Use of a module parameter outside the `forward` function. 2) Reused parameters in multiple reentrant backward passes. (parameter \(i))")
        }
        usedLocally[i] = true
        markReady(i)
    }

    private func markReady(_ i: Int) {
        ready[i] = true
        let (b, slot) = location[i]
        let slice = buckets[b].slice(slot, parameters[i])
        noGrad {
            let g = usedLocally[i] ? parameters[i].grad : nil
            // A gradient already viewing its slice was accumulated in place: nothing to copy.
            if let g, isView(g, of: slice) { return }
            if let g { slice.copy_(g) } else { slice.zero_() }
            if gradientAsBucketView && g != nil { parameters[i].grad = slice }
        }
        pending[b] -= 1
        // Start buckets strictly in order, so all ranks issue the same collectives.
        while nextBucket < buckets.count && pending[nextBucket] == 0 {
            let flat = buckets[nextBucket].flat
            noGrad { flat.div_(worldSize) }
            works[nextBucket] = allReduce(flat, asyncOp: true)
            nextBucket += 1
        }
    }

    /// End of backward: count unused parameters as ready, wait for every bucket, and write
    /// the averaged gradients back.
    private func finishBackward() {
        defer { reset() }
        let missing = ready.indices.filter { !ready[$0] }
        if !missing.isEmpty && !findUnusedParameters {
            torchFatal("RuntimeError: Expected to have finished reduction in the prior iteration before starting a new one. This error indicates that your module has parameters that were not used in producing loss. You can enable unused parameter detection by passing the keyword argument `findUnusedParameters: true` to `DistributedDataParallel` (`find_unused_parameters=True` in PyTorch). Parameter indices which did not receive grad for rank \(getRank()): \(missing.map(String.init).joined(separator: " "))")
        }
        for i in missing { markReady(i) }
        var usedSomewhere = Array(repeating: true, count: parameters.count)
        if findUnusedParameters {
            // Which parameters got a gradient on some rank: those keep (or get) `.grad`.
            let used = Tensor(shape: [parameters.count], scalars: usedLocally.map { Int32($0 ? 1 : 0) })
            allReduce(used, op: .max)
            usedSomewhere = used.toArray(Int32.self).map { $0 != 0 }
        }
        for work in works { work?.wait() }
        noGrad {
            for (i, p) in parameters.enumerated() where usedSomewhere[i] {
                let (b, slot) = location[i]
                let averaged = buckets[b].slice(slot, p)
                if let g = p.grad, isView(g, of: averaged) { continue }
                if gradientAsBucketView { p.grad = averaged } else if let g = p.grad { g.copy_(averaged) } else { p.grad = averaged.clone() }
            }
        }
    }

    private func reset() {
        armed = false
        callbackQueued = false
        for i in ready.indices { ready[i] = false; usedLocally[i] = false }
        pending = buckets.map(\.parameters.count)
        nextBucket = 0
        works = Array(repeating: nil, count: buckets.count)
    }
}

/// Whether `g` is exactly the bucket slice `slice` (same memory, same layout).
private func isView(_ g: Tensor, of slice: Tensor) -> Bool {
    g.storage === slice.storage && g.offset == slice.offset && g.strides == slice.strides
}

/// Groups parameters into buckets as PyTorch's `compute_bucket_assignment_by_size` does:
/// in reverse registration order, one dtype per bucket, a bucket closing once it reaches
/// its limit — 1 MiB for the first bucket of each dtype, `capBytes` after that.
func assignBuckets(_ parameters: [Tensor], capBytes: Int) -> [[Int]] {
    let firstBucketBytes = 1024 * 1024
    var open: [DType: (indices: [Int], bytes: Int)] = [:]
    var closedPerDType: [DType: Int] = [:]
    var result: [[Int]] = []
    for i in parameters.indices.reversed() {
        let p = parameters[i]
        var bucket = open[p.dtype] ?? ([], 0)
        bucket.indices.append(i)
        bucket.bytes += p.numel * p.dtype.itemSize
        let limit = closedPerDType[p.dtype, default: 0] == 0 ? min(firstBucketBytes, capBytes) : capBytes
        if bucket.bytes >= limit {
            result.append(bucket.indices)
            closedPerDType[p.dtype, default: 0] += 1
            open[p.dtype] = nil
        } else {
            open[p.dtype] = bucket
        }
    }
    // Unfilled buckets close at the end, in dtype order (the same on every rank).
    for dtype in DType.allCases {
        if let bucket = open[dtype] { result.append(bucket.indices) }
    }
    return result
}
