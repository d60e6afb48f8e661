import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file, throwing ``TorchError`` that names it when it cannot be read.
///
/// Plain `open`/`read` into one buffer: `Data(contentsOf:)` on Linux leaked its 4 KiB read
/// buffer for some files (LeakSanitizer, `scripts/test --sanitize address`), and this makes
/// no intermediate copy either.
func readFile(_ url: URL) throws -> Data {
    let path = url.path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        let reason = String(cString: strerror(errno))
        throw TorchError(errno == ENOENT ? "\(path): no such file" : "\(path): cannot read (\(reason))")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw TorchError("\(path): cannot read (\(String(cString: strerror(errno))))") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw TorchError("\(path): cannot read (not a regular file)") }
    var data = Data(count: Int(info.st_size))
    var filled = 0
    let failure: Int32? = data.withUnsafeMutableBytes { buffer -> Int32? in
        while filled < buffer.count {
            let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 { if errno == EINTR { continue }; return errno }
            if n == 0 { break }   // the file shrank while being read
            filled += n
        }
        return nil
    }
    if let failure { throw TorchError("\(path): cannot read (\(String(cString: strerror(failure))))") }
    if filled < data.count { data.removeSubrange(filled...) }
    return data
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

/// A file path or URL accepted by the IO functions (`"model.safetensors"` or a `URL`). SwiftTorch
/// only: PyTorch has no counterpart (Swift protocol glue; `torch.save` and `torch.load` take a path
/// or a file object).
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
