import CSystemZlib
import Foundation

/// zlib through Debian's libz: gzip and zlib decompression (datasets, `.npz` members;
/// PNG goes through libpng). Failures throw ``TorchError`` naming `source`.
enum Zlib {
    /// The container around deflate data.
    enum Format {
        /// gzip (`.gz` files): window bits 16 + 15.
        case gzip
        /// zlib (PNG's IDAT).
        case zlib

        var windowBits: Int32 {
            switch self {
            case .gzip: 16 + MAX_WBITS
            case .zlib: MAX_WBITS
            }
        }
    }

    /// Decompresses `data`; `limit` bounds the output so a corrupt or hostile file cannot
    /// exhaust memory. Concatenated gzip members are read in turn, as `gunzip` does.
    static func inflate(_ data: Data, format: Format, limit: Int = 1 << 31, source: String) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TorchError("\(source): cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let input = [UInt8](data)
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    return CSystemZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { throw TorchError("\(source): decompressed data exceeds \(limit) bytes") }
                if status == Z_STREAM_END {
                    // Another gzip member may follow.
                    if format == .gzip && stream.avail_in > 0 {
                        guard inflateReset(&stream) == Z_OK else { throw TorchError("\(source): corrupt gzip data") }
                        continue
                    }
                    return
                }
                guard status == Z_OK || (status == Z_BUF_ERROR && produced > 0) else {
                    let detail = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                    throw TorchError("\(source): corrupt or truncated compressed data (\(detail))")
                }
                if stream.avail_in == 0 && produced == 0 {
                    throw TorchError("\(source): truncated compressed data")
                }
            }
        }
        return output
    }
}
