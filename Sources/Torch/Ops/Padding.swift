/// `F.pad`: constant (negative amounts crop), reflect, replicate and circular padding of the
/// last dimensions, with PyTorch's backward nodes (`ConstantPadNdBackward0`,
/// `ReflectionPad2DBackward0`, ...).

/// How `pad` fills the new border (the `mode` strings of `torch.nn.functional.pad`).
public enum PaddingMode: String, Sendable {
    /// A constant value.
    case constant
    /// The input mirrored at its edge, edge excluded.
    case reflect
    /// The edge value repeated.
    case replicate
    /// The input wrapped around.
    case circular
}

/// Pads the last `pad.count / 2` dimensions of `x`; `pad` lists (left, right) amounts
/// starting from the last dimension, as in PyTorch (`torch.nn.functional.pad`).
public func pad(_ x: Tensor, _ pad: [Int], mode: PaddingMode = .constant, value: some ScalarConvertible = 0) -> Tensor {
    let value = value.scalarValue.doubleValue
    guard pad.count % 2 == 0, pad.count / 2 <= x.dim else {
        torchFatal("RuntimeError: Padding length must be divisible by 2 and at most twice the number of dimensions of the input (got \(pad.count) for a \(x.dim)-D input)")
    }
    let padded = pad.count / 2
    // (dim, left, right) from the last dimension backwards.
    let amounts = (0..<padded).map { (x.dim - 1 - $0, pad[2 * $0], pad[2 * $0 + 1]) }
    if mode == .constant { return constantPad(x, amounts, pad: pad, value: value) }
    guard padded <= 3, x.dim >= padded + 1 else {
        torchFatal("NotImplementedError: Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now")
    }
    for (d, l, r) in amounts {
        let n = x.shape[d]
        if mode == .reflect && (l >= n || r >= n) {
            torchFatal("RuntimeError: Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (\(l), \(r)) at dimension \(d) of input \(Size(x.shape))")
        }
    }
    // Per padded dimension, the input position each output position reads.
    let maps = amounts.map { (d, l, r) -> (dim: Int, positions: [Int]) in
        let n = x.shape[d]
        return (d, (0..<(n + l + r)).map { j -> Int in
            let s = j - l
            switch mode {
            case .reflect: return s < 0 ? -s : (s >= n ? 2 * (n - 1) - s : s)
            case .replicate: return Swift.min(Swift.max(s, 0), n - 1)
            default: return ((s % n) + n) % n
            }
        })
    }
    let indices = maps.map { ($0.dim, Tensor(shape: [$0.positions.count], scalars: $0.positions.map(Int64.init))) }
    let inputShape = x.shape
    // The padded dimensions are the last ones; the kernels take them in order.
    let axes = maps.reversed().map { ResampleAxis(inputSize: inputShape[$0.dim], positions: $0.positions) }
    let outputShape = inputShape.enumerated().map { d, n in maps.first { $0.dim == d }?.positions.count ?? n }
    let out = noGrad {
        resampleForward(x, outputShape: outputShape, axes: axes)
            ?? indices.reduce(x) { t, pair in t.indexSelect(pair.0, pair.1) }
    }
    if needsGrad(x) {
        let kind = mode == .reflect ? "ReflectionPad" : (mode == .replicate ? "ReplicationPad" : "ConstantPadNd")
        let name = mode == .circular ? "CopySlices" : "\(kind)\(padded)DBackward0"
        record(name, input: x, outputs: [out], savedShapes: [x.shape]) { g in
            guard mode != .circular else { return [scatteredPadGradient(g[0]!, indices, inputShape)] }
            // One scatter-add pass (PyTorch's reflection/replication backward loop); its own
            // derivative is the padding again.
            return [linearBackward(g[0]!, name: "\(kind)\(padded)DBackwardBackward0", adjoint: { gradOut in
                resampleBackward(gradOut, inputShape: inputShape, axes: axes)
                    ?? scatteredPadGradient(gradOut, indices, inputShape)
            }, forward: { gg in Torch.pad(gg, pad, mode: mode) })]
        }
    }
    return out
}

/// The padding gradient as one scatter-add per padded dimension, in recorded ops: circular
/// padding and the dtypes the direct kernel does not take (float16, bfloat16).
private func scatteredPadGradient(_ g: Tensor, _ indices: [(Int, Tensor)], _ inputShape: [Int]) -> Tensor {
    var grad = g
    var shapes: [[Int]] = [inputShape]
    for (d, idx) in indices.dropLast() {
        var s = shapes.last!
        s[d] = idx.shape[0]
        shapes.append(s)
    }
    for ((d, idx), shape) in zip(indices, shapes).reversed() {
        var expandedShape = [Int](repeating: 1, count: grad.dim)
        expandedShape[d] = idx.shape[0]
        let index = idx.reshape(expandedShape).expand(grad.shape)
        grad = Tensor.zeros(shape, dtype: grad.dtype).scatterAdd(d, index, grad)
    }
    return grad
}

/// Constant padding; negative amounts crop. Its backward is the opposite padding.
private func constantPad(_ x: Tensor, _ amounts: [(Int, Int, Int)], pad: [Int], value: Double) -> Tensor {
    var shape = x.shape
    for (d, l, r) in amounts {
        shape[d] += l + r
        guard shape[d] >= 0 else {
            torchFatal("RuntimeError: The input size \(x.shape[d]), plus negative padding \(l) and \(r) resulted in a negative output size, which is invalid. Check dimension \(d) of your input.")
        }
    }
    let out = noGrad { () -> Tensor in
        let y = Tensor.full(shape, value, dtype: x.dtype)
        var source = x, target = y
        for (d, l, r) in amounts {
            let n = x.shape[d]
            let from = Swift.max(0, -l), to = n - Swift.max(0, -r)
            guard to > from else { return y }
            source = source.narrow(d, from, to - from)
            target = target.narrow(d, Swift.max(0, l), to - from)
        }
        target.copy_(source)
        return y
    }
    if needsGrad(x) {
        record("ConstantPadNdBackward0", input: x, outputs: [out], savedShapes: [x.shape]) { g in
            [Torch.pad(g[0]!, pad.map { -$0 })]
        }
    }
    return out
}
