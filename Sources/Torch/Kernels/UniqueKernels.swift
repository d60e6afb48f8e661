/// The distinct values of integer tensors (`torch.unique` with `sorted`), without a
/// general sort where the values' range allows.
///
/// Values spanning a range no wider than the element count (or 65536) are counted in a
/// table indexed by value — one pass to find the range, one to count, one over the table —
/// as a histogram; wider ranges are radix-sorted (`RadixSort.swift`), which touches the
/// elements once per 11-bit digit in which they differ.

/// The distinct elements of the dense int64 tensor `x` in increasing order, how often each
/// occurs, and (with `inverse`) for each element the position of its value among them
/// (shaped as `x`).
func uniqueIntegersKernel(_ x: Tensor, inverse wantInverse: Bool) -> (values: Tensor, inverse: Tensor?, counts: Tensor) {
    let count = x.numel
    let src = x.pointer(as: Int64.self)
    guard count <= Int(UInt32.max) else {
        torchFatal("RuntimeError: unique: more than \(UInt32.max) elements are not supported")
    }
    guard count > 0 else {
        let empty = Tensor(uninitializedShape: [0], dtype: .int64, zeroed: false)
        return (empty, wantInverse ? Tensor(uninitializedShape: x.shape, dtype: .int64, zeroed: false) : nil, empty)
    }
    var low = src[0], high = src[0]
    for i in 1..<count {
        let v = src[i]
        low = Swift.min(low, v)
        high = Swift.max(high, v)
    }
    // The width as unsigned: `high - low` can exceed Int64.max.
    let width = UInt64(bitPattern: high) &- UInt64(bitPattern: low)
    if width < UInt64(Swift.max(count, 1 << 16)) {
        return countedUnique(src, count: count, low: low, slots: Int(width) + 1, shape: wantInverse ? x.shape : nil)
    }
    return sortedUnique(src, count: count, shape: wantInverse ? x.shape : nil)
}

/// `unique` by a table of `slots` counters, slot `v - low` counting value `v`.
private func countedUnique(_ src: UnsafePointer<Int64>, count: Int, low: Int64, slots: Int, shape: [Int]?)
    -> (values: Tensor, inverse: Tensor?, counts: Tensor) {
    let table = UnsafeMutablePointer<Int64>.allocate(capacity: slots)
    defer { table.deallocate() }
    table.initialize(repeating: 0, count: slots)
    for i in 0..<count { table[Int(src[i] &- low)] += 1 }
    var distinct = 0
    for s in 0..<slots where table[s] != 0 { distinct += 1 }
    let values = Tensor(uninitializedShape: [distinct], dtype: .int64, zeroed: false)
    let counts = Tensor(uninitializedShape: [distinct], dtype: .int64, zeroed: false)
    let v = values.pointer(as: Int64.self), c = counts.pointer(as: Int64.self)
    var next = 0
    for s in 0..<slots where table[s] != 0 {
        v[next] = low &+ Int64(s)
        c[next] = table[s]
        // The slot now holds its value's rank, for the inverse.
        table[s] = Int64(next)
        next += 1
    }
    guard let shape else { return (values, nil, counts) }
    let inverse = Tensor(uninitializedShape: shape, dtype: .int64, zeroed: false)
    let out = inverse.pointer(as: Int64.self)
    for i in 0..<count { out[i] = table[Int(src[i] &- low)] }
    return (values, inverse, counts)
}

/// `unique` by a radix sort of the values (with their positions when the inverse is asked
/// for), then one pass over runs of equal values.
private func sortedUnique(_ src: UnsafePointer<Int64>, count: Int, shape: [Int]?) -> (values: Tensor, inverse: Tensor?, counts: Tensor) {
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * count)
    defer { keys.deallocate() }
    let positions: UnsafeMutablePointer<UInt32>? = shape == nil ? nil : .allocate(capacity: 2 * count)
    defer { positions?.deallocate() }
    for i in 0..<count {
        keys[i] = src[i].sortKey
        positions?[i] = UInt32(truncatingIfNeeded: i)
    }
    let inScratch = radixSort(keys: keys, payload: positions, count: count, bits: 64,
                              keyScratch: keys + count, payloadScratch: positions.map { $0 + count })
    let sorted = inScratch ? keys + count : keys
    let order = inScratch ? positions.map { $0 + count } : positions
    var distinct = 1
    for i in 1..<count where sorted[i] != sorted[i - 1] { distinct += 1 }
    let values = Tensor(uninitializedShape: [distinct], dtype: .int64, zeroed: false)
    let counts = Tensor(uninitializedShape: [distinct], dtype: .int64, zeroed: false)
    let inverse = shape.map { Tensor(uninitializedShape: $0, dtype: .int64, zeroed: false) }
    let v = values.pointer(as: Int64.self), c = counts.pointer(as: Int64.self)
    let inv = inverse?.pointer(as: Int64.self)
    var run = -1
    for i in 0..<count {
        if i == 0 || sorted[i] != sorted[i - 1] {
            run += 1
            // The key is the value with its sign bit flipped.
            v[run] = Int64(bitPattern: sorted[i] ^ (1 << 63))
            c[run] = 0
        }
        c[run] += 1
        if let inv, let order { inv[Int(order[i])] = Int64(run) }
    }
    return (values, inverse, counts)
}
