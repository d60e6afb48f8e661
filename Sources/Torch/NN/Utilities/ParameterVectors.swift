/// `torch.nn.utils.parameters_to_vector` / `vector_to_parameters`: all parameters as one
/// flat vector (for second-order methods, evolution strategies, model averaging) and back.

/// The parameters flattened and concatenated, in order (`parameters_to_vector`); the
/// result is recorded, so gradients reach the parameters (`torch.nn.utils.parameters_to_vector`).
public func parametersToVector(_ parameters: [Tensor]) -> Tensor {
    guard let first = parameters.first else { torchFatal("RuntimeError: torch.cat(): expected a non-empty list of Tensors") }
    return cat(parameters.map { $0.reshape([-1]) }, dim: 0).to(first.dtype)
}

/// Copies consecutive slices of `vector` into the parameters, in order, in place without
/// recording (`vector_to_parameters`, `torch.nn.utils.vector_to_parameters`).
public func vectorToParameters(_ vector: Tensor, _ parameters: [Tensor]) {
    guard vector.dim == 1 else { torchFatal("TypeError: expected torch.Tensor, but got: \(Size(vector.shape))") }
    let total = parameters.reduce(0) { $0 + $1.numel }
    guard vector.numel == total else {
        torchFatal("RuntimeError: shape '[\(total)]' is invalid for input of size \(vector.numel)")
    }
    var offset = 0
    noGrad {
        for p in parameters {
            p.copy_(vector.narrow(0, offset, p.numel).view(p.shape))
            offset += p.numel
        }
    }
}
