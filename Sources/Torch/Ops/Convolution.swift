/// Convolutions (`F.conv1d`, `F.conv2d`, `F.conv_transpose2d`) with PyTorch's
/// `ConvolutionBackward0` node. float32 convolutions run on oneDNN's convolution primitives
/// (`Kernels/DNNLConvolution.swift`, as PyTorch's CPU build does); the other dtypes and
/// transposed convolutions run as im2col + one batched GEMM per group, their gradients for
/// input, weight and bias from the same patch matrices.
///
/// The backward pass runs on the same fused kernels; when the backward is itself recorded
/// (`createGraph: true`), the gradients are built from convolutions instead
/// (``differentiableConvolutionGradients``), so second derivatives are exact.

/// How a convolution pads its input: explicit per-dimension amounts, `same` (output size
/// equals input size at stride 1) or `valid` (none) (the `padding` argument of
/// `torch.nn.functional.conv2d`: numbers, `"same"` or `"valid"`).
public enum ConvolutionPadding: Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// These amounts on both sides of each spatial dimension.
    case explicit([Int])
    /// Enough padding to keep the spatial size (stride 1 only).
    case same
    /// No padding.
    case valid

    /// `padding: 1`.
    public init(integerLiteral value: Int) { self = .explicit([value]) }
    /// `padding: [1, 0]`.
    public init(arrayLiteral elements: Int...) { self = .explicit(elements) }

    /// PyTorch's string spelling, `"same"` or `"valid"`.
    public init?(_ name: String) {
        switch name {
        case "same": self = .same
        case "valid": self = .valid
        default: return nil
        }
    }

    func amounts(kernel: [Int], dilation: [Int], stride: [Int], op: String) -> [Int] {
        switch self {
        case .explicit(let p): return p.count == 1 ? [Int](repeating: p[0], count: kernel.count) : p
        case .valid: return [Int](repeating: 0, count: kernel.count)
        case .same:
            guard stride.allSatisfy({ $0 == 1 }) else {
                torchFatal("RuntimeError: padding='same' is not supported for strided convolutions")
            }
            return zip(kernel, dilation).map { k, d in d * (k - 1) / 2 }
        }
    }
}

/// Expands one value to `count` spatial dimensions, or checks a list's length.
private func spatial(_ v: [Int], _ count: Int, _ name: String, op: String) -> [Int] {
    if v.count == 1 { return [Int](repeating: v[0], count: count) }
    guard v.count == count else { torchFatal("RuntimeError: \(op): expected \(name) to be a single integer value or a list of \(count) values to match the convolution dimensions, but got \(name)=\(v)") }
    return v
}

/// A 1-D convolution over `(N, C, L)` or `(C, L)` inputs (`F.conv1d`,
/// `torch.nn.functional.conv1d`).
public func conv1d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: ConvolutionPadding = 0,
                   dilation: Int = 1, groups: Int = 1) -> Tensor {
    convolution(x, weight, bias, stride: [stride], padding: padding, dilation: [dilation], groups: groups,
                transposed: false, outputPadding: [0], spatialDims: 1, op: "conv1d")
}

/// A 2-D convolution over `(N, C, H, W)` or `(C, H, W)` inputs (`F.conv2d`,
/// `torch.nn.functional.conv2d`).
public func conv2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: ConvolutionPadding = 0,
                   dilation: Int = 1, groups: Int = 1) -> Tensor {
    conv2d(x, weight, bias, stride: [stride], padding: padding, dilation: [dilation], groups: groups)
}

/// A 2-D convolution with per-dimension stride and dilation (`stride: [1, 2]`)
/// (`torch.nn.functional.conv2d`).
public func conv2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: [Int], padding: ConvolutionPadding = 0,
                   dilation: [Int] = [1], groups: Int = 1) -> Tensor {
    convolution(x, weight, bias, stride: stride, padding: padding, dilation: dilation, groups: groups,
                transposed: false, outputPadding: [0], spatialDims: 2, op: "conv2d")
}

/// A transposed 1-D convolution over `(N, C, L)` or `(C, L)` inputs (`F.conv_transpose1d`);
/// `weight` is `(Cin, Cout/groups, k)` (`torch.nn.functional.conv_transpose1d`).
public func convTranspose1d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0, groups: Int = 1, dilation: Int = 1) -> Tensor {
    convolution(x, weight, bias, stride: [stride], padding: .explicit([padding]), dilation: [dilation], groups: groups,
                transposed: true, outputPadding: [outputPadding], spatialDims: 1, op: "conv_transpose1d")
}

/// A transposed 2-D convolution (`F.conv_transpose2d`); `weight` is `(Cin, Cout/groups, kh, kw)`
/// (`torch.nn.functional.conv_transpose2d`).
public func convTranspose2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
                            outputPadding: [Int] = [0], groups: Int = 1, dilation: [Int] = [1]) -> Tensor {
    convolution(x, weight, bias, stride: stride, padding: .explicit(padding), dilation: dilation, groups: groups,
                transposed: true, outputPadding: outputPadding, spatialDims: 2, op: "conv_transpose2d")
}

/// The shared convolution: checks, then 1-D and unbatched inputs viewed as batched 2-D.
private func convolution(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, stride: [Int], padding: ConvolutionPadding,
                         dilation: [Int], groups: Int, transposed: Bool, outputPadding: [Int],
                         spatialDims: Int, op: String) -> Tensor {
    let (x, weight, bias) = (autocastToLowerPrecision(x), autocastToLowerPrecision(weight), bias.map(autocastToLowerPrecision))
    if case .same = padding, !transposed, weight.dim == spatialDims + 2, x.dim >= spatialDims + 1 {
        // An odd total padding d·(k-1) cannot be split evenly: PyTorch pads the extra element
        // on the right (bottom) of the input first, then pads both sides by the half.
        let kernel = Array(weight.shape.suffix(spatialDims))
        let d = spatial(dilation, spatialDims, "dilation", op: op)
        let totals = zip(kernel, d).map { k, dd in dd * (k - 1) }
        if totals.contains(where: { $0 % 2 == 1 }) {
            _ = padding.amounts(kernel: kernel, dilation: d, stride: spatial(stride, spatialDims, "stride", op: op), op: op)
            torchWarnOnce("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the input be created")
            let extra = totals.reversed().flatMap { [0, $0 % 2] }   // F.pad order: last dim first
            return convolution(pad(x, extra), weight, bias, stride: stride, padding: .explicit(totals.map { $0 / 2 }),
                               dilation: dilation, groups: groups, transposed: false, outputPadding: outputPadding,
                               spatialDims: spatialDims, op: op)
        }
    }
    let batched = x.dim == spatialDims + 2
    guard batched || x.dim == spatialDims + 1 else {
        torchFatal("RuntimeError: Expected \(spatialDims + 1)D (unbatched) or \(spatialDims + 2)D (batched) input to \(op), but got input of size: \(Size(x.shape))")
    }
    guard weight.dim == spatialDims + 2 else {
        torchFatal("RuntimeError: weight should have \(spatialDims + 2) dimensions for \(op), but got weight of size \(Size(weight.shape))")
    }
    guard x.dtype == weight.dtype, x.dtype.isFloatingPoint else {
        torchFatal("RuntimeError: Input type (\(x.dtype.scalarTypeName)) and weight type (\(weight.dtype.scalarTypeName)) should be the same")
    }
    let channels = x.shape[batched ? 1 : 0]
    let expected = transposed ? weight.shape[0] : weight.shape[1] * groups
    guard channels == expected, groups > 0, (transposed ? weight.shape[0] : weight.shape[0]) % groups == 0 else {
        torchFatal("RuntimeError: Given groups=\(groups), weight of size \(Size(weight.shape)), expected input\(Size(x.shape)) to have \(expected) channels, but got \(channels) channels instead")
    }
    let outChannels = transposed ? weight.shape[1] * groups : weight.shape[0]
    if let bias, bias.shape != [outChannels] {
        torchFatal("RuntimeError: Given weight of size \(Size(weight.shape)), expected bias to be 1-dimensional with \(outChannels) elements, but got bias of size \(Size(bias.shape)) instead")
    }
    let kernel = Array(weight.shape.suffix(spatialDims))
    let s = spatial(stride, spatialDims, "stride", op: op), d = spatial(dilation, spatialDims, "dilation", op: op)
    let p = spatial(padding.amounts(kernel: kernel, dilation: d, stride: s, op: op), spatialDims, "padding", op: op)
    let op2 = spatial(outputPadding, spatialDims, "output_padding", op: op)
    // Everything below is 2-D and batched: 1-D gets a height of 1.
    func as2D(_ v: [Int], _ fill: Int) -> [Int] { spatialDims == 1 ? [fill] + v : v }
    let x4 = noGrad { () -> Tensor in
        let b = batched ? x : x.unsqueeze(0)
        return spatialDims == 1 ? b.unsqueeze(2) : b
    }
    let w4 = noGrad { spatialDims == 1 ? weight.unsqueeze(2) : weight }
    let (k2, s2, p2, d2, o2) = (as2D(kernel, 1), as2D(s, 1), as2D(p, 0), as2D(d, 1), as2D(op2, 0))
    let (n, h, w) = (x4.shape[0], x4.shape[2], x4.shape[3])
    let outH: Int, outW: Int
    if transposed {
        outH = (h - 1) * s2[0] - 2 * p2[0] + d2[0] * (k2[0] - 1) + o2[0] + 1
        outW = (w - 1) * s2[1] - 2 * p2[1] + d2[1] * (k2[1] - 1) + o2[1] + 1
    } else {
        outH = (h + 2 * p2[0] - d2[0] * (k2[0] - 1) - 1) / s2[0] + 1
        outW = (w + 2 * p2[1] - d2[1] * (k2[1] - 1) - 1) / s2[1] + 1
    }
    guard outH > 0, outW > 0, h + 2 * p2[0] >= d2[0] * (k2[0] - 1) + 1 || transposed,
          w + 2 * p2[1] >= d2[1] * (k2[1] - 1) + 1 || transposed else {
        torchFatal("RuntimeError: Calculated padded input size per channel: (\(spatialDims == 1 ? "" : "\(h + 2 * p2[0]) x ")\(w + 2 * p2[1])). Kernel size: (\(spatialDims == 1 ? "" : "\(k2[0]) x ")\(k2[1])). Kernel size can't be greater than actual input size")
    }
    // For a transposed convolution the patches live on the output grid.
    let geometry = ConvolutionGeometry(
        channels: transposed ? outChannels : channels, height: transposed ? outH : h, width: transposed ? outW : w,
        kernelH: k2[0], kernelW: k2[1], strideH: s2[0], strideW: s2[1], padH: p2[0], padW: p2[1],
        dilationH: d2[0], dilationW: d2[1], outH: transposed ? h : outH, outW: transposed ? w : outW)
    let patchSize = (transposed ? outChannels : channels) / groups * k2[0] * k2[1]
    let inner = (transposed ? channels : outChannels) / groups   // channels on the GEMM's other side
    let positions = geometry.patchColumns
    let wg = noGrad { w4.reshape([groups, inner, patchSize]) }
    var savedPatches: Tensor? = nil
    // float32 convolutions run on oneDNN's primitives when it takes the geometry; the
    // im2col path below serves the other dtypes, transposed convolutions and the rest.
    let dnnlKey = DNNLConvolutionKey(
        batch: n, inChannels: channels, inH: h, inW: w, outChannels: outChannels, kernelH: k2[0], kernelW: k2[1],
        outH: outH, outW: outW, strideH: s2[0], strideW: s2[1], padH: p2[0], padW: p2[1],
        dilationH: d2[0], dilationW: d2[1], groups: groups, hasBias: bias != nil)
    var ranOnDNNL = false
    let out4 = noGrad { () -> Tensor in
        if !transposed && x.dtype == .float32, let y = dnnlConvolutionForward(x4, w4, bias, dnnlKey) {
            ranOnDNNL = true
            return y
        }
        var y: Tensor
        if transposed {
            let cols = matmul(wg.transpose(1, 2), x4.reshape([n, groups, inner, positions]))
            y = col2imBatch(cols.reshape([n, groups * patchSize, positions]), geometry)
        } else {
            // The whole batch's patches side by side: one GEMM per group for the batch.
            let cols = im2colWide(x4, geometry)
            savedPatches = cols
            let product = matmul(wg, cols.view([groups, patchSize, n * positions]))     // (g, O/g, N·L)
            if let bias { addChannelBias(product.view([1, outChannels, n * positions]), bias, channels: outChannels) }
            y = product.view([outChannels, n, positions]).permute(1, 0, 2).contiguous().view([n, outChannels, outH, outW])
            return y
        }
        if let bias { addChannelBias(y, bias, channels: outChannels) }
        return y
    }
    var outShape = [n, outChannels] + (spatialDims == 1 ? [outW] : [outH, outW])
    if !batched { outShape.removeFirst() }
    let out = out4.makeView(shape: outShape, strides: contiguousStrides(for: outShape), offset: out4.offset)
    if needsGrad(x, weight) || (bias.map { needsGrad($0) } ?? false) {
        // Saved: the input and weight (read, version-checked); of everything else only
        // shapes and which inputs want gradients, so no input is kept for its metadata.
        let sx = SavedTensor(x), sw = SavedTensor(weight)
        let xNeeds = x.requiresGrad, wNeeds = weight.requiresGrad, biasNeeds = bias?.requiresGrad
        let xShape = x.shape, wShape = weight.shape, x4Shape = x4.shape, w4Shape = w4.shape
        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        record("ConvolutionBackward0", inputs: inputs, outputs: [out], savedShapes: inputs.map(\.shape)) { g in
            if isGradEnabled() {
                let geometry = ConvolutionParameters(stride: s2, padding: p2, dilation: d2, groups: groups,
                                                     transposed: transposed, spatialDims: spatialDims, batched: batched)
                let (gx, gw, gb) = differentiableConvolutionGradients(g[0]!, sx.unpack(), sw.unpack(), geometry)
                let grads: [Tensor?] = [xNeeds ? gx : nil, wNeeds ? gw : nil]
                return grads + (biasNeeds.map { [$0 ? gb : nil] } ?? [])
            }
            return noGrad {
                if ranOnDNNL {
                    let gy = g[0]!.reshape([n, outChannels, outH, outW])
                    let gx = xNeeds ? dnnlConvolutionBackwardData(gy, sw.unpack().reshape(w4Shape), dnnlKey) : nil
                    let wanted = wNeeds || (biasNeeds ?? false)
                    let gwb = wanted ? dnnlConvolutionBackwardWeights(sx.unpack().reshape(x4Shape), gy, dnnlKey,
                                                                      withBias: biasNeeds ?? false) : nil
                    if (!xNeeds || gx != nil) && (!wanted || gwb != nil) {
                        var grads: [Tensor?] = [gx?.reshape(xShape), wNeeds ? gwb!.weight.reshape(wShape) : nil]
                        if let biasNeeds { grads.append(biasNeeds ? gwb!.bias : nil) }
                        return grads
                    }
                }
                let gy = g[0]!.contiguous().reshape(transposed ? [n, outChannels, outH, outW]
                                                              : [n, groups, outChannels / groups, positions])
                let xs = sx.unpack(), ws = sw.unpack()
                let wgs = ws.reshape([groups, inner, patchSize])
                var gx: Tensor? = nil, gw: Tensor? = nil
                if transposed {
                    let gCols = im2colBatch(gy, geometry)
                        .view([n, groups, patchSize, positions])
                    if xNeeds { gx = matmul(wgs, gCols).reshape(xShape) }
                    if wNeeds {
                        let xg = xs.contiguous().reshape([n, groups, inner, positions])
                        gw = matmul(xg, gCols.transpose(2, 3)).sum(dim: 0).reshape(wShape)
                    }
                } else {
                    // Channels first, images side by side, to match the patch layout.
                    let gyWide = gy.view([n, outChannels, positions]).permute(1, 0, 2).contiguous()
                        .view([groups, outChannels / groups, n * positions])
                    if xNeeds {
                        let gCols = matmul(wgs.transpose(1, 2), gyWide).view([groups * patchSize, n * positions])
                        gx = col2imWide(gCols, geometry, batch: n).reshape(xShape)
                    }
                    if wNeeds {
                        let cols = savedPatches ?? im2colWide(xs.reshape(x4Shape), geometry)
                        gw = matmul(gyWide, cols.view([groups, patchSize, n * positions]).transpose(1, 2)).reshape(wShape)
                    }
                    if biasNeeds == true {
                        return [gx, gw, gyWide.view([outChannels, n * positions]).sum(dim: 1)]
                    }
                }
                var grads: [Tensor?] = [gx, gw]
                if let biasNeeds {
                    grads.append(biasNeeds ? g[0]!.reshape([n, outChannels, -1]).sum(dims: [0, 2]) : nil)
                }
                return grads
            }
        }
    }
    return out
}

/// A convolution's stride, padding, dilation and layout, 2-D (a 1-D convolution has a
/// height of 1).
struct ConvolutionParameters {
    let stride: [Int], padding: [Int], dilation: [Int], groups: Int
    let transposed: Bool, spatialDims: Int, batched: Bool
}

/// A convolution's input, weight and bias gradients written as convolutions, so that they
/// are recorded and can be differentiated again (PyTorch's convolution double backward):
///
/// - input: the transposed convolution of the output gradient with the weight (for a
///   transposed convolution, the convolution);
/// - weight: a convolution of the input with the output gradient, batch as channels, the
///   roles of stride and dilation swapped, cut to the kernel size;
/// - bias: the output gradient summed over batch and positions.
func differentiableConvolutionGradients(_ gy: Tensor, _ x: Tensor, _ weight: Tensor,
                                        _ c: ConvolutionParameters) -> (Tensor, Tensor, Tensor) {
    func to4D(_ t: Tensor, batchDim: Bool) -> Tensor {
        let b = batchDim && !c.batched ? t.unsqueeze(0) : t
        return c.spatialDims == 1 ? b.unsqueeze(2) : b
    }
    let x4 = to4D(x, batchDim: true), g4 = to4D(gy, batchDim: true), w4 = to4D(weight, batchDim: false)
    let kernel = [w4.shape[2], w4.shape[3]]
    let groups = c.groups
    let gx4: Tensor
    if c.transposed {
        gx4 = conv2d(g4, w4, stride: c.stride, padding: .explicit(c.padding), dilation: c.dilation, groups: groups)
    } else {
        // The output padding that makes the transposed convolution give back x's size.
        var outputPadding = [0, 0]
        for d in 0..<2 {
            let span: Int = c.dilation[d] * (kernel[d] - 1) + 1
            let reached: Int = (g4.shape[2 + d] - 1) * c.stride[d] - 2 * c.padding[d] + span
            outputPadding[d] = x4.shape[2 + d] - reached
        }
        gx4 = convTranspose2d(g4, w4, stride: c.stride, padding: c.padding, outputPadding: outputPadding,
                              groups: groups, dilation: c.dilation)
    }
    // Per group: the input (for a transposed convolution, the output gradient) convolved
    // with the other tensor, batch as channels, then laid out as the weight.
    let (lhs, rhs) = c.transposed ? (g4, x4) : (x4, g4)
    let lhsGroup = lhs.shape[1] / groups, rhsGroup = rhs.shape[1] / groups
    let weightParts = (0..<groups).map { k -> Tensor in
        let a = lhs.narrow(1, k * lhsGroup, lhsGroup), b = rhs.narrow(1, k * rhsGroup, rhsGroup)
        let r = conv2d(a.transpose(0, 1), b.transpose(0, 1), stride: c.dilation, padding: .explicit(c.padding),
                       dilation: c.stride).transpose(0, 1)
        return r.narrow(2, 0, kernel[0]).narrow(3, 0, kernel[1])
    }
    let gw4 = groups == 1 ? weightParts[0] : cat(weightParts, dim: 0)
    let gb = g4.sum(dims: [0, 2, 3])
    return (gx4.reshape(x.shape), gw4.reshape(weight.shape), gb)
}
