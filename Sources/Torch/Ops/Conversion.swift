/// Conversion between dtypes and devices, copies, and reading values out.

extension Tensor {
    /// This tensor converted to `dtype`; `self` when it already has it (`x.to(torch.float64)`).
    /// Float to integer truncates toward zero.
    public func to(_ dtype: DType, copy: Bool = false) -> Tensor {
        if dtype == self.dtype && !copy { return self }
        let out = Tensor(uninitializedShape: shape, dtype: dtype, zeroed: false)
        copyElements(from: self, to: out)
        if dtype.isFloatingPoint && needsGrad(self) {
            let sourceType = self.dtype
            let name = dtype == sourceType ? "CloneBackward0" : "ToCopyBackward0"
            record(name, input: self, outputs: [out]) { grads in [grads[0]!.to(sourceType)] }
        }
        return out
    }

    /// This tensor on `device`. Only the CPU is served: moving elsewhere fails clearly
    /// (`torch.Tensor.to`).
    public func to(_ device: Device) -> Tensor {
        guard device.kind == .cpu else {
            torchFatal("RuntimeError: Cannot move a tensor to \(device): this SwiftTorch build has only the CPU backend (cuda.isAvailable() is false)")
        }
        return self
    }

    /// This tensor on the device named by `device` (`"cpu"`, `"cuda:0"`) (`torch.Tensor.to`).
    /// - Throws: ``TorchError`` for an unparsable device string.
    public func to(device: String) throws -> Tensor {
        to(try Device(device))
    }

    /// `to(.float32)` (`torch.Tensor.float`).
    public func float() -> Tensor { to(.float32) }
    /// `to(.float64)` (`torch.Tensor.double`).
    public func double() -> Tensor { to(.float64) }
    /// `to(.int64)` (`torch.Tensor.long`).
    public func long() -> Tensor { to(.int64) }
    /// `to(.int32)` (`torch.Tensor.int`).
    public func int() -> Tensor { to(.int32) }
    /// `to(.bool)` (`torch.Tensor.bool`).
    public func bool() -> Tensor { to(.bool) }
    /// `to(.uint8)` (`torch.Tensor.byte`).
    public func byte() -> Tensor { to(.uint8) }
    /// `to(.int8)` (PyTorch's `x.char()`) (`torch.Tensor.char`).
    public func char() -> Tensor { to(.int8) }
    /// `to(.int16)` (PyTorch's `x.short()`) (`torch.Tensor.short`).
    public func short() -> Tensor { to(.int16) }
    /// `to(.float16)` (PyTorch's `x.half()`) (`torch.Tensor.half`).
    public func half() -> Tensor { to(.float16) }
    /// `to(.bfloat16)` (PyTorch's `x.bfloat16()`) (`torch.Tensor.bfloat16`).
    public func bfloat16() -> Tensor { to(.bfloat16) }
    /// `x.type(torch.float64)`: the same as `to(_:)`.
    public func type(_ dtype: DType) -> Tensor { to(dtype) }
    /// `x.type()`: PyTorch's legacy type name, e.g. `torch.FloatTensor`.
    public func type() -> String { dtype.legacyTensorTypeName }

    /// A contiguous copy with its own storage (`x.clone()`, `torch.Tensor.clone`).
    public func clone() -> Tensor { to(dtype, copy: true) }

    /// `self` if contiguous, else a contiguous copy (`x.contiguous()`, `torch.Tensor.contiguous`).
    public func contiguous() -> Tensor { isContiguous ? self : clone() }

    // MARK: reading values

    /// The single value of a one-element tensor, as a `Double` (`x.item()`, `torch.Tensor.item`).
    public func item() -> Double { item(as: Double.self) }

    /// The single value of a one-element tensor, converted to `T` (`torch.Tensor.item`).
    public func item<T: TensorScalar>(as type: T.Type) -> T {
        guard numel == 1 else {
            torchFatal("RuntimeError: a Tensor with \(numel) elements cannot be converted to Scalar")
        }
        return value(atStorageIndex: offset, as: T.self)
    }

    /// All elements in row-major order, converted to `T` (`x.tolist()` flattened)
    /// (`torch.Tensor.tolist`, flattened).
    public func toArray<T: TensorScalar>(_ type: T.Type) -> [T] {
        let c = Tensor(uninitializedShape: shape, dtype: T.dtype, zeroed: false)
        copyElements(from: self, to: c)
        let p = c.storage.data.assumingMemoryBound(to: T.self)
        // `Int` and `Int64` share a dtype; the bits are the same.
        return Array(UnsafeBufferPointer(start: p, count: numel))
    }

    /// The element at a multi-index (one entry per dimension), as a `Double` (`x[i, j].item()`:
    /// `torch.Tensor.item`).
    public func doubleValue(at indices: [Int]) -> Double {
        value(atStorageIndex: storageIndex(of: indices), as: Double.self)
    }

    /// The element at a multi-index, as an `Int64` (exact for 64-bit integers) (`x[i, j].item()`:
    /// `torch.Tensor.item`).
    public func int64Value(at indices: [Int]) -> Int64 {
        value(atStorageIndex: storageIndex(of: indices), as: Int64.self)
    }

    func storageIndex(of indices: [Int]) -> Int {
        var i = offset
        for d in 0..<indices.count { i += indices[d] * strides[d] }
        return i
    }

    func value<T: TensorScalar>(atStorageIndex i: Int, as: T.Type) -> T {
        dtype.dispatch(ElementReader<T>(storage: storage, index: i))
    }

    // MARK: the bridge

    /// Calls `body` with the tensor's elements in place, without copying. SwiftTorch only: Swift's
    /// unsafe-pointer access, with no PyTorch counterpart (`torch.Tensor.data_ptr` is the nearest).
    ///
    /// The tensor must be contiguous and `T` must match its dtype; writes are seen by the
    /// tensor and every view of its storage.
    public func withUnsafeMutableBufferPointer<T: TensorScalar, R>(
        _ type: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
    ) rethrows -> R {
        guard T.dtype == dtype else {
            torchFatal("RuntimeError: expected scalar type \(T.dtype.name) but found \(dtype.name)")
        }
        guard isContiguous else {
            torchFatal("RuntimeError: withUnsafeMutableBufferPointer needs a contiguous tensor; call contiguous() first")
        }
        storage.bumpVersion()
        return try body(UnsafeMutableBufferPointer(start: pointer(as: T.self), count: numel))
    }

    /// Wraps memory the caller owns as a tensor, without a copy (like `torch.from_numpy`).
    ///
    /// A change on either side is seen on the other. The caller keeps `buffer` valid for as
    /// long as the tensor or any view of it lives; pass `owner` to have the tensor keep the
    /// owning object alive.
    public convenience init<T: TensorScalar>(sharing buffer: UnsafeMutableBufferPointer<T>, shape: [Int], owner: AnyObject? = nil) {
        checkSizes(shape)
        guard shape.reduce(1, *) <= buffer.count else {
            torchFatal("RuntimeError: shape \(shape) needs \(shape.reduce(1, *)) elements but the buffer holds \(buffer.count)")
        }
        let storage = Storage(
            wrapping: UnsafeMutableRawPointer(buffer.baseAddress ?? UnsafeMutablePointer<T>.allocate(capacity: 0)),
            byteCount: buffer.count * T.dtype.itemSize, dtype: T.dtype, owner: owner ?? SharedMemoryMarker())
        self.init(storage: storage, shape: shape, strides: contiguousStrides(for: shape))
    }
}

/// Marks a storage whose memory is not ours to free.
private final class SharedMemoryMarker {}

private struct ElementReader<Out: TensorScalar>: DTypeVisitor {
    let storage: Storage
    let index: Int
    func visit<T: TensorScalar>(_: T.Type) -> Out {
        castScalar(storage.data.assumingMemoryBound(to: T.self)[index], to: Out.self)
    }
}
