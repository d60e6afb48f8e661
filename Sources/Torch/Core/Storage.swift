import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind one or more tensors: a 64-byte-aligned buffer, its size in bytes and
/// its dtype. Views share a `Storage`; it is freed when the last tensor using it goes
/// (`torch.UntypedStorage`).
///
/// A storage may also wrap memory the caller owns (`Tensor(sharing:shape:)`); then it
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
    /// How many tensors view this storage, so autograd can tell a gradient nobody else
    /// sees (and may adopt it as a leaf's `.grad` without a copy).
    let viewers = Atomic<Int>(0)
    private let owner: AnyObject?
    private let sizeClass: Int

    /// Allocates room for `count` elements of `dtype` from the caching allocator.
    ///
    /// The memory is uninitialised unless `zeroed`: op outputs overwrite every element, and
    /// a zero-filling pass would cost as much as a cheap op itself.
    init(count: Int, dtype: DType, zeroed: Bool) {
        let bytes = count * dtype.itemSize
        let (raw, size) = CPUAllocator.shared.allocate(bytes)
        if zeroed { memset(raw, 0, bytes) }
        self.data = raw
        self.byteCount = bytes
        self.dtype = dtype
        self.owner = nil
        self.sizeClass = size
        #if DEBUG
        liveObjectCounts.add(storages: 1)
        #endif
    }

    /// Wraps memory owned elsewhere; `owner` is retained for as long as the storage lives.
    init(wrapping data: UnsafeMutableRawPointer, byteCount: Int, dtype: DType, owner: AnyObject?) {
        self.data = data
        self.byteCount = byteCount
        self.dtype = dtype
        self.owner = owner
        self.sizeClass = 0
        #if DEBUG
        liveObjectCounts.add(storages: 1)
        #endif
    }

    deinit {
        if owner == nil { CPUAllocator.shared.deallocate(data, sizeClass: sizeClass) }
        #if DEBUG
        liveObjectCounts.add(storages: -1)
        #endif
    }

    /// Number of elements the buffer holds.
    public var count: Int { byteCount / dtype.itemSize }

    /// Records an in-place modification.
    func bumpVersion() { version &+= 1 }
}
