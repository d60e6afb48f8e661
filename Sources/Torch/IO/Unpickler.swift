/// Reading Python pickles the way `torch.load(weights_only=True)` does.
///
/// No maintained Swift pickle library exists, so this is a small hand-written machine for
/// the opcodes `torch.save` emits (protocols 2 to 5). It never imports or calls anything:
/// a `GLOBAL` is looked up in a fixed table of the names PyTorch's weights-only loader
/// allows and SwiftTorch can build (containers, `_rebuild_tensor_v2`, `_rebuild_parameter`,
/// storage classes, dtypes, `torch.Size`); any other name is refused with an error naming
/// it. Every length, index and nesting depth comes from the file, so each is checked
/// before use: malformed input throws ``TorchError``, never traps.

/// A mutable list under construction (pickles append to lists after memoising them).
final class PickleListBox {
    var items: [PickleObject] = []
    var depth = 1
}

/// A mutable dictionary under construction, in insertion order.
final class PickleDictBox {
    var pairs: [(key: PickleObject, value: PickleObject)] = []
    /// Positions of string and integer keys, so `SETITEM` replaces as Python does.
    var index: [PickleKey: Int] = [:]
    var depth = 1

    func set(_ key: PickleObject, _ value: PickleObject) {
        let hashable: PickleKey? = switch key {
        case .string(let s): .string(s)
        case .int(let n): .int(n)
        default: nil
        }
        if let hashable, let i = index[hashable] {
            pairs[i].value = value
        } else {
            if let hashable { index[hashable] = pairs.count }
            pairs.append((key, value))
        }
        depth = max(depth, value.depth + 1, key.depth + 1)
    }
}

/// Every container the pickles of one file build, kept so they can be taken apart
/// without recursion: a hostile pickle can chain a hundred thousand lists (or make
/// cycles), and releasing such a chain one nested `deinit` at a time would overflow the
/// stack (or leak). ``dismantle()`` empties each container while this arena still holds
/// them all, so no release ever recurses.
final class PickleArena {
    private var lists: [PickleListBox] = []
    private var dicts: [PickleDictBox] = []
    private var tuples: [PickleTupleBox] = []

    func list() -> PickleListBox {
        let box = PickleListBox()
        lists.append(box)
        return box
    }

    func dict() -> PickleDictBox {
        let box = PickleDictBox()
        dicts.append(box)
        return box
    }

    func tuple(_ items: [PickleObject]) -> PickleTupleBox {
        let box = PickleTupleBox(items)
        tuples.append(box)
        return box
    }

    /// Empties every container; call it once the result has been converted.
    func dismantle() {
        for box in lists { box.items = [] }
        for box in dicts { box.pairs = []; box.index = [:] }
        for box in tuples { box.items = [] }
        lists = []
        dicts = []
        tuples = []
    }
}

/// A dictionary key the unpickler can look up.
enum PickleKey: Hashable {
    case string(String)
    case int(Int)
}

/// An immutable tuple, boxed so its nesting depth is known without a walk.
final class PickleTupleBox {
    fileprivate(set) var items: [PickleObject]
    let depth: Int
    init(_ items: [PickleObject]) {
        self.items = items
        depth = 1 + (items.map(\.depth).max() ?? 0)
    }
}

/// A value on the unpickler's stack: ``PickleValue``'s cases plus the intermediate objects
/// a pickle builds (references to allowed globals, storages, integers too wide for `Int`).
enum PickleObject {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits, as its little-endian two's-complement bytes (the
    /// legacy format's magic number is one).
    case bigInt([UInt8])
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list(PickleListBox)
    case tuple(PickleTupleBox)
    case dict(PickleDictBox)
    /// An allowed global, by its dotted name (`torch._utils._rebuild_tensor_v2`).
    case global(String)
    case storage(Storage)
    case tensor(Tensor)

    var depth: Int {
        switch self {
        case .list(let box): box.depth
        case .tuple(let box): box.depth
        case .dict(let box): box.depth
        default: 0
        }
    }

    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .double: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .global(let name): name
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// The globals a PyTorch file may name: PyTorch's weights-only allow-list, cut to what
/// SwiftTorch can build.
enum PickleGlobals {
    /// Storage classes (`torch.FloatStorage`) by the dtype SwiftTorch gives them.
    static let storageDTypes: [String: DType] = [
        "torch.FloatStorage": .float32, "torch.DoubleStorage": .float64, "torch.LongStorage": .int64,
        "torch.IntStorage": .int32, "torch.ByteStorage": .uint8, "torch.BoolStorage": .bool,
        "torch.UntypedStorage": .uint8, "torch.storage.UntypedStorage": .uint8,
        "torch.HalfStorage": .float16, "torch.BFloat16Storage": .bfloat16,
        "torch.CharStorage": .int8, "torch.ShortStorage": .int16,
    ]
    /// Storage classes PyTorch has and SwiftTorch does not: allowed as names, so loading
    /// fails with the dtype's name rather than as a forbidden global.
    static let unsupportedStorages: [String: String] = [
        "torch.ComplexFloatStorage": "torch.complex64", "torch.ComplexDoubleStorage": "torch.complex128",
    ]
    /// Storage class names for writing, by dtype.
    static let storageNames: [DType: String] = [
        .float32: "FloatStorage", .float64: "DoubleStorage", .int64: "LongStorage",
        .int32: "IntStorage", .uint8: "ByteStorage", .bool: "BoolStorage",
        .float16: "HalfStorage", .bfloat16: "BFloat16Storage", .int8: "CharStorage", .int16: "ShortStorage",
    ]
    /// Callables and dtype objects the weights-only loader allows.
    static let functions: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state", "torch.Size", "torch.device", "_codecs.encode",
        "builtins.bytearray", "builtins.set",
        "torch.float32", "torch.float64", "torch.int64", "torch.int32", "torch.uint8", "torch.bool",
        "torch.float16", "torch.bfloat16", "torch.int8", "torch.int16",
    ]

    /// Names PyTorch's weights-only loader allows but SwiftTorch cannot build (sparse,
    /// quantized, nested and subclass tensors, complex numbers, counters): refused with
    /// their own message, since they are not a security matter.
    static let allowedByPyTorchOnly: Set<String> = [
        "collections.Counter", "torch.nn.parameter.Parameter", "torch.Tensor", "torch.serialization._get_layout",
        "builtins.complex", "torch._tensor._rebuild_from_type_v2", "torch._utils._rebuild_tensor_v3",
        "torch._utils._rebuild_sparse_tensor", "torch._utils._rebuild_meta_tensor_no_storage",
        "torch._utils._rebuild_nested_tensor", "torch._utils._rebuild_wrapper_subclass",
        "torch._utils._rebuild_device_tensor_from_numpy", "torch._utils._rebuild_device_tensor_from_cpu_tensor",
        "torch._utils._rebuild_qtensor", "torch._utils._rebuild_xla_tensor", "torch._utils._rebuild_mps_tensor",
        "torch.complex64", "torch.complex128", "torch.sparse_coo", "torch.sparse_csr", "torch.strided",
    ]

    static func isAllowed(_ name: String) -> Bool {
        functions.contains(name) || storageDTypes[name] != nil || unsupportedStorages[name] != nil
    }
}

/// The pickle virtual machine over a byte buffer. `load()` reads one pickle (up to its
/// `STOP`) and leaves `position` after it, so the legacy format's consecutive pickles are
/// read by calling it again.
struct Unpickler {
    let bytes: [UInt8]
    var position: Int
    /// Names the file in errors.
    let source: String
    /// Turns a persistent id (`BINPERSID`) into a storage: the container's business.
    let persistentLoad: (PickleObject) throws -> PickleObject
    /// Holds every container built, for ``PickleArena/dismantle()``.
    let arena: PickleArena

    /// Deeper nesting than this is refused: no real checkpoint comes close, and it keeps
    /// the recursive conversion and deallocation of the result off the end of the stack.
    static let maximumDepth = 200

    init(bytes: [UInt8], position: Int = 0, source: String, arena: PickleArena,
         persistentLoad: @escaping (PickleObject) throws -> PickleObject) {
        self.arena = arena
        self.bytes = bytes
        self.position = position
        self.source = source
        self.persistentLoad = persistentLoad
    }

    private func fail(_ message: String) -> TorchError { TorchError("\(source): \(message)") }

    private mutating func read(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw fail("truncated pickle (needs \(count) more bytes at offset \(position), the data ends at \(bytes.count))")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func readByte() throws -> UInt8 { try read(1).first! }

    private mutating func readUInt(_ count: Int) throws -> UInt64 {
        try read(count).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private mutating func readLength(_ count: Int) throws -> Int {
        let n = try readUInt(count)
        guard n <= UInt64(bytes.count - position) else {
            throw fail("truncated pickle (a length of \(n) bytes at offset \(position - count) runs past the end)")
        }
        return Int(n)
    }

    private mutating func readLine() throws -> String {
        guard let end = bytes[position...].prefix(1024).firstIndex(of: 0x0A) else { throw fail("unterminated GLOBAL name at offset \(position)") }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    /// Decodes `LONG1`/`LONG4` bytes (little-endian two's complement).
    private func integer(_ raw: ArraySlice<UInt8>) -> PickleObject {
        guard !raw.isEmpty else { return .int(0) }
        guard raw.count <= 8 else { return .bigInt(Array(raw)) }
        let negative = raw.last! & 0x80 != 0
        var value: UInt64 = negative ? ~0 : 0
        for byte in raw.reversed() { value = value << 8 | UInt64(byte) }
        if raw.count < 8, negative {
            value |= ~0 << (8 * UInt64(raw.count))
        }
        return .int(Int(bitPattern: UInt(value)))
    }

    /// Reads one pickle and returns its value.
    mutating func load() throws -> PickleObject {
        var stack: [PickleObject] = []
        var marks: [[PickleObject]] = []
        var memo: [Int: PickleObject] = [:]

        func pop() throws -> PickleObject {
            guard let top = stack.popLast() else { throw fail("pickle stack underflow at offset \(position - 1)") }
            return top
        }
        func popMark() throws -> [PickleObject] {
            guard let outer = marks.popLast() else { throw fail("pickle MARK missing at offset \(position - 1)") }
            defer { stack = outer }
            return stack
        }
        func push(_ object: PickleObject) throws {
            guard object.depth <= Self.maximumDepth else { throw fail("pickle nested deeper than \(Self.maximumDepth) levels") }
            stack.append(object)
        }
        func string(_ raw: ArraySlice<UInt8>) throws -> PickleObject {
            guard let s = String(validating: raw, as: UTF8.self) else { throw fail("string is not valid UTF-8 at offset \(position)") }
            return .string(s)
        }
        func global(_ module: String, _ name: String) throws -> PickleObject {
            let full = "\(module).\(name)"
            if PickleGlobals.allowedByPyTorchOnly.contains(full) {
                throw fail("\(full) is something torch.load(weights_only=True) reads but SwiftTorch cannot build yet")
            }
            guard PickleGlobals.isAllowed(full) else {
                throw fail("Unsupported global: GLOBAL \(full) was not an allowed global by default; SwiftTorch loads as torch.load(weights_only=True) does and never runs code from a file")
            }
            return .global(full)
        }
        func top() throws -> PickleObject {
            guard let last = stack.last else { throw fail("pickle stack underflow at offset \(position - 1)") }
            return last
        }

        while true {
            let opcode = try readByte()
            switch opcode {
            case 0x80: // PROTO
                let version = try readByte()
                guard version <= 5 else { throw fail("unsupported pickle protocol \(version)") }
            case 0x95: // FRAME: a length hint only
                _ = try read(8)
            case 0x2E: // STOP
                let result = try pop()
                return result
            case 0x28: // MARK
                marks.append(stack)
                stack = []
            case 0x4E: try push(.none) // NONE
            case 0x88: try push(.bool(true)) // NEWTRUE
            case 0x89: try push(.bool(false)) // NEWFALSE
            case 0x4A: // BININT
                try push(.int(Int(Int32(bitPattern: UInt32(try readUInt(4))))))
            case 0x4B: try push(.int(Int(try readByte()))) // BININT1
            case 0x4D: try push(.int(Int(try readUInt(2)))) // BININT2
            case 0x8A: // LONG1
                let n = Int(try readByte())
                try push(integer(try read(n)))
            case 0x8B: // LONG4
                let n = try readLength(4)
                guard n <= 64 else { throw fail("integer of \(n) bytes is too large") }
                try push(integer(try read(n)))
            case 0x47: // BINFLOAT: big-endian
                let raw = try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                try push(.double(Double(bitPattern: raw)))
            case 0x58: try push(string(try read(try readLength(4)))) // BINUNICODE
            case 0x8C: try push(string(try read(Int(try readByte())))) // SHORT_BINUNICODE
            case 0x8D: try push(string(try read(try readLength(8)))) // BINUNICODE8
            case 0x43: try push(.bytes(Array(try read(Int(try readByte()))))) // SHORT_BINBYTES
            case 0x42: try push(.bytes(Array(try read(try readLength(4))))) // BINBYTES
            case 0x8E: try push(.bytes(Array(try read(try readLength(8))))) // BINBYTES8
            case 0x7D: try push(.dict(arena.dict())) // EMPTY_DICT
            case 0x5D: try push(.list(arena.list())) // EMPTY_LIST
            case 0x29: try push(.tuple(arena.tuple([]))) // EMPTY_TUPLE
            case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
                let n = Int(opcode - 0x84)
                guard stack.count >= n else { throw fail("pickle stack underflow at offset \(position - 1)") }
                let items = Array(stack.suffix(n))
                stack.removeLast(n)
                try push(.tuple(arena.tuple(items)))
            case 0x74: try push(.tuple(arena.tuple(try popMark()))) // TUPLE
            case 0x6C: // LIST
                let box = arena.list()
                box.items = try popMark()
                box.depth = 1 + (box.items.map(\.depth).max() ?? 0)
                try push(.list(box))
            case 0x64: // DICT
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("DICT with an odd number of items") }
                let box = arena.dict()
                for i in stride(from: 0, to: items.count, by: 2) { box.set(items[i], items[i + 1]) }
                try push(.dict(box))
            case 0x61, 0x65: // APPEND, APPENDS
                let items = opcode == 0x61 ? [try pop()] : try popMark()
                guard case .list(let box) = try top() else { throw fail("APPEND to a \(try top().kind), not a list") }
                box.items += items
                box.depth = max(box.depth, 1 + (items.map(\.depth).max() ?? 0))
                guard box.depth <= Self.maximumDepth else { throw fail("pickle nested deeper than \(Self.maximumDepth) levels") }
            case 0x73, 0x75: // SETITEM, SETITEMS
                var items: [PickleObject]
                if opcode == 0x73 {
                    let value = try pop()
                    items = [try pop(), value]
                } else {
                    items = try popMark()
                }
                guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items") }
                guard case .dict(let box) = try top() else { throw fail("SETITEM on a \(try top().kind), not a dict") }
                for i in stride(from: 0, to: items.count, by: 2) { box.set(items[i], items[i + 1]) }
                guard box.depth <= Self.maximumDepth else { throw fail("pickle nested deeper than \(Self.maximumDepth) levels") }
            case 0x71: memo[Int(try readByte())] = try top() // BINPUT
            case 0x72: memo[Int(try readUInt(4))] = try top() // LONG_BINPUT
            case 0x94: memo[memo.count] = try top() // MEMOIZE
            case 0x68, 0x6A: // BINGET, LONG_BINGET
                let key = opcode == 0x68 ? Int(try readByte()) : Int(try readUInt(4))
                guard let object = memo[key] else { throw fail("memo entry \(key) read before it was written") }
                try push(object)
            case 0x30: _ = try pop() // POP
            case 0x31: _ = try popMark() // POP_MARK
            case 0x32: try push(try top()) // DUP
            case 0x63: // GLOBAL
                let module = try readLine()
                try push(global(module, try readLine()))
            case 0x93: // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                    throw fail("STACK_GLOBAL needs two strings")
                }
                try push(global(module, name))
            case 0x52, 0x81: // REDUCE, NEWOBJ: call an allowed global with a tuple
                guard case .tuple(let args) = try pop() else { throw fail("\(opcode == 0x52 ? "REDUCE" : "NEWOBJ") arguments are not a tuple") }
                let callee = try pop()
                guard case .global(let name) = callee else { throw fail("cannot call a \(callee.kind)") }
                try push(call(name, args.items))
            case 0x62: // BUILD: set an object's state
                let state = try pop()
                switch try top() {
                case .dict, .tensor:
                    // An OrderedDict's `_metadata` and a parameter's Python attributes:
                    // nothing SwiftTorch keeps, as PyTorch's loader keeps nothing it runs.
                    _ = state
                default:
                    throw fail("BUILD on a \(try top().kind) is not allowed")
                }
            case 0x51: // BINPERSID
                try push(persistentLoad(try pop()))
            default:
                throw fail("unsupported pickle opcode 0x\(String(opcode, radix: 16)) at offset \(position - 1)")
            }
        }
    }

    /// Applies an allowed callable to its arguments.
    private func call(_ name: String, _ args: [PickleObject]) throws -> PickleObject {
        switch name {
        case "collections.OrderedDict":
            let box = arena.dict()
            if let first = args.first {
                // OrderedDict(pairs): a list of 2-tuples.
                guard args.count == 1, case .list(let list) = first else { throw fail("OrderedDict arguments are not a list of pairs") }
                for item in list.items {
                    guard case .tuple(let pair) = item, pair.items.count == 2 else { throw fail("OrderedDict item is not a pair") }
                    box.set(pair.items[0], pair.items[1])
                }
            }
            return .dict(box)
        case "torch._utils._rebuild_tensor_v2":
            return .tensor(try rebuildTensor(args))
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard args.count >= 2, case .tensor(let t) = args[0], case .bool(let requiresGrad) = args[1] else {
                throw fail("_rebuild_parameter arguments are not (tensor, requires_grad, ...)")
            }
            if requiresGrad && t.dtype.isFloatingPoint { t.requiresGrad = true }
            return .tensor(t)
        case "torch.Size":
            guard args.count == 1, case .tuple(let dims) = args[0] else { throw fail("torch.Size argument is not a tuple") }
            return .tuple(dims)
        case "torch.device":
            guard let first = args.first, case .string(let device) = first else { throw fail("torch.device argument is not a string") }
            if args.count == 2, case .int(let index) = args[1] { return .string("\(device):\(index)") }
            return .string(device)
        case "_codecs.encode":
            // Protocol 2 writes `bytes` as encode(text, "latin1"): each character is a byte.
            guard args.count == 2, case .string(let text) = args[0], case .string(let encoding) = args[1],
                  ["latin1", "latin-1", "iso-8859-1"].contains(encoding.lowercased()) else {
                throw fail("_codecs.encode arguments are not (str, 'latin1')")
            }
            var out: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw fail("_codecs.encode: character beyond latin1") }
                out.append(UInt8(scalar.value))
            }
            return .bytes(out)
        case "builtins.bytearray":
            guard let first = args.first else { return .bytes([]) }
            guard case .bytes(let b) = first else { throw fail("bytearray argument is not bytes") }
            return .bytes(b)
        case "builtins.set":
            let box = arena.list()
            if let first = args.first {
                guard case .list(let list) = first else { throw fail("set argument is not a list") }
                box.items = list.items
                box.depth = list.depth
            }
            return .list(box)
        default:
            throw fail("\(name) cannot be called while loading")
        }
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`:
    /// a view of the storage, after checking that it stays inside it.
    private func rebuildTensor(_ args: [PickleObject]) throws -> Tensor {
        guard args.count >= 4, case .storage(let storage) = args[0], case .int(let offset) = args[1],
              case .tuple(let sizeBox) = args[2], case .tuple(let strideBox) = args[3] else {
            throw fail("_rebuild_tensor_v2 arguments are not (storage, offset, size, stride, ...)")
        }
        func ints(_ items: [PickleObject], _ what: String) throws -> [Int] {
            try items.map {
                guard case .int(let n) = $0, n >= 0 else { throw fail("_rebuild_tensor_v2: \(what) holds a negative or non-integer entry") }
                return n
            }
        }
        let shape = try ints(sizeBox.items, "size"), strides = try ints(strideBox.items, "stride")
        guard shape.count == strides.count, offset >= 0 else { throw fail("_rebuild_tensor_v2: size \(shape) and stride \(strides) disagree") }
        // The furthest element the view reaches must lie inside the storage.
        var last = offset, empty = false, overflow = false
        var numel = 1
        for (size, stride) in zip(shape, strides) {
            if size == 0 { empty = true; continue }
            let step = (size - 1).multipliedReportingOverflow(by: stride)
            let sum = last.addingReportingOverflow(step.partialValue)
            let count = numel.multipliedReportingOverflow(by: size)
            overflow = overflow || step.overflow || sum.overflow || count.overflow
            last = sum.partialValue
            numel = count.partialValue
        }
        guard !overflow, empty ? offset <= storage.count : last < storage.count else {
            throw fail("tensor of size \(shape), stride \(strides) and offset \(offset) reaches outside its storage of \(storage.count) elements")
        }
        let t = Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
        if args.count >= 5, case .bool(true) = args[4], t.dtype.isFloatingPoint { t.requiresGrad = true }
        return t
    }
}

/// Turns the unpickler's objects into ``PickleValue`` trees.
struct PickleConversion {
    let source: String
    /// Nodes still allowed. Through its memo a pickle can name one container many times,
    /// two bytes a time, so the tree copy of a small file could grow exponentially; a real
    /// checkpoint comes nowhere near this.
    var budget: Int
    /// Containers on the current path (a list inside itself has no tree form).
    private var visiting = Set<ObjectIdentifier>()

    /// A budget proportionate to a pickle of `pickleSize` bytes.
    init(source: String, pickleSize: Int) {
        self.source = source
        budget = 16 * pickleSize + 100_000
    }

    mutating func value(_ object: PickleObject, depth: Int = 0) throws -> PickleValue {
        // Containers filled after being nested can hide their true depth from the
        // unpickler's count; the path being walked is the real one.
        guard depth <= 2 * Unpickler.maximumDepth else {
            throw TorchError("\(source): pickle nested deeper than \(2 * Unpickler.maximumDepth) levels")
        }
        budget -= 1
        guard budget >= 0 else { throw TorchError("\(source): pickle expands to far more values than its size allows") }
        switch object {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .bigInt(let raw): throw TorchError("\(source): integer of \(raw.count) bytes does not fit in 64 bits")
        case .double(let x): return .double(x)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        case .global(let name): return .string(name)
        case .tensor(let t): return .tensor(t)
        case .storage(let s): return .tensor(Tensor(storage: s, shape: [s.count], strides: [1]))
        case .list(let box):
            try enter(box)
            defer { visiting.remove(ObjectIdentifier(box)) }
            var items: [PickleValue] = []
            for item in box.items { items.append(try value(item, depth: depth + 1)) }
            return .list(items)
        case .tuple(let box):
            var items: [PickleValue] = []
            for item in box.items { items.append(try value(item, depth: depth + 1)) }
            return .tuple(items)
        case .dict(let box):
            try enter(box)
            defer { visiting.remove(ObjectIdentifier(box)) }
            var pairs: [(key: PickleValue, value: PickleValue)] = []
            for (key, item) in box.pairs { pairs.append((try value(key, depth: depth + 1), try value(item, depth: depth + 1))) }
            return .dict(pairs)
        }
    }

    private mutating func enter(_ object: AnyObject) throws {
        guard visiting.insert(ObjectIdentifier(object)).inserted else {
            throw TorchError("\(source): the pickle holds a container that contains itself")
        }
    }
}
