import CTorchDNNL

/// The machinery every oneDNN-backed kernel shares (convolutions, batch normalisation,
/// pooling): a cache of built primitives keyed by geometry, the scratch memory a run takes
/// from the caching allocator, and the check that stops on a failed run.
///
/// Building a primitive costs far more than running a small one, so primitives are kept per
/// geometry. A cached primitive is checked out for the length of one call (its stream,
/// memories and scratchpad are not for two threads at once); a second thread wanting the
/// same geometry meanwhile builds its own, which then joins the cache.

/// A built oneDNN object (a `tdc_conv` or `tdc_primitive`), owned: destroyed with the handle.
private final class DNNLHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let destroy: @Sendable (OpaquePointer) -> Void
    init(_ pointer: OpaquePointer, destroy: @escaping @Sendable (OpaquePointer) -> Void) {
        (self.pointer, self.destroy) = (pointer, destroy)
    }
    deinit { destroy(pointer) }
}

/// Idle primitives by key, and the keys oneDNN refused (so that the fallback is chosen
/// without asking again). Bounded: past `limit` keys (a program sweeping input sizes) the
/// cache starts over rather than grow without end.
final class DNNLPrimitiveCache<Key: Hashable & Sendable>: Sendable {
    private let idle = Locked<[Key: [DNNLHandle]]>([:])
    private let refused = Locked<Set<Key>>([])
    private let limit: Int
    private let destroy: @Sendable (OpaquePointer) -> Void

    /// A cache whose primitives `destroy` frees.
    init(limit: Int = 256, destroy: @escaping @Sendable (OpaquePointer) -> Void) {
        (self.limit, self.destroy) = (limit, destroy)
    }

    /// Runs `body` with the primitive for `key` checked out — a cached one, or one `make`
    /// builds — or returns `nil` when `make` cannot build it (the caller falls back to its
    /// own kernel).
    func withPrimitive<R>(_ key: Key, make: (Key) -> OpaquePointer?, _ body: (OpaquePointer) -> R) -> R? {
        if refused.withLock({ $0.contains(key) }) { return nil }
        var handle = idle.withLock { $0[key]?.popLast() }
        if handle == nil {
            guard let made = make(key) else {
                refused.withLock { _ = $0.insert(key) }
                return nil
            }
            handle = DNNLHandle(made, destroy: destroy)
        }
        let checkedOut = handle!
        defer {
            idle.withLock { cache in
                if cache[key] == nil && cache.count >= limit { cache.removeAll() }
                cache[key, default: []].append(checkedOut)
            }
        }
        return body(checkedOut.pointer)
    }
}

/// Stops with oneDNN's message when a primitive that was built fails to run (a built
/// primitive failing is a bug or an exhausted machine, not a case to fall back from).
func checkDNNL(_ status: Int32, _ message: [CChar], _ what: String) {
    guard status != 0 else { return }
    let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    torchFatal("RuntimeError: \(what): \(text)")
}

/// Runs a plain-layout `tdc_primitive` (batch norm, pooling) on `buffers`, its step's slots
/// in `CTorchDNNL.h`'s order, with the scratchpad it asks for; stops with oneDNN's message
/// (and `what`) when the run fails.
func runDNNLPrimitive(_ primitive: OpaquePointer, _ buffers: [UnsafeMutableRawPointer?], _ what: String) {
    withDNNLScratch(tdc_primitive_scratch_bytes(primitive)) { scratch in
        var message = [CChar](repeating: 0, count: 256)
        let status = buffers.withUnsafeBufferPointer { slots in
            message.withUnsafeMutableBufferPointer { tdc_primitive_run(primitive, slots.baseAddress!, scratch, $0.baseAddress!) }
        }
        checkDNNL(status, message, what)
    }
}

/// Runs `body` with `bytes` of 64-byte-aligned scratch memory from the caching allocator
/// (`nil` for none): scratchpads and blocked copies of large activations would otherwise be
/// fresh mappings each call.
func withDNNLScratch(_ bytes: Int, _ body: (UnsafeMutableRawPointer?) -> Void) {
    guard bytes > 0 else { return body(nil) }
    let scratch = Tensor(uninitializedShape: [bytes], dtype: .uint8, zeroed: false)
    body(UnsafeMutableRawPointer(scratch.pointer(as: UInt8.self)))
    withExtendedLifetime(scratch) {}
}
