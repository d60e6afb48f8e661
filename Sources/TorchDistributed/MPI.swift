/// Every call into Open MPI, in one file (the distributed "kernel" layer): start-up, the
/// collectives over raw buffers, point-to-point messages and request polling. The files
/// above it speak tensors and never import `CMPI`.

import CMPI
import Synchronization
import Torch

#if canImport(Glibc)
import Glibc
#endif

/// What this process knows about MPI, behind ``mpi``'s lock.
struct MPIState {
    var initialized = false
    var rank = 0
    var size = 1
}

/// MPI is initialised with `MPI_THREAD_SERIALIZED`: any thread may call it, one at a time.
/// This lock is that "one at a time"; every `MPI_*` call below holds it.
let mpi = Mutex(MPIState())

/// The reductions MPI performs for ``ReduceOp`` (averages are sums divided afterwards).
enum MPIReduction {
    case sum, product, min, max

    /// MPI's operation for elements of `dtype`. MPI allows only logical operations on
    /// `MPI_C_BOOL`, so on `bool` sum and max are OR and product and min are AND, the
    /// results PyTorch's Gloo and NCCL backends give.
    func op(for dtype: DType) -> MPI_Op {
        switch (self, dtype) {
        case (.sum, .bool), (.max, .bool): return torch_mpi_lor()
        case (.product, .bool), (.min, .bool): return torch_mpi_land()
        case (.sum, _): return torch_mpi_sum()
        case (.product, _): return torch_mpi_prod()
        case (.min, _): return torch_mpi_min()
        case (.max, _): return torch_mpi_max()
        }
    }
}

/// MPI's element type for a dtype. The switch is exhaustive on purpose: a new dtype does
/// not compile until it has an MPI type here.
func mpiDatatype(_ dtype: DType) -> MPI_Datatype {
    switch dtype {
    case .bool: return torch_mpi_bool()
    case .uint8: return torch_mpi_uint8()
    case .int32: return torch_mpi_int32()
    case .int64: return torch_mpi_int64()
    case .float32: return torch_mpi_float()
    case .float64: return torch_mpi_double()
    }
}

/// An element count as MPI's `int`, or a clear stop: MPI counts are 32-bit.
private func mpiCount(_ n: Int) -> Int32 {
    guard let c = Int32(exactly: n) else {
        torchFatal("RuntimeError: torch.distributed (MPI): a message of \(n) elements exceeds MPI's 2^31 - 1 element count")
    }
    return c
}

/// Stops the whole job when an MPI call fails: the message names the call, the rank and
/// MPI's own explanation, then `MPI_Abort` takes every rank down (a lone exit could leave
/// the others waiting in a collective).
private func check(_ code: Int32, _ call: String, _ state: MPIState) {
    guard code != torch_mpi_success() else { return }
    var text = [CChar](repeating: 0, count: Int(torch_mpi_max_error_string()) + 1)
    var length: Int32 = 0
    MPI_Error_string(code, &text, &length)
    let reason = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let message = "RuntimeError: torch.distributed (MPI): \(call) failed on rank \(state.rank) of \(state.size): \(reason)\n"
    _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    MPI_Abort(torch_mpi_comm_world(), 1)
    exit(1)
}

/// Initialises MPI once per process (`MPI_Init_thread`) and returns this process's rank
/// and the world size. MPI cannot be initialised twice, so a later process group reuses it;
/// `MPI_Finalize` runs at exit, as PyTorch's MPI backend arranges.
func mpiInitialize() -> (rank: Int, size: Int) {
    mpi.withLock { state in
        if !state.initialized {
            var already: Int32 = 0
            MPI_Initialized(&already)
            if already == 0 {
                var provided: Int32 = 0
                let rc = MPI_Init_thread(nil, nil, torch_mpi_thread_serialized(), &provided)
                guard rc == torch_mpi_success() else {
                    torchFatal("RuntimeError: torch.distributed (MPI): MPI_Init_thread failed (error \(rc)); is this program started by mpirun, srun or as a single process?")
                }
                guard provided >= torch_mpi_thread_serialized() else {
                    torchFatal("RuntimeError: torch.distributed (MPI): this MPI library does not support MPI_THREAD_SERIALIZED")
                }
                atexit { mpiFinalizeAtExit() }
            }
            // Report failures ourselves (with the call's name), then abort the job.
            MPI_Comm_set_errhandler(torch_mpi_comm_world(), torch_mpi_errors_return())
            var rank: Int32 = 0, size: Int32 = 0
            MPI_Comm_rank(torch_mpi_comm_world(), &rank)
            MPI_Comm_size(torch_mpi_comm_world(), &size)
            state = MPIState(initialized: true, rank: Int(rank), size: Int(size))
        }
        return (state.rank, state.size)
    }
}

/// `MPI_Finalize` at a normal exit; mpirun reports a rank that exits without it as failed.
private func mpiFinalizeAtExit() {
    var finalized: Int32 = 0
    MPI_Finalized(&finalized)
    if finalized == 0 { MPI_Finalize() }
}

/// Aborts every rank of the job with `code` (`MPI_Abort`).
func mpiAbort(_ code: Int32) -> Never {
    MPI_Abort(torch_mpi_comm_world(), code)
    exit(code)
}

/// One outstanding non-blocking MPI operation.
final class MPIRequest: @unchecked Sendable {
    // Guarded by `mpi`'s lock, like every MPI call.
    private var handle: MPI_Request?
    private var status = MPI_Status()
    private var done = false
    /// Memory the operation reads while it runs (e.g. all-to-all counts).
    var keepAlive: AnyObject?

    init(_ handle: MPI_Request?) { self.handle = handle }

    /// Polls the request once (`MPI_Test`), which also drives MPI's progress engine:
    /// Open MPI moves non-blocking collectives forward only inside MPI calls.
    func test() -> Bool {
        mpi.withLock { state in
            if done { return true }
            var flag: Int32 = 0
            check(MPI_Test(&handle, &flag, &status), "MPI_Test", state)
            done = flag != 0
            return done
        }
    }

    /// Blocks until the operation has finished (`MPI_Wait`).
    func wait() {
        mpi.withLock { state in
            if done { return }
            check(MPI_Wait(&handle, &status), "MPI_Wait", state)
            done = true
        }
    }

    /// The rank a finished receive came from.
    var source: Int { mpi.withLock { _ in Int(status.MPI_SOURCE) } }
}

/// One raw view of a tensor's elements for an MPI call.
struct MPIBuffer {
    let pointer: UnsafeMutableRawPointer
    let count: Int
    let dtype: DType
}

/// Runs a blocking call, or starts its non-blocking twin and returns its request.
private func run(_ name: String, async: Bool,
                 blocking: (MPIState) -> Int32,
                 nonBlocking: (MPIState, UnsafeMutablePointer<MPI_Request?>) -> Int32) -> MPIRequest? {
    mpi.withLock { state in
        if async {
            var request: MPI_Request? = torch_mpi_request_null()
            check(nonBlocking(state, &request), "non-blocking " + name, state)
            return MPIRequest(request)
        }
        check(blocking(state), name, state)
        return nil
    }
}

private var world: MPI_Comm { torch_mpi_comm_world() }

/// In-place all-reduce of `buffer` across every rank.
func mpiAllreduce(_ b: MPIBuffer, _ reduction: MPIReduction, async: Bool) -> MPIRequest? {
    let n = mpiCount(b.count), type = mpiDatatype(b.dtype), op = reduction.op(for: b.dtype)
    return run("MPI_Allreduce", async: async,
               blocking: { _ in MPI_Allreduce(torch_mpi_in_place(), b.pointer, n, type, op, world) },
               nonBlocking: { _, r in MPI_Iallreduce(torch_mpi_in_place(), b.pointer, n, type, op, world, r) })
}

/// Broadcast of `root`'s buffer into everyone's.
func mpiBroadcast(_ b: MPIBuffer, root: Int, async: Bool) -> MPIRequest? {
    let n = mpiCount(b.count), type = mpiDatatype(b.dtype), root = Int32(root)
    return run("MPI_Bcast", async: async,
               blocking: { _ in MPI_Bcast(b.pointer, n, type, root, world) },
               nonBlocking: { _, r in MPI_Ibcast(b.pointer, n, type, root, world, r) })
}

/// Reduction into `root`'s buffer (in place there); other ranks' buffers are only read.
func mpiReduce(_ b: MPIBuffer, _ reduction: MPIReduction, root: Int, async: Bool) -> MPIRequest? {
    let n = mpiCount(b.count), type = mpiDatatype(b.dtype), op = reduction.op(for: b.dtype), root = Int32(root)
    return run("MPI_Reduce", async: async,
               blocking: { s in
                   s.rank == root ? MPI_Reduce(torch_mpi_in_place(), b.pointer, n, type, op, root, world)
                       : MPI_Reduce(b.pointer, nil, n, type, op, root, world) },
               nonBlocking: { s, r in
                   s.rank == root ? MPI_Ireduce(torch_mpi_in_place(), b.pointer, n, type, op, root, world, r)
                       : MPI_Ireduce(b.pointer, nil, n, type, op, root, world, r) })
}

/// Every rank's `send` (same size everywhere), concatenated in rank order into `receive`.
func mpiAllgather(send: MPIBuffer, receive: MPIBuffer, async: Bool) -> MPIRequest? {
    let n = mpiCount(send.count), type = mpiDatatype(send.dtype)
    return run("MPI_Allgather", async: async,
               blocking: { _ in MPI_Allgather(send.pointer, n, type, receive.pointer, n, type, world) },
               nonBlocking: { _, r in MPI_Iallgather(send.pointer, n, type, receive.pointer, n, type, world, r) })
}

/// Reduces `send` (world-size equal blocks) across ranks; rank `i` receives block `i`.
func mpiReduceScatterBlock(send: MPIBuffer, receive: MPIBuffer, _ reduction: MPIReduction, async: Bool) -> MPIRequest? {
    let n = mpiCount(receive.count), type = mpiDatatype(send.dtype), op = reduction.op(for: send.dtype)
    return run("MPI_Reduce_scatter_block", async: async,
               blocking: { _ in MPI_Reduce_scatter_block(send.pointer, receive.pointer, n, type, op, world) },
               nonBlocking: { _, r in MPI_Ireduce_scatter_block(send.pointer, receive.pointer, n, type, op, world, r) })
}

/// Personalised exchange: block `j` of `send` goes to rank `j`, block `i` of `receive`
/// comes from rank `i`; counts and displacements in elements.
func mpiAlltoallv(send: MPIBuffer, sendCounts: [Int], sendOffsets: [Int],
                  receive: MPIBuffer, receiveCounts: [Int], receiveOffsets: [Int], async: Bool) -> MPIRequest? {
    let type = mpiDatatype(send.dtype)
    // The count arrays must outlive a non-blocking call: MPI reads them while it runs.
    let arrays = MPICountArrays([sendCounts, sendOffsets, receiveCounts, receiveOffsets].map { $0.map(mpiCount) })
    let sc = arrays.pointers[0], sd = arrays.pointers[1], rc = arrays.pointers[2], rd = arrays.pointers[3]
    let request = run("MPI_Alltoallv", async: async,
                      blocking: { _ in MPI_Alltoallv(send.pointer, sc, sd, type, receive.pointer, rc, rd, type, world) },
                      nonBlocking: { _, r in MPI_Ialltoallv(send.pointer, sc, sd, type, receive.pointer, rc, rd, type, world, r) })
    request?.keepAlive = arrays
    return request
}

/// Integer arrays held at fixed addresses for the life of a request.
final class MPICountArrays: @unchecked Sendable {
    let pointers: [UnsafeMutablePointer<Int32>]
    init(_ arrays: [[Int32]]) {
        pointers = arrays.map { a in
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(a.count, 1))
            p.initialize(from: a, count: a.count)
            return p
        }
    }
    deinit { pointers.forEach { $0.deallocate() } }
}

/// Sends `buffer` to rank `destination`; the non-blocking form returns its request.
func mpiSend(_ b: MPIBuffer, to destination: Int, tag: Int, async: Bool) -> MPIRequest? {
    let n = mpiCount(b.count), type = mpiDatatype(b.dtype), dst = Int32(destination), tag = Int32(tag)
    return run("MPI_Send", async: async,
               blocking: { _ in MPI_Send(b.pointer, n, type, dst, tag, world) },
               nonBlocking: { _, r in MPI_Isend(b.pointer, n, type, dst, tag, world, r) })
}

/// Receives into `buffer` from `source` (any rank when `nil`); always returns the request,
/// whose ``MPIRequest/source`` tells the sender.
func mpiReceive(_ b: MPIBuffer, from source: Int?, tag: Int, async: Bool) -> MPIRequest {
    let n = mpiCount(b.count), type = mpiDatatype(b.dtype), tag = Int32(tag)
    let src = source.map(Int32.init) ?? torch_mpi_any_source()
    let request = mpi.withLock { state in
        var request: MPI_Request? = torch_mpi_request_null()
        check(MPI_Irecv(b.pointer, n, type, src, tag, world, &request), "MPI_Irecv", state)
        return MPIRequest(request)
    }
    if !async { request.wait() }
    return request
}

/// Blocks until every rank has entered it (`MPI_Barrier`).
func mpiBarrier(async: Bool) -> MPIRequest? {
    run("MPI_Barrier", async: async,
        blocking: { _ in MPI_Barrier(world) },
        nonBlocking: { _, r in MPI_Ibarrier(world, r) })
}
