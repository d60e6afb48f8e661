/// The constant initialisations of `torch.nn.init`: `zeros_`, `ones_`, `constant_`, `eye_`.
/// They sit beside the random ones in Init.swift and, like them, run with autograd off so
/// they apply to parameters that require grad.

/// Fills `tensor` with zeros (`nn.init.zeros_`, `torch.nn.init.zeros_`).
@discardableResult
public func zeros_(_ tensor: Tensor) -> Tensor {
    noGrad { tensor.fill_(Scalar.int(0)) }
}

/// Fills `tensor` with ones (`nn.init.ones_`, `torch.nn.init.ones_`).
@discardableResult
public func ones_(_ tensor: Tensor) -> Tensor {
    noGrad { tensor.fill_(Scalar.int(1)) }
}

/// Fills `tensor` with `value` (`nn.init.constant_(w, 0.1)`), a literal or any Swift number
/// (`torch.nn.init.constant_`).
@discardableResult
public func constant_(_ tensor: Tensor, _ value: some ScalarConvertible) -> Tensor {
    let v: Scalar = value.scalarValue
    return noGrad { tensor.fill_(v) }
}

/// Fills a 2-d `tensor` with the identity matrix (`nn.init.eye_`, `torch.nn.init.eye_`).
@discardableResult
public func eye_(_ tensor: Tensor) -> Tensor {
    guard tensor.dim == 2 else { torchFatal("ValueError: Only tensors with 2 dimensions are supported") }
    return noGrad { tensor.copy_(Tensor.eye(tensor.shape[0], tensor.shape[1], dtype: tensor.dtype)) }
}

/// Fills a 3-, 4- or 5-d convolution weight with the Dirac delta (`nn.init.dirac_`): each
/// of the first `min(out/groups, in)` output channels of a group passes its input channel
/// through unchanged (a 1 at the kernel's centre), keeping the identity of the inputs
/// (`torch.nn.init.dirac_`).
@discardableResult
public func dirac_(_ tensor: Tensor, groups: Int = 1) -> Tensor {
    guard (3...5).contains(tensor.dim) else { torchFatal("ValueError: Only tensors with 3, 4, or 5 dimensions are supported") }
    guard groups > 0, tensor.shape[0] % groups == 0 else { torchFatal("ValueError: dim 0 must be divisible by groups") }
    let perGroup = tensor.shape[0] / groups
    let minDim = Swift.min(perGroup, tensor.shape[1])
    let centre = tensor.shape.dropFirst(2).map { $0 / 2 }
    return noGrad {
        tensor.zero_()
        for g in 0..<groups {
            for d in 0..<minDim {
                let position: [any TensorIndexConvertible] = [g * perGroup + d, d] + centre
                tensor.indexPut_(position, 1)
            }
        }
        return tensor
    }
}

/// Fills a 2-d `tensor` from N(0, std) with a fraction `sparsity` of each column's entries
/// zeroed (`nn.init.sparse_`), the zeroed rows drawn per column by `randperm` as PyTorch
/// draws them (`torch.nn.init.sparse_`).
@discardableResult
public func sparse_(_ tensor: Tensor, sparsity: some ScalarConvertible, std: some ScalarConvertible = 0.01,
                    generator: Generator? = nil) -> Tensor {
    let sparsity = sparsity.scalarValue.doubleValue
    let std = std.scalarValue.doubleValue
    guard tensor.dim == 2 else { torchFatal("ValueError: Only tensors with 2 dimensions are supported") }
    let (rows, cols) = (tensor.shape[0], tensor.shape[1])
    let zeros = Int((sparsity * Double(rows)).rounded(.up))
    return noGrad {
        normal_(tensor, mean: 0, std: std, generator: generator)
        for column in 0..<cols {
            let picked = Tensor.randperm(rows).narrow(0, 0, zeros)   // PyTorch draws these from the default generator
            tensor.indexPut_([.tensor(picked), .int(column)], Tensor(0.0, dtype: tensor.dtype))
        }
        return tensor
    }
}
