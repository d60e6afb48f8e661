import Dispatch

/// The loop driver shared by the reductions (`sum`, `prod`, `amax`, `argmax`, `var`,
/// `norm`, `all`, ...). An op supplies a ``Reducer`` (how elements fold into an
/// accumulator); the driver supplies the walk.
///
/// The input's dimensions are split into kept and reduced ones, each group coalesced over
/// its strides. Two memory orders matter and both get a flat loop:
/// - the innermost reduced dim is the fast one (summing the rows of a row-major matrix):
///   each accumulator folds whole runs (`foldRun`, where a sum keeps partial sums in
///   registers);
/// - the innermost kept dim is the fast one (summing a row-major matrix down its columns):
///   rows are folded into a vector of accumulators (`foldRows`), so memory is read in
///   order instead of one column at a time.
/// Work above a size threshold is split across cores: over kept elements when there are
/// several outputs, else over the reduced range with one partial accumulator per part,
/// combined afterwards in index order (so `argmax` still finds the first maximum).

/// How one reduction folds its elements.
protocol Reducer: SendableMetatype {
    associatedtype Input: TensorScalar
    associatedtype Accumulator
    associatedtype Output: TensorScalar

    /// The accumulator before any element (the value of an empty reduction).
    var identity: Accumulator { get }
    /// Folds element `x`, at position `index` along the reduced dim (meaningful when a
    /// single dim is reduced; index-tracking reducers only ever reduce one).
    func fold(_ acc: inout Accumulator, _ x: Input, at index: Int)
    /// Combines two partial results; `later` covers higher indices than `acc`.
    func combine(_ acc: Accumulator, _ later: Accumulator) -> Accumulator
    /// The output value of a finished accumulator.
    func finish(_ acc: Accumulator) -> Output
    /// Folds `count` elements `p[0], p[stride], ...` whose first index is `firstIndex`.
    func foldRun(_ acc: inout Accumulator, _ p: UnsafePointer<Input>, count: Int, stride: Int, firstIndex: Int)
    /// Folds `rows` rows of `width` contiguous elements (`rowStride` apart) into `width`
    /// accumulators; row `r` has index `firstIndex + r`.
    func foldRows(_ acc: UnsafeMutablePointer<Accumulator>, _ p: UnsafePointer<Input>, width: Int, rows: Int, rowStride: Int, firstIndex: Int)
}

extension Reducer {
    @inline(__always)
    func foldRun(_ acc: inout Accumulator, _ p: UnsafePointer<Input>, count: Int, stride: Int, firstIndex: Int) {
        var a = acc
        if stride == 1 {
            for i in 0..<count { fold(&a, p[i], at: firstIndex + i) }
        } else {
            for i in 0..<count { fold(&a, p[i * stride], at: firstIndex + i) }
        }
        acc = a
    }

    @inline(__always)
    func foldRows(_ acc: UnsafeMutablePointer<Accumulator>, _ p: UnsafePointer<Input>, width: Int, rows: Int, rowStride: Int, firstIndex: Int) {
        for r in 0..<rows {
            let row = p + r * rowStride
            for j in 0..<width { fold(&acc[j], row[j], at: firstIndex + r) }
        }
    }
}

/// The kept and reduced dimensions of one reduction, each coalesced; size-1 dims dropped.
struct ReductionLayout {
    var keptSizes: [Int] = []
    var keptStrides: [Int] = []
    /// Strides of the kept dims in the (contiguous) output.
    var keptOutStrides: [Int] = []
    var reducedSizes: [Int] = []
    var reducedStrides: [Int] = []
    var offset: Int
    /// Output elements (product of the kept sizes).
    let outputCount: Int
    /// Elements folded into each output.
    let reducedCount: Int

    init(_ x: Tensor, dims: Set<Int>) {
        offset = x.offset
        var out = 1, red = 1
        for d in 0..<x.dim {
            if dims.contains(d) { red *= x.shape[d] } else { out *= x.shape[d] }
        }
        outputCount = out
        reducedCount = red
        var outStride = out
        for d in 0..<x.dim {
            let size = x.shape[d], stride = x.strides[d]
            if dims.contains(d) {
                guard size != 1 else { continue }
                if let last = reducedSizes.indices.last, reducedStrides[last] == stride * size {
                    reducedSizes[last] *= size
                    reducedStrides[last] = stride
                } else {
                    reducedSizes.append(size)
                    reducedStrides.append(stride)
                }
            } else {
                guard size != 0 else { outStride = 0; continue }
                outStride /= size
                guard size != 1 else { continue }
                if let last = keptSizes.indices.last, keptStrides[last] == stride * size {
                    keptSizes[last] *= size
                    keptStrides[last] = stride
                    keptOutStrides[last] = outStride
                } else {
                    keptSizes.append(size)
                    keptStrides.append(stride)
                    keptOutStrides.append(outStride)
                }
            }
        }
    }
}

/// Calls `body(offsetA, offsetB)` for every index of `sizes`, with offsets stepping by
/// `stridesA` and `stridesB` (once with zeros when `sizes` is empty).
@inline(__always)
func walkIndices(_ sizes: [Int], _ stridesA: [Int], _ stridesB: [Int], _ body: (Int, Int) -> Void) {
    let rank = sizes.count
    if rank == 0 { body(0, 0); return }
    if rank == 1 {
        let sa = stridesA[0], sb = stridesB[0]
        for i in 0..<sizes[0] { body(i * sa, i * sb) }
        return
    }
    withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { count in
        let counter = count.baseAddress!
        for d in 0..<rank { counter[d] = 0 }
        var a = 0, b = 0
        while true {
            body(a, b)
            var d = rank - 1
            while true {
                counter[d] += 1
                a += stridesA[d]
                b += stridesB[d]
                if counter[d] < sizes[d] { break }
                a -= stridesA[d] * sizes[d]
                b -= stridesB[d] * sizes[d]
                counter[d] = 0
                if d == 0 { return }
                d -= 1
            }
        }
    }
}

/// Folds the part of `layout` it describes into `acc` (indexed by output position).
private func reduceSerial<R: Reducer>(
    _ r: R, _ base: UnsafePointer<R.Input>, _ layout: ReductionLayout,
    _ acc: UnsafeMutablePointer<R.Accumulator>, indexBase: Int
) {
    let kept = layout.keptSizes, red = layout.reducedSizes
    guard !red.isEmpty else {
        // Only size-1 dims are reduced: each output folds one element.
        walkIndices(kept, layout.keptStrides, layout.keptOutStrides) { i, o in
            r.fold(&acc[o], base[i], at: 0)
        }
        return
    }
    let n = red[red.count - 1], s = layout.reducedStrides[red.count - 1]
    let outerRed = Array(red.dropLast()), outerRedStrides = Array(layout.reducedStrides.dropLast())
    if let last = kept.indices.last, layout.keptStrides[last] == 1, s != 1 {
        // Kept dim contiguous: fold whole rows into a vector of accumulators.
        let width = kept[last]
        walkIndices(Array(kept.dropLast()), Array(layout.keptStrides.dropLast()), Array(layout.keptOutStrides.dropLast())) { i, o in
            walkIndices(outerRed, outerRedStrides, outerRedStrides) { ri, _ in
                r.foldRows(acc + o, base + i + ri, width: width, rows: n, rowStride: s, firstIndex: indexBase)
            }
        }
    } else {
        walkIndices(kept, layout.keptStrides, layout.keptOutStrides) { i, o in
            var a = acc[o]
            walkIndices(outerRed, outerRedStrides, outerRedStrides) { ri, _ in
                r.foldRun(&a, base + i + ri, count: n, stride: s, firstIndex: indexBase)
            }
            acc[o] = a
        }
    }
}

/// How many pieces a parallel reduction cuts per core: a few, so the work balances when a
/// core starts late or is shared with another process.
let piecesPerCore = 4

/// Lets non-Sendable loop state cross into `concurrentPerform`'s workers, which finish
/// before the caller's frame returns.
private struct ReductionBox<T>: @unchecked Sendable {
    let value: T
}

/// Runs `r` over `x` reducing `dims`, writing one output per kept element into `out`
/// (a new contiguous tensor of `R.Output`'s dtype with the kept elements in row-major
/// order; its shape may carry keepdim's ones).
func runReduction<R: Reducer>(_ r: R, _ x: Tensor, dims: Set<Int>, into out: Tensor) {
    withReduction(r, x, dims: dims) { acc, count in
        let po = out.storage.data.assumingMemoryBound(to: R.Output.self) + out.offset
        for o in 0..<count { po[o] = r.finish(acc[o]) }
    }
}

/// Runs `r` over `x` reducing `dims` and hands `body` the finished accumulators, one per
/// kept element in row-major order (for reducers with more than one output).
func withReduction<R: Reducer>(
    _ r: R, _ x: Tensor, dims: Set<Int>, _ body: (UnsafeMutablePointer<R.Accumulator>, Int) -> Void
) {
    let layout = ReductionLayout(x, dims: dims)
    let count = layout.outputCount
    guard count > 0 else { return }
    let acc = UnsafeMutablePointer<R.Accumulator>.allocate(capacity: count)
    acc.initialize(repeating: r.identity, count: count)
    defer { acc.deinitialize(count: count); acc.deallocate() }
    let base = UnsafePointer(x.storage.data.assumingMemoryBound(to: R.Input.self)) + layout.offset
    if layout.reducedCount > 0 {
        let parts = parallelPartCount(elements: count * layout.reducedCount, family: .reduction)
        // A single contiguous kept dim is the vector loop's width: halving a narrow one
        // would only make both halves walk every row, so the rows are split instead.
        let narrowRows = layout.keptSizes.count == 1 && layout.keptStrides[0] == 1
            && layout.keptSizes[0] / parts < 256 && (layout.reducedSizes.first ?? 0) >= parts
        if parts > 1, let first = layout.keptSizes.first, first >= parts, !narrowRows {
            // Split the outermost kept dim: each piece owns its outputs. Several pieces per
            // core let a core that finishes early (or shares its time) take more.
            let pieces = Swift.min(first, parts * piecesPerCore)
            let box = ReductionBox(value: (r, base, acc))
            parallelFor(pieces) { p in
                let (r, base, acc) = box.value
                let lo = first * p / pieces, hi = first * (p + 1) / pieces
                var part = layout
                part.keptSizes[0] = hi - lo
                reduceSerial(r, base + lo * layout.keptStrides[0], part, acc + lo * layout.keptOutStrides[0], indexBase: 0)
            }
        } else if parts > 1, let first = layout.reducedSizes.first, first >= parts {
            // Split the outermost reduced dim: partial accumulators, combined in order.
            let pieces = Swift.min(first, parts * piecesPerCore)
            let partials = UnsafeMutablePointer<R.Accumulator>.allocate(capacity: count * (pieces - 1))
            partials.initialize(repeating: r.identity, count: count * (pieces - 1))
            defer { partials.deinitialize(count: count * (pieces - 1)); partials.deallocate() }
            let single = layout.reducedSizes.count == 1
            let box = ReductionBox(value: (r, base, acc, partials))
            parallelFor(pieces) { p in
                let (r, base, acc, partials) = box.value
                let lo = first * p / pieces, hi = first * (p + 1) / pieces
                var part = layout
                part.reducedSizes[0] = hi - lo
                let target = p == 0 ? acc : partials + (p - 1) * count
                reduceSerial(r, base + lo * layout.reducedStrides[0], part, target, indexBase: single ? lo : 0)
            }
            // Combined as a balanced tree of neighbours: order is kept (for first-index
            // ties) and sums meet partial sums of their own size.
            func piece(_ p: Int) -> UnsafeMutablePointer<R.Accumulator> { p == 0 ? acc : partials + (p - 1) * count }
            var width = 1
            while width < pieces {
                for left in Swift.stride(from: 0, to: pieces - width, by: 2 * width) {
                    let a = piece(left), b = piece(left + width)
                    for o in 0..<count { a[o] = r.combine(a[o], b[o]) }
                }
                width *= 2
            }
        } else {
            reduceSerial(r, base, layout, acc, indexBase: 0)
        }
    }
    body(acc, count)
}

/// The output tensor of a reduction of `x` over `dims`.
func reductionOutput(_ x: Tensor, dims: Set<Int>, keepdim: Bool, dtype: DType) -> Tensor {
    Tensor(uninitializedShape: reducedShape(x.shape, dims: dims, keepdim: keepdim), dtype: dtype, zeroed: false)
}
