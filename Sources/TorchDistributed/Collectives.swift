/// The collectives and point-to-point operations of `torch.distributed`, on tensors of every
/// dtype, in place as in PyTorch. Each one checks its arguments, hands contiguous memory to
/// `MPI.swift`, and finishes (copy-back of non-contiguous or list outputs, the division of an
/// average) when the operation completes — at once, or in ``Work/wait()`` with `asyncOp`.

import Torch

/// How a collective combines the ranks' values (`torch.distributed.ReduceOp`).
public enum ReduceOp: Sendable, CustomStringConvertible {
    /// Elementwise sum (`ReduceOp.SUM`); on `bool` tensors a logical OR.
    case sum
    /// Sum divided by the world size (`ReduceOp.AVG`), floating-point tensors only: PyTorch's
    /// Gloo and MPI backends have no average at all, and an integer one would truncate.
    case avg
    /// Elementwise product (`ReduceOp.PRODUCT`); on `bool` a logical AND.
    case product
    /// Elementwise minimum (`ReduceOp.MIN`); on `bool` a logical AND.
    case min
    /// Elementwise maximum (`ReduceOp.MAX`); on `bool` a logical OR.
    case max

    /// PyTorch's name, `ReduceOp.SUM` and so on.
    public var description: String {
        switch self {
        case .sum: "ReduceOp.SUM"
        case .avg: "ReduceOp.AVG"
        case .product: "ReduceOp.PRODUCT"
        case .min: "ReduceOp.MIN"
        case .max: "ReduceOp.MAX"
        }
    }

    /// What MPI computes for this op on `dtype`.
    func reduction(for dtype: DType, in collective: String) -> MPIReduction {
        switch self {
        case .sum: return .sum
        case .product: return .product
        case .min: return .min
        case .max: return .max
        case .avg:
            guard dtype.isFloatingPoint else {
                torchFatal("RuntimeError: \(collective): \(self) needs a floating-point tensor, got \(dtype): an integer average would truncate (PyTorch's Gloo and MPI backends reject AVG entirely)")
            }
            return .sum
        }
    }
}

// MARK: Buffers

extension MPIBuffer {
    /// A tensor's elements for MPI to read. The tensor must be contiguous.
    init(reading t: Tensor) {
        pointer = t.storage.data + t.offset * t.dtype.itemSize
        count = t.numel
        dtype = t.dtype
    }

    /// A tensor's elements for MPI to write, counting as an in-place change of the tensor
    /// (its version goes up, so autograd notices if a saved tensor is overwritten).
    init(writing t: Tensor) {
        self.init(reading: t)
        switch t.dtype {
        case .bool: t.withUnsafeMutableBufferPointer(Bool.self) { _ in }
        case .uint8: t.withUnsafeMutableBufferPointer(UInt8.self) { _ in }
        case .int8: t.withUnsafeMutableBufferPointer(Int8.self) { _ in }
        case .int16: t.withUnsafeMutableBufferPointer(Int16.self) { _ in }
        case .float16: t.withUnsafeMutableBufferPointer(Float16.self) { _ in }
        case .bfloat16: t.withUnsafeMutableBufferPointer(BFloat16.self) { _ in }
        case .int32: t.withUnsafeMutableBufferPointer(Int32.self) { _ in }
        case .int64: t.withUnsafeMutableBufferPointer(Int64.self) { _ in }
        case .float32: t.withUnsafeMutableBufferPointer(Float.self) { _ in }
        case .float64: t.withUnsafeMutableBufferPointer(Double.self) { _ in }
        }
    }
}

/// `t` itself when contiguous (MPI works on its memory), else a contiguous copy whose result
/// `finisher(_:_:average:)` copies back.
private func staged(_ t: Tensor) -> Tensor {
    t.isContiguous ? t.detach() : noGrad { t.detach().contiguous() }
}

/// What a reduction works on for `t`: `staged(_:)`, except that 16-bit floats, which MPI
/// cannot add, become a float32 copy; the result is rounded back once, as PyTorch's CPU
/// kernels round half-precision math.
private func stagedForReduction(_ t: Tensor) -> Tensor {
    isHalfPrecision(t.dtype) ? noGrad { t.detach().to(.float32) } : staged(t)
}

private func isHalfPrecision(_ dtype: DType) -> Bool { dtype == .float16 || dtype == .bfloat16 }

/// A contiguous, one-dimensional tensor of all of `tensors`' elements, in order (float32 for
/// 16-bit floats when `forReduction`).
private func concatenated(_ tensors: [Tensor], forReduction: Bool = false) -> Tensor {
    noGrad {
        let flat = cat(tensors.map { $0.detach().contiguous().flatten() }, dim: 0)
        return forReduction && isHalfPrecision(flat.dtype) ? flat.to(.float32) : flat
    }
}

/// What must happen once MPI has written `buffer` standing for `tensor`: divide an average,
/// copy into a non-contiguous original. `nil` when nothing is left to do.
private func finisher(_ tensor: Tensor, _ buffer: Tensor, average: Int?) -> (@Sendable () -> Void)? {
    let copyBack = buffer.storage !== tensor.storage
    guard copyBack || average != nil else { return nil }
    return {
        noGrad {
            if let average { buffer.div_(average) }
            if copyBack { tensor.detach().copy_(buffer) }
        }
    }
}

/// Copies consecutive pieces of the flat `source` into each of `outputs`.
private func scatterPieces(_ source: Tensor, into outputs: [Tensor]) {
    noGrad {
        var start = 0
        for o in outputs {
            o.detach().copy_(source.narrow(0, start, o.numel).view(o.shape))
            start += o.numel
        }
    }
}

// MARK: Checks

private func checkRank(_ rank: Int, _ what: String, _ group: DefaultGroup) {
    guard rank >= 0 && rank < group.worldSize else {
        torchFatal("ValueError: Invalid \(what) rank \(rank): the default group has ranks 0..<\(group.worldSize)")
    }
}

private func checkList(_ list: [Tensor], like tensor: Tensor, count: Int, _ collective: String, sameShape: Bool = true) {
    guard list.count == count else {
        torchFatal("ValueError: \(collective): expected a list of \(count) tensors (the world size), got \(list.count)")
    }
    for t in list where t.dtype != tensor.dtype || (sameShape && t.shape != tensor.shape) {
        torchFatal("TypeError: \(collective): every tensor must have the same dtype\(sameShape ? " and size" : "") as the input (\(tensor.dtype) \(tensor.shape)), got \(t.dtype) \(t.shape)")
    }
}

// MARK: Collectives

/// Reduces `tensor` across every rank, leaving the result in every rank's `tensor`
/// (`torch.distributed.all_reduce`).
///
/// - Parameters:
///   - tensor: The values to reduce; overwritten with the result.
///   - op: How values combine; ``ReduceOp/avg`` is the sum divided by the world size.
///   - asyncOp: Return at once; the result is in `tensor` after ``Work/wait()``.
@discardableResult
public func allReduce(_ tensor: Tensor, op: ReduceOp = .sum, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    let buffer = stagedForReduction(tensor)
    let reduction = op.reduction(for: buffer.dtype, in: "all_reduce")
    let request = mpiAllreduce(MPIBuffer(writing: buffer), reduction, async: asyncOp)
    return Work(request, keeping: [buffer], finish: finisher(tensor, buffer, average: op == .avg ? group.worldSize : nil))
}

/// Copies rank `src`'s `tensor` into every rank's `tensor` (`torch.distributed.broadcast`).
@discardableResult
public func broadcast(_ tensor: Tensor, src: Int, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    checkRank(src, "source", group)
    let buffer = staged(tensor)
    let request = mpiBroadcast(MPIBuffer(writing: buffer), root: src, async: asyncOp)
    return Work(request, keeping: [buffer], finish: finisher(tensor, buffer, average: nil))
}

/// Reduces `tensor` across every rank into rank `dst`'s `tensor`; the other ranks'
/// tensors are left as they were (`torch.distributed.reduce`).
@discardableResult
public func reduce(_ tensor: Tensor, dst: Int, op: ReduceOp = .sum, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    checkRank(dst, "destination", group)
    let buffer = stagedForReduction(tensor)
    let reduction = op.reduction(for: buffer.dtype, in: "reduce")
    let isRoot = group.rank == dst
    let request = mpiReduce(isRoot ? MPIBuffer(writing: buffer) : MPIBuffer(reading: buffer), reduction, root: dst, async: asyncOp)
    guard isRoot else { return Work(request, keeping: [buffer]) }
    return Work(request, keeping: [buffer], finish: finisher(tensor, buffer, average: op == .avg ? group.worldSize : nil))
}

/// Gathers every rank's `tensor` into `tensorList[rank]` on every rank
/// (`torch.distributed.all_gather`); the list holds one tensor per rank, each of
/// `tensor`'s dtype and shape.
@discardableResult
public func allGather(_ tensorList: [Tensor], _ tensor: Tensor, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    checkList(tensorList, like: tensor, count: group.worldSize, "all_gather")
    let send = staged(tensor)
    let receive = Tensor.empty([group.worldSize * tensor.numel], dtype: tensor.dtype)
    let request = mpiAllgather(send: MPIBuffer(reading: send), receive: MPIBuffer(writing: receive), async: asyncOp)
    return Work(request, keeping: [send, receive]) { scatterPieces(receive, into: tensorList) }
}

/// Gathers every rank's `input` into one `output` tensor, rank after rank
/// (`torch.distributed.all_gather_into_tensor`): `output` holds world size × `input.numel`
/// elements, e.g. shape `[worldSize * n, ...]` or `[worldSize, n, ...]`.
@discardableResult
public func allGatherIntoTensor(_ output: Tensor, _ input: Tensor, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    guard output.dtype == input.dtype, output.numel == group.worldSize * input.numel else {
        torchFatal("ValueError: all_gather_into_tensor: output (\(output.dtype) \(output.shape)) must hold world size (\(group.worldSize)) times input's elements (\(input.dtype) \(input.shape))")
    }
    let send = staged(input), receive = staged(output)
    let request = mpiAllgather(send: MPIBuffer(reading: send), receive: MPIBuffer(writing: receive), async: asyncOp)
    return Work(request, keeping: [send, receive], finish: finisher(output, receive, average: nil))
}

/// Reduces `inputList[i]` across ranks into rank `i`'s `output`
/// (`torch.distributed.reduce_scatter`).
@discardableResult
public func reduceScatter(_ output: Tensor, _ inputList: [Tensor], op: ReduceOp = .sum, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    checkList(inputList, like: output, count: group.worldSize, "reduce_scatter")
    return reduceScatterFlat(output, concatenated(inputList, forReduction: true), op: op, asyncOp: asyncOp, group, "reduce_scatter")
}

/// Reduces `input` across ranks and gives rank `i` the `i`-th of its world-size equal
/// blocks in `output` (`torch.distributed.reduce_scatter_tensor`).
@discardableResult
public func reduceScatterTensor(_ output: Tensor, _ input: Tensor, op: ReduceOp = .sum, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    guard output.dtype == input.dtype, input.numel == group.worldSize * output.numel else {
        torchFatal("ValueError: reduce_scatter_tensor: input (\(input.dtype) \(input.shape)) must hold world size (\(group.worldSize)) times output's elements (\(output.dtype) \(output.shape))")
    }
    return reduceScatterFlat(output, stagedForReduction(input), op: op, asyncOp: asyncOp, group, "reduce_scatter_tensor")
}

private func reduceScatterFlat(_ output: Tensor, _ send: Tensor, op: ReduceOp, asyncOp: Bool,
                               _ group: DefaultGroup, _ name: String) -> Work {
    let receive = stagedForReduction(output)
    let reduction = op.reduction(for: receive.dtype, in: name)
    let request = mpiReduceScatterBlock(send: MPIBuffer(reading: send), receive: MPIBuffer(writing: receive),
                                        reduction, async: asyncOp)
    return Work(request, keeping: [send, receive], finish: finisher(output, receive, average: op == .avg ? group.worldSize : nil))
}

/// Sends `inputList[j]` to rank `j` and receives rank `i`'s piece into `outputList[i]`
/// (`torch.distributed.all_to_all`). Pieces may differ in size; each output must have the
/// size its sender's piece has.
@discardableResult
public func allToAll(_ outputList: [Tensor], _ inputList: [Tensor], asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    guard let first = inputList.first else {
        torchFatal("ValueError: all_to_all: expected a list of \(group.worldSize) tensors (the world size), got 0")
    }
    checkList(inputList, like: first, count: group.worldSize, "all_to_all", sameShape: false)
    checkList(outputList, like: first, count: group.worldSize, "all_to_all", sameShape: false)
    let receive = Tensor.empty([outputList.reduce(0) { $0 + $1.numel }], dtype: first.dtype)
    return exchange(send: concatenated(inputList), sendCounts: inputList.map(\.numel),
                    receive: receive, receiveCounts: outputList.map(\.numel), asyncOp: asyncOp) {
        scatterPieces(receive, into: outputList)
    }
}

/// Splits `input` along dimension 0 and sends piece `j` to rank `j`; `output` receives the
/// ranks' pieces in rank order (`torch.distributed.all_to_all_single`). Without split
/// sizes the pieces are equal.
@discardableResult
public func allToAllSingle(_ output: Tensor, _ input: Tensor, outputSplitSizes: [Int]? = nil,
                           inputSplitSizes: [Int]? = nil, asyncOp: Bool = false) -> Work {
    let group = requireGroup()
    guard output.dtype == input.dtype, input.dim > 0, output.dim > 0 else {
        torchFatal("ValueError: all_to_all_single: input and output need the same dtype and at least one dimension, got \(input.dtype) \(input.shape) and \(output.dtype) \(output.shape)")
    }
    func counts(_ t: Tensor, _ splits: [Int]?, _ what: String) -> [Int] {
        let row = t.shape[0] == 0 ? 0 : t.numel / t.shape[0]
        let sizes = splits ?? Array(repeating: t.shape[0] / group.worldSize, count: group.worldSize)
        guard sizes.count == group.worldSize, sizes.reduce(0, +) == t.shape[0] else {
            torchFatal("ValueError: all_to_all_single: \(what) split sizes \(sizes) must be \(group.worldSize) numbers adding up to dimension 0 (\(t.shape[0]))")
        }
        return sizes.map { $0 * row }
    }
    let sendCounts = counts(input, inputSplitSizes, "input"), receiveCounts = counts(output, outputSplitSizes, "output")
    let receive = staged(output)
    return exchange(send: staged(input), sendCounts: sendCounts, receive: receive, receiveCounts: receiveCounts,
                    asyncOp: asyncOp, finish: finisher(output, receive, average: nil))
}

private func exchange(send: Tensor, sendCounts: [Int], receive: Tensor, receiveCounts: [Int], asyncOp: Bool,
                      finish: (@Sendable () -> Void)?) -> Work {
    func offsets(_ counts: [Int]) -> [Int] { counts.indices.map { counts[..<$0].reduce(0, +) } }
    let request = mpiAlltoallv(send: MPIBuffer(reading: send), sendCounts: sendCounts, sendOffsets: offsets(sendCounts),
                               receive: MPIBuffer(writing: receive), receiveCounts: receiveCounts,
                               receiveOffsets: offsets(receiveCounts), async: asyncOp)
    return Work(request, keeping: [send, receive], finish: finish)
}

// MARK: Point to point

/// Sends `tensor` to rank `dst`, returning when its memory may be reused
/// (`torch.distributed.send`).
public func send(_ tensor: Tensor, dst: Int, tag: Int = 0) {
    isend(tensor, dst: dst, tag: tag).wait()
}

/// Receives into `tensor` from rank `src` (any rank when `nil`) and returns the sender's
/// rank (`torch.distributed.recv`).
@discardableResult
public func recv(_ tensor: Tensor, src: Int? = nil, tag: Int = 0) -> Int {
    irecv(tensor, src: src, tag: tag).sourceRank
}

/// Starts sending `tensor` to rank `dst` (`torch.distributed.isend`); leave the tensor
/// alone until the returned work's ``Work/wait()``.
public func isend(_ tensor: Tensor, dst: Int, tag: Int = 0) -> Work {
    let group = requireGroup()
    checkPeer(dst, "destination", group)
    let buffer = staged(tensor)
    return Work(mpiSend(MPIBuffer(reading: buffer), to: dst, tag: tag, async: true), keeping: [buffer])
}

/// Starts receiving into `tensor` from rank `src` (any rank when `nil`)
/// (`torch.distributed.irecv`); the data is in `tensor` after ``Work/wait()``.
public func irecv(_ tensor: Tensor, src: Int? = nil, tag: Int = 0) -> Work {
    let group = requireGroup()
    if let src { checkPeer(src, "source", group) }
    let buffer = staged(tensor)
    let request = mpiReceive(MPIBuffer(writing: buffer), from: src, tag: tag)
    return Work(request, keeping: [buffer], finish: finisher(tensor, buffer, average: nil))
}

private func checkPeer(_ rank: Int, _ what: String, _ group: DefaultGroup) {
    checkRank(rank, what, group)
    guard rank != group.rank else {
        torchFatal("ValueError: Invalid \(what) rank: should not use rank of current process (\(rank))")
    }
}
