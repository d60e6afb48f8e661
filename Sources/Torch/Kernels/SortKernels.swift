/// Sorting along one dimension: each line of `x` along `dim` is ordered with a stable sort
/// (equal elements keep their order, as PyTorch's CPU sort does), NaN counting as larger
/// than every number (so it comes last ascending, first descending, as in PyTorch).
///
/// Every element becomes an unsigned key whose order is the element order, so one sort
/// serves every dtype: long lines by radix sort (`RadixSort.swift`), short ones by
/// comparing keys, and `topk`'s few best by a bounded heap.

/// An element with an unsigned key in PyTorch's sort order.
protocol SortKeyed {
    /// How many low bits `sortKey` may set.
    static var sortKeyBits: Int { get }
    /// A key whose order is the elements' order: NaN largest, -0 equal to +0 (the tie then
    /// goes by position, as PyTorch's stable sort has it).
    var sortKey: UInt64 { get }
}

extension Float: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 32 }
    @inline(__always) var sortKey: UInt64 {
        let bits = self == 0 ? 0 : bitPattern
        // Negative numbers order backwards by their bits (all bits flipped); positive ones
        // above all negatives (the sign bit set). Selects, not branches: the data decide.
        let flipped = bits ^ (UInt32(bitPattern: Int32(bitPattern: bits) >> 31) | 0x8000_0000)
        return UInt64(isNaN ? 0xFFFF_FFFF : flipped)
    }
}
extension Double: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 64 }
    @inline(__always) var sortKey: UInt64 {
        if isNaN { return .max }
        let bits = self == 0 ? 0 : bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }
}
extension Float16: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 32 }
    @inline(__always) var sortKey: UInt64 { Float(self).sortKey }
}
extension BFloat16: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 32 }
    @inline(__always) var sortKey: UInt64 { floatValue.sortKey }
}
extension Int64: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 64 }
    @inline(__always) var sortKey: UInt64 { UInt64(bitPattern: self) ^ (1 << 63) }
}
extension Int32: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 32 }
    @inline(__always) var sortKey: UInt64 { UInt64(UInt32(bitPattern: self) ^ 0x8000_0000) }
}
extension Int16: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 16 }
    @inline(__always) var sortKey: UInt64 { UInt64(UInt16(bitPattern: self) ^ 0x8000) }
}
extension Int8: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 8 }
    @inline(__always) var sortKey: UInt64 { UInt64(UInt8(bitPattern: self) ^ 0x80) }
}
extension UInt8: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 8 }
    @inline(__always) var sortKey: UInt64 { UInt64(self) }
}
extension Bool: SortKeyed {
    @inline(__always) static var sortKeyBits: Int { 1 }
    @inline(__always) var sortKey: UInt64 { self ? 1 : 0 }
}

/// The permutation that sorts each line of `x` along `dim`: an int64 tensor of `x`'s
/// shape holding, at position `i` of each line, the index of the `i`-th element in order.
/// With `limit` (for `topk`) each line holds only its first `limit` positions.
func sortIndicesKernel(_ x: Tensor, dim: Int, descending: Bool, limit: Int? = nil) -> Tensor {
    let input = x.denseForKernel
    let size = x.dim == 0 ? 1 : x.shape[dim]
    guard size <= Int(UInt32.max) else {
        torchFatal("RuntimeError: sort: lines of more than \(UInt32.max) elements are not supported")
    }
    let keep = Swift.min(limit ?? size, size)
    var outShape = x.shape
    if x.dim > 0 { outShape[dim] = keep }
    let out = Tensor(uninitializedShape: outShape, dtype: .int64, zeroed: false)
    guard x.numel > 0, keep > 0 else { return out }
    input.dtype.dispatch(SortVisitor(x: input, dim: dim, size: size, keep: keep, descending: descending, out: out))
    return out
}

/// A key with its position; ordered by key, then position (which makes every sort stable).
private struct SortEntry<Key: FixedWidthInteger & UnsignedInteger>: Comparable {
    var key: Key
    var position: UInt32
    @inline(__always)
    static func < (a: SortEntry, b: SortEntry) -> Bool {
        a.key != b.key ? a.key < b.key : a.position < b.position
    }
}

/// Lines from this long sort by radix; shorter ones by comparing entries (the radix sort's
/// 2048 counters per digit cost more than the comparisons there).
private let radixSortMinimumLine = 256

private struct SortVisitor: DTypeVisitor {
    let x: Tensor, dim: Int, size: Int, keep: Int, descending: Bool, out: Tensor

    func visit<T: ExtremumElement>(_: T.Type) {
        // Keys of up to 32 bits sort as UInt32: half the memory traffic of UInt64.
        if T.sortKeyBits <= 32 { sortLines(T.self, UInt32.self) } else { sortLines(T.self, UInt64.self) }
    }

    private func sortLines<T: ExtremumElement, Key: FixedWidthInteger & UnsignedInteger>(_: T.Type, _: Key.Type) {
        let size = self.size, keep = self.keep
        let inner = x.dim == 0 ? 1 : x.shape[(dim + 1)...].reduce(1, *)
        let lines = x.numel / size
        let src = x.pointer(as: T.self), dst = out.pointer(as: Int64.self)
        // Descending order is ascending order of the complemented keys (still stable).
        let flip: Key = descending ? Key(truncatingIfNeeded: T.sortKeyBits >= 64 ? UInt64.max : (UInt64(1) << T.sortKeyBits) - 1) : 0
        let bits = T.sortKeyBits
        @inline(__always) func key(_ line: UnsafePointer<T>, _ k: Int) -> Key {
            Key(truncatingIfNeeded: line[k * inner].sortKey) ^ flip
        }
        @inline(__always) func lineStart(_ line: Int) -> (input: Int, output: Int) {
            let o = line / inner, i = line % inner
            return (o * size * inner + i, o * keep * inner + i)
        }
        if keep < size && lines < availableCores && size >= 1 << 16 && size >= 8 * availableCores * keep {
            // `topk` of a few long lines: each core keeps the best of a slice of the line.
            for line in 0..<lines {
                let (input, output) = lineStart(line)
                let parts = availableCores
                var candidates = [[SortEntry<Key>]](repeating: [], count: parts)
                candidates.withUnsafeMutableBufferPointer { slots in
                    let slotsBase = slots.baseAddress!
                    parallelFor(parts) { p in
                        slotsBase[p] = bestEntries(keep, line: src + input, stride: inner, from: size * p / parts,
                                                   to: size * (p + 1) / parts, flip: flip)
                    }
                }
                var merged = candidates.flatMap { $0 }
                merged.sort()
                for k in 0..<keep { dst[output + k * inner] = Int64(merged[k].position) }
            }
            return
        }
        forEachRange(lines, work: x.numel * 4) { start, end in
            if keep < size {
                for line in start..<end {
                    let (input, output) = lineStart(line)
                    let best = bestEntries(keep, line: src + input, stride: inner, from: 0, to: size, flip: flip)
                    for k in 0..<keep { dst[output + k * inner] = Int64(best[k].position) }
                }
                return
            }
            if size < radixSortMinimumLine {
                var entries = [SortEntry<Key>](repeating: SortEntry(key: 0, position: 0), count: size)
                for line in start..<end {
                    let (input, output) = lineStart(line)
                    for k in 0..<size { entries[k] = SortEntry(key: key(src + input, k), position: UInt32(k)) }
                    entries.sort()
                    for k in 0..<size { dst[output + k * inner] = Int64(entries[k].position) }
                }
                return
            }
            // Keys and positions with their scratch halves, from the caching allocator: a
            // fresh allocation of this size would be new pages the kernel must fault in and
            // clear on every call.
            let scratch = Tensor(uninitializedShape: [2 * size * (MemoryLayout<Key>.stride + 4)], dtype: .uint8, zeroed: false)
            defer { withExtendedLifetime(scratch) {} }
            let raw = UnsafeMutableRawPointer(scratch.pointer(as: UInt8.self))
            let keys = raw.bindMemory(to: Key.self, capacity: 2 * size)
            let positions = (raw + 2 * size * MemoryLayout<Key>.stride).bindMemory(to: UInt32.self, capacity: 2 * size)
            for line in start..<end {
                let (input, output) = lineStart(line)
                for k in 0..<size {
                    keys[k] = key(src + input, k)
                    positions[k] = UInt32(truncatingIfNeeded: k)
                }
                let inScratch = radixSort(keys: keys, payload: positions, count: size, bits: bits,
                                          keyScratch: keys + size, payloadScratch: positions + size)
                let sorted = inScratch ? positions + size : positions
                for k in 0..<size { dst[output + k * inner] = Int64(sorted[k]) }
            }
        }
    }
}

/// The `keep` smallest entries (by key, complemented by `flip`) among the positions
/// `from..<to` of the line at `line` (elements `stride` apart), in order: a max-heap of the
/// best seen so far, whose worst key most elements of a long line are compared against once
/// and rejected.
private func bestEntries<T: SortKeyed, Key: FixedWidthInteger & UnsignedInteger>(
    _ keep: Int, line: UnsafePointer<T>, stride: Int, from: Int, to: Int, flip: Key
) -> [SortEntry<Key>] {
    let keep = Swift.min(keep, to - from)
    guard keep > 0 else { return [] }
    @inline(__always) func key(_ j: Int) -> Key { Key(truncatingIfNeeded: line[j * stride].sortKey) ^ flip }
    var heap = (from..<(from + keep)).map { SortEntry(key: key($0), position: UInt32(truncatingIfNeeded: $0)) }
    heap.withUnsafeMutableBufferPointer { heap in
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var largest = i
                if l < keep && heap[largest] < heap[l] { largest = l }
                if r < keep && heap[largest] < heap[r] { largest = r }
                if largest == i { return }
                heap.swapAt(i, largest)
                i = largest
            }
        }
        for i in Swift.stride(from: keep / 2 - 1, through: 0, by: -1) { siftDown(i) }
        var worst = heap[0].key
        for j in (from + keep)..<to {
            // Later positions lose ties, so only a strictly smaller key enters.
            let k = key(j)
            if k < worst {
                heap[0] = SortEntry(key: k, position: UInt32(truncatingIfNeeded: j))
                siftDown(0)
                worst = heap[0].key
            }
        }
    }
    heap.sort()
    return heap
}
