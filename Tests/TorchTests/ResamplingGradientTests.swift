import Testing
@testable import Torch

/// Gradients of padding and interpolation (the direct scatter-add backward kernel) against
/// values recorded from PyTorch 2.15: `x` and the output weights `w` are
/// `(arange(n) * k % m) / 4 - 1` in float32, the loss `(f(x) * w).sum()`.
@Suite struct ResamplingGradientTests {
    private func pattern(_ shape: [Int], _ k: Int, _ m: Int) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { Float(($0 * k) % m) / 4 - 1 })
    }

    /// `x.grad` after `(f(x) * w).sum().backward()`, with `x` of `shape`.
    private func gradient(_ shape: [Int], _ f: (Tensor) -> Tensor) -> [Float] {
        let x = pattern(shape, 7, 11).requiresGrad_()
        let y = f(x)
        (y * pattern(y.shape, 5, 13)).sum().backward()
        return x.grad!.toArray(Float.self)
    }

    private func expectClose(_ got: [Float], _ want: [Float]) {
        #expect(got.count == want.count)
        for (g, w) in zip(got, want) { #expect(abs(g - w) <= 1e-6) }
    }

    @Test func reflectPad2dGradient() {
        expectClose(gradient([1, 2, 3, 4]) { pad($0, [2, 1, 1, 2], mode: .reflect) },
                    [0.25, 3.75, 1.0, 1.25, 1.75, 3.5, 4.0, 3.25, 1.75, 0.25, 0.5, -1.0,
                     1.25, -0.75, 4.0, 2.25, 3.25, 3.25, 5.25, 1.5, -1.0, 1.25, 2.0, -0.5])
    }

    @Test func replicatePad2dGradient() {
        expectClose(gradient([2, 1, 3, 3]) { pad($0, [1, 2, 2, 0], mode: .replicate) },
                    [0.5, 1.0, 6.0, 2.0, 1.25, 1.5, 0.75, -1.0, 1.25, 4.5, 3.0, 2.25, 2.25, -0.25, 0.25, 1.0, 0.75, 3.25])
    }

    @Test func replicatePad3dGradient() {
        expectClose(gradient([1, 1, 2, 2, 3]) { pad($0, [1, 1, 0, 1, 1, 0], mode: .replicate) },
                    [0.25, 2.25, 2.25, 4.0, 3.0, 1.5, 2.75, 0.0, 0.5, 4.0, -0.75, 2.75])
    }

    @Test func nearestInterpolationGradient() {
        expectClose(gradient([1, 2, 2, 3]) { interpolate($0, size: [5, 4], mode: .nearest) },
                    [1.75, 3.25, 0.5, 0.25, 2.25, 1.5, 2.25, 0.25, 4.0, 2.75, 0.25, -0.5])
    }

    @Test func bilinearInterpolationGradient() {
        expectClose(gradient([1, 2, 3, 2]) { interpolate($0, scaleFactor: [2], mode: .bilinear) },
                    [1.265625, 2.296875, 0.984375, 2.828125, 1.3125, 3.5625,
                     1.421875, 1.640625, 2.5625, 0.75, 3.703125, 0.671875])
    }

    @Test func backwardIsRecordedUnderCreateGraphWithPyTorchsNames() {
        // The backward pass is itself differentiable: its node carries PyTorch's name, and
        // its derivative (the padding or interpolation again) gives the second derivative.
        let x = pattern([1, 1, 3, 4], 7, 11).requiresGrad_()
        let y = pad(x, [1, 1, 1, 1], mode: .reflect)
        let g = gradients(of: [(y * y).sum()], wrt: [x], createGraph: true)[0]!
        #expect(g.gradFn?.name == "ReflectionPad2DBackwardBackward0")
        let z = interpolate(x, scaleFactor: [2], mode: .nearest)
        let n = gradients(of: [(z * z).sum()], wrt: [x], createGraph: true)[0]!
        #expect(n.gradFn?.name == "UpsampleNearest2DBackwardBackward0")
        // Each input is read by four outputs: d/dx Σ z² = 8x.
        #expect(n.toArray(Float.self) == x.toArray(Float.self).map { 8 * $0 })
        // Second order through the recorded backward: d/dx Σ (8x)² / 2 = 64x.
        let h = gradients(of: [(n * n).sum() * 0.5], wrt: [x])[0]!
        #expect(h.toArray(Float.self) == x.toArray(Float.self).map { 64 * $0 })
    }

    /// The bilinear loop (its taps unrolled) against the general one: an image of height 1
    /// resized to height 1 weights its single row by 1 and 0, so each output equals
    /// 1-D linear interpolation of that row (the general loop) exactly.
    @Test func bilinearLoopMatchesTheGeneralLoopBitForBit() {
        let row = pattern([2, 3, 13], 7, 11) * 0.37
        let linear = interpolate(row, size: [29], mode: .linear).toArray(Float.self)
        let bilinear = interpolate(row.unsqueeze(2), size: [1, 29], mode: .bilinear).toArray(Float.self)
        #expect(linear == bilinear)
        let up = interpolate(row, scaleFactor: [2], mode: .linear).toArray(Float.self)
        let up2 = interpolate(row.unsqueeze(2), scaleFactor: [1, 2], mode: .bilinear).toArray(Float.self)
        #expect(up == up2)
    }
}
