/// Matrix products: `mm`, `bmm`, `mv`, `dot`, `outer`/`ger`, `addmm`.
///
/// Float operands enter BLAS in their own layout when a transpose flag and a leading
/// dimension can describe it; only other layouts are copied.

extension Tensor {
    /// Matrix product of two 2-D tensors (`torch.mm`).
    public func mm(_ other: Tensor) -> Tensor { Torch.mm(self, other) }
    /// Batched matrix product of two 3-D tensors (`torch.bmm`).
    public func bmm(_ other: Tensor) -> Tensor { Torch.bmm(self, other) }
    /// Matrix-vector product (`torch.mv`).
    public func mv(_ vector: Tensor) -> Tensor { Torch.mv(self, vector) }
    /// Inner product of two 1-D tensors (`torch.dot`).
    public func dot(_ other: Tensor) -> Tensor { Torch.dot(self, other) }
}

/// The matrix product with NumPy semantics (`torch.matmul`, the `@` operator):
/// 1-D operands are promoted to a row (left) or column (right) and that dimension is
/// removed again; leading batch dimensions broadcast.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (a, b) = (autocastToLowerPrecision(a), autocastToLowerPrecision(b))
    guard a.dim >= 1, b.dim >= 1 else {
        torchFatal("RuntimeError: both arguments to matmul need to be at least 1D, but they are \(a.dim)D and \(b.dim)D")
    }
    if a.dim == 1 && b.dim == 1 { return dot(a, b) }
    if a.dim == 2 && b.dim == 1 { return mv(a, b) }
    if a.dim == 2 && b.dim == 2 { return mm(a, b) }
    let a2 = a.dim == 1 ? a.makeView(shape: [1, a.shape[0]], strides: [0, a.strides[0]], offset: a.offset) : a
    let b2 = b.dim == 1 ? b.makeView(shape: [b.shape[0], 1], strides: [b.strides[0], 0], offset: b.offset) : b
    let m = a2.shape[a2.dim - 2], k = a2.shape[a2.dim - 1]
    let k2 = b2.shape[b2.dim - 2], n = b2.shape[b2.dim - 1]
    guard k == k2 else {
        if a.dim == 1 || b.dim == 1 {
            torchFatal("RuntimeError: size mismatch, got input (\(m)), mat (\(m)x\(k)), vec (\(k2))")
        }
        torchFatal("RuntimeError: Expected size for first two dimensions of batch2 tensor to be: [\(b2.shape.dropLast(2).reduce(1, *)), \(k)] but got: [\(b2.shape.dropLast(2).reduce(1, *)), \(k2)].")
    }
    guard a.dtype == b.dtype else {
        torchFatal("RuntimeError: expected m1 and m2 to have the same dtype, but got: \(a.dtype.cppName) != \(b.dtype.cppName)")
    }
    let batch = broadcastShapes(Array(a2.shape.dropLast(2)), Array(b2.shape.dropLast(2)), op: "matmul")
    let out = Tensor(uninitializedShape: batch + [m, n], dtype: a.dtype, zeroed: false)
    if b2.dim == 2, let folded = foldedRows(a2) {
        // (batch…, m, k) @ (k, n) is one (batch·m, k) @ (k, n) GEMM when a's rows line up.
        let flatOut = out.makeView(shape: [folded.shape[0], n], strides: [n, 1], offset: 0)
        batchedGEMM(a: folded, b: b2, out: flatOut)
    } else {
        batchedGEMM(a: expandLeading(a2, to: batch), b: expandLeading(b2, to: batch), out: out)
    }
    var shape = batch
    if a.dim > 1 { shape.append(m) }
    if b.dim > 1 { shape.append(n) }
    let result = out.makeView(shape: shape, strides: contiguousStrides(for: shape), offset: 0)
    if needsGrad(a, b) {
        // PyTorch's node names for its own decomposition of these shapes.
        let name = a.dim == 1 && b.dim == 2 ? "SqueezeBackward4" : (a.dim == 2 ? "CloneBackward0" : "UnsafeViewBackward0")
        // Each operand is saved only for the other's gradient (a false version error otherwise).
        let sa = b.requiresGrad ? SavedTensor(a) : nil, sb = a.requiresGrad ? SavedTensor(b) : nil
        let fullShape = batch + [m, n], aShape = a.shape, bShape = b.shape
        let a2Shape = a.dim == 1 ? [1] + aShape : aShape, b2Shape = b.dim == 1 ? bShape + [1] : bShape
        record(name, inputs: (a, b), outputs: [result], savedShapes: [a.shape, b.shape]) { g in
            let gFull = g[0]!.reshape(fullShape)
            let ga = sb.map { sumTo(matmul(gFull, $0.unpack().reshape(b2Shape).transpose(-2, -1)), a2Shape).reshape(aShape) }
            let gb = sa.map { sumTo(matmul($0.unpack().reshape(a2Shape).transpose(-2, -1), gFull), b2Shape).reshape(bShape) }
            return [ga, gb]
        }
    }
    return result
}

extension Tensor {
    /// `torch.matmul(self, other)`.
    public func matmul(_ other: Tensor) -> Tensor { Torch.matmul(self, other) }
}

/// `t` (batch…, m, k) as a (batch·m, k) view when every leading dimension steps by whole
/// rows, else `nil`.
private func foldedRows(_ t: Tensor) -> Tensor? {
    let r = t.dim
    var innerStride = t.strides[r - 2], innerSize = t.shape[r - 2]
    var rows = innerSize
    for d in stride(from: r - 3, through: 0, by: -1) where t.shape[d] != 1 {
        guard t.strides[d] == innerStride * innerSize else { return nil }
        innerStride = t.strides[d]
        innerSize = t.shape[d]
        rows *= t.shape[d]
    }
    return t.makeView(shape: [rows, t.shape[r - 1]], strides: [t.strides[r - 2], t.strides[r - 1]], offset: t.offset)
}

/// A stride-0 view giving `t` the leading dimensions `batch` in front of its last two.
func expandLeading(_ t: Tensor, to batch: [Int]) -> Tensor {
    let own = t.dim - 2
    var strides = [Int](repeating: 0, count: batch.count)
    for i in 0..<own where t.shape[i] != 1 {
        strides[batch.count - own + i] = t.strides[i]
    }
    return t.makeView(shape: batch + Array(t.shape.suffix(2)), strides: strides + Array(t.strides.suffix(2)), offset: t.offset)
}

/// Matrix product of `a` (n×m) and `b` (m×p) → n×p (`torch.mm`); no broadcasting.
public func mm(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (a, b) = (autocastToLowerPrecision(a), autocastToLowerPrecision(b))
    guard a.dim == 2 else { torchFatal("RuntimeError: self must be a matrix") }
    guard b.dim == 2 else { torchFatal("RuntimeError: mat2 must be a matrix") }
    guard a.shape[1] == b.shape[0] else {
        torchFatal("RuntimeError: mm: mat1 and mat2 shapes cannot be multiplied (\(a.shape[0])x\(a.shape[1]) and \(b.shape[0])x\(b.shape[1]))")
    }
    checkSameDtype(a, b, op: "mm")
    let out = Tensor(uninitializedShape: [a.shape[0], b.shape[1]], dtype: a.dtype, zeroed: false)
    batchedGEMM(a: a, b: b, out: out)
    if needsGrad(a, b) {
        let sa = b.requiresGrad ? SavedTensor(a) : nil, sb = a.requiresGrad ? SavedTensor(b) : nil
        let firstColumnMajor = isColumnMajor(a), secondColumnMajor = isColumnMajor(b)
        record("MmBackward0", inputs: (a, b), outputs: [out], savedShapes: [a.shape, b.shape]) { g in
            [sb.map { mmFirstGradient(g[0]!, columnMajor: firstColumnMajor, $0.unpack()) },
             sa.map { mmSecondGradient(g[0]!, $0.unpack(), columnMajor: secondColumnMajor) }]
        }
    }
    return out
}

/// Batched matrix product: `a` (b×n×m) and `b` (b×m×p) → b×n×p (`torch.bmm`).
public func bmm(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (a, b) = (autocastToLowerPrecision(a), autocastToLowerPrecision(b))
    guard a.dim == 3 else { torchFatal("RuntimeError: batch1 must be a 3D tensor") }
    guard b.dim == 3 else { torchFatal("RuntimeError: batch2 must be a 3D tensor") }
    guard a.shape[0] == b.shape[0] else {
        torchFatal("RuntimeError: batch1 and batch2 must have same number of batches, got \(a.shape[0]) and \(b.shape[0])")
    }
    guard a.shape[2] == b.shape[1] else {
        torchFatal("RuntimeError: Expected size for first two dimensions of batch2 tensor to be: [\(a.shape[0]), \(a.shape[2])] but got: [\(b.shape[0]), \(b.shape[1])].")
    }
    checkSameDtype(a, b, op: "bmm")
    let out = Tensor(uninitializedShape: [a.shape[0], a.shape[1], b.shape[2]], dtype: a.dtype, zeroed: false)
    batchedGEMM(a: a, b: b, out: out)
    if needsGrad(a, b) {
        let sa = b.requiresGrad ? SavedTensor(a) : nil, sb = a.requiresGrad ? SavedTensor(b) : nil
        record("BmmBackward0", inputs: (a, b), outputs: [out], savedShapes: [a.shape, b.shape]) { g in
            [sb.map { bmm(g[0]!, $0.unpack().transpose(1, 2)) }, sa.map { bmm($0.unpack().transpose(1, 2), g[0]!) }]
        }
    }
    return out
}

/// Matrix-vector product: `a` (n×m), `v` (m) → n (`torch.mv`).
public func mv(_ a: Tensor, _ v: Tensor) -> Tensor {
    guard a.dim == 2, v.dim == 1 else {
        torchFatal("RuntimeError: vector + matrix @ vector expected, got \(a.dim), \(v.dim)")
    }
    guard a.shape[1] == v.shape[0] else {
        torchFatal("RuntimeError: size mismatch, got input (\(a.shape[0])), mat (\(a.shape[0])x\(a.shape[1])), vec (\(v.shape[0]))")
    }
    checkSameDtype(a, v, op: "mv")
    let product = noGrad { mm(a, v.makeView(shape: [v.shape[0], 1], strides: [v.strides[0], 1], offset: v.offset)) }
    let out = product.makeView(shape: [a.shape[0]], strides: [1], offset: 0)
    if needsGrad(a, v) {
        let sa = v.requiresGrad ? SavedTensor(a) : nil, sv = a.requiresGrad ? SavedTensor(v) : nil
        record("MvBackward0", inputs: (a, v), outputs: [out], savedShapes: [a.shape, v.shape]) { g in
            [sv.map { outer(g[0]!, $0.unpack()) }, sa.map { mv($0.unpack().t(), g[0]!) }]
        }
    }
    return out
}

/// Inner product of two 1-D tensors of the same length (`torch.dot`); a 0-d result.
public func dot(_ a: Tensor, _ b: Tensor) -> Tensor {
    guard a.dim == 1, b.dim == 1 else {
        torchFatal("RuntimeError: 1D tensors expected, but got \(a.dim)D and \(b.dim)D tensors")
    }
    guard a.shape[0] == b.shape[0] else {
        torchFatal("RuntimeError: inconsistent tensor size, expected tensor [\(a.shape[0])] and src [\(b.shape[0])] to have the same number of elements, but got \(a.shape[0]) and \(b.shape[0]) elements respectively")
    }
    guard a.dtype == b.dtype else {
        torchFatal("RuntimeError: dot : expected both vectors to have same dtype, but found \(a.dtype.scalarTypeName) and \(b.dtype.scalarTypeName)")
    }
    let row = a.makeView(shape: [1, a.shape[0]], strides: [0, a.strides[0]], offset: a.offset)
    let col = b.makeView(shape: [b.shape[0], 1], strides: [b.strides[0], 0], offset: b.offset)
    let out = noGrad { mm(row, col) }.makeView(shape: [], strides: [], offset: 0)
    if needsGrad(a, b) {
        let sa = b.requiresGrad ? SavedTensor(a) : nil, sb = a.requiresGrad ? SavedTensor(b) : nil
        record("DotBackward0", inputs: (a, b), outputs: [out], savedShapes: [a.shape, b.shape]) { g in
            [sb.map { g[0]! * $0.unpack() }, sa.map { g[0]! * $0.unpack() }]
        }
    }
    return out
}

/// Outer product of two 1-D tensors (`torch.outer`): `out[i, j] = a[i] * b[j]`.
public func outer(_ a: Tensor, _ b: Tensor) -> Tensor {
    guard a.dim == 1, b.dim == 1 else {
        torchFatal("RuntimeError: outer: expected 1D tensors, but got \(a.dim)D and \(b.dim)D tensors")
    }
    return a.unsqueeze(1) * b.unsqueeze(0)
}

/// The outer product, PyTorch's older name (`torch.ger`).
public func ger(_ a: Tensor, _ b: Tensor) -> Tensor { outer(a, b) }

/// mm/bmm need both operands in one dtype; PyTorch names them by their C++ types.
private func checkSameDtype(_ a: Tensor, _ b: Tensor, op: String) {
    guard a.dtype == b.dtype else {
        torchFatal("RuntimeError: expected m1 and m2 to have the same dtype, but got: \(a.dtype.cppName) != \(b.dtype.cppName)")
    }
}

/// Whether a matrix is laid out column-major (a transposed contiguous matrix, as
/// `weight.t()` in `linear`).
@inline(__always)
func isColumnMajor(_ m: Tensor) -> Bool { m.strides[0] == 1 && m.strides[1] != 1 && m.shape[0] > 1 }

/// `g @ m2ᵀ`, the gradient of `m1` in `m1 @ m2`, computed in `m1`'s own layout (as
/// PyTorch's `mm_mat1_backward`), so a transposed parameter receives a contiguous gradient.
func mmFirstGradient(_ g: Tensor, columnMajor: Bool, _ m2: Tensor) -> Tensor {
    columnMajor ? mm(m2, g.t()).t() : mm(g, m2.t())
}

/// `m1ᵀ @ g`, the gradient of `m2` in `m1 @ m2`, in `m2`'s own layout (`mm_mat2_backward`).
func mmSecondGradient(_ g: Tensor, _ m1: Tensor, columnMajor: Bool) -> Tensor {
    columnMajor ? mm(g.t(), m1).t() : mm(m1.t(), g)
}
