
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of random numbers: PyTorch's CPU generator (`torch.Generator()`), a Mersenne
/// Twister whose streams match PyTorch's draw for draw.
///
/// Every random op takes `generator: Generator? = nil`; `nil` means ``defaultGenerator``,
/// which ``manualSeed(_:)-(UInt64)`` seeds. A generator may be shared between threads: each op
/// holds the generator's lock for all of its draws, so one op's numbers are one unbroken
/// piece of the stream, as in PyTorch.
///
/// ```swift
/// let g = Generator().manualSeed(0)
/// Tensor.rand(3, generator: g)   // [0.4963, 0.7682, 0.0885], as torch.rand(3, generator=g)
/// ```
public final class Generator: Sendable {
    /// PyTorch's seed for a new `torch.Generator()` (`default_rng_seed_val`).
    public static let defaultSeed: UInt64 = 67_280_421_310_721

    /// The byte count of a saved state (`torch.get_rng_state().numel()`).
    public static let stateByteCount = 5056

    private let state: Locked<MT19937State>

    /// A generator seeded with `seed` (PyTorch's default for `torch.Generator()`).
    public init(seed: UInt64 = Generator.defaultSeed) {
        state = Locked(MT19937State(seed: seed))
    }

    /// Reseeds (`g.manual_seed(seed)`): the stream restarts and the cached normal is dropped.
    @discardableResult
    public func manualSeed(_ seed: UInt64) -> Generator {
        state.withLock { $0 = MT19937State(seed: seed) }
        return self
    }

    /// Reseeds with a signed seed; negative seeds wrap as two's complement, as in PyTorch.
    @discardableResult
    public func manualSeed(_ seed: Int) -> Generator {
        manualSeed(UInt64(bitPattern: Int64(seed)))
    }

    /// Reseeds from the operating system's entropy and returns the seed used (`g.seed()`).
    @discardableResult
    public func seed() -> UInt64 {
        let fresh = nondeterministicSeed()
        manualSeed(fresh)
        return fresh
    }

    /// The seed the current stream started from (`g.initial_seed()`).
    public var initialSeed: UInt64 {
        state.withLock { $0.seed }
    }

    /// The device whose random numbers this generator makes.
    public var device: Device { .cpu }

    /// One raw 32-bit draw from the stream (what `random_()` builds on).
    public func random32() -> UInt32 {
        draw { $0.next32() }
    }

    /// One raw 64-bit draw: two 32-bit draws, the first as the high half.
    public func random64() -> UInt64 {
        draw { $0.next64() }
    }

    /// An independent generator in the same state (`g.clone_state()`).
    public func clone() -> Generator {
        let copy = Generator()
        let snapshot = state.withLock { $0 }
        copy.state.withLock { $0 = snapshot }
        return copy
    }

    /// The whole state as the bytes `torch.Generator.get_state()` returns, in the same layout
    /// (little-endian `CPUGeneratorImplState`), so states move between SwiftTorch and PyTorch.
    public func getState() -> [UInt8] {
        let s = state.withLock { $0 }
        var out = [UInt8](repeating: 0, count: Generator.stateByteCount)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: s.seed.littleEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: Int32(s.left).littleEndian, toByteOffset: 8, as: Int32.self)
            raw.storeBytes(of: Int32(1).littleEndian, toByteOffset: 12, as: Int32.self)
            raw.storeBytes(of: UInt64(s.next).littleEndian, toByteOffset: 16, as: UInt64.self)
            for (i, w) in s.words.enumerated() {
                raw.storeBytes(of: UInt64(w).littleEndian, toByteOffset: 24 + 8 * i, as: UInt64.self)
            }
            if let y = s.nextDoubleNormal {
                raw.storeBytes(of: y.bitPattern.littleEndian, toByteOffset: 5024, as: UInt64.self)
                raw.storeBytes(of: Int32(1).littleEndian, toByteOffset: 5040, as: Int32.self)
            }
            if let f = s.nextFloatNormal {
                raw.storeBytes(of: f.bitPattern.littleEndian, toByteOffset: 5048, as: UInt32.self)
                raw.storeBytes(of: UInt8(1), toByteOffset: 5052, as: UInt8.self)
            }
        }
        return out
    }

    /// Restores a state from ``getState()`` or from PyTorch's `get_state()` bytes.
    ///
    /// - Throws: ``TorchError`` when the bytes are not a valid state (wrong size, or an
    ///   engine position PyTorch would reject), leaving the generator unchanged.
    public func setState(_ bytes: [UInt8]) throws {
        guard bytes.count == Generator.stateByteCount else {
            throw TorchError("Expected a CPUGeneratorImplState of size \(Generator.stateByteCount) but found the input RNG state size to be \(bytes.count)")
        }
        let restored: MT19937State = bytes.withUnsafeBytes { raw in
            func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            func i32(_ at: Int) -> Int32 { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int32.self)) }
            var s = MT19937State(seed: u64(0))
            s.left = Int(i32(8))
            s.next = Int(UInt32(truncatingIfNeeded: u64(16)))
            for i in 0..<mtStateSize { s.words[i] = UInt32(truncatingIfNeeded: u64(24 + 8 * i)) }
            s.nextDoubleNormal = i32(5040) != 0 ? Double(bitPattern: u64(5024)) : nil
            let floatBits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 5048, as: UInt32.self))
            s.nextFloatNormal = raw[5052] != 0 ? Float(bitPattern: floatBits) : nil
            return s
        }
        let seeded = bytes.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: Int32.self)) }
        guard seeded != 0, restored.left > 0, restored.left <= mtStateSize, restored.next <= mtStateSize else {
            throw TorchError("Invalid mt19937 state")
        }
        state.withLock { $0 = restored }
    }

    /// Runs `body` with the stream open for drawing, under the generator's lock: every draw
    /// an op makes happens inside one call, so concurrent ops never interleave draws.
    @inline(__always)
    func draw<R: Sendable>(_ body: (inout RandomCursor) throws -> R) rethrows -> R {
        try state.withLock { s in try s.withCursor(body) }
    }
}

/// The generator random ops use when given none (`torch.default_generator`), seeded from
/// the operating system at first use, as PyTorch seeds its own at start-up.
public let defaultGenerator = Generator(seed: nondeterministicSeed())

/// A task-local stand-in for the default generator (see ``withDefaultGenerator(_:_:)``).
private enum GeneratorOverride {
    @TaskLocal static var current: Generator?
}

/// The generator random ops draw from when given none: the task's stand-in if one is set,
/// else ``defaultGenerator``.
var currentDefaultGenerator: Generator { GeneratorOverride.current ?? defaultGenerator }

/// Runs `body` with `generator` standing in for the default generator in this task (and
/// the tasks it creates): every random op, initialiser and `manualSeed` inside draws from
/// or seeds it. Lets concurrent code (tests running in parallel, data-loading threads)
/// reproduce PyTorch's seeded sequences without sharing one global stream. SwiftTorch only: PyTorch
/// has no counterpart (its default generator is process-wide; `torch.random.fork_rng` is the
/// nearest).
public func withDefaultGenerator<R>(_ generator: Generator, _ body: () throws -> R) rethrows -> R {
    try GeneratorOverride.$current.withValue(generator, operation: body)
}

/// Runs async `body` with `generator` standing in for the default generator in this task
/// and the child tasks it creates (a task group's tasks all draw from it, each draw taking a
/// whole block of its stream under its lock). SwiftTorch only: PyTorch has no counterpart (its
/// default generator is process-wide; `torch.random.fork_rng` is the nearest).
public func withDefaultGenerator<R>(_ generator: Generator, _ body: () async throws -> R) async rethrows -> R {
    try await GeneratorOverride.$current.withValue(generator, operation: body)
}

/// Seeds the default generator (`torch.manual_seed`) and returns it.
@discardableResult
public func manualSeed(_ seed: UInt64) -> Generator {
    currentDefaultGenerator.manualSeed(seed)
}

/// Seeds the default generator with a signed seed (negative seeds wrap, as in PyTorch)
/// (`torch.manual_seed`).
@discardableResult
public func manualSeed(_ seed: Int) -> Generator {
    currentDefaultGenerator.manualSeed(seed)
}

/// Reseeds the default generator nondeterministically and returns the seed (`torch.seed()`).
@discardableResult
public func seed() -> UInt64 {
    currentDefaultGenerator.seed()
}

/// The seed of the default generator's current stream (`torch.initial_seed()`).
public func initialSeed() -> UInt64 {
    currentDefaultGenerator.initialSeed
}

/// The default generator's state as bytes (`torch.get_rng_state()`).
public func getRngState() -> [UInt8] {
    currentDefaultGenerator.getState()
}

/// Restores the default generator's state (`torch.set_rng_state`).
///
/// - Throws: ``TorchError`` for bytes that are not a generator state.
public func setRngState(_ state: [UInt8]) throws {
    try currentDefaultGenerator.setState(state)
}

/// A seed from the operating system's entropy pool, as PyTorch's
/// `getNonDeterministicRandom` reads one from `/dev/urandom`.
func nondeterministicSeed() -> UInt64 {
    var rng = SystemRandomNumberGenerator()
    return rng.next()
}
