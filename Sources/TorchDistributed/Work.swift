/// The handle of a collective or point-to-point operation (`torch.distributed.Work`).

import Synchronization
import Torch

/// An operation in flight or finished (`torch.distributed.Work`): what `asyncOp: true`,
/// ``isend(_:dst:tag:)`` and ``irecv(_:src:tag:)`` return.
///
/// The tensors involved must not be read or written until ``wait()`` returns. Results of
/// non-contiguous tensors, averages and list outputs are written back in `wait()`.
public final class Work: Sendable {
    private let request: MPIRequest?
    /// The tensors whose memory MPI reads or writes while the operation runs.
    private let tensors: [Tensor]
    /// Runs once, after MPI is done: copies results back, divides averages.
    private let finish: Mutex<(@Sendable () -> Void)?>

    init(_ request: MPIRequest?, keeping tensors: [Tensor], finish: (@Sendable () -> Void)? = nil) {
        self.request = request
        self.tensors = request == nil ? [] : tensors
        self.finish = Mutex(finish)
        // A blocking call is already over: finish now, so the caller sees its results.
        if request == nil { complete() }
    }

    private func complete() {
        let pending = finish.withLock { f -> (@Sendable () -> Void)? in
            defer { f = nil }
            return f
        }
        pending?()
    }

    /// Blocks until the operation is complete and its results are in the tensors
    /// (`work.wait()`); returns `true`, as PyTorch does.
    @discardableResult
    public func wait() -> Bool {
        request?.wait()
        complete()
        return true
    }

    /// Whether the operation has finished (`work.is_completed()`). Call ``wait()`` before
    /// reading results: copies back and averages happen there.
    public func isCompleted() -> Bool {
        request?.test() ?? true
    }

    /// The rank a finished receive got its message from (`work._source_rank()`), useful
    /// after ``irecv(_:src:tag:)`` from any rank.
    public var sourceRank: Int {
        wait()
        return request?.source ?? -1
    }
}
