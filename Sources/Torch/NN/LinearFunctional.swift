/// `F.linear` until the functional ops land: y = x Wᵀ + b, through `addmm` for 2-D inputs
/// (PyTorch's `AddmmBackward0`) and `matmul` otherwise.
public func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil) -> Tensor {
    if x.dim == 2, let bias { return addmm(bias, x, weight.t()) }
    let y = matmul(x, weight.t())
    return bias.map { y + $0 } ?? y
}
