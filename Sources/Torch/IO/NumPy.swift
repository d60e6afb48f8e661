import Foundation
import ZIPFoundation

/// NumPy interop: `.npy` files (read and write) and `.npz` archives (read; stored or
/// deflated members), for the dtypes SwiftTorch has, little-endian, C or Fortran order.
enum NumPyFormat {
    /// NumPy has no bfloat16: such a tensor cannot be written as `.npy`.
    static let descriptors: [DType: String] = [
        .float32: "<f4", .float64: "<f8", .int64: "<i8", .int32: "<i4", .uint8: "|u1", .bool: "|b1",
        .float16: "<f2", .int8: "|i1", .int16: "<i2",
    ]
    static let dtypes: [String: DType] = {
        var d = Dictionary(uniqueKeysWithValues: descriptors.map { ($1, $0) })
        d["u1"] = .uint8; d["b1"] = .bool; d["<u1"] = .uint8; d["<b1"] = .bool; d["i1"] = .int8; d["<i1"] = .int8
        return d
    }()
}

/// Writes `tensor` as a `.npy` file (version 1.0, C order), atomically. SwiftTorch only: PyTorch
/// has no counterpart (NumPy's `numpy.save` of `tensor.numpy()`).
public func saveNpy(_ tensor: Tensor, to location: some FileLocation) throws {
    let shape = parenthesized(tensor.shape, pythonTuple: true)
    guard let descriptor = NumPyFormat.descriptors[tensor.dtype] else {
        throw TorchError("NumPy has no \(tensor.dtype.name) dtype; convert the tensor first (e.g. .float())")
    }
    var header = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(shape), }"
    // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    let length = UInt16(header.utf8.count)
    bytes += [UInt8(length & 0xff), UInt8(length >> 8)] + Array(header.utf8) + tensor.littleEndianBytes()
    try writeFileAtomically(Data(bytes), to: location.fileURL)
}

/// Reads a `.npy` file. SwiftTorch only: PyTorch has no counterpart
/// (`torch.from_numpy(numpy.load(f))`).
/// - Throws: ``TorchError`` naming the file for a bad magic, header, dtype or size.
public func loadNpy(from location: some FileLocation) throws -> Tensor {
    let url = location.fileURL
    return try parseNpy([UInt8](try readFile(url)), source: url.path)
}

/// Reads every array of a `.npz` archive (`numpy.savez` / `savez_compressed`) by name. SwiftTorch
/// only: PyTorch has no counterpart (`numpy.load` of an archive, then `torch.from_numpy`).
/// - Throws: ``TorchError`` naming the file for a corrupt archive or member.
public func loadNpz(from location: some FileLocation) throws -> [String: Tensor] {
    let url = location.fileURL
    let bytes = [UInt8](try readFile(url))
    let size = bytes.count
    try ZipGuard.check(bytes, source: url.path)
    // ZIPFoundation reads the central directory, which has every member's sizes even for
    // members written with data descriptors, as numpy's savez_compressed does.
    let archive: Archive
    do { archive = try Archive(url: url, accessMode: .read) } catch {
        throw TorchError("\(url.path): not a zip (.npz) archive (\(error))")
    }
    var result: [String: Tensor] = [:]
    for entry in archive where entry.type == .file {
        let name = entry.path
        // Refuse before allocating: no member may expand beyond what deflate (at most
        // 1032:1) could make of the bytes this file has.
        guard entry.compressedSize <= UInt64(size), entry.uncompressedSize <= max(entry.compressedSize, 1) * 1100 else {
            throw TorchError("\(url.path): member \(name) claims \(entry.uncompressedSize) bytes, more than the archive could hold")
        }
        var content: [UInt8] = []
        content.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry) { chunk in
                guard content.count + chunk.count <= Int(entry.uncompressedSize) else { throw TorchError("member longer than its header says") }
                content += chunk
            }
        } catch {
            throw TorchError("\(url.path): member \(name) is corrupt (\(error))")
        }
        let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
        result[key] = try parseNpy(content, source: "\(url.path):\(name)")
    }
    return result
}

/// Parses `.npy` bytes.
func parseNpy(_ bytes: [UInt8], source: String) throws -> Tensor {
    guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
        throw TorchError("\(source): not a .npy file (bad magic)")
    }
    let major = bytes[6]
    let headerLength: Int, headerStart: Int
    if major == 1 {
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        headerStart = 10
    } else {
        guard bytes.count >= 12 else { throw TorchError("\(source): truncated .npy header") }
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        headerStart = 12
    }
    guard headerStart + headerLength <= bytes.count else { throw TorchError("\(source): truncated .npy header") }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
    func field(_ key: String) -> String? {
        guard let r = header.range(of: "'\(key)':") else { return nil }
        let rest = header[r.upperBound...].drop { $0 == " " }
        if rest.first == "(" { return rest.firstIndex(of: ")").map { String(rest[...$0]) } }
        if rest.first == "'" { return rest.dropFirst().split(separator: "'", maxSplits: 1).first.map(String.init) }
        return rest.split(whereSeparator: { $0 == "," || $0 == "}" }).first.map { $0.trimmingCharacters(in: .whitespaces) }
    }
    guard let descr = field("descr"), let dtype = NumPyFormat.dtypes[descr] else {
        throw TorchError("\(source): unsupported or missing dtype in header \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    guard let shapeText = field("shape") else { throw TorchError("\(source): header has no shape") }
    let shape = try shapeText.dropFirst().dropLast().split(separator: ",").map { part -> Int in
        guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 0 else { throw TorchError("\(source): bad shape \(shapeText)") }
        return n
    }
    let fortran = field("fortran_order") == "True"
    // A shape whose element or byte count overflows cannot match any file.
    var count = 1, overflow = false
    for n in shape {
        let (product, o) = count.multipliedReportingOverflow(by: n)
        count = product
        overflow = overflow || o
    }
    let (byteCount, byteOverflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
    let dataStart = headerStart + headerLength
    guard !overflow, !byteOverflow else { throw TorchError("\(source): shape \(shape) is too large") }
    guard bytes.count - dataStart == byteCount else {
        throw TorchError("\(source): shape \(shape) needs \(byteCount) bytes of data, the file holds \(bytes.count - dataStart)")
    }
    let stored = fortran ? Array(shape.reversed()) : shape
    let t = bytes.withUnsafeBytes { Tensor(littleEndianBytes: UnsafeRawBufferPointer(rebasing: $0[dataStart...]), shape: stored, dtype: dtype) }
    return fortran && shape.count > 1 ? t.permute(Array((0..<shape.count).reversed())).contiguous() : t
}
