/// The Mersenne Twister (mt19937) exactly as PyTorch's CPU generator runs it
/// (`at::mt19937`): the same seeding (only the low 32 bits of the seed enter the state),
/// the same lazy regeneration (the first draw after seeding regenerates the block) and the
/// same `left`/`next` bookkeeping, so a state saved by `torch.get_rng_state()` continues here
/// where PyTorch would.

/// Words in the twister's state.
let mtStateSize = 624
/// The twister's middle offset.
private let mtShift = 397

/// The twister's state as PyTorch stores it, plus the caches of the Box-Muller pair that
/// scalar normal sampling leaves behind.
struct MT19937State: Sendable {
    /// The seed the state grew from (`initial_seed()`), all 64 bits of it.
    var seed: UInt64
    /// Draws left before the block is regenerated, 1...624 (1 right after seeding).
    var left: Int
    /// Index of the next word to temper.
    var next: Int
    /// The 624 state words.
    var words: [UInt32]
    /// The second normal of the last scalar Box-Muller pair, if not yet used.
    var nextDoubleNormal: Double?
    /// PyTorch keeps a float cache too; no CPU kernel fills it today, but states carry it.
    var nextFloatNormal: Float?

    /// Seeds like `mt19937(seed)`: Knuth's initialiser over the low 32 bits.
    init(seed: UInt64) {
        self.seed = seed
        var words = [UInt32](repeating: 0, count: mtStateSize)
        words[0] = UInt32(truncatingIfNeeded: seed)
        for j in 1..<mtStateSize {
            let prev = words[j - 1]
            words[j] = 1_812_433_253 &* (prev ^ (prev >> 30)) &+ UInt32(j)
        }
        self.words = words
        self.left = 1
        self.next = 0
    }

    /// Runs `body` with a cursor over this state; the cursor's progress is kept after.
    @inline(__always)
    mutating func withCursor<R>(_ body: (inout RandomCursor) throws -> R) rethrows -> R {
        var cursor = RandomCursor(words: UnsafeMutablePointer(bitPattern: 8)!, left: left, next: next,
                                  nextDoubleNormal: nextDoubleNormal)
        let result = try words.withUnsafeMutableBufferPointer { buffer in
            cursor.words = buffer.baseAddress!
            return try body(&cursor)
        }
        left = cursor.left
        next = cursor.next
        nextDoubleNormal = cursor.nextDoubleNormal
        return result
    }
}

/// A generator's state opened for drawing: kernels take one draw at a time from here while
/// the generator's lock is held, with no array or lock traffic per draw.
struct RandomCursor {
    /// The 624 state words (valid only inside ``MT19937State/withCursor(_:)``).
    var words: UnsafeMutablePointer<UInt32>
    var left: Int
    var next: Int
    /// The cached second normal of scalar Box-Muller (`next_double_normal_sample`).
    var nextDoubleNormal: Double?

    /// One tempered 32-bit word (`CPUGeneratorImpl::random()`).
    @inline(__always)
    mutating func next32() -> UInt32 {
        left -= 1
        if left == 0 { regenerate() }
        var y = words[next]
        next += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Two words, the first as the high half (`CPUGeneratorImpl::random64()`).
    @inline(__always)
    mutating func next64() -> UInt64 {
        let hi = UInt64(next32())
        let lo = UInt64(next32())
        return hi << 32 | lo
    }

    /// Regenerates all 624 words in place and restarts at word 0.
    @inline(never)
    mutating func regenerate() {
        @inline(__always) func twist(_ u: UInt32, _ v: UInt32) -> UInt32 {
            let mixed = (u & 0x8000_0000) | (v & 0x7FFF_FFFF)
            return (mixed >> 1) ^ ((v & 1) != 0 ? 0x9908_B0DF : 0)
        }
        let p = words
        for k in 0..<(mtStateSize - mtShift) {
            p[k] = p[k + mtShift] ^ twist(p[k], p[k + 1])
        }
        for k in (mtStateSize - mtShift)..<(mtStateSize - 1) {
            p[k] = p[k + mtShift - mtStateSize] ^ twist(p[k], p[k + 1])
        }
        p[mtStateSize - 1] = p[mtShift - 1] ^ twist(p[mtStateSize - 1], p[0])
        left = mtStateSize
        next = 0
    }
}
