import ArgumentParser
import Foundation
import Torch
import TorchVision

/// `swifttorch predict`: ImageNet classification with torchvision weights.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify images with a torchvision architecture and its weights (.pth or .safetensors).",
        discussion: """
            Weights come from torchvision's download URLs, e.g. \
            https://download.pytorch.org/models/resnet18-f37072fd.pth (ResNet18_Weights.IMAGENET1K_V1). \
            Images (PNG or JPEG) get the preprocessing those weights document: resize 256 (bilinear, \
            antialias), centre crop 224, normalise with ImageNet's mean and std.
            """)

    @Option(help: "The architecture: \(visionModelBuilders.keys.sorted().joined(separator: ", ")).") var model = "resnet18"
    @Option(help: "The weights: a torch.save state dict (.pth) or a safetensors file.") var weights: String
    @Option(help: "How many classes to print per image.") var top = 5
    @Argument(help: "PNG or JPEG images.") var images: [String]

    func run() throws {
        print(try predictionReport(model: model, weights: weights, images: images, top: top), terminator: "")
    }
}

/// What `swifttorch predict` prints: per image, its `top` classes with probabilities.
func predictionReport(model name: String, weights: String, images: [String], top: Int = 5) throws -> String {
    let model = try loadVisionModel(name, weights: weights)
    let tensors = try images.map { try readImage($0, mode: .rgb) }
    var text = ""
    for (path, predictions) in zip(images, classify(tensors, model: model, k: top)) {
        text += "\(path):\n"
        for p in predictions {
            text += String(format: "  %6.2f%%  %@ (%d)\n", 100 * p.probability, p.label, p.index)
        }
    }
    return text
}

/// `swifttorch convert`: a state dict between torch.save's format and safetensors.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a state dict between .pth (torch.save) and .safetensors; the output's extension picks the format.")

    @Argument(help: "The input: .pth/.pt (zip or legacy torch.save) or .safetensors.") var input: String
    @Argument(help: "The output: .safetensors, or .pth/.pt for torch.save's zip format.") var output: String

    func run() throws {
        let format: SaveFormat
        switch URL(fileURLWithPath: output).pathExtension.lowercased() {
        case "safetensors": format = .safetensors
        case "pth", "pt", "bin", "ckpt": format = .pytorch
        default: throw TorchError("\(output): unknown output format (use .safetensors, .pth or .pt)")
        }
        let tensors = try load(from: input)
        try save(tensors, to: output, format: format)
        print("\(input) → \(output): \(tensors.count) tensors")
    }
}
