/// The constant initialisations of `torch.nn.init`: `zeros_`, `ones_`, `constant_`, `eye_`.
/// They sit beside the random ones in Init.swift and, like them, run with autograd off so
/// they apply to parameters that require grad.

/// Fills `tensor` with zeros (`nn.init.zeros_`).
@discardableResult
public func zeros_(_ tensor: Tensor) -> Tensor {
    noGrad { tensor.fill_(Scalar.int(0)) }
}

/// Fills `tensor` with ones (`nn.init.ones_`).
@discardableResult
public func ones_(_ tensor: Tensor) -> Tensor {
    noGrad { tensor.fill_(Scalar.int(1)) }
}

/// Fills `tensor` with `value` (`nn.init.constant_(w, 0.1)`), a literal or any Swift number.
@discardableResult
public func constant_(_ tensor: Tensor, _ value: some ScalarConvertible) -> Tensor {
    let v: Scalar = value.scalarValue
    return noGrad { tensor.fill_(v) }
}

/// Fills a 2-d `tensor` with the identity matrix (`nn.init.eye_`).
@discardableResult
public func eye_(_ tensor: Tensor) -> Tensor {
    guard tensor.dim == 2 else { torchFatal("ValueError: Only tensors with 2 dimensions are supported") }
    return noGrad { tensor.copy_(Tensor.eye(tensor.shape[0], tensor.shape[1], dtype: tensor.dtype)) }
}
