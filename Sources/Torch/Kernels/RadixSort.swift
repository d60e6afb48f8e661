/// Least-significant-digit radix sort of unsigned keys, optionally carrying a 32-bit payload
/// (the positions `sort` returns).
///
/// Why not the standard library's sort: a comparison sort of a million keys moves each
/// about twenty times through unpredictable branches; this sort reads the keys once to
/// count every digit, then moves each key once per 11-bit digit that is not the same for
/// all keys (float32 keys: at most three moves; int64 values in a small range: two). It
/// is stable, so equal keys keep their positions' order, as PyTorch's stable sort does.

/// Bits per digit: 2048 counters per digit fit in L1 next to the streams being moved.
private let radixDigitBits = 11
private let radixBuckets = 1 << radixDigitBits

/// Sorts `keys[0..<count]` (only the low `bits` bits may be set) and moves `payload` with
/// them. `keyScratch` and `payloadScratch` hold `count` elements each. Returns `true` when
/// the sorted result ended in the scratch buffers (an odd number of moves), `false` when
/// it is in `keys`/`payload`.
func radixSort<Key: FixedWidthInteger & UnsignedInteger>(
    keys: UnsafeMutablePointer<Key>, payload: UnsafeMutablePointer<UInt32>?, count: Int, bits: Int,
    keyScratch: UnsafeMutablePointer<Key>, payloadScratch: UnsafeMutablePointer<UInt32>?
) -> Bool {
    guard count > 1 else { return false }
    let digits = Swift.max(1, (bits + radixDigitBits - 1) / radixDigitBits)
    let mask = Key(radixBuckets - 1)
    // One read of the keys counts every digit at once.
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: digits * radixBuckets)
    defer { counts.deallocate() }
    counts.initialize(repeating: 0, count: digits * radixBuckets)
    for i in 0..<count {
        var key = keys[i]
        for d in 0..<digits {
            counts[d * radixBuckets + Int(truncatingIfNeeded: key & mask)] += 1
            key >>= radixDigitBits
        }
    }
    var source = (keys: keys, payload: payload), target = (keys: keyScratch, payload: payloadScratch)
    var inScratch = false
    for d in 0..<digits {
        let histogram = counts + d * radixBuckets
        // A digit every key shares moves nothing.
        if histogram[Int(truncatingIfNeeded: (source.keys[0] >> (d * radixDigitBits)) & mask)] == count { continue }
        var offset = 0
        for b in 0..<radixBuckets {
            let c = histogram[b]
            histogram[b] = offset
            offset += c
        }
        let shift = d * radixDigitBits
        // Two copies of the move loop, with and without the payload: the check stays out of
        // the loop that runs a million times per digit.
        if let from = source.payload, let to = target.payload {
            for i in 0..<count {
                let key = source.keys[i]
                let b = Int(truncatingIfNeeded: (key >> shift) & mask)
                let slot = histogram[b]
                histogram[b] = slot + 1
                target.keys[slot] = key
                to[slot] = from[i]
            }
        } else {
            for i in 0..<count {
                let key = source.keys[i]
                let b = Int(truncatingIfNeeded: (key >> shift) & mask)
                let slot = histogram[b]
                histogram[b] = slot + 1
                target.keys[slot] = key
            }
        }
        swap(&source, &target)
        inScratch.toggle()
    }
    return inScratch
}
