#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from outside the program: a file, a checkpoint, a device string, user input.
///
/// Programming errors (bad shapes, bad dims) do not throw: they stop the program through
/// ``torchFatal(_:file:line:)`` with PyTorch's message, as DESIGN.md §4 says.
public struct TorchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, worded as PyTorch would (`RuntimeError: ...` prefix omitted).
    public let message: String
    /// Creates an error carrying `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Stops the program for a programming error: prints `message` (which starts like
/// PyTorch's, e.g. `RuntimeError: ...`) to standard error, then traps. SwiftTorch only: PyTorch has
/// no counterpart (PyTorch raises an exception, such as `RuntimeError`, whose message this
/// reproduces).
///
/// `precondition` messages vanish in release builds; this one never does.
public func torchFatal(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    let text = message + "\n"
    // write(2) on fd 2: unbuffered, and free of the C `stderr` global Swift 6 rejects.
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    fatalError(message, file: file, line: line)
}

/// Messages already warned about: PyTorch's `warnings.warn` shows each once per place.
private let warnedMessages = Locked<Set<String>>([])

/// Prints `UserWarning: message` to standard error the first time it is given, as Python
/// shows a `UserWarning` once; the program goes on.
func torchWarnOnce(_ message: String) {
    let first = warnedMessages.withLock { $0.insert(message).inserted }
    guard first else { return }
    let text = "UserWarning: " + message + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}

/// Normalises a possibly negative dimension index against `rank`, failing like PyTorch's
/// `IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)`.
@inline(__always)
func normalizeDim(_ dim: Int, rank: Int, op: String = "") -> Int {
    let r = max(rank, 1)
    guard dim >= -r && dim < r else {
        torchFatal("IndexError: Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(dim))\(op.isEmpty ? "" : " in \(op)")")
    }
    return dim < 0 ? dim + r : dim
}

/// PyTorch's error for an op without a kernel for a dtype:
/// `RuntimeError: "normal_kernel_cpu" not implemented for 'Long'`.
func notImplemented(_ op: String, for dtype: DType, file: StaticString = #fileID, line: UInt = #line) -> Never {
    torchFatal("RuntimeError: \"\(op)\" not implemented for '\(dtype.scalarTypeName)'", file: file, line: line)
}
