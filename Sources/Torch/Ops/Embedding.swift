/// Lookup tables and class encodings (`F.embedding`, `F.one_hot`).

/// The rows of `weight` named by `indices` (any shape); the result is `indices.shape + [dim]`.
/// Rows at `paddingIdx` get no gradient (`torch.nn.functional.embedding`).
public func embedding(_ indices: Tensor, _ weight: Tensor, paddingIdx: Int? = nil) -> Tensor {
    guard indices.dtype == .int64 || indices.dtype == .int32 else {
        torchFatal("RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got \(indices.dtype.scalarTypeName) instead (while checking arguments for embedding)")
    }
    guard weight.dim == 2 else { torchFatal("RuntimeError: 'weight' must be 2-D") }
    let rows = weight.shape[0]
    let flat = indices.to(.int64).flatten()
    for v in flat.toArray(Int64.self) where v < 0 || v >= rows {
        torchFatal("IndexError: index out of range in self")
    }
    let out = noGrad { weight.indexSelect(0, flat).reshape(indices.shape + [weight.shape[1]]) }
    if needsGrad(weight) {
        let pad = paddingIdx.map { $0 < 0 ? $0 + rows : $0 }
        // The indices may be the caller's own tensor (an int64 contiguous one is not copied):
        // saved with a version check. Of the weight only its shape is needed.
        let savedIndices = SavedTensor(flat), weightShape = weight.shape
        record("EmbeddingBackward0", input: weight, outputs: [out], savedShapes: [weight.shape]) { g in
            let flat = savedIndices.unpack()
            var rowsGrad = g[0]!.reshape([-1, weightShape[1]])
            if let pad { rowsGrad = rowsGrad * (flat .!= Tensor(Int64(pad))).to(rowsGrad.dtype).unsqueeze(1) }
            let index = flat.unsqueeze(1).expand([flat.shape[0], weightShape[1]])
            return [Tensor.zeros(weightShape, dtype: rowsGrad.dtype).scatterAdd(0, index, rowsGrad)]
        }
    }
    return out
}

/// One-hot encoding of int64 class indices (`F.one_hot`): shape `t.shape + [numClasses]`,
/// int64; `numClasses` -1 means `max(t) + 1` (`torch.nn.functional.one_hot`).
public func oneHot(_ t: Tensor, numClasses: Int = -1) -> Tensor {
    guard t.dtype == .int64 else { torchFatal("RuntimeError: one_hot is only applicable to index tensor of type LongTensor.") }
    let values = t.toArray(Int64.self)
    if let low = values.min(), low < 0 { torchFatal("RuntimeError: Class values must be non-negative.") }
    let classes = numClasses == -1 ? Int(values.max() ?? -1) + 1 : numClasses
    if let high = values.max(), high >= classes { torchFatal("RuntimeError: Class values must be smaller than num_classes.") }
    var data = [Int64](repeating: 0, count: values.count * classes)
    for (i, v) in values.enumerated() { data[i * classes + Int(v)] = 1 }
    return Tensor(shape: t.shape + [classes], scalars: data)
}
