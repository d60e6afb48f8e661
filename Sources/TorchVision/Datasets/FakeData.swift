import Torch

/// Random images with random labels (torchvision's `datasets.FakeData`), the same for the
/// same index every time: item `i` is drawn after seeding a generator with
/// `i + randomOffset`, as torchvision reseeds the global one, so values equal torchvision's.
///
/// torchvision draws `randn(imageSize)` and a label `randint(0, numClasses)`, then converts
/// the float image to a PIL image (`ToPILImage`: `mul(255).byte()`, which wraps values
/// outside 0…255 modulo 256). Transforms here work on tensors, so an item's image is that
/// PIL image as a uint8 `(C, H, W)` tensor (what `PILToTensor` would give); `transform` then
/// runs on it (`ConvertImageDtype()` makes it float in [0, 1], as `ToTensor` would). The
/// caller's random stream is untouched, as torchvision restores the global state.
public struct FakeData: Dataset {
    /// The number of items.
    public let size: Int
    /// `[C, H, W]` (or `[H, W]` for one channel); at most 4 channels, as PIL's modes.
    public let imageSize: [Int]
    /// Labels are drawn from `0..<numClasses`.
    public let numClasses: Int
    /// Applied to each image.
    public let transform: (any Transform)?
    /// Applied to each label.
    public let targetTransform: (@Sendable (Int) -> Int)?
    /// Added to the index to seed each item.
    public let randomOffset: Int

    /// Creates the dataset with torchvision's arguments and defaults.
    public init(size: Int = 1000, imageSize: [Int] = [3, 224, 224], numClasses: Int = 10, transform: (any Transform)? = nil,
                targetTransform: (@Sendable (Int) -> Int)? = nil, randomOffset: Int = 0) {
        guard imageSize.count == 2 || (imageSize.count == 3 && (1...4).contains(imageSize[0])) else {
            torchFatal("TypeError: pic should be 2/3 dimensional with at most 4 channels. Got image size \(imageSize).")
        }
        self.size = size
        self.imageSize = imageSize
        self.numClasses = numClasses
        self.transform = transform
        self.targetTransform = targetTransform
        self.randomOffset = randomOffset
    }

    /// The number of items.
    public var count: Int { size }

    /// The image (transformed) and label of item `index`.
    public func sample(at index: Int) -> (Tensor, Int) {
        guard index >= 0 && index < size else { torchFatal("IndexError: FakeData index out of range") }
        let (noise, label) = withDefaultGenerator(Generator().manualSeed(UInt64(index + randomOffset))) {
            (Tensor.randn(imageSize), Tensor.randint(0, numClasses, [1]).item(as: Int64.self))
        }
        // ToPILImage: float → uint8 by `mul(255).byte()`; a 2-D image becomes one channel.
        var image = (noise * 255).byte()
        if image.dim == 2 { image = image.unsqueeze(0) }
        if let transform { image = transform(image) }
        let target = Int(label)
        return (image, targetTransform?(target) ?? target)
    }

    /// The image and its label as a 0-d int64 tensor, for `DataLoader`.
    public subscript(index: Int) -> (Tensor, Tensor) {
        let (image, label) = sample(at: index)
        return (image, Tensor(Int64(label)))
    }
}
