#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A caching allocator for tensor memory.
///
/// Large buffers from the C allocator come straight from `mmap`, so every fresh 40 MB
/// tensor pays its page faults again (16–18 ms here). Freed buffers of 64 KiB and more are
/// kept in size classes (four per power of two, so at most ~19% is wasted) and handed out
/// again; the cache holds at most `maxCachedBytes` so a loop does not hoard memory.
/// Small buffers come from `malloc`, over-allocated by the alignment and aligned by hand:
/// glibc's `posix_memalign` skips its per-thread cache and splits a chunk on every call
/// (~590 instructions a call in a callgrind profile of a one-element `a + b`, 220 ns
/// against 51 ns for `malloc` plus the alignment in a C loop here), and a tensor of a few
/// elements paid that on every op.
final class CPUAllocator: Sendable {
    /// The process-wide allocator.
    static let shared = CPUAllocator()

    /// Buffers below this size bypass the cache: they come from `malloc`, aligned by hand.
    static let minimumCachedSize = 64 * 1024
    /// Alignment of every buffer, in bytes (AVX-512 loads want 64).
    static let alignment = 64

    /// A parked buffer; only the allocator's lock ever touches it.
    private struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private struct State {
        var free: [Int: [Buffer]] = [:]
        var cachedBytes = 0
    }

    private let state = Locked(State())
    /// Upper bound on bytes parked in the cache.
    let maxCachedBytes: Int

    init(maxCachedBytes: Int = 1 << 30) {
        self.maxCachedBytes = maxCachedBytes
    }

    /// The size actually allocated for a request of `bytes`.
    static func sizeClass(for bytes: Int) -> Int {
        if bytes < minimumCachedSize { return max(bytes, 1) }
        // Four classes per octave: round up to a multiple of 2^(floor(log2)-2).
        let shift = (Int.bitWidth - 1 - bytes.leadingZeroBitCount) - 2
        let step = 1 << shift
        return (bytes + step - 1) & ~(step - 1)
    }

    /// Returns a 64-byte-aligned buffer of at least `bytes` bytes and its size class.
    func allocate(_ bytes: Int) -> (UnsafeMutableRawPointer, Int) {
        let size = Self.sizeClass(for: bytes)
        if size < Self.minimumCachedSize { return (Self.allocateSmall(size, requested: bytes), size) }
        let reused: Buffer? = state.withLock { s in
            guard var list = s.free[size], let b = list.popLast() else { return nil }
            s.free[size] = list
            s.cachedBytes -= size
            return b
        }
        if let reused { return (reused.pointer, size) }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, Self.alignment, size) == 0, let raw else {
            Self.allocationFailed(bytes)
        }
        return (raw, size)
    }

    /// A small buffer: `malloc`'s block, at least `alignment` bytes longer than asked, with
    /// the buffer starting at the first aligned address past the block's start and the
    /// block's own address stored in the 8 bytes before it (`malloc` aligns to 16 or at
    /// least 8, so those bytes always lie inside the block).
    private static func allocateSmall(_ size: Int, requested bytes: Int) -> UnsafeMutableRawPointer {
        guard let block = malloc(size + alignment) else {
            allocationFailed(bytes)
        }
        let aligned = (Int(bitPattern: block) + alignment) & ~(alignment - 1)
        let buffer = UnsafeMutableRawPointer(bitPattern: aligned)!
        buffer.storeBytes(of: block, toByteOffset: -MemoryLayout<UnsafeMutableRawPointer>.size,
                          as: UnsafeMutableRawPointer.self)
        return buffer
    }

    /// PyTorch's out-of-memory error, for either way of allocating.
    private static func allocationFailed(_ bytes: Int) -> Never {
        torchFatal("RuntimeError: DefaultCPUAllocator: can't allocate memory: you tried to allocate \(bytes) bytes.")
    }

    /// Takes back a buffer from ``allocate(_:)``.
    func deallocate(_ pointer: UnsafeMutableRawPointer, sizeClass size: Int) {
        if size < Self.minimumCachedSize {
            free(pointer.load(fromByteOffset: -MemoryLayout<UnsafeMutableRawPointer>.size,
                              as: UnsafeMutableRawPointer.self))
            return
        }
        let buffer = Buffer(pointer: pointer)
        let kept = state.withLock { s -> Bool in
            guard s.cachedBytes + size <= maxCachedBytes else { return false }
            s.free[size, default: []].append(buffer)
            s.cachedBytes += size
            return true
        }
        if !kept { free(pointer) }
    }

    /// Returns every cached buffer to the system (`torch.cuda.empty_cache`'s CPU analogue).
    func emptyCache() {
        let buffers = state.withLock { s -> [Buffer] in
            let all = s.free.values.flatMap { $0 }
            s.free = [:]
            s.cachedBytes = 0
            return all
        }
        for b in buffers { free(b.pointer) }
        #if canImport(Glibc)
        // Buffers below glibc's mmap threshold went back to its heap, not to the system;
        // trimming hands the heap's free pages back too. (`malloc_trim` is declared in
        // <malloc.h>, which the Glibc module does not export, hence the lookup.)
        if let symbol = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        #endif
    }

    /// Bytes currently parked in the cache.
    var cachedBytes: Int { state.withLock { $0.cachedBytes } }
}

/// Releases the memory SwiftTorch keeps cached for reuse (the CPU analogue of
/// `torch.cuda.empty_cache`).
public func emptyCache() {
    CPUAllocator.shared.emptyCache()
}
