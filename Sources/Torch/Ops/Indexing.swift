/// Indexing with PyTorch's semantics: `x[0, 1]`, `x[.all, 1]`, `x[1..<3]`, `x[2...]`, `x[.all, .r(1..<3)]`,
/// `x[.slice(0, nil, step: 2)]`, `x[.ellipsis, 0]`, `x[.newAxis]`, `x[indexTensor]`,
/// `x[mask]`, and assignment through all of them (`x[.all, 1] = t`, `b[3] = Tensor(5)`, or
/// `b.indexPut_([3], 5)` for a Swift number).
///
/// Integers, slices, `.newAxis` and `.ellipsis` give views (select, slice and unsqueeze,
/// applied left to right as PyTorch does, so `grad_fn` names match); integer and boolean
/// tensors give copies (advanced indexing, with PyTorch's rule for where their dims go).

/// One item of a subscript. SwiftTorch only: Python writes these items directly (an `int`, a
/// `slice`, `None`, `...`, a tensor), so PyTorch has no counterpart.
public enum TensorIndex {
    /// One position (negative counts from the end); removes the dim.
    case int(Int)
    /// `start..<end` by `step` (`nil` ends mean the whole range; `step > 0`); written
    /// `.slice(start, end, step: 2)` or with Swift ranges.
    case range(Int?, Int?, step: Int)
    /// Every element of the dim (`:`).
    case all
    /// A new size-1 dim (`None`).
    case newAxis
    /// As many `.all` as needed (`...`).
    case ellipsis
    /// An integer or boolean tensor (advanced indexing).
    case tensor(Tensor)

    /// `start..<end` by `step` (`x[.slice(0, nil, step: 2)]`).
    public static func slice(_ start: Int?, _ end: Int?, step: Int = 1) -> TensorIndex {
        .range(start, end, step: step)
    }
}

extension TensorIndex: ExpressibleByIntegerLiteral {
    /// An integer literal is a position: `x[0, 1]`.
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension TensorIndex {
    /// A Swift range as a slice: `x[.all, .r(1..<3)]`.
    public static func r(_ range: Range<Int>) -> TensorIndex { .range(range.lowerBound, range.upperBound, step: 1) }
    /// A Swift closed range as a slice (`...(-1)` ends at the last element).
    public static func r(_ range: ClosedRange<Int>) -> TensorIndex { range.tensorIndex }
    /// `start...` as a slice.
    public static func r(_ range: PartialRangeFrom<Int>) -> TensorIndex { .range(range.lowerBound, nil, step: 1) }
    /// `..<end` as a slice.
    public static func r(_ range: PartialRangeUpTo<Int>) -> TensorIndex { .range(nil, range.upperBound, step: 1) }
}

extension Tensor {
    /// Reads (a view or a copy) or writes elements selected by `items` (`x[0, 1]`,
    /// `x[.all, 1]`, `x[.ellipsis, .r(1..<3)]`, `x[.tensor(index)]`) (`torch.Tensor.__getitem__`,
    /// `torch.Tensor.__setitem__`).
    public subscript(_ items: TensorIndex...) -> Tensor {
        get { index(items) }
        set { indexPut_(items, newValue) }
    }

    /// `x[1..<3]`: rows `1..<3` of the first dim (`torch.Tensor.__getitem__`,
    /// `torch.Tensor.__setitem__`).
    public subscript(_ range: Range<Int>) -> Tensor {
        get { index([.r(range)]) }
        set { indexPut_([.r(range)], newValue) }
    }

    /// `x[1...2]` (`torch.Tensor.__getitem__`, `torch.Tensor.__setitem__`).
    public subscript(_ range: ClosedRange<Int>) -> Tensor {
        get { index([.r(range)]) }
        set { indexPut_([.r(range)], newValue) }
    }

    /// `x[2...]` (`torch.Tensor.__getitem__`, `torch.Tensor.__setitem__`).
    public subscript(_ range: PartialRangeFrom<Int>) -> Tensor {
        get { index([.r(range)]) }
        set { indexPut_([.r(range)], newValue) }
    }

    /// `x[..<2]` (`torch.Tensor.__getitem__`, `torch.Tensor.__setitem__`).
    public subscript(_ range: PartialRangeUpTo<Int>) -> Tensor {
        get { index([.r(range)]) }
        set { indexPut_([.r(range)], newValue) }
    }

    /// `x[mask]` or `x[indices]`: advanced indexing by a boolean or integer tensor
    /// (`torch.Tensor.__getitem__`, `torch.Tensor.__setitem__`).
    public subscript(_ index: Tensor) -> Tensor {
        get { self.index([.tensor(index)]) }
        set { indexPut_([.tensor(index)], newValue) }
    }

    /// `x[items]` (`Tensor.__getitem__`, `torch.Tensor.__getitem__`).
    public func index(_ items: [TensorIndex]) -> Tensor {
        let (view, advanced) = basicIndex(items)
        return advanced.isEmpty ? view : advancedIndex(view, advanced)
    }

    /// Writes `value` (broadcast, converted) into `x[items]` in place (`Tensor.__setitem__`,
    /// `torch.Tensor.__setitem__`).
    public func indexPut_(_ items: [TensorIndex], _ value: Tensor) {
        checkInPlaceAllowed(self)
        let recording = isGradEnabled() && (requiresGrad || value.requiresGrad)
        if !recording {
            noGrad { writeIndexed(items, value) }
            storage.bumpVersion()
            return
        }
        // Recorded like PyTorch's CopySlices / IndexPut: the new history replaces this one.
        let before = clone()
        let updated = noGrad { () -> Tensor in
            let copy = before.detach().clone()
            copy.writeIndexed(items, value)
            return copy
        }
        let hasTensor = items.contains { if case .tensor = $0 { return true } else { return false } }
        let isMask = items.count == 1 && { if case .tensor(let t) = items[0] { return t.dtype == .bool } else { return false } }()
        let name = isMask ? "MaskedFillBackward0" : (hasTensor ? "IndexPutBackward0" : "torch::autograd::CopySlices")
        let valueShape = value.shape, valueNeeds = value.requiresGrad, savedItems = SavedIndexItems(items)
        record(name, inputs: (before, value), outputs: [updated]) { g in
            let grad = g[0]!, items = savedItems.unpack()
            let kept = noGrad { () -> Tensor in
                let c = grad.detach().clone()
                c.writeIndexed(items, Tensor.zeros([], dtype: c.dtype))
                return c
            }
            let forValue = valueNeeds ? sumTo(grad.index(items), valueShape) : nil
            return [kept, forValue]
        }
        // Written back through the in-place machinery: on a view, the base's history too.
        commitInPlace(self, updated)
    }

    /// Writes a Swift number into `x[items]` in place (`torch.Tensor.__setitem__`).
    public func indexPut_(_ items: [TensorIndex], _ value: Scalar) {
        indexPut_(items, Tensor(shape: [], values: [value], dtype: dtype))
    }

    /// The raw write behind `indexPut_` (no recording).
    fileprivate func writeIndexed(_ items: [TensorIndex], _ value: Tensor) {
        let (view, advanced) = basicIndex(items)
        if advanced.isEmpty {
            copyElements(from: value.broadcastView(to: view.shape), to: view)
            return
        }
        let plan = AdvancedPlan(view, advanced)
        let source = value.converted(to: dtype).broadcastView(to: plan.resultShape).contiguous()
        plan.scatter(from: source, into: view)
    }

    /// Applies ints, slices, new axes and the ellipsis as recorded views; returns the view
    /// and the tensor items with the dims (of the view) they index.
    fileprivate func basicIndex(_ items: [TensorIndex]) -> (Tensor, [(dim: Int, index: Tensor)]) {
        var consumed = 0
        for item in items {
            switch item {
            case .int, .range, .all: consumed += 1
            case .tensor(let t): consumed += t.dtype == .bool ? Swift.max(t.dim, 1) : 1
            case .newAxis, .ellipsis: break
            }
        }
        guard consumed <= dim else {
            torchFatal("IndexError: too many indices for tensor of dimension \(dim)")
        }
        var view = self
        var d = 0
        var advanced: [(Int, Tensor)] = []
        var sawEllipsis = false
        for item in items {
            switch item {
            case .int(let i):
                let size = view.shape[d]
                guard i >= -size && i < size else {
                    torchFatal("IndexError: index \(i) is out of bounds for dimension \(d) with size \(size)")
                }
                view = view.select(d, i < 0 ? i + size : i)
            case .range(let start, let end, let step):
                guard step > 0 else { torchFatal("ValueError: step must be greater than zero") }
                let size = view.shape[d]
                func clampBound(_ v: Int?, _ fallback: Int) -> Int {
                    guard var v else { return fallback }
                    if v < 0 { v += size }
                    return Swift.min(Swift.max(v, 0), size)
                }
                let s = clampBound(start, 0), e = Swift.max(clampBound(end, size), s)
                if !(s == 0 && e == size && step == 1) {
                    view = view.sliced(dim: d, start: s, end: e, step: step)
                }
                d += 1
            case .all:
                d += 1
            case .newAxis:
                view = view.unsqueeze(d)
                d += 1
            case .ellipsis:
                guard !sawEllipsis else { torchFatal("IndexError: an index can only have a single ellipsis ('...')") }
                sawEllipsis = true
                d += dim - consumed
            case .tensor(let t):
                if t.dim == 0 && t.dtype != .bool {
                    view = view.select(d, Int(t.item(as: Int64.self)))
                } else {
                    advanced.append((d, t))
                    d += t.dtype == .bool ? Swift.max(t.dim, 1) : 1
                }
            }
        }
        return (view, advanced)
    }

    /// Element `index` of dim `d`, as a view without that dim (`x.select(d, i)`,
    /// `torch.Tensor.select`).
    public func select(_ d: Int, _ index: Int) -> Tensor {
        let n = normalizeDim(d, rank: dim)
        let size = shape[n]
        guard index >= -size && index < size else {
            torchFatal("IndexError: index \(index) is out of bounds for dimension \(n) with size \(size)")
        }
        let i = index < 0 ? index + size : index
        var shape = self.shape, strides = self.strides
        shape.remove(at: n)
        strides.remove(at: n)
        let out = makeView(shape: shape, strides: strides, offset: offset + i * self.strides[n])
        if needsGrad(self) {
            let original = self.shape
            record("SelectBackward0", input: self, outputs: [out]) { g in
                [regionBackward(g[0]!, name: "SelectBackwardBackward0", shape: original, dtype: g[0]!.dtype) {
                    $0.select(n, i)
                }]
            }
        }
        return out
    }
}

/// Index items whose tensors a derivative reads, saved with version checks (PyTorch
/// fails when an index tensor was changed in place before backward).
private struct SavedIndexItems {
    private let items: [TensorIndex]
    private let tensors: [SavedTensor]

    init(_ items: [TensorIndex]) {
        self.items = items
        tensors = items.compactMap { item in
            if case .tensor(let t) = item { return SavedTensor(t) }
            return nil
        }
    }

    /// The items, each tensor checked against its saved version.
    func unpack() -> [TensorIndex] {
        var next = 0
        return items.map { item in
            guard case .tensor = item else { return item }
            defer { next += 1 }
            return .tensor(tensors[next].unpack())
        }
    }
}

/// Advanced indexing of `view` by integer/boolean tensors at some of its dims.
private func advancedIndex(_ view: Tensor, _ advanced: [(dim: Int, index: Tensor)]) -> Tensor {
    let plan = AdvancedPlan(view, advanced)
    let out = Tensor(uninitializedShape: plan.resultShape, dtype: view.dtype, zeroed: false)
    plan.gather(from: view, into: out)
    if needsGrad(view) {
        // The index tensors may be the caller's: saved with version checks.
        let shape = view.shape, saved = advanced.map { (dim: $0.dim, index: SavedTensor($0.index)) }
        record("IndexBackward0", input: view, outputs: [out]) { g in
            let full = Tensor.zeros(shape, dtype: .float64)
            let advanced = saved.map { (dim: $0.dim, index: $0.index.unpack()) }
            AdvancedPlan(full, advanced).scatterAdd(from: g[0]!.to(.float64).contiguous(), into: full)
            return [full.to(g[0]!.dtype)]
        }
    }
    return out
}

/// Where every element of an advanced-indexing result comes from.
private struct AdvancedPlan {
    /// The result's shape.
    let resultShape: [Int]
    /// For each result element (row-major), its element offset in the source view.
    let sourceOffsets: [Int]

    init(_ view: Tensor, _ items: [(dim: Int, index: Tensor)]) {
        // Booleans become one integer index per masked dim (their nonzero positions).
        var dims: [Int] = [], indices: [[Int64]] = [], shapes: [[Int]] = []
        for (d, t) in items {
            if t.dtype == .bool {
                let maskDims = Swift.max(t.dim, 1)
                for k in 0..<maskDims where view.shape[d + k] != (t.dim == 0 ? 1 : t.shape[k]) {
                    torchFatal("IndexError: The shape of the mask \(t.shape) at index \(k) does not match the shape of the indexed tensor \(view.shape) at index \(d + k)")
                }
                let flags = t.toArray(Bool.self)
                let positions = flags.indices.filter { flags[$0] }
                for k in 0..<maskDims {
                    let s = t.dim == 0 ? [1] : t.shape
                    let inner = s[(k + 1)...].reduce(1, *)
                    dims.append(d + k)
                    indices.append(positions.map { Int64(($0 / inner) % s[k]) })
                    shapes.append([positions.count])
                }
            } else {
                guard !t.dtype.isFloatingPoint else {
                    torchFatal("IndexError: tensors used as indices must be long, int, byte or bool tensors")
                }
                dims.append(d)
                indices.append(t.toArray(Int64.self))
                shapes.append(t.shape)
            }
        }
        let broadcast = shapes.dropFirst().reduce(shapes[0]) { broadcastShapes($0, $1) }
        let count = broadcast.reduce(1, *)
        // Each index broadcast to `broadcast`, read with stride 0 where it was size 1.
        let expanded: [[Int]] = zip(indices, shapes).enumerated().map { k, pair in
            let (values, shape) = pair
            let t = Tensor(shape: shape, scalars: values).broadcastView(to: broadcast).contiguous()
            let size = view.shape[dims[k]]
            return t.toArray(Int64.self).map { v in
                let i = Int(v)
                guard i >= -size && i < size else {
                    torchFatal("IndexError: index \(i) is out of bounds for dimension \(dims[k]) with size \(size)")
                }
                return i < 0 ? i + size : i
            }
        }
        let adjacent = zip(dims, dims.dropFirst()).allSatisfy { $1 == $0 + 1 }
        let rest = (0..<view.dim).filter { !dims.contains($0) }
        let before = adjacent ? rest.filter { $0 < dims[0] } : []
        let after = adjacent ? rest.filter { $0 > dims[0] } : rest
        resultShape = before.map { view.shape[$0] } + broadcast + after.map { view.shape[$0] }
        var offsets: [Int] = []
        offsets.reserveCapacity(resultShape.reduce(1, *))
        let beforeShape = before.map { view.shape[$0] }, afterShape = after.map { view.shape[$0] }
        for b in 0..<beforeShape.reduce(1, *) {
            let bi = unravel(b, beforeShape)
            var base = view.offset
            for (k, d) in before.enumerated() { base += bi[k] * view.strides[d] }
            for e in 0..<count {
                var o = base
                for (k, d) in dims.enumerated() { o += expanded[k][e] * view.strides[d] }
                for a in 0..<afterShape.reduce(1, *) {
                    let ai = unravel(a, afterShape)
                    var oa = o
                    for (k, d) in after.enumerated() { oa += ai[k] * view.strides[d] }
                    offsets.append(oa)
                }
            }
        }
        sourceOffsets = offsets
    }

    /// `out[i] = view[source(i)]` (any dtype).
    func gather(from view: Tensor, into out: Tensor) {
        gatherElements(from: view, at: sourceOffsets, into: out)
    }

    /// `view[source(i)] = values[i]` for a contiguous `values` of the result's shape.
    func scatter(from values: Tensor, into view: Tensor) {
        scatterElements(from: values, into: view, at: sourceOffsets)
    }

    /// `full[source(i)] += values[i]` (float64), for the gradient of a gather.
    func scatterAdd(from values: Tensor, into full: Tensor) {
        scatterAddElements(from: values, into: full, at: sourceOffsets)
    }
}
