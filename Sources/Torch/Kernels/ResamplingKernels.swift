/// The loops of padding (reflect, replicate, circular) and interpolation (nearest, linear,
/// bilinear): each output position of the last one to three dimensions reads one or two
/// input positions per dimension (with weights for the linear modes). The forward pass is a
/// direct gather and the gradient a direct scatter-add of each output gradient into those
/// positions — the loops PyTorch's `reflection_pad2d`, `upsample_*` and their backwards
/// run, in one pass each, with no index tensors.

/// One resampled dimension: output position `j` reads input positions
/// `index[j * taps ..< (j + 1) * taps]` with the weights at the same places (none: weight 1).
struct ResampleAxis: Sendable {
    /// The input's size along this dimension.
    let inputSize: Int
    /// The output's size along this dimension.
    let outputSize: Int
    /// Input positions read per output position (1, or 2 for linear interpolation).
    let taps: Int
    /// `outputSize × taps` input positions.
    let index: [Int]
    /// `outputSize × taps` weights, or `nil` when every weight is 1.
    let weight: [Double]?

    /// An axis with one input position per output position and weight 1.
    init(inputSize: Int, positions: [Int]) {
        self.inputSize = inputSize
        outputSize = positions.count
        taps = 1
        index = positions
        weight = nil
    }

    /// An axis with `taps` weighted input positions per output position.
    init(inputSize: Int, taps: Int, index: [Int], weight: [Double]) {
        self.inputSize = inputSize
        outputSize = index.count / taps
        self.taps = taps
        self.index = index
        self.weight = weight
    }

    /// The size-1 axis that leaves a dimension alone (pads the list to three axes).
    static let identity = ResampleAxis(inputSize: 1, positions: [0])

    /// The weights in the element type (all 1 when there are none), converted once per call
    /// rather than once per plane.
    func weights<T: BinaryFloatingPoint>(as _: T.Type) -> [T] {
        weight.map { $0.map { T($0) } } ?? [T](repeating: 1, count: index.count)
    }
}

/// The gradient of a resampling of `x`'s last `axes.count` dimensions (1 to 3): a new
/// float32 or float64 tensor of `inputShape` holding, at each input position, the sum of the
/// output gradients `g` that read it, times their weights (product over the dimensions, in
/// `g`'s precision). Returns `nil` for other dtypes (the caller's composite path takes them).
func resampleBackward(_ g: Tensor, inputShape: [Int], axes: [ResampleAxis]) -> Tensor? {
    guard g.dtype == .float32 || g.dtype == .float64, (1...3).contains(axes.count) else { return nil }
    let grad = g.denseForKernel
    let out = Tensor(uninitializedShape: inputShape, dtype: g.dtype, zeroed: true)
    let full = [ResampleAxis](repeating: .identity, count: 3 - axes.count) + axes
    let planes = inputShape.dropLast(axes.count).reduce(1, *)
    let inPlane = full.reduce(1) { $0 * $1.inputSize }, outPlane = full.reduce(1) { $0 * $1.outputSize }
    guard planes > 0, inPlane > 0, outPlane > 0 else { return out }
    func run<T: BinaryFloatingPoint & TensorScalar>(_: T.Type) {
        let src = grad.pointer(as: T.self), dst = out.pointer(as: T.self)
        let box = ResampleBox<T>(value: (UnsafePointer(src), dst))
        let weights = full.map { $0.weights(as: T.self) }
        forEachPlane(planes, elementsPerPlane: outPlane) { plane in
            let (src, dst) = box.value
            scatterPlane(src + plane * outPlane, into: dst + plane * inPlane, full, weights)
        }
    }
    if g.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    return out
}

/// The resampling of `x`'s last `axes.count` dimensions (1 to 3) into a new tensor of
/// `outputShape`, for float32 and float64 (`nil` for other dtypes): per output position,
/// the weighted taps summed last dimension first, `Σ₁ w₁·(Σ₂ w₂·(Σ₃ w₃·x))`, each step in
/// the element type — the order of one separable pass per dimension, last dimension first.
func resampleForward(_ x: Tensor, outputShape: [Int], axes: [ResampleAxis]) -> Tensor? {
    guard x.dtype == .float32 || x.dtype == .float64, (1...3).contains(axes.count) else { return nil }
    let input = x.denseForKernel
    let out = Tensor(uninitializedShape: outputShape, dtype: x.dtype, zeroed: false)
    let full = [ResampleAxis](repeating: .identity, count: 3 - axes.count) + axes
    let planes = outputShape.dropLast(axes.count).reduce(1, *)
    let inPlane = full.reduce(1) { $0 * $1.inputSize }, outPlane = full.reduce(1) { $0 * $1.outputSize }
    guard planes > 0, outPlane > 0 else { return out }
    func run<T: BinaryFloatingPoint & TensorScalar>(_: T.Type) {
        let box = ResampleBox<T>(value: (UnsafePointer(input.pointer(as: T.self)), out.pointer(as: T.self)))
        let weights = full.map { $0.weights(as: T.self) }
        forEachPlane(planes, elementsPerPlane: outPlane) { plane in
            let (src, dst) = box.value
            gatherPlane(src + plane * inPlane, into: dst + plane * outPlane, full, weights)
        }
    }
    if x.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    return out
}

/// One plane of ``resampleForward(_:outputShape:axes:)``.
@inline(__always)
private func gatherPlane<T: BinaryFloatingPoint>(
    _ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, _ axes: [ResampleAxis], _ weights: [[T]]
) {
    let a = axes[0], b = axes[1], c = axes[2]
    let inB = b.inputSize, inC = c.inputSize, outB = b.outputSize, outC = c.outputSize
    a.index.withUnsafeBufferPointer { ia in
    b.index.withUnsafeBufferPointer { ib in
    c.index.withUnsafeBufferPointer { ic in
        if a.weight == nil && b.weight == nil && c.weight == nil {
            // Padding and nearest: a copy through the index maps.
            for j1 in 0..<a.outputSize {
                for j2 in 0..<outB {
                    let row = src + (ia[j1] * inB + ib[j2]) * inC
                    let target = dst + (j1 * outB + j2) * outC
                    for j3 in 0..<outC { target[j3] = row[ic[j3]] }
                }
            }
            return
        }
        weights[0].withUnsafeBufferPointer { wa in
        weights[1].withUnsafeBufferPointer { wb in
        weights[2].withUnsafeBufferPointer { wc in
        if a.taps == 1 && b.taps == 2 && c.taps == 2 {
            // Bilinear: the general loop below with its tap loops unrolled — the same
            // products and sums in the same order, so the same bits. The general form spent
            // 45% of `interpolate_bilinear_fwd_bwd` in its loop control (perf).
            for j1 in 0..<a.outputSize {
                let plane = src + ia[j1] * inB * inC, scale = wa[j1]
                for j2 in 0..<outB {
                    let top = plane + ib[2 * j2] * inC, bottom = plane + ib[2 * j2 + 1] * inC
                    let w0 = wb[2 * j2], w1 = wb[2 * j2 + 1]
                    let target = dst + (j1 * outB + j2) * outC
                    for j3 in 0..<outC {
                        let i0 = ic[2 * j3], i1 = ic[2 * j3 + 1], u0 = wc[2 * j3], u1 = wc[2 * j3 + 1]
                        let upper = top[i0] * u0 + top[i1] * u1
                        let lower = bottom[i0] * u0 + bottom[i1] * u1
                        target[j3] = (upper * w0 + lower * w1) * scale
                    }
                }
            }
            return
        }
        for j1 in 0..<a.outputSize {
            for j2 in 0..<outB {
                let target = dst + (j1 * outB + j2) * outC
                for j3 in 0..<outC {
                    var outer: T = 0
                    for t1 in 0..<a.taps {
                        var middle: T = 0
                        for t2 in 0..<b.taps {
                            let row = src + (ia[j1 * a.taps + t1] * inB + ib[j2 * b.taps + t2]) * inC
                            var inner: T = 0
                            for t3 in 0..<c.taps {
                                let term = row[ic[j3 * c.taps + t3]] * wc[j3 * c.taps + t3]
                                inner = t3 == 0 ? term : inner + term
                            }
                            let term = inner * wb[j2 * b.taps + t2]
                            middle = t2 == 0 ? term : middle + term
                        }
                        let term = middle * wa[j1 * a.taps + t1]
                        outer = t1 == 0 ? term : outer + term
                    }
                    target[j3] = outer
                }
            }
        }
        }
        }
        }
    }
    }
    }
}

/// One plane: `dst[i1, i2, i3] += w1·w2·w3 · src[j1, j2, j3]` over every output position
/// and tap (the weight product formed first, as PyTorch's upsample backward forms it).
@inline(__always)
private func scatterPlane<T: BinaryFloatingPoint>(
    _ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, _ axes: [ResampleAxis], _ weights: [[T]]
) {
    let a = axes[0], b = axes[1], c = axes[2]
    let inB = b.inputSize, inC = c.inputSize, outB = b.outputSize, outC = c.outputSize
    a.index.withUnsafeBufferPointer { ia in
    b.index.withUnsafeBufferPointer { ib in
    c.index.withUnsafeBufferPointer { ic in
        if a.weight == nil && b.weight == nil && c.weight == nil {
            // Padding and nearest: one position per dimension, weight 1.
            for j1 in 0..<a.outputSize {
                let i1 = ia[j1]
                for j2 in 0..<outB {
                    let row = src + (j1 * outB + j2) * outC
                    let target = dst + (i1 * inB + ib[j2]) * inC
                    for j3 in 0..<outC { target[ic[j3]] += row[j3] }
                }
            }
            return
        }
        weights[0].withUnsafeBufferPointer { wa in
        weights[1].withUnsafeBufferPointer { wb in
        weights[2].withUnsafeBufferPointer { wc in
        for j1 in 0..<a.outputSize {
            for t1 in 0..<a.taps {
                let i1 = ia[j1 * a.taps + t1], w1 = wa[j1 * a.taps + t1]
                for j2 in 0..<outB {
                    let row = src + (j1 * outB + j2) * outC
                    for t2 in 0..<b.taps {
                        let w12 = w1 * wb[j2 * b.taps + t2]
                        let target = dst + (i1 * inB + ib[j2 * b.taps + t2]) * inC
                        if c.taps == 2 {
                            // Linear in the last dimension: the tap loop below unrolled, the
                            // same operations in the same order.
                            for j3 in 0..<outC {
                                let g = row[j3]
                                target[ic[2 * j3]] += w12 * wc[2 * j3] * g
                                target[ic[2 * j3 + 1]] += w12 * wc[2 * j3 + 1] * g
                            }
                            continue
                        }
                        for j3 in 0..<outC {
                            for t3 in 0..<c.taps {
                                target[ic[j3 * c.taps + t3]] += w12 * wc[j3 * c.taps + t3] * row[j3]
                            }
                        }
                    }
                }
            }
        }
        }
        }
        }
    }
    }
    }
}

/// Carries the gradient pointers into the pool's workers, which finish before the caller returns.
private struct ResampleBox<T: BinaryFloatingPoint>: @unchecked Sendable {
    let value: (UnsafePointer<T>, UnsafeMutablePointer<T>)
}

/// Calls `body` for every plane index, splitting the planes across cores when there is
/// enough work: planes are independent in both directions of a resampling.
private func forEachPlane(_ planes: Int, elementsPerPlane: Int, _ body: (Int) -> Void) {
    let parts = Swift.min(planes, parallelPartCount(elements: planes * elementsPerPlane, family: .elementwise))
    parallelFor(parts) { p in
        for plane in (planes * p / parts)..<(planes * (p + 1) / parts) { body(plane) }
    }
}
