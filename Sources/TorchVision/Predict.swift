import Foundation
import Torch

/// Every architecture by torchvision's name (`torchvision.models.get_model(name)`): a builder
/// taking the class count.
public let visionModelBuilders: [String: @Sendable (Int) -> Module] = [
    "resnet18": { resnet18(numClasses: $0) }, "resnet34": { resnet34(numClasses: $0) },
    "resnet50": { resnet50(numClasses: $0) }, "resnet101": { resnet101(numClasses: $0) },
    "vgg11": { vgg11(numClasses: $0) }, "vgg11_bn": { vgg11BN(numClasses: $0) },
    "vgg16": { vgg16(numClasses: $0) }, "vgg16_bn": { vgg16BN(numClasses: $0) },
    "mobilenet_v2": { mobilenetV2(numClasses: $0) }, "mobilenet_v3_small": { mobilenetV3Small(numClasses: $0) },
    "mobilenet_v3_large": { mobilenetV3Large(numClasses: $0) }, "efficientnet_b0": { efficientnetB0(numClasses: $0) },
    "densenet121": { densenet121(numClasses: $0) }, "squeezenet1_1": { squeezenet1_1(numClasses: $0) },
    "vit_b_16": { vitB16(numClasses: $0) },
]

/// Builds the architecture `name` without random initialisation (`skipInit(_:)`) and loads
/// `weights` (a torchvision `.pth` or a `.safetensors` file) into it, in evaluation mode — what
/// `torchvision.models.get_model(name, weights=...)` returns. The class count is read from the
/// checkpoint's classifier.
///
/// - Throws: `TorchError` naming the file for an unknown architecture, an unreadable file, or
///   a state dict whose keys or shapes do not fit the architecture.
public func loadVisionModel(_ name: String, weights: some FileLocation) throws -> Module {
    guard let build = visionModelBuilders[name] else {
        throw TorchError("unknown model \(name); known: \(visionModelBuilders.keys.sorted().joined(separator: ", "))")
    }
    let state = try load(from: weights)
    // The classifier is the last 2-D (or 4-D, squeezenet's 1×1 convolution) weight by name order
    // torchvision writes; its first dimension is the class count.
    let probe = skipInit { build(1000) }
    let classifier = probe.namedStateTensors().last { $0.name.hasSuffix("weight") }?.name
    let classes = classifier.flatMap { state[$0]?.shape.first } ?? 1000
    let model = classes == 1000 ? probe : skipInit { build(classes) }
    do {
        try model.loadStateDict(state)
    } catch {
        throw TorchError("\(weights.fileURL.path): not \(name) weights: \(error)")
    }
    model.eval()
    return model
}

/// torchvision's `ImageClassification` preset, the preprocessing its ImageNet weights document
/// (`weights.transforms()`): resize the smaller edge to `resizeSize` (bilinear, antialias),
/// centre-crop `cropSize`, convert to float in [0, 1], normalise with ImageNet's mean and std.
public func imageClassificationTransform(cropSize: Int = 224, resizeSize: Int = 256,
                                         mean: [some ScalarConvertible] = [0.485, 0.456, 0.406],
                                         std: [some ScalarConvertible] = [0.229, 0.224, 0.225]) -> Compose {
    let mean = mean.map(\.scalarValue.doubleValue)
    let std = std.map(\.scalarValue.doubleValue)
    return Compose([Resize(resizeSize), CenterCrop(cropSize), ConvertImageDtype(.float32), Normalize(mean: mean, std: std)])
}

/// One class of a classification, best first. SwiftTorch only: torchvision has no counterpart (its
/// examples pair `weights.meta["categories"]` with scores by hand).
public struct ClassPrediction: Sendable, Equatable {
    /// The class index.
    public let index: Int
    /// The class name (ImageNet's for 1000 classes, else `class N`).
    public let label: String
    /// Its softmax probability.
    public let probability: Double
}

/// The `k` most probable classes of each image (uint8 `(C, H, W)`, as `readImage(_:mode:)`
/// gives) under `model`, after `transform` (torchvision's preset by default): softmax over the
/// logits, then `topk`.
public func classify(_ images: [Tensor], model: Module, k: Int = 5,
                     transform: any Transform = imageClassificationTransform(),
                     categories: [String]? = nil) -> [[ClassPrediction]] {
    guard !images.isEmpty else { return [] }
    let batch = stack(images.map { transform($0) })
    let probabilities = noGrad { model(batch).softmax(dim: -1) }
    let classes = probabilities.shape[1]
    let names = categories ?? (classes == 1000 ? imagenetCategories : (0..<classes).map { "class \($0)" })
    return (0..<images.count).map { n in
        let row = probabilities.select(0, n).to(.float64).toArray(Double.self)
        let order = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
        return order.prefix(k).map { ClassPrediction(index: $0, label: names[$0], probability: row[$0]) }
    }
}
