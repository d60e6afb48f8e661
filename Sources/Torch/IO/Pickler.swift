/// Writing Python pickles as `torch.save` does: protocol 2, tensors as
/// `torch._utils._rebuild_tensor_v2` calls whose storages are persistent ids
/// `('storage', torch.FloatStorage, key, 'cpu', numel)`, so the storage bytes live outside
/// the pickle (in the zip's `data/<key>` entries) and `torch.load(weights_only=True)`
/// accepts the result: it names no global outside that loader's allow-list.
struct Pickler {
    private(set) var bytes: [UInt8] = [0x80, 2] // PROTO 2
    /// The storages met so far, in key order; a storage met again (a view, a tied weight)
    /// reuses its key, so sharing survives the round trip.
    private(set) var storages: [Storage] = []
    private var keys: [ObjectIdentifier: Int] = [:]

    private mutating func global(_ module: String, _ name: String) {
        bytes.append(0x63) // GLOBAL
        bytes += Array("\(module)\n\(name)\n".utf8)
    }

    private mutating func int(_ n: Int) {
        if n >= 0 && n < 256 {
            bytes += [0x4B, UInt8(n)] // BININT1
        } else if let small = Int32(exactly: n) {
            bytes.append(0x4A) // BININT
            withUnsafeBytes(of: small.littleEndian) { bytes += $0 }
        } else {
            bytes += [0x8A, 8] // LONG1, 8 bytes of two's complement
            withUnsafeBytes(of: n.littleEndian) { bytes += $0 }
        }
    }

    private mutating func string(_ s: String) {
        bytes.append(0x58) // BINUNICODE
        withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian) { bytes += $0 }
        bytes += Array(s.utf8)
    }

    private mutating func tuple(_ write: (inout Pickler) -> Void) {
        bytes.append(0x28) // MARK
        write(&self)
        bytes.append(0x74) // TUPLE
    }

    /// An empty `collections.OrderedDict()`.
    private mutating func orderedDict() {
        global("collections", "OrderedDict")
        bytes += [0x29, 0x52] // EMPTY_TUPLE, REDUCE
    }

    /// Appends `value`; dictionaries become `OrderedDict`s when `ordered` (as a state dict is).
    mutating func write(_ value: PickleValue, ordered: Bool = false) {
        switch value {
        case .none: bytes.append(0x4E)
        case .bool(let b): bytes.append(b ? 0x88 : 0x89)
        case .int(let n): int(n)
        case .double(let x):
            bytes.append(0x47) // BINFLOAT, big-endian
            withUnsafeBytes(of: x.bitPattern.bigEndian) { bytes += $0 }
        case .string(let s): string(s)
        case .bytes(let b):
            // Protocol 2 has no bytes opcode: Python itself writes _codecs.encode(latin1 text).
            global("_codecs", "encode")
            tuple { p in
                p.string(String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) })))
                p.string("latin1")
            }
            bytes.append(0x52)
        case .list(let items):
            bytes += [0x5D, 0x28] // EMPTY_LIST, MARK
            for item in items { write(item) }
            bytes.append(0x65) // APPENDS
        case .tuple(let items):
            tuple { p in for item in items { p.write(item) } }
        case .dict(let pairs):
            if ordered { orderedDict() } else { bytes.append(0x7D) } // EMPTY_DICT
            bytes.append(0x28)
            for (key, item) in pairs {
                write(key)
                write(item)
            }
            bytes.append(0x75) // SETITEMS
        case .tensor(let t):
            tensor(t)
        }
    }

    private mutating func tensor(_ original: Tensor) {
        // PyTorch rebuilds any non-negative strided view; anything else goes as a copy.
        let t = original.strides.allSatisfy({ $0 >= 0 }) ? original : original.contiguous()
        let id = ObjectIdentifier(t.storage)
        let key: Int
        if let known = keys[id] {
            key = known
        } else {
            key = storages.count
            keys[id] = key
            storages.append(t.storage)
        }
        global("torch._utils", "_rebuild_tensor_v2")
        tuple { p in
            p.tuple { p in
                p.string("storage")
                p.global("torch", PickleGlobals.storageNames[t.dtype]!)
                p.string(String(key))
                p.string("cpu")
                p.int(t.storage.count)
            }
            p.bytes.append(0x51) // BINPERSID
            p.int(t.offset)
            p.tuple { p in for d in t.shape { p.int(d) } }
            p.tuple { p in for s in t.strides { p.int(s) } }
            p.bytes.append(t.requiresGrad ? 0x88 : 0x89)
            p.orderedDict() // backward hooks: none
        }
        bytes.append(0x52) // REDUCE
    }

    /// Ends the pickle.
    mutating func finish() { bytes.append(0x2E) } // STOP
}
