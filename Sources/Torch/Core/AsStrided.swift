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
