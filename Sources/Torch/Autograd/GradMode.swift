#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-thread autograd switches, as PyTorch keeps grad mode thread-local: a `noGrad`
/// block on one thread never turns recording off on another.
///
/// Exclusivity is not checked at run time: one thread owns each state, and its accesses
/// never overlap (the dynamic check cost every released node six runtime calls).
final class AutogradThreadState {
    @exclusivity(unchecked) var gradEnabled = true
    @exclusivity(unchecked) var detectAnomaly = false
    /// One list per backward pass running on this thread (innermost last): the callbacks
    /// ``autograd/queueCallback(_:)`` queued, run when that pass ends.
    @exclusivity(unchecked) var finalCallbacks: [[() -> Void]] = []
    /// Nodes waiting to be released by the loop in `Node.deinit` (see there), and whether
    /// that loop is running on this thread.
    @exclusivity(unchecked) var nodesToRelease: [Node] = []
    @exclusivity(unchecked) var releasingNodes = false
}

/// The pthread key holding each thread's ``AutogradThreadState``; the destructor releases it.
private let threadStateKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<AutogradThreadState>.fromOpaque(pointer).release() }
    }
    return key
}()

/// This thread's autograd state, created on first use.
@inline(__always)
func autogradThreadState() -> AutogradThreadState {
    if let p = pthread_getspecific(threadStateKey) {
        return Unmanaged<AutogradThreadState>.fromOpaque(p).takeUnretainedValue()
    }
    let state = AutogradThreadState()
    pthread_setspecific(threadStateKey, Unmanaged.passRetained(state).toOpaque())
    return state
}

/// Whether operations on this thread are recorded for autograd (`torch.is_grad_enabled`).
public func isGradEnabled() -> Bool { autogradThreadState().gradEnabled }

/// Turns recording on or off for this thread (`torch.set_grad_enabled`).
public func setGradEnabled(_ enabled: Bool) { autogradThreadState().gradEnabled = enabled }

/// Runs `body` with recording off (`with torch.no_grad():`), restoring the mode after.
@discardableResult
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    try withGradMode(false, body)
}

/// Runs `body` with recording on (`with torch.enable_grad():`), restoring the mode after.
@discardableResult
public func enableGrad<R>(_ body: () throws -> R) rethrows -> R {
    try withGradMode(true, body)
}

/// Runs `body` with grad mode set to `enabled`, restoring the previous mode after
/// (`torch.set_grad_enabled`).
@discardableResult
public func withGradMode<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    let state = autogradThreadState()
    let previous = state.gradEnabled
    state.gradEnabled = enabled
    defer { state.gradEnabled = previous }
    return try body()
}
