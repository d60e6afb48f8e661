/// SwiftTorch's version.
public let torchVersion = "0.1.0"
