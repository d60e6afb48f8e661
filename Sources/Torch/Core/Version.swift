/// SwiftTorch's version (PyTorch's is `torch.__version__`).
public let torchVersion = "0.1.0"
