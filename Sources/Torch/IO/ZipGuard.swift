/// A bounds check run on a zip archive before ZIPFoundation opens it.
///
/// ZIPFoundation (0.9.20) reads and writes every zip here, but it converts the 64-bit
/// offsets of ZIP64 records to `off_t` without a check, so a corrupt file holding an offset
/// of 2^63 or more traps instead of throwing. PyTorch writes ZIP64 records even in small
/// files, so they cannot just be refused. This walks only the records that carry such
/// fields (the end records and each central-directory entry's ZIP64 extra field) and
/// refuses values that would trap; the reading itself stays ZIPFoundation's.
enum ZipGuard {
    static func check(_ bytes: [UInt8], source: String) throws {
        func corrupt(_ what: String) -> TorchError { TorchError("\(source): corrupt zip archive (\(what))") }
        func u16(_ i: Int) throws -> Int {
            guard i >= 0, i + 2 <= bytes.count else { throw corrupt("a record runs past the end") }
            return Int(bytes[i]) | Int(bytes[i + 1]) << 8
        }
        func u32(_ i: Int) throws -> Int { try u16(i) | (u16(i + 2) << 16) }
        func u64(_ i: Int) throws -> UInt64 {
            guard i >= 0, i + 8 <= bytes.count else { throw corrupt("a record runs past the end") }
            let value = bytes[i..<(i + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard value < UInt64(Int64.max) else { throw corrupt("a ZIP64 field of \(value) is out of range") }
            return value
        }
        // The end-of-central-directory record: within the last 64 KiB + 22 bytes.
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: max(0, bytes.count - 65_557), by: -1)
            .first(where: { (try? u32($0)) == 0x0605_4B50 }) else {
            throw TorchError("\(source): not a zip archive (no end of central directory)")
        }
        var entries = try u16(end + 10)
        var directory = UInt64(try u32(end + 16))
        // A ZIP64 locator just before it points at the ZIP64 end record.
        if end >= 20, try u32(end - 20) == 0x0706_4B50 {
            let record = try u64(end - 12)
            guard record + 56 <= UInt64(bytes.count), try u32(Int(record)) == 0x0606_4B50 else {
                throw corrupt("the ZIP64 end record is missing")
            }
            let count = try u64(Int(record) + 32)
            _ = try u64(Int(record) + 40)
            directory = try u64(Int(record) + 48)
            guard count <= UInt64(bytes.count / 46) else { throw corrupt("\(count) entries cannot fit") }
            entries = Int(count)
        }
        guard directory <= UInt64(bytes.count) else { throw corrupt("the central directory lies past the end") }
        var position = Int(directory)
        for _ in 0..<entries {
            guard try u32(position) == 0x0201_4B50 else { return } // ZIPFoundation stops here too
            let nameLength = try u16(position + 28), extraLength = try u16(position + 30), commentLength = try u16(position + 32)
            var field = position + 46 + nameLength
            let extraEnd = field + extraLength
            while field + 4 <= extraEnd {
                let id = try u16(field), size = try u16(field + 2)
                if id == 0x0001 { // ZIP64 extended information: 8-byte sizes and offset
                    for value in stride(from: field + 4, through: min(field + 4 + size, extraEnd) - 8, by: 8) { _ = try u64(value) }
                }
                field += 4 + size
            }
            position = extraEnd + commentLength
        }
    }
}
