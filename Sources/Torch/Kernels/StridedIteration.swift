/// Strided iteration shared by every elementwise kernel: walks a shape once, handing the
/// innermost run of each operand to a loop body so that body can be a tight raw-pointer loop.
///
/// Dimensions are coalesced first (two neighbouring dims merge when every operand steps
/// through them as one), so a contiguous tensor of any rank is walked as one flat run. The
/// walk itself keeps its counters in a stack buffer: with short inner runs (a permuted
/// copy's 16 elements, say) the bookkeeping between runs is what costs.

/// A layout to walk: strides in elements for one operand over the shared shape.
struct OperandStrides {
    var strides: [Int]
    var offset: Int
}

/// Merges dimensions that every operand traverses contiguously and drops size-1 dims.
/// Returns the reduced shape and each operand's reduced strides (rank ≥ 1).
func coalesceDimensions(shape: [Int], strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
    var outShape: [Int] = []
    var outStrides: [[Int]] = Array(repeating: [], count: strides.count)
    for d in 0..<shape.count where shape[d] != 1 {
        if let last = outShape.last {
            var mergeable = true
            for k in 0..<strides.count where outStrides[k].last! != strides[k][d] * shape[d] {
                mergeable = false
                break
            }
            if mergeable {
                outShape[outShape.count - 1] = last * shape[d]
                for k in 0..<strides.count { outStrides[k][outStrides[k].count - 1] = strides[k][d] }
                continue
            }
        }
        outShape.append(shape[d])
        for k in 0..<strides.count { outStrides[k].append(strides[k][d]) }
    }
    if outShape.isEmpty {
        return ([1], Array(repeating: [1], count: strides.count))
    }
    return (outShape, outStrides)
}

/// Walks the outer dimensions of a coalesced layout for `operands` operands, calling
/// `body(offsets)` once per innermost run with each operand's element offset.
@inline(__always)
private func walkOuter(
    rank: Int, operands: Int, sizes: [Int], strides: [[Int]], start: (Int, Int, Int),
    _ body: (Int, Int, Int) -> Void
) {
    let outer = rank - 1
    withUnsafeTemporaryAllocation(of: Int.self, capacity: outer * 5) { buffer in
        let count = buffer.baseAddress!
        let size = count + outer
        let s0 = size + outer, s1 = s0 + outer, s2 = s1 + outer
        for d in 0..<outer {
            count[d] = 0
            size[d] = sizes[d]
            s0[d] = strides[0][d]
            s1[d] = operands > 1 ? strides[1][d] : 0
            s2[d] = operands > 2 ? strides[2][d] : 0
        }
        var (o0, o1, o2) = start
        while true {
            body(o0, o1, o2)
            var d = outer - 1
            while true {
                count[d] += 1
                o0 += s0[d]; o1 += s1[d]; o2 += s2[d]
                if count[d] < size[d] { break }
                o0 -= s0[d] * size[d]; o1 -= s1[d] * size[d]; o2 -= s2[d] * size[d]
                count[d] = 0
                if d == 0 { return }
                d -= 1
            }
        }
    }
}

/// Walks `shape` for two operands; `body(offsetA, offsetB, count, strideA, strideB)` is
/// called once per innermost run with element offsets into each operand's storage.
@inline(__always)
func forEachRun2(
    shape: [Int], _ a: OperandStrides, _ b: OperandStrides,
    _ body: (Int, Int, Int, Int, Int) -> Void
) {
    if shape.contains(0) { return }
    // 0-d and 1-d layouts are one run already (a small op's common case): no coalescing.
    if shape.count <= 1 {
        body(a.offset, b.offset, shape.first ?? 1, a.strides.first ?? 1, b.strides.first ?? 1)
        return
    }
    let (cs, st) = coalesceDimensions(shape: shape, strides: [a.strides, b.strides])
    let rank = cs.count
    let inner = cs[rank - 1]
    let sa = st[0][rank - 1], sb = st[1][rank - 1]
    if rank == 1 { body(a.offset, b.offset, inner, sa, sb); return }
    walkOuter(rank: rank, operands: 2, sizes: cs, strides: st, start: (a.offset, b.offset, 0)) { oa, ob, _ in
        body(oa, ob, inner, sa, sb)
    }
}

/// Walks `shape` for three operands (typically output, left input, right input).
@inline(__always)
func forEachRun3(
    shape: [Int], _ a: OperandStrides, _ b: OperandStrides, _ c: OperandStrides,
    _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void
) {
    if shape.contains(0) { return }
    if shape.count <= 1 {
        body(a.offset, b.offset, c.offset, shape.first ?? 1, a.strides.first ?? 1, b.strides.first ?? 1,
             c.strides.first ?? 1)
        return
    }
    let (cs, st) = coalesceDimensions(shape: shape, strides: [a.strides, b.strides, c.strides])
    let rank = cs.count
    let inner = cs[rank - 1]
    let sa = st[0][rank - 1], sb = st[1][rank - 1], sc = st[2][rank - 1]
    if rank == 1 { body(a.offset, b.offset, c.offset, inner, sa, sb, sc); return }
    walkOuter(rank: rank, operands: 3, sizes: cs, strides: st, start: (a.offset, b.offset, c.offset)) { oa, ob, oc in
        body(oa, ob, oc, inner, sa, sb, sc)
    }
}

/// Walks `shape` for two operands in 2-D tiles: `body(offA, offB, n, strideA, strideB,
/// m, rowStrideA, rowStrideB)` covers `m` rows of `n` innermost elements. Short inner runs
/// (a permuted copy's 16 elements) then cost one call per tile instead of one per run.
@inline(__always)
func forEachTile2(
    shape: [Int], _ a: OperandStrides, _ b: OperandStrides,
    _ body: (Int, Int, Int, Int, Int, Int, Int, Int) -> Void
) {
    if shape.contains(0) { return }
    if shape.count <= 1 {
        body(a.offset, b.offset, shape.first ?? 1, a.strides.first ?? 1, b.strides.first ?? 1, 1, 0, 0)
        return
    }
    let (cs, st) = coalesceDimensions(shape: shape, strides: [a.strides, b.strides])
    let rank = cs.count
    let inner = cs[rank - 1]
    let sa = st[0][rank - 1], sb = st[1][rank - 1]
    if rank == 1 { body(a.offset, b.offset, inner, sa, sb, 1, 0, 0); return }
    let rows = cs[rank - 2], ra = st[0][rank - 2], rb = st[1][rank - 2]
    if rank == 2 { body(a.offset, b.offset, inner, sa, sb, rows, ra, rb); return }
    walkOuter(rank: rank - 1, operands: 2, sizes: cs, strides: st, start: (a.offset, b.offset, 0)) { oa, ob, _ in
        body(oa, ob, inner, sa, sb, rows, ra, rb)
    }
}

/// Walks `shape` for one operand.
@inline(__always)
func forEachRun1(shape: [Int], _ a: OperandStrides, _ body: (Int, Int, Int) -> Void) {
    forEachRun2(shape: shape, a, a) { oa, _, n, sa, _ in body(oa, n, sa) }
}

/// The side of the square tiles ``forEachTransposedTile2`` hands out: 16 floats are one
/// 64-byte cache line, and 16 lines of each side stay in L1 while the tile is copied.
let transposedTileSide = 16

/// Walks `shape` for a destination `a` and a source `b` whose unit-stride dimension is not
/// `a`'s innermost one (a permute that moves the source's contiguous dimension outwards),
/// in square tiles: `body(offA, offB, n, strideA, strideB, m, crossA, crossB)` covers `m`
/// steps along `b`'s unit-stride dimension (strides `crossA`, `crossB`, the latter 1) by `n`
/// steps along `a`'s innermost (strides `strideA`, `strideB`). Walking the plain
/// `a`-innermost order instead reads one element per source cache line, and with a
/// power-of-two source stride every read of a run lands in the same cache set; a tile reads
/// and writes whole lines. Returns `false`, walking nothing, when the layout is not such a
/// transpose (the caller walks it by ``forEachTile2``).
@inline(__always)
func forEachTransposedTile2(
    shape: [Int], _ a: OperandStrides, _ b: OperandStrides,
    _ body: (Int, Int, Int, Int, Int, Int, Int, Int) -> Void
) -> Bool {
    if shape.contains(0) { return false }
    let (cs, st) = coalesceDimensions(shape: shape, strides: [a.strides, b.strides])
    let rank = cs.count, last = rank - 1
    guard rank >= 2, st[0][last] == 1, st[1][last] != 1,
          let p = (0..<last).first(where: { st[1][$0] == 1 && st[0][$0] != 1 }),
          cs[p] >= 4, cs[last] >= 4 else { return false }
    let n = cs[last], m = cs[p]
    let sa = st[0][last], sb = st[1][last], ca = st[0][p], cb = st[1][p]
    let side = transposedTileSide
    func tiles(_ oa: Int, _ ob: Int) {
        var q = 0
        while q < m {
            let rows = Swift.min(side, m - q)
            var i = 0
            while i < n {
                let count = Swift.min(side, n - i)
                body(oa + q * ca + i * sa, ob + q * cb + i * sb, count, sa, sb, rows, ca, cb)
                i += side
            }
            q += side
        }
    }
    let outer = (0..<last).filter { $0 != p }
    if outer.isEmpty {
        tiles(a.offset, b.offset)
        return true
    }
    // walkOuter walks all but its last dimension: give it the outer dimensions and a dummy.
    let sizes = outer.map { cs[$0] } + [1]
    let strides = [outer.map { st[0][$0] } + [0], outer.map { st[1][$0] } + [0]]
    walkOuter(rank: outer.count + 1, operands: 2, sizes: sizes, strides: strides, start: (a.offset, b.offset, 0)) { oa, ob, _ in
        tiles(oa, ob)
    }
    return true
}
