/// The default process group (`torch.distributed.init_process_group` and friends): which
/// backend, this process's rank, the world size.

import Synchronization
import Torch

/// A communication backend (`torch.distributed.Backend`). SwiftTorch runs on Open MPI:
/// ranks come from the launcher (`mpirun`, `srun --mpi=pmix`), never from a rendezvous.
public enum Backend: String, Sendable, CustomStringConvertible {
    /// Open MPI (`backend="mpi"` in PyTorch).
    case mpi

    /// PyTorch's spelling, `"mpi"`.
    public var description: String { rawValue }
}

/// The process group every collective uses, once ``initProcessGroup(backend:)`` ran.
struct DefaultGroup: Sendable {
    let backend: Backend
    let rank: Int
    let worldSize: Int
}

private let defaultGroup = Mutex<DefaultGroup?>(nil)

/// The default group, or PyTorch's error when there is none.
func requireGroup(_ caller: String = #function) -> DefaultGroup {
    guard let group = defaultGroup.withLock({ $0 }) else {
        torchFatal("ValueError: Default process group has not been initialized, please make sure to call init_process_group. (\(caller))")
    }
    return group
}

/// Joins this process to the job's default process group (`torch.distributed.init_process_group`).
///
/// With the MPI backend the rank and world size come from the launcher: run the program
/// under `mpirun -np N`, `srun --mpi=pmix`, or alone (a world of one). Calling it while a
/// group exists stops the program with PyTorch's message.
public func initProcessGroup(backend: Backend = .mpi) {
    let (rank, size) = mpiInitialize()
    defaultGroup.withLock { group in
        if group != nil {
            torchFatal("ValueError: trying to initialize the default process group twice!")
        }
        group = DefaultGroup(backend: backend, rank: rank, worldSize: size)
    }
}

/// Leaves the default process group (`torch.distributed.destroy_process_group`).
///
/// MPI itself stays initialised (it cannot be restarted in a process) and is finalised at
/// exit, as in PyTorch's MPI backend; a later ``initProcessGroup(backend:)`` rejoins it.
public func destroyProcessGroup() {
    _ = requireGroup()
    defaultGroup.withLock { $0 = nil }
}

/// Whether ``initProcessGroup(backend:)`` has run (`torch.distributed.is_initialized`).
public func isInitialized() -> Bool { defaultGroup.withLock { $0 != nil } }

/// Whether distributed support is built in (`torch.distributed.is_available`); always
/// `true`: this module links Open MPI.
public func isAvailable() -> Bool { true }

/// Whether the MPI backend is available (`torch.distributed.is_mpi_available`).
public func isMPIAvailable() -> Bool { true }

/// This process's rank in the default group, `0..<getWorldSize()` (`torch.distributed.get_rank`).
public func getRank() -> Int { requireGroup().rank }

/// The number of processes in the default group (`torch.distributed.get_world_size`).
public func getWorldSize() -> Int { requireGroup().worldSize }

/// The default group's backend (`torch.distributed.get_backend`).
public func getBackend() -> Backend { requireGroup().backend }

/// Waits until every rank has called it (`torch.distributed.barrier`).
@discardableResult
public func barrier(asyncOp: Bool = false) -> Work {
    _ = requireGroup()
    return Work(mpiBarrier(async: asyncOp), keeping: [])
}

/// Ends the whole job now, every rank, with `code` (MPI's `MPI_Abort`): what a rank that
/// hits an error it cannot recover from calls, so that no other rank waits for it forever.
/// SwiftTorch only: `torch.distributed` has no job-wide abort; this is MPI's `MPI_Abort`.
public func abortJob(code: Int32 = 1) -> Never {
    mpiAbort(code)
}
