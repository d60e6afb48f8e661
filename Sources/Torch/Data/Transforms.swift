/// Image transforms (the `torchvision.transforms` the seeds use), applied to one image.
public protocol Transform: Sendable {
    /// The transformed image.
    func callAsFunction(_ image: Tensor) -> Tensor
}

/// Applies transforms in order (`transforms.Compose`, `torchvision.transforms.Compose`).
public struct Compose: Transform {
    /// The transforms, first applied first.
    public let transforms: [any Transform]
    /// Creates the chain.
    public init(_ transforms: [any Transform]) { self.transforms = transforms }
    /// The image after every transform.
    public func callAsFunction(_ image: Tensor) -> Tensor { transforms.reduce(image) { $1($0) } }
}

/// uint8 `(H, W, C)` (or `(H, W)`) to float32 `(C, H, W)` in [0, 1] (`transforms.ToTensor`);
/// float input passes through (`torchvision.transforms.ToTensor`).
public struct ToTensor: Transform {
    /// Creates the transform.
    public init() {}
    /// The converted image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        guard image.dtype == .uint8 else { return image }
        let hwc = image.dim == 2 ? image.unsqueeze(-1) : image
        return hwc.permute(2, 0, 1).contiguous().to(.float32) / 255
    }
}

/// `(x - mean) / std` per channel (`transforms.Normalize`, `torchvision.transforms.Normalize`).
public struct Normalize: Transform {
    /// Per-channel means.
    public let mean: [Double]
    /// Per-channel standard deviations.
    public let std: [Double]
    /// Creates the transform.
    public init(mean: [some ScalarConvertible], std: [some ScalarConvertible]) {
        let mean = mean.map(\.scalarValue.doubleValue)
        let std = std.map(\.scalarValue.doubleValue)
        self.mean = mean
        self.std = std
    }
    /// The normalised `(C, H, W)` image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let c = image.shape[0]
        let m = Tensor(shape: [c, 1, 1], scalars: mean.count == 1 ? Array(repeating: mean[0], count: c) : mean).to(image.dtype)
        let s = Tensor(shape: [c, 1, 1], scalars: std.count == 1 ? Array(repeating: std[0], count: c) : std).to(image.dtype)
        return (image - m) / s
    }
}

/// A random `size × size` crop after zero padding (`transforms.RandomCrop(size, padding:)`,
/// `torchvision.transforms.RandomCrop`).
public struct RandomCrop: Transform {
    /// Output height and width.
    public let size: Int
    /// Zero border added first.
    public let padding: Int
    /// Creates the transform.
    public init(_ size: Int, padding: Int = 0) {
        self.size = size
        self.padding = padding
    }
    /// A crop of the `(C, H, W)` image at a random position.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let padded = padding > 0 ? pad(image, [padding, padding, padding, padding]) : image
        let h = padded.shape[1], w = padded.shape[2]
        guard h >= size, w >= size else { torchFatal("ValueError: Required crop size (\(size), \(size)) is larger than input image size (\(h), \(w))") }
        // torchvision draws nothing when the crop is the whole image.
        if h == size && w == size { return padded }
        let top = Tensor.randint(0, h - size + 1, [1]).item(as: Int.self)
        let left = Tensor.randint(0, w - size + 1, [1]).item(as: Int.self)
        return padded.narrow(1, top, size).narrow(2, left, size)
    }
}

/// Mirrors the image left–right with probability `p` (`transforms.RandomHorizontalFlip`,
/// `torchvision.transforms.RandomHorizontalFlip`).
public struct RandomHorizontalFlip: Transform {
    /// The flip probability.
    public let p: Double
    /// Creates the transform.
    public init(p: some ScalarConvertible = 0.5) {
        let p = p.scalarValue.doubleValue
        self.p = p
    }
    /// The image, flipped or not.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        Tensor.rand(1).item() < p ? image.flip([image.dim - 1]) : image
    }
}
