/// `torch.linalg`: inverse, determinant and linear solve on LU factorisations from LAPACK,
/// over any number of batch dimensions.

/// The `torch.linalg` namespace: `linalg.inv(A)`, `linalg.det(A)`, `linalg.solve(A, B)`.
public enum linalg {
    /// The inverse of each square matrix in `a` (`torch.linalg.inv`); fails for singular input.
    public static func inv(_ a: Tensor) -> Tensor {
        checkSquareFloat(a, op: "linalg.inv")
        let out = Tensor(uninitializedShape: a.shape, dtype: a.dtype, zeroed: false)
        checkLAPACKDType(a.dtype)
        luKernel(.inverse, a, nil, into: out)
        if needsGrad(a) {
            let so = SavedTensor(output: out, producer: "LinalgInvExBackward0")
            record("LinalgInvExBackward0", input: a, outputs: [out], savedShapes: [a.shape]) { g in
                let invT = so.unpack().transpose(-2, -1)
                return [-matmul(matmul(invT, g[0]!), invT)]
            }
        }
        return out
    }

    /// The determinant of each square matrix in `a` (`torch.linalg.det`).
    public static func det(_ a: Tensor) -> Tensor {
        checkSquareFloat(a, op: "linalg.det")
        let out = Tensor(uninitializedShape: Array(a.shape.dropLast(2)), dtype: a.dtype, zeroed: false)
        checkLAPACKDType(a.dtype)
        luKernel(.determinant, a, nil, into: out)
        if needsGrad(a) {
            let sa = SavedTensor(a), so = SavedTensor(output: out, producer: "LinalgDetBackward0")
            record("LinalgDetBackward0", input: a, outputs: [out], savedShapes: [a.shape]) { g in
                let scale = (g[0]! * so.unpack()).unsqueeze(-1).unsqueeze(-1)
                return [scale * linalg.inv(sa.unpack()).transpose(-2, -1)]
            }
        }
        return out
    }

    /// The solution `X` of `A X = B` (`torch.linalg.solve`).
    ///
    /// `B` is a batch of vectors when it is 1-D or has `A`'s shape without its last
    /// dimension, else a batch of matrices; batch dimensions broadcast.
    public static func solve(_ a: Tensor, _ b: Tensor) -> Tensor {
        checkSquareFloat(a, op: "linalg.solve")
        guard a.dtype == b.dtype else {
            torchFatal("RuntimeError: linalg.solve: Expected A and B to have the same dtype, but found A of type \(a.dtype.scalarTypeName) and B of type \(b.dtype.scalarTypeName) instead")
        }
        let n = a.shape[a.dim - 1]
        let vectorCase = b.dim == 1 || (b.dim == a.dim - 1 && Array(b.shape) == Array(a.shape.dropLast()))
        let bm = vectorCase ? b.makeView(shape: b.shape + [1], strides: b.strides + [0], offset: b.offset) : b
        guard bm.dim >= 2, bm.shape[bm.dim - 2] == n else {
            torchFatal("RuntimeError: linalg.solve: Incompatible shapes of A and B for the equation AX = B (\(parenthesized(a.shape)) and \(parenthesized(b.shape)))")
        }
        let k = bm.shape[bm.dim - 1]
        let batch = broadcastShapes(Array(a.shape.dropLast(2)), Array(bm.shape.dropLast(2)), op: "linalg.solve")
        let ae = expandLeading(a, to: batch), be = expandLeading(bm, to: batch)
        let out = Tensor(uninitializedShape: batch + [n, k], dtype: a.dtype, zeroed: false)
        checkLAPACKDType(a.dtype)
        luKernel(.solve, ae, be, into: out)
        let result = vectorCase ? out.makeView(shape: batch + [n], strides: contiguousStrides(for: batch + [n]), offset: 0) : out
        if needsGrad(a, b) {
            let sa = SavedTensor(a), sx = SavedTensor(output: out, producer: "LinalgSolveExBackward0")
            let aShape = a.shape, bShape = b.shape, needA = a.requiresGrad, needB = b.requiresGrad
            record("LinalgSolveExBackward0", inputs: (a, b), outputs: [result], savedShapes: [a.shape, b.shape]) { g in
                let gm = vectorCase ? g[0]!.unsqueeze(-1) : g[0]!
                let gB = linalg.solve(sa.unpack().transpose(-2, -1), gm)
                let gA = -matmul(gB, sx.unpack().transpose(-2, -1))
                return [needA ? sumTo(gA, aShape) : nil,
                        needB ? sumTo(vectorCase ? gB.squeeze(-1) : gB, bShape) : nil]
            }
        }
        return result
    }

    /// The vector norm of `x` (`torch.linalg.norm` / `vector_norm`): `ord` 2 by default,
    /// any `p` that `Tensor.norm(p:dims:keepdim:dtype:)` takes, over `dims` (all when
    /// empty). For a matrix norm of a 2-D input with the default order this is Frobenius,
    /// which is the same number.
    public static func norm(_ x: Tensor, ord: some ScalarConvertible = 2, dims: [Int] = [],
                            keepdim: Bool = false) -> Tensor {
        let ord = ord.scalarValue.doubleValue
        return x.norm(p: ord, dims: dims, keepdim: keepdim)
    }

    /// A named matrix norm (`"fro"`) over the last two dims or `dims`.
    public static func norm(_ x: Tensor, ord: String, dims: [Int] = [], keepdim: Bool = false) -> Tensor {
        x.norm(p: ord, dims: dims.isEmpty ? [-2, -1] : dims, keepdim: keepdim)
    }

    static func checkSquareFloat(_ a: Tensor, op: String) {
        guard a.dim >= 2 else {
            torchFatal("RuntimeError: \(op): The input tensor A must have at least 2 dimensions.")
        }
        guard a.shape[a.dim - 1] == a.shape[a.dim - 2] else {
            torchFatal("RuntimeError: \(op): A must be batches of square matrices, but they are \(a.shape[a.dim - 2]) by \(a.shape[a.dim - 1]) matrices")
        }
        guard a.dtype.isFloatingPoint else {
            torchFatal("RuntimeError: \(op): Expected a floating point or complex tensor as input. Got \(a.dtype.scalarTypeName)")
        }
    }
}


/// LAPACK runs on float32 and float64; any other dtype stops here with PyTorch's message,
/// before a kernel sees it.
func checkLAPACKDType(_ dtype: DType) {
    guard dtype == .float32 || dtype == .float64 else { notImplemented("linalg (LAPACK)", for: dtype) }
}
