import Foundation

/// ImageNet-1k's 1000 class names in class-index order, as torchvision's weights carry them
/// (`weights.meta["categories"]`, from `torchvision.models._meta._IMAGENET_CATEGORIES`;
/// regenerate the bundled list with `scripts/make-imagenet-classes.py`).
public let imagenetCategories: [String] = {
    guard let url = Bundle.module.url(forResource: "imagenet_classes", withExtension: "txt"),
          let text = try? String(contentsOf: url, encoding: .utf8) else {
        fatalError("TorchVision's bundled imagenet_classes.txt is missing from the package resources")
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}()
