import Synchronization

/// Counts of live tensors and storages, kept in debug builds only, so tests can show that a
/// training loop or an autograd graph frees everything it made (no retain cycles).
final class LiveObjectCounts: Sendable {
    private let tensors = Atomic<Int>(0)
    private let storages = Atomic<Int>(0)

    func add(tensors delta: Int) { tensors.add(delta, ordering: .relaxed) }
    func add(storages delta: Int) { storages.add(delta, ordering: .relaxed) }

    /// `(tensors, storages)` alive now.
    var current: (tensors: Int, storages: Int) {
        (tensors.load(ordering: .relaxed), storages.load(ordering: .relaxed))
    }
}

/// The process-wide counters (only updated in debug builds).
let liveObjectCounts = LiveObjectCounts()
