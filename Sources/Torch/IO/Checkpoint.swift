import Foundation

/// The file format ``save(_:to:metadata:format:)`` writes. SwiftTorch only: PyTorch has no
/// counterpart (`torch.save` writes one format; this chooses it or safetensors).
public enum SaveFormat: Sendable {
    /// Hugging Face's safetensors (the default): no code, just a JSON header and bytes.
    case safetensors
    /// `torch.save`'s zip format (`.pt`/`.pth`), read by `torch.load(f, weights_only=True)`.
    case pytorch
}

/// Saves named tensors, written to a temporary file and renamed so that a failure leaves
/// no half-written file.
///
/// With `.pytorch`, the file is what `torch.save(state_dict, f)` writes: a pickled
/// `OrderedDict` (in name order) of tensors, tensors that share a storage saved sharing it.
///
/// - Parameters:
///   - tensors: The tensors by name (a state dict).
///   - location: The file to write.
///   - format: `.safetensors` (the default) or `.pytorch`.
///   - metadata: safetensors' `__metadata__` strings; the PyTorch format has no place for
///     them, so passing them with `.pytorch` throws.
/// - Throws: ``TorchError`` naming the file when it cannot be written.
public func save(_ tensors: [String: Tensor], to location: some FileLocation, metadata: [String: String]? = nil,
                 format: SaveFormat = .safetensors) throws {
    switch format {
    case .safetensors:
        try saveSafetensors(tensors, to: location, metadata: metadata)
    case .pytorch:
        guard metadata == nil else {
            throw TorchError("\(location.fileURL.path): the PyTorch format has no metadata; save metadata with .safetensors")
        }
        let value = PickleValue.dict(tensors.keys.sorted().map { (.string($0), .tensor(tensors[$0]!)) })
        try PyTorchFormat.write(value, ordered: true, to: location.fileURL)
    }
}

/// Loads the named tensors of a checkpoint, recognising its format by content:
/// safetensors, `torch.save`'s zip format, or its legacy format. A PyTorch file must hold
/// a state dict: a dictionary of tensors, or a checkpoint whose `state_dict` or `model`
/// entry is one (see ``PickleValue/stateDict``); read anything else with
/// ``loadPyTorch(from:)``. The result goes straight into `Module.loadStateDict(_:strict:)`.
///
/// - Throws: ``TorchError`` naming the file and the problem: missing, truncated or corrupt
///   file, bad header, unknown dtype, offsets beyond the data, a forbidden pickle global.
public func load(from location: some FileLocation) throws -> [String: Tensor] {
    let url = location.fileURL
    let bytes = [UInt8](try readFile(url))
    guard PyTorchFormat.kind(of: bytes) != .other else {
        return try parseSafetensors(Data(bytes), source: url.path).tensors
    }
    let value = try PyTorchFormat.parse(bytes, file: url)
    guard let tensors = value.stateDict else {
        throw TorchError("\(url.path): holds \(value.kindDescription), not a state dict of tensors; read it with loadPyTorch(from:)")
    }
    return tensors
}

extension PickleValue {
    /// What the value is, for error messages.
    var kindDescription: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int: "an int"
        case .double: "a float"
        case .string: "a str"
        case .bytes: "bytes"
        case .list: "a list"
        case .tuple: "a tuple"
        case .dict(let pairs): "a dict with keys " + pairs.prefix(8).map(\.key.description).joined(separator: ", ")
        case .tensor: "a single tensor"
        }
    }
}
