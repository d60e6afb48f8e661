#if canImport(Glibc)
import Glibc
#endif

/// Resizing (`F.interpolate` in nearest, linear and bilinear modes) and the sub-pixel
/// rearrangements (`F.pixel_shuffle`, `F.pixel_unshuffle`).

/// How `interpolate` computes new samples (the `mode` strings of
/// `torch.nn.functional.interpolate`).
public enum InterpolationMode: String, Sendable {
    /// The nearest input sample (PyTorch's legacy `nearest`: floor of the scaled index).
    case nearest
    /// Linear interpolation of 1-D signals `(N, C, L)`.
    case linear
    /// Bilinear interpolation of images `(N, C, H, W)`.
    case bilinear
}

/// `F.interpolate(x, scale_factor=2, mode="nearest")`: one scale factor for every spatial
/// dimension, as a Python number (`torch.nn.functional.interpolate`).
public func interpolate(_ x: Tensor, scaleFactor: some ScalarConvertible, mode: InterpolationMode = .nearest,
                        alignCorners: Bool? = nil, antialias: Bool = false) -> Tensor {
    interpolate(x, scaleFactor: [scaleFactor], mode: mode, alignCorners: alignCorners, antialias: antialias)
}

/// Resizes the spatial dimensions (all but the first two) to `size`, or by `scaleFactor`
/// (one value for every dimension, or one each) (`F.interpolate`). `antialias` (bilinear only,
/// as PyTorch's `antialias=True`) widens the triangle filter by the downscaling factor so every
/// input pixel contributes, as PIL and torchvision's `Resize` do.
public func interpolate(_ x: Tensor, size: [Int]? = nil, scaleFactor: [any ScalarConvertible]? = nil,
                        mode: InterpolationMode = .nearest, alignCorners: Bool? = nil,
                        antialias: Bool = false) -> Tensor {
    let scaleFactor = scaleFactor?.map(\.scalarValue.doubleValue)
    let spatial = x.dim - 2
    guard spatial >= 1 else { torchFatal("ValueError: Input Error: interpolate expects at least a 3-D input, got \(x.dim)-D") }
    guard (size == nil) != (scaleFactor == nil) else {
        torchFatal("ValueError: only one of size or scale_factor should be defined")
    }
    if mode == .nearest, alignCorners != nil {
        torchFatal("ValueError: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear")
    }
    if (mode == .linear && spatial != 1) || (mode == .bilinear && spatial != 2) {
        torchFatal("NotImplementedError: Got \(x.dim)D input, but \(mode.rawValue) mode needs \(mode == .linear ? 3 : 4)D input")
    }
    func each<T>(_ v: [T], _ name: String) -> [T] {
        if v.count == 1 { return [T](repeating: v[0], count: spatial) }
        guard v.count == spatial else { torchFatal("ValueError: Input and \(name) must have the same number of spatial dimensions, but got input with spatial dimensions of \(Array(x.shape.dropFirst(2))) and \(name) of \(v).") }
        return v
    }
    let inSizes = Array(x.shape.dropFirst(2))
    let scales = scaleFactor.map { each($0, "scale_factor") }
    let outSizes = size.map { each($0, "output size") } ?? zip(inSizes, scales!).map { Int(floor(Double($0) * $1)) }
    let corners = alignCorners ?? false
    if antialias {
        guard mode == .bilinear, !corners else {
            torchFatal("NotImplementedError: SwiftTorch's anti-alias option is restricted to bilinear mode with alignCorners false and a 4-D input")
        }
        return antialiasedBilinear(x, inSizes: inSizes, outSizes: outSizes, scales: scales)
    }
    // One 1-D pass per spatial dimension, the last dimension first (PyTorch's order of
    // weighting for bilinear), each an (index, weight) pair list.
    var passes: [(dim: Int, idx0: Tensor, idx1: Tensor?, w0: Tensor?, w1: Tensor?)] = []
    // The same positions and weights per spatial dimension, in dimension order, for the
    // backward kernel.
    var axes: [ResampleAxis] = []
    for i in (0..<spatial).reversed() {
        let n = inSizes[i], m = outSizes[i], d = 2 + i
        let ratio: Double
        if mode != .nearest && corners {
            ratio = m > 1 ? Double(n - 1) / Double(m - 1) : 0
        } else {
            ratio = scales.map { 1 / $0[i] } ?? Double(n) / Double(m)
        }
        if mode == .nearest {
            let scale = Float(ratio)
            let idx = (0..<m).map { Int64(Swift.min(Int(floorf(Float($0) * scale)), n - 1)) }
            passes.append((d, Tensor(shape: [m], scalars: idx), nil, nil, nil))
            axes.insert(ResampleAxis(inputSize: n, positions: idx.map { Int($0) }), at: 0)
        } else {
            var i0: [Int64] = [], i1: [Int64] = [], l0: [Double] = [], l1: [Double] = []
            for j in 0..<m {
                var src = corners ? ratio * Double(j) : ratio * (Double(j) + 0.5) - 0.5
                if src < 0 { src = 0 }
                let a = Swift.min(Int(src), n - 1)
                let b = a + (a < n - 1 ? 1 : 0)
                let lambda = src - Double(a)
                i0.append(Int64(a)); i1.append(Int64(b)); l0.append(1 - lambda); l1.append(lambda)
            }
            var wShape = [Int](repeating: 1, count: x.dim)
            wShape[d] = m
            passes.append((d, Tensor(shape: [m], scalars: i0), Tensor(shape: [m], scalars: i1),
                           Tensor(shape: wShape, scalars: l0).to(x.dtype), Tensor(shape: wShape, scalars: l1).to(x.dtype)))
            // Weights rounded to the input's precision first, as the forward pass uses them.
            let round: (Double) -> Double = x.dtype == .float64 ? { $0 } : { Double(Float($0)) }
            axes.insert(ResampleAxis(inputSize: n, taps: 2,
                                     index: (0..<m).flatMap { [Int(i0[$0]), Int(i1[$0])] },
                                     weight: (0..<m).flatMap { [round(l0[$0]), round(l1[$0])] }), at: 0)
        }
    }
    let out = noGrad {
        resampleForward(x, outputShape: Array(x.shape.prefix(2)) + outSizes, axes: axes) ?? passes.reduce(x) { t, p in
            guard let i1 = p.idx1, let w0 = p.w0, let w1 = p.w1 else { return t.indexSelect(p.dim, p.idx0) }
            return t.indexSelect(p.dim, p.idx0) * w0 + t.indexSelect(p.dim, i1) * w1
        }
    }
    if needsGrad(x) {
        let name = mode == .nearest ? "UpsampleNearest\(spatial)DBackward0"
            : (mode == .linear ? "UpsampleLinear1DBackward0" : "UpsampleBilinear2DBackward0")
        let inputShape = x.shape
        record(name, input: x, outputs: [out], savedShapes: [x.shape]) { g in
            // One scatter-add pass over the output gradient (PyTorch's upsample backward
            // loop); its own derivative is the same interpolation.
            [linearBackward(g[0]!, name: String(name.dropLast("Backward0".count)) + "BackwardBackward0", adjoint: { gradOut in
                resampleBackward(gradOut, inputShape: inputShape, axes: axes)
                    ?? scatteredInterpolationGradient(gradOut, passes, inputShape)
            }, forward: { gg in
                interpolate(gg, size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners)
            })]
        }
    }
    return out
}

/// The interpolation gradient as scatter-adds per spatial dimension, in recorded ops, for
/// the dtypes the direct kernel does not take (float16, bfloat16).
private func scatteredInterpolationGradient(
    _ g: Tensor, _ passes: [(dim: Int, idx0: Tensor, idx1: Tensor?, w0: Tensor?, w1: Tensor?)], _ inputShape: [Int]
) -> Tensor {
    var shapes: [[Int]] = [inputShape]
    for p in passes.dropLast() {
        var s = shapes.last!
        s[p.dim] = p.idx0.shape[0]
        shapes.append(s)
    }
    var grad = g
    for (p, shape) in zip(passes, shapes).reversed() {
        func scatter(_ idx: Tensor, _ src: Tensor) -> Tensor {
            var expanded = [Int](repeating: 1, count: src.dim)
            expanded[p.dim] = idx.shape[0]
            return Tensor.zeros(shape, dtype: src.dtype).scatterAdd(p.dim, idx.reshape(expanded).expand(src.shape), src)
        }
        if let i1 = p.idx1, let w0 = p.w0, let w1 = p.w1 {
            grad = scatter(p.idx0, grad * w0) + scatter(i1, grad * w1)
        } else {
            grad = scatter(p.idx0, grad)
        }
    }
    return grad
}

/// PyTorch's separable anti-aliased bilinear resize (`_upsample_bilinear2d_aa`): per output
/// index, a triangle filter of half-width max(1, in/out) input pixels centred on the output
/// pixel's centre, weights normalised to sum 1, computed in the input's float precision as
/// PyTorch does. Each pass is a product with an `(out, in)` weight matrix, width first then
/// height (PyTorch's order), so autograd comes from `matmul`.
func antialiasedBilinear(_ x: Tensor, inSizes: [Int], outSizes: [Int], scales: [Double]?) -> Tensor {
    func weights(_ n: Int, _ m: Int, _ scaleFactor: Double?) -> Tensor {
        let scale = scaleFactor.map { Float(1 / $0) } ?? Float(n) / Float(m)
        let support: Float = scale >= 1 ? scale : 1
        let invscale: Float = scale >= 1 ? 1 / scale : 1
        var matrix = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            let center = scale * (Float(i) + 0.5)
            let xmin = Swift.max(Int(center - support + 0.5), 0)
            let xsize = Swift.min(Int(center + support + 0.5), n) - xmin
            var row = [Float](repeating: 0, count: Swift.max(xsize, 0)), total: Float = 0
            for j in 0..<Swift.max(xsize, 0) {
                let t = Swift.abs((Float(j + xmin) - center + 0.5) * invscale)
                row[j] = t < 1 ? 1 - t : 0
                total += row[j]
            }
            for j in 0..<row.count { matrix[i * n + xmin + j] = total != 0 ? row[j] / total : row[j] }
        }
        return Tensor(shape: [m, n], scalars: matrix).to(x.dtype)
    }
    let wh = weights(inSizes[0], outSizes[0], scales?[0]), ww = weights(inSizes[1], outSizes[1], scales?[1])
    return matmul(wh, matmul(x, ww.t()))
}

/// `(*, C·r², H, W)` → `(*, C, H·r, W·r)` (`F.pixel_shuffle`, `torch.nn.functional.pixel_shuffle`).
public func pixelShuffle(_ x: Tensor, upscaleFactor r: Int) -> Tensor {
    guard x.dim >= 3 else { torchFatal("RuntimeError: pixel_shuffle expects input to have at least 3 dimensions, but got input with \(x.dim) dimension(s)") }
    let lead = Array(x.shape.dropLast(3)), c = x.shape[x.dim - 3], h = x.shape[x.dim - 2], w = x.shape[x.dim - 1]
    guard r > 0, c % (r * r) == 0 else {
        torchFatal("RuntimeError: pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=\(c) is not divisible by \(r * r)")
    }
    let k = lead.count
    let out = noGrad {
        x.reshape(lead + [c / (r * r), r, r, h, w])
            .permute(Array(0..<k) + [k, k + 3, k + 1, k + 4, k + 2])
            .reshape(lead + [c / (r * r), h * r, w * r])
    }
    if needsGrad(x) {
        record("PixelShuffleBackward0", input: x, outputs: [out]) { g in [pixelUnshuffle(g[0]!, downscaleFactor: r)] }
    }
    return out
}

/// `(*, C, H·r, W·r)` → `(*, C·r², H, W)` (`F.pixel_unshuffle`), the inverse of ``pixelShuffle(_:upscaleFactor:)``
/// (`torch.nn.functional.pixel_unshuffle`).
public func pixelUnshuffle(_ x: Tensor, downscaleFactor r: Int) -> Tensor {
    guard x.dim >= 3 else { torchFatal("RuntimeError: pixel_unshuffle expects input to have at least 3 dimensions, but got input with \(x.dim) dimension(s)") }
    let lead = Array(x.shape.dropLast(3)), c = x.shape[x.dim - 3], h = x.shape[x.dim - 2], w = x.shape[x.dim - 1]
    guard r > 0, h % r == 0, w % r == 0 else {
        torchFatal("RuntimeError: pixel_unshuffle expects height and width to be divisible by downscale_factor (\(r)), but got \(h) and \(w)")
    }
    let k = lead.count
    let out = noGrad {
        x.reshape(lead + [c, h / r, r, w / r, r])
            .permute(Array(0..<k) + [k, k + 2, k + 4, k + 1, k + 3])
            .reshape(lead + [c * r * r, h / r, w / r])
    }
    if needsGrad(x) {
        record("PixelUnshuffleBackward0", input: x, outputs: [out]) { g in [pixelShuffle(g[0]!, upscaleFactor: r)] }
    }
    return out
}
