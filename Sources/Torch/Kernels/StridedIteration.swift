/// Strided iteration shared by every elementwise kernel: walks a shape once, handing the
/// innermost run of each operand to a loop body so that body can be a tight raw-pointer loop.
///
/// Dimensions are coalesced first (two neighbouring dims merge when every operand steps
/// through them as one), so a contiguous tensor of any rank is walked as one flat run.

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

/// Walks `shape` for two operands; `body(offsetA, offsetB, count, strideA, strideB)` is
/// called once per innermost run with element offsets into each operand's storage.
@inline(__always)
func forEachRun2(
    shape: [Int], _ a: OperandStrides, _ b: OperandStrides,
    _ body: (Int, Int, Int, Int, Int) -> Void
) {
    if shape.contains(0) { return }
    let (cs, st) = coalesceDimensions(shape: shape, strides: [a.strides, b.strides])
    let rank = cs.count
    let inner = cs[rank - 1]
    let sa = st[0][rank - 1], sb = st[1][rank - 1]
    if rank == 1 { body(a.offset, b.offset, inner, sa, sb); return }
    var index = [Int](repeating: 0, count: rank - 1)
    var oa = a.offset, ob = b.offset
    while true {
        body(oa, ob, inner, sa, sb)
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            oa += st[0][d]; ob += st[1][d]
            if index[d] < cs[d] { break }
            oa -= st[0][d] * cs[d]; ob -= st[1][d] * cs[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// Walks `shape` for three operands (typically output, left input, right input).
@inline(__always)
func forEachRun3(
    shape: [Int], _ a: OperandStrides, _ b: OperandStrides, _ c: OperandStrides,
    _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void
) {
    if shape.contains(0) { return }
    let (cs, st) = coalesceDimensions(shape: shape, strides: [a.strides, b.strides, c.strides])
    let rank = cs.count
    let inner = cs[rank - 1]
    let sa = st[0][rank - 1], sb = st[1][rank - 1], sc = st[2][rank - 1]
    if rank == 1 { body(a.offset, b.offset, c.offset, inner, sa, sb, sc); return }
    var index = [Int](repeating: 0, count: rank - 1)
    var oa = a.offset, ob = b.offset, oc = c.offset
    while true {
        body(oa, ob, oc, inner, sa, sb, sc)
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            oa += st[0][d]; ob += st[1][d]; oc += st[2][d]
            if index[d] < cs[d] { break }
            oa -= st[0][d] * cs[d]; ob -= st[1][d] * cs[d]; oc -= st[2][d] * cs[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// Walks `shape` for one operand.
@inline(__always)
func forEachRun1(shape: [Int], _ a: OperandStrides, _ body: (Int, Int, Int) -> Void) {
    forEachRun2(shape: shape, a, a) { oa, _, n, sa, _ in body(oa, n, sa) }
}
