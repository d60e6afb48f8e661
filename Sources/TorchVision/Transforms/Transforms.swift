import Foundation
import Torch

// torchvision.transforms classes on tensor images. They conform to Torch's `Transform`
// protocol (Torch's Data layer already has Compose, ToTensor, Normalize, RandomCrop and
// RandomHorizontalFlip, which these compose with), and draw their random numbers from the
// default generator with the same calls in the same order as torchvision (`torch.randint`,
// `torch.rand`, `torch.empty(1).uniform_`, `torch.randperm`), so a seeded pipeline gives
// torchvision's crops, flips and jitters.

/// One uniform float32 draw in [low, high) as `torch.empty(1).uniform_(low, high).item()`.
func uniformDraw(_ low: Double, _ high: Double) -> Double {
    Tensor.empty(1).uniform_(from: low, to: high).item()
}

/// One integer draw in [low, high) as `torch.randint(low, high, size=(1,)).item()`.
func randintDraw(_ low: Int, _ high: Int) -> Int {
    Tensor.randint(low, high, [1]).item(as: Int.self)
}

/// Resizes to `size` (torchvision's `transforms.Resize`): `[s]` (or an `Int`) matches the smaller
/// edge, `[h, w]` sets both; bilinear with antialias by default.
public struct Resize: Transform {
    /// The target size.
    public let size: [Int]
    /// How new pixels are computed.
    public let interpolation: InterpolationMode
    /// The longest edge allowed after a smaller-edge resize.
    public let maxSize: Int?
    /// Whether bilinear downscaling low-pass filters first.
    public let antialias: Bool
    /// Creates the transform.
    public init(_ size: [Int], interpolation: InterpolationMode = .bilinear, maxSize: Int? = nil, antialias: Bool = true) {
        self.size = size
        self.interpolation = interpolation
        self.maxSize = maxSize
        self.antialias = antialias
    }
    /// Creates the transform for the smaller edge.
    public init(_ size: Int, interpolation: InterpolationMode = .bilinear, maxSize: Int? = nil, antialias: Bool = true) {
        self.init([size], interpolation: interpolation, maxSize: maxSize, antialias: antialias)
    }
    /// The resized image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        resize(image, size: size, interpolation: interpolation, maxSize: maxSize, antialias: antialias)
    }
}

/// Crops the centre (torchvision's `transforms.CenterCrop`).
public struct CenterCrop: Transform {
    /// Output `[height, width]`.
    public let size: [Int]
    /// Creates the transform (`[s]` or an `Int` for a square).
    public init(_ size: [Int]) { self.size = size.count == 1 ? [size[0], size[0]] : size }
    /// Creates a square crop.
    public init(_ size: Int) { self.init([size]) }
    /// The cropped image.
    public func callAsFunction(_ image: Tensor) -> Tensor { centerCrop(image, size: size) }
}

/// Pads the borders (torchvision's `transforms.Pad`).
public struct Pad: Transform {
    /// One value, `[left/right, top/bottom]` or `[left, top, right, bottom]`.
    public let padding: [Int]
    /// The constant fill.
    public let fill: Double
    /// How the border is filled.
    public let paddingMode: ImagePaddingMode
    /// Creates the transform.
    public init(_ padding: [Int], fill: some ScalarConvertible = 0, paddingMode: ImagePaddingMode = .constant) {
        let fill = fill.scalarValue.doubleValue
        _ = parsePadding(padding)
        self.padding = padding
        self.fill = fill
        self.paddingMode = paddingMode
    }
    /// Creates the transform with the same padding on every side.
    public init(_ padding: Int, fill: some ScalarConvertible = 0, paddingMode: ImagePaddingMode = .constant) {
        self.init([padding], fill: fill, paddingMode: paddingMode)
    }
    /// The padded image.
    public func callAsFunction(_ image: Tensor) -> Tensor { pad(image, padding: padding, fill: fill, paddingMode: paddingMode) }
}

/// Applies any function (torchvision's `transforms.Lambda`).
public struct Lambda: Transform {
    /// The function.
    public let body: @Sendable (Tensor) -> Tensor
    /// Creates the transform.
    public init(_ body: @escaping @Sendable (Tensor) -> Tensor) { self.body = body }
    /// `body(image)`.
    public func callAsFunction(_ image: Tensor) -> Tensor { body(image) }
}

/// Converts the dtype, rescaling values: uint8 → float in [0, 1] (torchvision's
/// `transforms.ConvertImageDtype`; with `readImage(_:mode:)` it is `ToTensor` for
/// `(C, H, W)` images).
public struct ConvertImageDtype: Transform {
    /// The target dtype.
    public let dtype: DType
    /// Creates the transform.
    public init(_ dtype: DType = .float32) { self.dtype = dtype }
    /// The converted image.
    public func callAsFunction(_ image: Tensor) -> Tensor { convertImageDtype(image, dtype) }
}

/// A uint8 `(C, H, W)` image as it is (torchvision's `transforms.PILToTensor`, whose job — a
/// PIL image to a uint8 CHW tensor — `readImage(_:mode:)` already did); an `(H, W, C)` uint8
/// array is permuted to `(C, H, W)`.
public struct PILToTensor: Transform {
    /// Creates the transform.
    public init() {}
    /// The `(C, H, W)` uint8 image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        image.dim == 3 && image.shape[2] <= 4 && image.shape[0] > 4 ? image.permute(2, 0, 1).contiguous() : image
    }
}

/// Converts to greyscale with 1 or 3 output channels (torchvision's `transforms.Grayscale`).
public struct Grayscale: Transform {
    /// 1 or 3.
    public let numOutputChannels: Int
    /// Creates the transform.
    public init(numOutputChannels: Int = 1) { self.numOutputChannels = numOutputChannels }
    /// The grey image.
    public func callAsFunction(_ image: Tensor) -> Tensor { rgbToGrayscale(image, numOutputChannels: numOutputChannels) }
}

/// Crops a random region of random area and aspect ratio, resized to `size` (torchvision's
/// `transforms.RandomResizedCrop`): up to ten tries of area in `scale` × the image and
/// log-uniform aspect ratio in `ratio`, else a centre crop.
public struct RandomResizedCrop: Transform {
    /// Output `[height, width]`.
    public let size: [Int]
    /// The range of the crop's area as a fraction of the image's.
    public let scale: (Double, Double)
    /// The range of the crop's aspect ratio (width / height).
    public let ratio: (Double, Double)
    /// How the crop is resized.
    public let interpolation: InterpolationMode
    /// Whether bilinear downscaling low-pass filters first.
    public let antialias: Bool
    /// Creates the transform.
    public init(_ size: [Int], scale: (some ScalarConvertible, some ScalarConvertible) = (0.08, 1.0),
                ratio: (some ScalarConvertible, some ScalarConvertible) = (3.0 / 4.0, 4.0 / 3.0),
                interpolation: InterpolationMode = .bilinear, antialias: Bool = true) {
        let scale = (scale.0.scalarValue.doubleValue, scale.1.scalarValue.doubleValue)
        let ratio = (ratio.0.scalarValue.doubleValue, ratio.1.scalarValue.doubleValue)
        self.size = size.count == 1 ? [size[0], size[0]] : size
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
        self.antialias = antialias
    }
    /// Creates a square transform.
    public init(_ size: Int, scale: (some ScalarConvertible, some ScalarConvertible) = (0.08, 1.0),
                ratio: (some ScalarConvertible, some ScalarConvertible) = (3.0 / 4.0, 4.0 / 3.0),
                interpolation: InterpolationMode = .bilinear, antialias: Bool = true) {
        self.init([size], scale: scale, ratio: ratio, interpolation: interpolation, antialias: antialias)
    }

    /// The crop's `(top, left, height, width)`, drawn as torchvision's `get_params`.
    public static func parameters(height: Int, width: Int, scale: (some ScalarConvertible, some ScalarConvertible),
                                  ratio: (some ScalarConvertible, some ScalarConvertible)) -> (Int, Int, Int, Int) {
        let scale = (scale.0.scalarValue.doubleValue, scale.1.scalarValue.doubleValue)
        let ratio = (ratio.0.scalarValue.doubleValue, ratio.1.scalarValue.doubleValue)
        let area = Double(height * width)
        // torch.log(torch.tensor(ratio)): float32 logarithms.
        let logRatio = (Double(logf(Float(ratio.0))), Double(logf(Float(ratio.1))))
        for _ in 0..<10 {
            let targetArea = area * uniformDraw(scale.0, scale.1)
            let aspect = Double(expf(Float(uniformDraw(logRatio.0, logRatio.1))))
            let w = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            if 0 < w && w <= width && 0 < h && h <= height {
                let i = randintDraw(0, height - h + 1)
                let j = randintDraw(0, width - w + 1)
                return (i, j, h, w)
            }
        }
        let inRatio = Double(width) / Double(height)
        var w = width, h = height
        if inRatio < Swift.min(ratio.0, ratio.1) {
            h = Int((Double(w) / Swift.min(ratio.0, ratio.1)).rounded(.toNearestOrEven))
        } else if inRatio > Swift.max(ratio.0, ratio.1) {
            w = Int((Double(h) * Swift.max(ratio.0, ratio.1)).rounded(.toNearestOrEven))
        }
        return ((height - h) / 2, (width - w) / 2, h, w)
    }

    /// A random crop, resized.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let (i, j, h, w) = Self.parameters(height: image.shape[image.dim - 2], width: image.shape[image.dim - 1],
                                           scale: scale, ratio: ratio)
        return resizedCrop(image, top: i, left: j, height: h, width: w, size: size, interpolation: interpolation,
                           antialias: antialias)
    }
}

/// Randomly changes brightness, contrast, saturation and hue, in a random order (torchvision's
/// `transforms.ColorJitter`). A number `b` means the factor range [max(0, 1 − b), 1 + b]
/// (hue: [−h, h]); a range is used as given.
public struct ColorJitter: Transform {
    /// Factor ranges; nil leaves the property alone (and draws nothing for it).
    public let brightness: (Double, Double)?, contrast: (Double, Double)?, saturation: (Double, Double)?, hue: (Double, Double)?

    static func range(_ value: Double, center: Double, clipAtZero: Bool) -> (Double, Double)? {
        guard value != 0 else { return nil }
        let low = center - value
        return (clipAtZero ? Swift.max(low, 0) : low, center + value)
    }

    /// Creates the transform from torchvision's single-number arguments.
    public init(brightness: some ScalarConvertible = 0, contrast: some ScalarConvertible = 0,
                saturation: some ScalarConvertible = 0, hue: some ScalarConvertible = 0) {
        let brightness = brightness.scalarValue.doubleValue
        let contrast = contrast.scalarValue.doubleValue
        let saturation = saturation.scalarValue.doubleValue
        let hue = hue.scalarValue.doubleValue
        guard hue >= 0 && hue <= 0.5 else { torchFatal("ValueError: hue values should be between (-0.5, 0.5)") }
        self.init(brightness: Self.range(brightness, center: 1, clipAtZero: true),
                  contrast: Self.range(contrast, center: 1, clipAtZero: true),
                  saturation: Self.range(saturation, center: 1, clipAtZero: true),
                  hue: Self.range(hue, center: 0, clipAtZero: false))
    }

    /// Creates the transform from explicit ranges.
    public init(brightness: (any ScalarConvertible, any ScalarConvertible)?,
                contrast: (any ScalarConvertible, any ScalarConvertible)?,
                saturation: (any ScalarConvertible, any ScalarConvertible)?,
                hue: (any ScalarConvertible, any ScalarConvertible)?) {
        let brightness = brightness.map { ($0.0.scalarValue.doubleValue, $0.1.scalarValue.doubleValue) }
        let contrast = contrast.map { ($0.0.scalarValue.doubleValue, $0.1.scalarValue.doubleValue) }
        let saturation = saturation.map { ($0.0.scalarValue.doubleValue, $0.1.scalarValue.doubleValue) }
        let hue = hue.map { ($0.0.scalarValue.doubleValue, $0.1.scalarValue.doubleValue) }
        func used(_ r: (Double, Double)?, _ center: Double) -> (Double, Double)? {
            guard let r else { return nil }
            return r.0 == center && r.1 == center ? nil : r
        }
        self.brightness = used(brightness, 1)
        self.contrast = used(contrast, 1)
        self.saturation = used(saturation, 1)
        self.hue = used(hue, 0)
    }

    /// The jittered image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let order = Tensor.randperm(4).toArray(Int64.self)
        let b = brightness.map { uniformDraw($0.0, $0.1) }
        let c = contrast.map { uniformDraw($0.0, $0.1) }
        let s = saturation.map { uniformDraw($0.0, $0.1) }
        let h = hue.map { uniformDraw($0.0, $0.1) }
        var img = image
        for k in order {
            switch k {
            case 0: if let b { img = adjustBrightness(img, b) }
            case 1: if let c { img = adjustContrast(img, c) }
            case 2: if let s { img = adjustSaturation(img, s) }
            default: if let h { img = adjustHue(img, h) }
            }
        }
        return img
    }
}

/// Rotates by a random angle in `degrees` (torchvision's `transforms.RandomRotation`, nearest
/// interpolation, same size, `fill` outside).
public struct RandomRotation: Transform {
    /// The angle range in degrees.
    public let degrees: (Double, Double)
    /// The value(s) for pixels from outside the image.
    public let fill: [Double]
    /// Creates the transform with angles in [−degrees, degrees].
    public init(_ degrees: some ScalarConvertible, fill: [some ScalarConvertible] = [0]) {
        let degrees = degrees.scalarValue.doubleValue
        let fill = fill.map(\.scalarValue.doubleValue)
        guard degrees >= 0 else { torchFatal("ValueError: If degrees is a single number, it must be positive.") }
        self.init((-degrees, degrees), fill: fill)
    }
    /// Creates the transform with angles in a range.
    public init(_ degrees: (some ScalarConvertible, some ScalarConvertible), fill: [some ScalarConvertible] = [0]) {
        let degrees = (degrees.0.scalarValue.doubleValue, degrees.1.scalarValue.doubleValue)
        let fill = fill.map(\.scalarValue.doubleValue)
        self.degrees = degrees
        self.fill = fill
    }
    /// The rotated image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        rotate(image, angle: uniformDraw(degrees.0, degrees.1), fill: fill)
    }
}

/// Gaussian blur with a random sigma in `sigma` (torchvision's `transforms.GaussianBlur`).
public struct GaussianBlur: Transform {
    /// Kernel `[width, height]`, odd.
    public let kernelSize: [Int]
    /// The sigma range.
    public let sigma: (Double, Double)
    /// Creates the transform.
    public init(kernelSize: [Int], sigma: (some ScalarConvertible, some ScalarConvertible) = (0.1, 2.0)) {
        let sigma = (sigma.0.scalarValue.doubleValue, sigma.1.scalarValue.doubleValue)
        self.kernelSize = kernelSize.count == 1 ? [kernelSize[0], kernelSize[0]] : kernelSize
        guard self.kernelSize.allSatisfy({ $0 > 0 && $0 % 2 == 1 }) else {
            torchFatal("ValueError: Kernel size value should be an odd and positive number.")
        }
        guard 0 < sigma.0 && sigma.0 <= sigma.1 else {
            torchFatal("ValueError: sigma values should be positive and of the form (min, max).")
        }
        self.sigma = sigma
    }
    /// Creates the transform with a square kernel.
    public init(kernelSize: Int, sigma: (some ScalarConvertible, some ScalarConvertible) = (0.1, 2.0)) {
        self.init(kernelSize: [kernelSize], sigma: sigma)
    }
    /// The blurred image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let s = uniformDraw(sigma.0, sigma.1)
        return gaussianBlur(image, kernelSize: kernelSize, sigma: [s, s])
    }
}
