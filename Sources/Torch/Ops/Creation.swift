/// Tensor creation: from Swift values, and the factory functions of `torch.*`.

extension Tensor {
    /// Builds a tensor from a Swift number or nested arrays, like `torch.tensor`.
    ///
    /// Floating literals give the default dtype (`float32`), integers `int64`, booleans
    /// `bool`; `dtype` overrides. Ragged nested arrays fail with PyTorch's message.
    public convenience init<L: TensorLiteral>(_ value: L, dtype: DType? = nil, requiresGrad: Bool = false) {
        var shape: [Int] = []
        value.collectShape(into: &shape, depth: 0)
        var leaves: [Scalar] = []
        leaves.reserveCapacity(shape.reduce(1, *))
        value.collectLeaves(into: &leaves)
        let leaf = L.leafDType
        let dt = dtype ?? (leaf.isFloatingPoint ? defaultDtype() : leaf)
        self.init(uninitializedShape: shape, dtype: dt)
        writeScalars(leaves)
        if requiresGrad { requiresGrad_(true) }
    }

    /// Builds a tensor of `shape` from row-major `scalars`; the dtype is the element type's
    /// (`[Float]` → `float32`, `[Double]` → `float64`, `[Int]` → `int64`, ...) (`torch.tensor`).
    public convenience init<T: TensorScalar>(shape: [Int], scalars: [T], requiresGrad: Bool = false) {
        checkSizes(shape)
        let n = shape.reduce(1, *)
        guard n == scalars.count else {
            torchFatal("RuntimeError: shape '\(shape)' is invalid for input of size \(scalars.count)")
        }
        self.init(uninitializedShape: shape, dtype: T.dtype, zeroed: false)
        copyScalars(scalars, into: self)
        if requiresGrad { requiresGrad_(true) }
    }

    /// Builds a tensor of `shape` from row-major `scalars`, converted to `dtype` (`torch.tensor`).
    public convenience init<T: TensorScalar>(shape: [Int], scalars: [T], dtype: DType) {
        let t = Tensor(shape: shape, scalars: scalars)
        self.init(uninitializedShape: shape, dtype: dtype)
        copyElements(from: t, to: self)
    }

    /// Writes `values` (row-major, one per element) into a fresh contiguous tensor.
    fileprivate func writeScalars(_ values: [Scalar]) {
        Torch.writeScalars(values, into: self)
    }

    // MARK: factories

    /// A tensor of zeros (`torch.zeros`).
    public static func zeros(_ shape: [Int], dtype: DType? = nil, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype ?? defaultDtype())
        if requiresGrad { t.requiresGrad_(true) }
        return t
    }
    /// A tensor of zeros (`torch.zeros(2, 3)`).
    public static func zeros(_ shape: Int..., dtype: DType? = nil) -> Tensor { zeros(shape, dtype: dtype) }

    /// A tensor of ones (`torch.ones`).
    public static func ones(_ shape: [Int], dtype: DType? = nil, requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, dtype: dtype ?? defaultDtype(), requiresGrad: requiresGrad)
    }
    /// A tensor of ones (`torch.ones(2, 3)`).
    public static func ones(_ shape: Int..., dtype: DType? = nil) -> Tensor { ones(shape, dtype: dtype) }

    /// An uninitialised tensor (`torch.empty`): its values are whatever the memory held.
    public static func empty(_ shape: [Int], dtype: DType? = nil) -> Tensor {
        Tensor(uninitializedShape: shape, dtype: dtype ?? defaultDtype(), zeroed: false)
    }
    /// An uninitialised tensor (`torch.empty(3, 5)`).
    public static func empty(_ shape: Int..., dtype: DType? = nil) -> Tensor { empty(shape, dtype: dtype) }

    /// A tensor filled with `value` (`torch.full`). Without `dtype`, the value decides:
    /// a float gives the default dtype, an integer `int64`, a boolean `bool`.
    public static func full(_ shape: [Int], _ value: Scalar, dtype: DType? = nil, requiresGrad: Bool = false) -> Tensor {
        // The fill writes every element: no zeroing first.
        let t = Tensor(uninitializedShape: shape, dtype: dtype ?? value.defaultDType, zeroed: false)
        fillElements(t, with: value)
        if requiresGrad { t.requiresGrad_(true) }
        return t
    }
    /// `torch.full` with a typed Swift value (`full([2], x)` for `let x: Double`).
    public static func full<T: ScalarConvertible>(_ shape: [Int], _ value: T, dtype: DType? = nil,
                                                  requiresGrad: Bool = false) -> Tensor {
        full(shape, value.scalarValue, dtype: dtype, requiresGrad: requiresGrad)
    }

    /// The identity matrix, `n × m` (`torch.eye`).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType? = nil) -> Tensor {
        let cols = m ?? n
        let t = zeros([n, cols], dtype: dtype)
        let diag = t.makeView(shape: [Swift.min(n, cols)], strides: [cols + 1], offset: 0)
        fillElements(diag, with: 1)
        return t
    }

    /// Zeros shaped like `other` (`torch.zeros_like`), of its dtype unless given.
    public static func zerosLike(_ other: Tensor, dtype: DType? = nil) -> Tensor {
        zeros(other.shape, dtype: dtype ?? other.dtype)
    }
    /// Ones shaped like `other` (`torch.ones_like`), of its dtype unless given.
    public static func onesLike(_ other: Tensor, dtype: DType? = nil) -> Tensor {
        ones(other.shape, dtype: dtype ?? other.dtype)
    }
    /// An uninitialised tensor shaped like `other` (`torch.empty_like`).
    public static func emptyLike(_ other: Tensor, dtype: DType? = nil) -> Tensor {
        empty(other.shape, dtype: dtype ?? other.dtype)
    }
    /// `value` everywhere, shaped like `other` (`torch.full_like`), of its dtype unless given.
    public static func fullLike(_ other: Tensor, _ value: Scalar, dtype: DType? = nil) -> Tensor {
        full(other.shape, value, dtype: dtype ?? other.dtype)
    }

    /// A new tensor of `shape` filled with `value`, with this tensor's dtype and device
    /// (`x.new_full`, `torch.Tensor.new_full`).
    public func newFull(_ shape: [Int], _ value: Scalar, dtype: DType? = nil) -> Tensor {
        Tensor.full(shape, value, dtype: dtype ?? self.dtype)
    }
    /// Zeros of `shape` with this tensor's dtype (`x.new_zeros`, `torch.Tensor.new_zeros`).
    public func newZeros(_ shape: [Int], dtype: DType? = nil) -> Tensor {
        Tensor.zeros(shape, dtype: dtype ?? self.dtype)
    }
    /// Ones of `shape` with this tensor's dtype (`x.new_ones`, `torch.Tensor.new_ones`).
    public func newOnes(_ shape: [Int], dtype: DType? = nil) -> Tensor {
        Tensor.ones(shape, dtype: dtype ?? self.dtype)
    }

}

extension Tensor {
    /// Builds a tensor of `shape` from row-major numbers of mixed kinds (as parsed from JSON or
    /// a Python list). Without `dtype`, the highest category present decides, as in
    /// `torch.tensor([1, 2.5])` → `float32`.
    public convenience init(shape: [Int], values: [Scalar], dtype: DType? = nil) {
        checkSizes(shape)
        guard shape.reduce(1, *) == values.count else {
            torchFatal("RuntimeError: shape '\(shape)' is invalid for input of size \(values.count)")
        }
        var inferred: DType = values.isEmpty ? defaultDtype() : .bool
        for v in values { inferred = promoteTypes(inferred, v.defaultDType) }
        self.init(uninitializedShape: shape, dtype: dtype ?? inferred)
        writeScalars(values)
    }
}
