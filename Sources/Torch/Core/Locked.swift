#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a POSIX mutex: the lock SwiftTorch's shared state (the generators, the
/// caching allocator, global settings, primitive caches) is guarded by.
///
/// Not `Synchronization.Mutex`: on Linux it parks threads with futexes inside the standard
/// library, where ThreadSanitizer cannot see the lock being taken and released, so every
/// access it guards is reported as a race (`scripts/test --sanitize thread` did). TSan
/// intercepts `pthread_mutex_lock`/`unlock` wherever they are called; uncontended they cost
/// the same.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Guards `value`.
    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` on the value with the lock held.
    @inline(__always)
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
