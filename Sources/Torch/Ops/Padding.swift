/// `F.pad`: constant (negative amounts crop), reflect, replicate and circular padding of the
/// last dimensions, with PyTorch's backward nodes (`ConstantPadNdBackward0`,
/// `ReflectionPad2DBackward0`, ...).

/// How `pad` fills the new border.
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
/// starting from the last dimension, as in PyTorch.
public func pad(_ x: Tensor, _ pad: [Int], mode: PaddingMode = .constant, value: Double = 0) -> Tensor {
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
    let indices = amounts.map { (d, l, r) -> (Int, Tensor) in
        let n = x.shape[d]
        let positions = (0..<(n + l + r)).map { j -> Int64 in
            let s = j - l
            switch mode {
            case .reflect: return Int64(s < 0 ? -s : (s >= n ? 2 * (n - 1) - s : s))
            case .replicate: return Int64(Swift.min(Swift.max(s, 0), n - 1))
            default: return Int64(((s % n) + n) % n)
            }
        }
        return (d, Tensor(shape: [positions.count], scalars: positions))
    }
    let out = noGrad { indices.reduce(x) { t, pair in t.indexSelect(pair.0, pair.1) } }
    if needsGrad(x) {
        let kind = mode == .reflect ? "ReflectionPad" : (mode == .replicate ? "ReplicationPad" : "ConstantPadNd")
        let name = mode == .circular ? "CopySlices" : "\(kind)\(padded)DBackward0"
        record(name, inputs: [x], outputs: [out], savedShapes: [x.shape]) { g in
            var grad = g[0]!
            var shapes: [[Int]] = [x.shape]
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
            return [grad]
        }
    }
    return out
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
        record("ConstantPadNdBackward0", inputs: [x], outputs: [out], savedShapes: [x.shape]) { g in
            [Torch.pad(g[0]!, pad.map { -$0 })]
        }
    }
    return out
}
