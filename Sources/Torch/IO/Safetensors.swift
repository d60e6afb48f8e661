import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON
/// header mapping each name to `dtype`, `shape` and `data_offsets` (plus an optional
/// `__metadata__` of strings), then the raw little-endian tensor bytes. Files move between
/// SwiftTorch and Python's `safetensors` / PyTorch in both directions.
enum Safetensors {
    static let dtypeNames: [DType: String] = [
        .float32: "F32", .float64: "F64", .int64: "I64", .int32: "I32", .uint8: "U8", .bool: "BOOL",
        .float16: "F16", .bfloat16: "BF16", .int8: "I8", .int16: "I16",
    ]
    static let dtypesByName = Dictionary(uniqueKeysWithValues: dtypeNames.map { ($1, $0) })
    /// Headers above this size are refused as corrupt (the format's own limit is 100 MB).
    static let maximumHeader = 100_000_000
}

/// Saves named tensors as a safetensors file, written to a temporary file and renamed, so
/// a failure leaves no half-written file. Tensors are stored in name order.
func saveSafetensors(_ tensors: [String: Tensor], to location: some FileLocation, metadata: [String: String]?) throws {
    var header: [String: Any] = [:]
    var body: [UInt8] = []
    for name in tensors.keys.sorted() {
        let t = tensors[name]!
        let bytes = t.littleEndianBytes()
        header[name] = ["dtype": Safetensors.dtypeNames[t.dtype]!, "shape": t.shape, "data_offsets": [body.count, body.count + bytes.count]]
        body += bytes
    }
    if let metadata { header["__metadata__"] = metadata }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    // Pad the header with spaces to a multiple of 8, as the reference writer does.
    while json.count % 8 != 0 { json.append(0x20) }
    var file = Data()
    var length = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &length) { file.append(contentsOf: $0) }
    file.append(json)
    file.append(contentsOf: body)
    try writeFileAtomically(file, to: location.fileURL)
}

/// Loads a safetensors file's tensors and its `__metadata__` strings
/// (`safetensors.torch.load_file`, plus the metadata).
public func loadSafetensors(from location: some FileLocation) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
    let url = location.fileURL
    return try parseSafetensors(readFile(url), source: url.path)
}

/// Parses safetensors bytes (exposed for tests and in-memory use).
func parseSafetensors(_ data: Data, source: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else { throw TorchError("\(source): not a safetensors file (shorter than its 8-byte header length)") }
    let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    guard headerLength <= UInt64(Safetensors.maximumHeader) else {
        throw TorchError("\(source): header length \(headerLength) is absurd (file corrupt?)")
    }
    guard 8 + Int(headerLength) <= bytes.count else {
        throw TorchError("\(source): truncated: header of \(headerLength) bytes but the file has \(bytes.count - 8) after the length")
    }
    let headerBytes = Data(bytes[8..<(8 + Int(headerLength))])
    guard let object = try? JSONSerialization.jsonObject(with: headerBytes), let header = object as? [String: Any] else {
        throw TorchError("\(source): header is not a JSON object")
    }
    let dataStart = 8 + Int(headerLength)
    let dataSize = bytes.count - dataStart
    var metadata: [String: String] = [:]
    var ranges: [(Int, Int, String)] = []
    var tensors: [String: Tensor] = [:]
    for (name, value) in header {
        if name == "__metadata__" {
            guard let m = value as? [String: Any] else { throw TorchError("\(source): __metadata__ is not an object") }
            for (k, v) in m {
                guard let s = v as? String else { throw TorchError("\(source): __metadata__ value for \(k) is not a string") }
                metadata[k] = s
            }
            continue
        }
        guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
              let shapeValues = entry["shape"] as? [Any], let offsetValues = entry["data_offsets"] as? [Any],
              offsetValues.count == 2 else {
            throw TorchError("\(source): entry \(name) lacks dtype, shape or data_offsets")
        }
        guard let dtype = Safetensors.dtypesByName[dtypeName] else {
            throw TorchError("\(source): tensor \(name) has unknown or unsupported dtype \(dtypeName)")
        }
        let shape = try shapeValues.map { v -> Int in
            guard let n = (v as? NSNumber)?.intValue, n >= 0, n < Int(Int32.max) else {
                throw TorchError("\(source): tensor \(name) has an invalid shape \(shapeValues)")
            }
            return n
        }
        let offsets = try offsetValues.map { v -> Int in
            guard let n = (v as? NSNumber)?.intValue, n >= 0 else { throw TorchError("\(source): tensor \(name) has invalid data_offsets") }
            return n
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end, end <= dataSize else {
            throw TorchError("\(source): tensor \(name) data_offsets [\(begin), \(end)] lie beyond the \(dataSize) data bytes")
        }
        let (count, overflow) = shape.reduce((1, false)) { acc, d in
            let m = acc.0.multipliedReportingOverflow(by: d)
            return (m.partialValue, acc.1 || m.overflow)
        }
        guard !overflow, count.multipliedReportingOverflow(by: dtype.itemSize).partialValue == end - begin else {
            throw TorchError("\(source): tensor \(name) of shape \(shape) and dtype \(dtypeName) needs \(count * dtype.itemSize) bytes, but its offsets span \(end - begin)")
        }
        ranges.append((begin, end, name))
        tensors[name] = bytes.withUnsafeBytes { raw in
            Tensor(littleEndianBytes: UnsafeRawBufferPointer(rebasing: raw[(dataStart + begin)..<(dataStart + end)]), shape: shape, dtype: dtype)
        }
    }
    ranges.sort { $0.0 < $1.0 }
    for (a, b) in zip(ranges, ranges.dropFirst()) where b.0 < a.1 {
        throw TorchError("\(source): tensors \(a.2) and \(b.2) have overlapping data")
    }
    return (tensors, metadata)
}
