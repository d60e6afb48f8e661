import Foundation
import ZIPFoundation

/// PyTorch's two containers around a pickle, read and written through ZIPFoundation:
///
/// - the zip format `torch.save` has written since PyTorch 1.6: `<name>/data.pkl` (the
///   pickle), `<name>/data/<key>` (one entry of raw little-endian bytes per storage),
///   `<name>/byteorder` and `<name>/version`, where `<name>` varies from file to file;
/// - the legacy format (`_use_new_zipfile_serialization=False`): consecutive pickles of a
///   magic number, a protocol version, a system-info dict, the object, and the list of
///   storage keys, then each storage as an 8-byte element count and its raw bytes.
///
/// In both, a tensor names its storage by key, so tensors that shared a storage in Python
/// (views, tied weights) share one ``Storage`` here.
enum PyTorchFormat {
    /// The legacy format's magic number, 0x1950a86a20f9469cfc6c, as a pickle stores it.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    /// The legacy format's protocol version.
    static let legacyProtocol = 1001

    /// What a file's first bytes say it is.
    enum Kind {
        case zip, pickle, other
    }

    static func kind(of bytes: [UInt8]) -> Kind {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if bytes.first == 0x80 { return .pickle }
        return .other
    }

    /// Reads a zip or legacy PyTorch file whose contents are `bytes`.
    static func parse(_ bytes: [UInt8], file url: URL) throws -> PickleValue {
        let source = url.path
        let arena = PickleArena()
        defer { arena.dismantle() }
        let object: PickleObject
        switch kind(of: bytes) {
        case .zip: object = try parseZip(bytes, file: url, arena: arena)
        case .pickle: object = try parseLegacy(bytes, source: source, arena: arena)
        case .other: throw TorchError("\(source): not a PyTorch file (neither a torch.save zip archive nor a legacy pickle)")
        }
        var conversion = PickleConversion(source: source, pickleSize: bytes.count)
        return try conversion.value(object)
    }

    /// The storage a persistent id `('storage', StorageClass, key, location, numel[, view])`
    /// names, after checking its parts; `make` supplies the memory for a key not met before.
    static func storage(for pid: PickleObject, cache: StorageCache, source: String,
                        make: (_ key: String, _ dtype: DType, _ count: Int) throws -> Storage) throws -> PickleObject {
        guard case .tuple(let box) = pid, box.items.count >= 5, case .string("storage") = box.items[0],
              case .global(let typeName) = box.items[1], case .string(let key) = box.items[2],
              case .int(let count) = box.items[4], count >= 0 else {
            throw TorchError("\(source): persistent id is not ('storage', type, key, location, numel)")
        }
        // The location (`cpu`, `cuda:0`) is not checked: everything loads to the CPU, as
        // torch.load(map_location="cpu") does.
        if box.items.count > 5, box.items[5].kind != "None" {
            throw TorchError("\(source): storage \(key) is a legacy storage view, which SwiftTorch does not read")
        }
        if let missing = PickleGlobals.unsupportedStorages[typeName] {
            throw TorchError("\(source): storage \(key) holds \(missing) (\(typeName)), a dtype SwiftTorch does not have (it has bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64)")
        }
        guard let dtype = PickleGlobals.storageDTypes[typeName] else {
            throw TorchError("\(source): persistent id names \(typeName), not a storage class")
        }
        if let known = cache.storages[key] {
            guard known.dtype == dtype, known.count == count else {
                throw TorchError("\(source): storage \(key) is named with two different types or sizes")
            }
            return .storage(known)
        }
        let storage = try make(key, dtype, count)
        cache.storages[key] = storage
        cache.order.append(key)
        return .storage(storage)
    }

    /// Copies `count` elements of raw little-endian bytes into a new storage; bools are
    /// normalised to 0/1, since any other byte is not a valid Swift `Bool`.
    static func makeStorage(from bytes: UnsafeRawBufferPointer, dtype: DType, count: Int) -> Storage {
        let storage = Storage(count: count, dtype: dtype, zeroed: false)
        fill(storage, from: bytes)
        return storage
    }

    static func fill(_ storage: Storage, from bytes: UnsafeRawBufferPointer) {
        guard storage.byteCount > 0 else { return }
        storage.data.copyMemory(from: bytes.baseAddress!, byteCount: storage.byteCount)
        if storage.dtype == .bool {
            let raw = storage.data.assumingMemoryBound(to: UInt8.self)
            for i in 0..<storage.byteCount where raw[i] > 1 { raw[i] = 1 }
        }
    }

    /// Reads the zip format.
    static func parseZip(_ bytes: [UInt8], file url: URL, arena: PickleArena) throws -> PickleObject {
        let source = url.path
        try ZipGuard.check(bytes, source: source)
        let archive: Archive
        // ZIPFoundation reads from the file rather than from `bytes`: its in-memory mode
        // traps on an entry offset past the end, where reading a file just comes up short.
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw TorchError("\(source): corrupt zip archive (\(error))")
        }
        // The folder name varies (torch.save uses the file's stem, or "archive"): the
        // first entry gives it, as PyTorch's reader takes it.
        guard let first = archive.makeIterator().next(), let slash = first.path.firstIndex(of: "/") else {
            throw TorchError("\(source): zip archive has no <name>/ folder, so it is not a torch.save file")
        }
        let prefix = String(first.path[...slash])
        func entry(_ name: String) -> Entry? { archive[prefix + name] }
        func read(_ entry: Entry, expecting minimum: Int = 0) throws -> Data {
            // Refuse before allocating: the entry must hold what is needed, and no more
            // than its compressed bytes in this file could expand to (deflate's ratio is
            // at most 1032:1).
            guard entry.uncompressedSize >= UInt64(minimum), entry.compressedSize <= UInt64(bytes.count),
                  entry.uncompressedSize <= max(entry.compressedSize, 1) * 1100 else {
                throw TorchError("\(source): zip entry \(entry.path) holds \(entry.uncompressedSize) bytes (\(minimum) needed, \(entry.compressedSize) stored)")
            }
            var out = Data()
            out.reserveCapacity(Int(entry.uncompressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard out.count + chunk.count <= Int(entry.uncompressedSize) else { throw TorchError("entry longer than its header says") }
                    out.append(chunk)
                }
            } catch {
                throw TorchError("\(source): cannot read zip entry \(entry.path) (\(error))")
            }
            guard out.count == Int(entry.uncompressedSize) else {
                throw TorchError("\(source): zip entry \(entry.path) is truncated")
            }
            return out
        }
        guard let pickleEntry = entry("data.pkl") else {
            throw TorchError("\(source): zip archive has no \(prefix)data.pkl, so it is not a torch.save file")
        }
        if let order = entry("byteorder") {
            let text = String(decoding: try read(order), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text == "little" else { throw TorchError("\(source): byte order \(text) is not supported (only little-endian files)") }
        }
        let cache = StorageCache()
        var unpickler = Unpickler(bytes: [UInt8](try read(pickleEntry)), source: "\(source): \(prefix)data.pkl", arena: arena) { pid in
            try storage(for: pid, cache: cache, source: source) { key, dtype, count in
                // A key is a file name inside data/: nothing may climb out of it.
                guard !key.isEmpty, !key.contains("/"), !key.contains("..") else {
                    throw TorchError("\(source): storage key \(key) is not a plain name")
                }
                guard let record = entry("data/" + key) else { throw TorchError("\(source): storage \(prefix)data/\(key) is missing") }
                let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
                guard !overflow else { throw TorchError("\(source): storage \(key) of \(count) elements is too large") }
                let data = try read(record, expecting: needed)
                return data.withUnsafeBytes { makeStorage(from: $0, dtype: dtype, count: count) }
            }
        }
        return try unpickler.load()
    }

    /// Reads the legacy format.
    static func parseLegacy(_ bytes: [UInt8], source: String, arena: PickleArena) throws -> PickleObject {
        let noStorage: (PickleObject) throws -> PickleObject = { _ in
            throw TorchError("\(source): a storage in the legacy header")
        }
        var header = Unpickler(bytes: bytes, source: source, arena: arena, persistentLoad: noStorage)
        guard case .bigInt(let magic) = try header.load(), magic == legacyMagic else {
            throw TorchError("\(source): a pickle, but not a PyTorch file (no legacy magic number)")
        }
        guard case .int(legacyProtocol) = try header.load() else {
            throw TorchError("\(source): unsupported legacy protocol version (expected \(legacyProtocol))")
        }
        guard case .dict(let info) = try header.load() else { throw TorchError("\(source): legacy system info is not a dict") }
        if let little = info.pairs.first(where: { if case .string("little_endian") = $0.key { true } else { false } }),
           case .bool(false) = little.value {
            throw TorchError("\(source): big-endian legacy files are not supported")
        }
        // Storages come after the pickles: allocate them (no more than the file could
        // hold) and fill them once their bytes are reached.
        let cache = StorageCache()
        var claimed = 0
        var body = Unpickler(bytes: bytes, position: header.position, source: source, arena: arena) { pid in
            try storage(for: pid, cache: cache, source: source) { key, dtype, count in
                let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
                claimed = claimed.addingReportingOverflow(needed).partialValue
                guard !overflow, claimed >= 0, claimed <= bytes.count else {
                    throw TorchError("\(source): storage \(key) of \(count) elements is larger than the file")
                }
                return Storage(count: count, dtype: dtype, zeroed: true)
            }
        }
        let object = try body.load()
        var keysReader = Unpickler(bytes: bytes, position: body.position, source: source, arena: arena, persistentLoad: noStorage)
        guard case .list(let keyList) = try keysReader.load() else { throw TorchError("\(source): legacy storage key list is missing") }
        var position = keysReader.position
        for item in keyList.items {
            guard case .string(let key) = item, let storage = cache.storages[key] else {
                throw TorchError("\(source): legacy storage list names \(item.kind) \(item) that no tensor uses")
            }
            guard bytes.count - position >= 8 else { throw TorchError("\(source): truncated before storage \(key)") }
            let count = bytes[position..<(position + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            position += 8
            guard count == UInt64(storage.count), bytes.count - position >= storage.byteCount else {
                throw TorchError("\(source): storage \(key) holds \(count) elements where \(storage.count) were expected, or is truncated")
            }
            bytes.withUnsafeBytes { fill(storage, from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + storage.byteCount)])) }
            position += storage.byteCount
        }
        guard Set(keyList.items.compactMap { if case .string(let k) = $0 { k } else { nil } }) == Set(cache.order) else {
            throw TorchError("\(source): legacy storage list does not name every storage the tensors use")
        }
        return object
    }

    /// Writes `value` as torch.save's zip format: stored (uncompressed) entries under
    /// `archive/`, which `torch.load` reads.
    static func write(_ value: PickleValue, ordered: Bool, to url: URL) throws {
        var pickler = Pickler()
        pickler.write(value, ordered: ordered)
        pickler.finish()
        let archive: Archive
        do {
            archive = try Archive(accessMode: .create)
            func add(_ name: String, _ data: Data) throws {
                try archive.addEntry(with: "archive/" + name, type: .file, uncompressedSize: Int64(data.count),
                                     compressionMethod: .none) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            try add("data.pkl", Data(pickler.bytes))
            try add("byteorder", Data("little".utf8))
            for (key, storage) in pickler.storages.enumerated() {
                try add("data/\(key)", Data(bytes: storage.data, count: storage.byteCount))
            }
            try add("version", Data("3\n".utf8))
        } catch {
            throw TorchError("\(url.path): cannot build the zip archive (\(error))")
        }
        guard let data = archive.data else { throw TorchError("\(url.path): cannot build the zip archive") }
        try writeFileAtomically(data, to: url)
    }
}

/// Storages already read, by key, so a second tensor naming a key shares the first's.
final class StorageCache {
    var storages: [String: Storage] = [:]
    var order: [String] = []
}

/// Reads a file written by `torch.save` (zip or legacy format) as ``PickleValue``, the way
/// `torch.load(f, weights_only=True)` does: any global outside that loader's allow-list
/// (anything that could run code) is refused. A safetensors file reads as a dictionary of
/// its tensors, in name order.
///
/// ```swift
/// let checkpoint = try loadPyTorch(from: "checkpoint.pt")
/// try model.loadStateDict(checkpoint["model"]!.stateDict!)
/// let epoch = checkpoint["epoch"]?.int
/// ```
///
/// - Throws: ``TorchError`` naming the file and the problem: truncated or corrupt data, a
///   forbidden global (`Unsupported global: GLOBAL os.system ...`), a dtype SwiftTorch
///   lacks (the complex ones), a tensor reaching outside its storage.
public func loadPyTorch(from location: some FileLocation) throws -> PickleValue {
    let url = location.fileURL
    let bytes = [UInt8](try readFile(url))
    if PyTorchFormat.kind(of: bytes) == .other {
        let tensors = try parseSafetensors(Data(bytes), source: url.path).tensors
        return .dict(tensors.keys.sorted().map { (.string($0), .tensor(tensors[$0]!)) })
    }
    return try PyTorchFormat.parse(bytes, file: url)
}

/// Writes any ``PickleValue`` (a checkpoint dictionary, say) in `torch.save`'s zip format;
/// `torch.load(f, weights_only=True)` reads it back. Tensors sharing a storage are saved
/// sharing it.
///
/// - Throws: ``TorchError`` naming the file when it cannot be written.
public func savePyTorch(_ value: PickleValue, to location: some FileLocation) throws {
    try PyTorchFormat.write(value, ordered: false, to: location.fileURL)
}
