/// The primitive every view is made from.

extension Tensor {
    /// A view with an explicit layout over this tensor's storage (`torch.as_strided`).
    ///
    /// `offset` is absolute in the storage, as in PyTorch. Fails if the view would reach
    /// outside the storage.
    public func asStrided(_ shape: [Int], _ strides: [Int], offset: Int? = nil) -> Tensor {
        checkSizes(shape)
        guard shape.count == strides.count else {
            torchFatal("RuntimeError: mismatch in length of strides and shape")
        }
        let start = offset ?? self.offset
        if !shape.contains(0) {
            var last = start
            for d in 0..<shape.count { last += (shape[d] - 1) * strides[d] }
            guard start >= 0, last < storage.count else {
                torchFatal("RuntimeError: setStorage: sizes \(shape), strides \(strides), storage offset \(start) requiring a storage size of \(last + 1) are out of bounds for storage of size \(storage.count)")
            }
        }
        return makeView(shape: shape, strides: strides, offset: start)
    }
}

extension Tensor {
    /// A stride-0 view of this tensor broadcast to `shape` (NumPy rules: align from the
    /// right, size-1 dims stretch), failing with PyTorch's expand message otherwise.
    ///
    /// Inlined so that a tensor already at `shape` (the usual case) comes back without a
    /// call: a call would retain and release it once more, which on a leaf that requires
    /// grad takes the runtime's slow path (its count lives in a side table).
    @inline(__always)
    func broadcastView(to shape: [Int]) -> Tensor {
        shape == self.shape ? self : broadcastViewOutOfLine(to: shape)
    }

    /// ``broadcastView(to:)`` when the shape differs: the view, or PyTorch's expand error.
    @inline(never)
    private func broadcastViewOutOfLine(to shape: [Int]) -> Tensor {
        switch layout.broadcast(to: shape) {
        case .success(let view): return makeView(view)
        case .failure where shape.count < dim:
            torchFatal("RuntimeError: The expanded size of the tensor (\(shape.count)) must match the existing size (\(dim)) at non-singleton dimension 0.  Target sizes: \(shape).  Tensor sizes: \(self.shape)")
        case .failure(let mismatch):
            torchFatal("RuntimeError: The expanded size of the tensor (\(mismatch.requested)) must match the existing size (\(mismatch.size)) at non-singleton dimension \(mismatch.dim).  Target sizes: \(shape).  Tensor sizes: \(self.shape)")
        }
    }
}
