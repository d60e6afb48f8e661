import Synchronization

/// A setting that a block changes for its own task (and the tasks it starts), as PyTorch's
/// thread-local modes do (`autocast`, `skip_init`): Swift's `TaskLocal`, with a
/// process-wide count of open blocks so that ops read the task-local value only while
/// some block is open — code that never opens one pays a relaxed load per read.
final class ScopedTaskSetting<Value: Sendable>: Sendable {
    private let local: TaskLocal<Value>
    private let openBlocks = Atomic<Int>(0)
    private let outside: Value

    /// A setting whose value outside every block is `outside`.
    init(_ outside: Value) {
        self.outside = outside
        local = TaskLocal(wrappedValue: outside)
    }

    /// The value in force for the current task.
    @inline(__always)
    var current: Value { openBlocks.load(ordering: .relaxed) == 0 ? outside : local.get() }

    /// Runs `body` with the setting at `value`.
    func withValue<R>(_ value: Value, _ body: () throws -> R) rethrows -> R {
        openBlocks.add(1, ordering: .relaxed)
        defer { openBlocks.subtract(1, ordering: .relaxed) }
        return try local.withValue(value, operation: body)
    }
}
