import Torch

/// `02-notebook-tensors-autograd.md`. Cells that draw with `np.random.choice` use the values
/// the notebook printed, so every line printed matches the notebook.
@Sendable func tensorsAndAutograd() -> String {
    let out = Transcript()
    out.print(cuda.isAvailable() ? "cuda available" : "cuda not available")

    // Tensors
    var T = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    out.print(T)
    out.print(T.size())
    T = Tensor([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]])
    out.print(T)
    out.print(T.size())
    out.print(T[0, 1, 0])

    // Scalar multiplication
    let T1 = Tensor([[[3.0, 5.0], [4.0, 2.0]], [[1.0, 4.0], [9.0, 0.0]], [[4.0, 7.0], [4.0, 4.0]]], dtype: .float64)
    out.print(T1)
    out.print(5.0 * T1)

    // Coordinatewise multiplication
    let C1 = Tensor([[[4.0, 5.0], [9.0, 7.0]], [[5.0, 4.0], [7.0, 3.0]], [[3.0, 7.0], [8.0, 4.0]]], dtype: .float64)
    let C2 = Tensor([[[9.0, 6.0], [5.0, 1.0]], [[6.0, 8.0], [9.0, 5.0]], [[7.0, 3.0], [0.0, 9.0]]], dtype: .float64)
    out.print(C1 * C2)

    // Matrix multiplication
    let M1 = Tensor([[3.0, 1.0], [2.0, 3.0], [9.0, 2.0]], dtype: .float64)
    let M2 = Tensor([[5.0, 7.0, 0.0, 9.0], [1.0, 1.0, 9.0, 1.0]], dtype: .float64)
    out.print(mm(M1, M2))

    // matmul with broadcast batch dimensions
    out.print(matmul(Tensor.ones(5, 3, 2), Tensor.ones(5, 2, 4)).size())
    out.print(matmul(Tensor.ones(10, 5, 3, 2, 4), Tensor.ones(4, 10)).size())

    // Outer product
    let v1 = Tensor.arange(1, 4), v2 = Tensor.arange(1, 3)
    out.print(v1)
    out.print(v2)
    out.print(ger(v1, v2))

    // Autograd: a dot product
    var x = Tensor([0.0, 1.0, 2.0, 3.0], requiresGrad: true)
    let y = Tensor([2.0, 3.0, 5.0, 7.0])
    dot(x, y).backward()
    out.print(x.grad!)

    // w = exp(-log(1 + Σ sin x))
    x = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
    var z = sum(sin(x))
    var u = log(1 + z)
    var w = exp(-u)
    w.backward()
    out.print(x.grad!)

    // Backward twice through a retained graph; gradients accumulate.
    x = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
    let y2 = pow(x[0], 1) + pow(x[1], 2) + pow(x[2], 3)
    z = sin(y2)
    u = log(1 + z)
    w = exp(-u)
    w.backward(retainGraph: true)
    out.print(x.grad!)
    u.backward()
    out.print(x.grad!)

    // Two inputs.
    x = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
    let yy = Tensor([5.0, 7.0, 6.0], requiresGrad: true)
    sum(cos(x) * sin(yy)).backward(retainGraph: true)
    out.print(x.grad!)
    out.print(yy.grad!)
    return out.text
}
