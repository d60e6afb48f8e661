import Testing
import Torch
import TorchVision

/// torchvision's numeric arguments (fills, factors, angles, ranges, probabilities) take a
/// Swift number held in a variable of any standard type and keep the value a `Double`
/// literal gives.
@Suite struct NumberVariableTransformTests {
    @Test func transformArgumentsTakeVariables() {
        let fill: Float = 0.5, degrees = 30, lo: Float = 0.25, hi = 2, factor: Float = 0.5, p = 0
        #expect(Pad(1, fill: fill).fill == 0.5)
        let r = RandomRotation(degrees, fill: [fill])
        #expect(r.degrees == (-30, 30) && r.fill == [0.5])
        #expect(RandomRotation((lo, hi)).degrees == (0.25, 2))
        let crop = RandomResizedCrop(8, scale: (lo, 1), ratio: (factor, hi))
        #expect(crop.scale == (0.25, 1) && crop.ratio == (0.5, 2))
        let jitter = ColorJitter(brightness: factor, contrast: lo, saturation: 0, hue: lo)
        #expect(jitter.brightness! == (0.5, 1.5) && jitter.hue! == (-0.25, 0.25))
        let range: (Float, Float) = (0.5, 1.5)
        #expect(ColorJitter(brightness: range, contrast: nil, saturation: nil, hue: nil).brightness! == (0.5, 1.5))
        #expect(GaussianBlur(kernelSize: 3, sigma: (lo, hi)).sigma == (0.25, 2))
        #expect(StochasticDepth(p).p == 0)
        let image = Tensor([[[0.25, 0.5], [1.0, 0.75]]])
        #expect(adjustBrightness(image, factor).toArray(Float.self) == adjustBrightness(image, 0.5).toArray(Float.self))
        #expect(rotate(image, angle: degrees * 3).toArray(Float.self) == rotate(image, angle: 90.0).toArray(Float.self))
        #expect(TorchVision.pad(image, padding: [1], fill: fill).toArray(Float.self)
                == TorchVision.pad(image, padding: [1], fill: 0.5).toArray(Float.self))
    }
}
