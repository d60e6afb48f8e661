/// `F.linear`: y = x Wᵀ + b, built as PyTorch builds it so the graph matches: `addmm` for
/// 2-D inputs with a bias (`AddmmBackward0`), `addmm` on the flattened batch then an
/// unsafe view for higher ranks (`UnsafeViewBackward0`), `matmul` without a bias
/// (`torch.nn.functional.linear`).
public func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil) -> Tensor {
    let (x, weight, bias) = (autocastToLowerPrecision(x), autocastToLowerPrecision(weight), bias.map(autocastToLowerPrecision))
    guard let bias else { return matmul(x, weight.t()) }
    if x.dim == 2 { return addmm(bias, x, weight.t()) }
    if x.dim > 2 {
        let rows = x.reshape([-1, x.shape[x.dim - 1]])
        return addmm(bias, rows, weight.t()).unsafeView(Array(x.shape.dropLast()) + [weight.shape[0]])
    }
    return matmul(x, weight.t()) + bias
}
