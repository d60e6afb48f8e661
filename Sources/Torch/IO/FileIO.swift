import Foundation

/// Reads a whole file, throwing ``TorchError`` that names it when it cannot be read.
func readFile(_ url: URL) throws -> Data {
    guard FileManager.default.fileExists(atPath: url.path) else { throw TorchError("\(url.path): no such file") }
    do { return try Data(contentsOf: url) } catch { throw TorchError("\(url.path): cannot read (\(error.localizedDescription))") }
}

/// Writes `data` to a temporary file next to `url`, then renames it over `url`, so a
/// failure never leaves a half-written file behind.
func writeFileAtomically(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
    do {
        try data.write(to: temporary)
        if FileManager.default.fileExists(atPath: url.path) {
            _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
        } else {
            try FileManager.default.moveItem(at: temporary, to: url)
        }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw TorchError("\(url.path): cannot write (\(error.localizedDescription))")
    }
}

/// A file path or URL accepted by the IO functions (`"model.safetensors"` or a `URL`).
public protocol FileLocation {
    /// The file URL.
    var fileURL: URL { get }
}

extension URL: FileLocation {
    /// The URL itself.
    public var fileURL: URL { self }
}

extension String: FileLocation {
    /// The path as a file URL.
    public var fileURL: URL { URL(fileURLWithPath: self) }
}

extension Tensor {
    /// The tensor's elements as little-endian bytes, row-major.
    func littleEndianBytes() -> [UInt8] {
        let t = contiguous()
        let count = t.numel * t.dtype.itemSize
        // Every supported host is little-endian (x86-64, arm64).
        return [UInt8](UnsafeRawBufferPointer(start: t.storage.data + t.offset * t.dtype.itemSize, count: count))
    }

    /// A tensor of `shape` and `dtype` from little-endian bytes (exactly the right count).
    convenience init(littleEndianBytes bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) {
        self.init(uninitializedShape: shape, dtype: dtype, zeroed: false)
        if bytes.count > 0 { storage.data.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
    }
}
