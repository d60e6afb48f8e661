/// An n-dimensional array with a runtime dtype and strided layout: SwiftTorch's
/// `torch.Tensor`.
///
/// A tensor is a view of a ``Storage``: `shape`, `strides` (in elements) and `offset`
/// say which elements it sees. Tensors are references, as in PyTorch: views share their
/// storage, so writing through one is seen through every other.
///
/// A tensor may be handed to another thread (data-loader workers, parallel kernels); as in
/// PyTorch, writing to one tensor from two threads at once is the caller's race to avoid.
public final class Tensor: @unchecked Sendable {
    /// The memory this tensor views (`torch.Tensor.untyped_storage`).
    public let storage: Storage
    /// The size of each dimension (changed in place only by `t_()` and friends)
    /// (`torch.Tensor.shape`).
    ///
    /// Exclusivity is not checked at run time: only the in-place view ops write it, never
    /// while it is being read, and the dynamic check cost every op two runtime calls.
    @exclusivity(unchecked) public internal(set) var shape: [Int]
    /// The step, in elements, between neighbours along each dimension (`torch.Tensor.stride`).
    @exclusivity(unchecked) public internal(set) var strides: [Int]
    /// The index of the first element in `storage`, in elements (`torch.Tensor.storage_offset`).
    public let offset: Int
    /// Where the data lives (`torch.Tensor.device`).
    public let device: Device
    /// Autograd state (`grad`, `gradFn`, hooks); `nil` for tensors autograd never saw,
    /// so plain tensors carry one pointer and no allocation for it. Its type belongs to the
    /// Autograd layer: a stored property must be declared here, and an opaque `AnyObject`
    /// slot measured 6% more instructions per recorded op (a retain/release per access).
    var autogradMeta: AutogradMeta?

    /// Creates a view over `storage`.
    init(storage: Storage, shape: [Int], strides: [Int], offset: Int = 0, device: Device = .cpu) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.device = device
        storage.viewers.add(1, ordering: .relaxed)
        #if DEBUG
        liveObjectCounts.add(tensors: 1)
        #endif
    }

    deinit {
        storage.viewers.subtract(1, ordering: .relaxed)
        #if DEBUG
        liveObjectCounts.add(tensors: -1)
        #endif
    }

    /// Allocates a new contiguous tensor, zero-filled unless `zeroed` is false.
    ///
    /// Op outputs whose kernel writes every element pass `zeroed: false` and skip the
    /// extra pass over memory; kernels that accumulate into their output keep the zeros.
    convenience init(uninitializedShape shape: [Int], dtype: DType, zeroed: Bool = true) {
        checkSizes(shape)
        let count = shape.reduce(1, *)
        self.init(storage: Storage(count: count, dtype: dtype, zeroed: zeroed), shape: shape, strides: contiguousStrides(for: shape))
    }

    /// The element type (`torch.Tensor.dtype`).
    public var dtype: DType { storage.dtype }
    /// The number of dimensions (`x.dim()` in PyTorch) (`torch.Tensor.dim`).
    public var dim: Int { shape.count }
    /// The number of elements (`torch.Tensor.numel`).
    public var numel: Int { shape.reduce(1, *) }
    /// The shape as a ``Size`` (prints `torch.Size([2, 3])`).
    public func size() -> Size { Size(shape) }
    /// The size of dimension `d` (negative counts from the end) (`torch.Tensor.size`).
    public func size(_ d: Int) -> Int { shape[normalizeDim(d, rank: dim)] }
    /// The stride of dimension `d`, in elements (`torch.Tensor.stride`).
    public func stride(_ d: Int) -> Int { strides[normalizeDim(d, rank: dim)] }

    /// Whether the elements lie in row-major order with no gaps (`torch.Tensor.is_contiguous`).
    public var isContiguous: Bool {
        var expected = 1
        for d in Swift.stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// A typed pointer to the first element (at `offset`).
    @inline(__always)
    func pointer<T: TensorScalar>(as type: T.Type) -> UnsafeMutablePointer<T> {
        storage.data.assumingMemoryBound(to: T.self) + offset
    }

    /// A new tensor over the same storage with another layout: the one way views are made.
    func makeView(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, device: device)
    }

    /// A tensor over this one's storage with `layout` (no autograd state).
    func makeView(_ layout: Layout) -> Tensor {
        Tensor(storage: storage, shape: layout.shape, strides: layout.strides, offset: layout.offset, device: device)
    }

    /// This tensor's shape, strides and offset as one value.
    var layout: Layout { Layout(shape: shape, strides: strides, offset: offset) }
}

/// The strides of every contiguous 1-d tensor.
private let unitStrides = [1]

/// Row-major strides for `shape` (the strides of a contiguous tensor).
func contiguousStrides(for shape: [Int]) -> [Int] {
    // Every 1-d tensor shares one `[1]`: no allocation for the commonest small result.
    if shape.count == 1 { return unitStrides }
    var strides = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[d] = acc
        acc *= max(shape[d], 1)
    }
    return strides
}

/// Fails like PyTorch for a negative size.
func checkSizes(_ shape: [Int]) {
    for s in shape where s < 0 {
        torchFatal("RuntimeError: Trying to create tensor with negative dimension \(s): \(shape)")
    }
}
