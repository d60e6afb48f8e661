#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind one or more tensors: a 64-byte-aligned buffer, its size in bytes and
/// its dtype. Views share a `Storage`; it is freed when the last tensor using it goes.
///
/// A storage may also wrap memory the caller owns (``Tensor/init(sharing:shape:)``); then it
/// keeps the caller's owner object alive instead of freeing anything.
public final class Storage: @unchecked Sendable {
    /// The first byte of the buffer.
    public let data: UnsafeMutableRawPointer
    /// The buffer's size in bytes.
    public let byteCount: Int
    /// The element type the buffer holds.
    public let dtype: DType
    /// Bumped by every in-place write, so autograd can tell a saved tensor was changed.
    public internal(set) var version: Int = 0
    private let owner: AnyObject?

    /// Allocates room for `count` elements of `dtype`, zero-filled.
    ///
    /// Zero-filling costs one pass but makes `empty` deterministic (the corpus records it
    /// as zeros) and keeps uninitialised memory out of printed tensors.
    init(count: Int, dtype: DType, zeroed: Bool = true) {
        let bytes = max(count * dtype.itemSize, 1)
        var raw: UnsafeMutableRawPointer?
        let rc = posix_memalign(&raw, 64, bytes)
        guard rc == 0, let raw else { torchFatal("RuntimeError: DefaultCPUAllocator: can't allocate memory: you tried to allocate \(bytes) bytes.") }
        if zeroed { memset(raw, 0, bytes) }
        self.data = raw
        self.byteCount = count * dtype.itemSize
        self.dtype = dtype
        self.owner = nil
    }

    /// Wraps memory owned elsewhere; `owner` is retained for as long as the storage lives.
    init(wrapping data: UnsafeMutableRawPointer, byteCount: Int, dtype: DType, owner: AnyObject?) {
        self.data = data
        self.byteCount = byteCount
        self.dtype = dtype
        self.owner = owner
    }

    deinit {
        if owner == nil { free(data) }
    }

    /// Number of elements the buffer holds.
    public var count: Int { byteCount / dtype.itemSize }

    /// Records an in-place modification.
    func bumpVersion() { version &+= 1 }
}
