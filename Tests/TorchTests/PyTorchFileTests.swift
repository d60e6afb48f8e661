import Foundation
import Testing
@testable import Torch

/// PyTorch's file format both ways: fixtures written by `torch.save` (PyTorch 2.15, by
/// `scripts/make-pytorch-fixtures.py`, expected values in `pytorch_expected.json`) load with
/// PyTorch's keys, dtypes, shapes, values and storage sharing; hostile, unsupported and
/// corrupt files throw; files SwiftTorch writes read back (and, checked by hand with
/// `scripts/check-pytorch-interop.py`, load in `torch.load(weights_only=True)`).
@Suite struct PyTorchFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// The JSON the fixture script recorded (read per test: `[String: Any]` is not Sendable).
    static func expectation(_ path: String...) -> [String: Any] {
        let data = try! Data(contentsOf: fixture("pytorch_expected.json"))
        var node: Any = try! JSONSerialization.jsonObject(with: data)
        for key in path { node = (node as! [String: Any])[key]! }
        return node as! [String: Any]
    }

    /// Whether `t` has the recorded dtype, shape and (exactly) the recorded values.
    static func matches(_ t: Tensor?, _ record: [String: Any]) -> Bool {
        guard let t else { return false }
        let shape = (record["shape"] as! [NSNumber]).map(\.intValue)
        let values = record["values"] as! [NSNumber]
        guard t.dtype.name == record["dtype"] as! String, t.shape == shape else { return false }
        // JSON holds float32 values widened to double: compare at the tensor's precision.
        if t.dtype == .float32 { return t.toArray(Float.self) == values.map(\.floatValue) }
        if t.dtype == .float64 { return t.toArray(Double.self) == values.map(\.doubleValue) }
        return t.toArray(Int64.self) == values.map(\.int64Value)
    }

    static func temporaryFile(_ name: String) -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-pt-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name)
    }

    @Test func stateDictOfASequentialLoadsAndRunsAsInPyTorch() throws {
        let record = Self.expectation("sequential")
        let state = try load(from: Self.fixture("pytorch_sequential.pt"))
        #expect(state.keys.sorted() == (record["keys"] as! [String]).sorted())
        let tensors = record["tensors"] as! [String: [String: Any]]
        for (name, t) in state { #expect(Self.matches(t, tensors[name]!), "\(name)") }

        let model = Sequential(Linear(3, 4), ReLU(), Linear(4, 2))
        let result = try model.loadStateDict(state)
        #expect(result.missingKeys.isEmpty && result.unexpectedKeys.isEmpty)
        let inputRecord = record["input"] as! [String: Any]
        let input = Tensor(shape: (inputRecord["shape"] as! [NSNumber]).map(\.intValue),
                           scalars: (inputRecord["values"] as! [NSNumber]).map(\.floatValue))
        let output = noGrad { model(input) }
        let want = ((record["output"] as! [String: Any])["values"] as! [NSNumber]).map(\.floatValue)
        #expect(zip(output.toArray(Float.self), want).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test func checkpointNestedValuesAreReadable() throws {
        let record = Self.expectation("checkpoint")
        let checkpoint = try loadPyTorch(from: Self.fixture("pytorch_checkpoint.pt"))
        #expect(checkpoint["epoch"]?.int == 3)
        #expect(checkpoint["note"]?.string == "x")
        #expect(checkpoint["lr"]?.double == 0.1)
        #expect(checkpoint.dictionary?.keys.sorted() == ["epoch", "lr", "model", "note", "optimizer"])
        let model = try #require(checkpoint["model"]?.stateDict)
        let modelRecord = record["model"] as! [String: [String: Any]]
        #expect(model.keys.sorted() == modelRecord.keys.sorted())
        for (name, t) in model { #expect(Self.matches(t, modelRecord[name]!), "\(name)") }
        // The optimizer's state is keyed by parameter index, as in Python.
        let optimizer = try #require(checkpoint["optimizer"])
        #expect(Self.matches(optimizer["state"]?[0]?["momentum_buffer"]?.tensor, record["momentum_buffer_0"] as! [String: Any]))
        let group = try #require(optimizer["param_groups"]?[0])
        #expect(group["params"]?.array?.compactMap(\.int) == (record["params"] as! [NSNumber]).map(\.intValue))
        #expect(group["momentum"]?.double == (record["momentum"] as! NSNumber).doubleValue)
        #expect(group["nesterov"]?.bool == false)
        #expect(group["foreach"]?.isNone == true)
        // `load(from:)` finds the checkpoint's "model" state dict.
        #expect(try load(from: Self.fixture("pytorch_checkpoint.pt")).keys.sorted() == modelRecord.keys.sorted())
    }

    @Test func viewsAndTiedWeightsShareOneStorage() throws {
        let record = Self.expectation("shared") as! [String: [String: Any]]
        let shared = try load(from: Self.fixture("pytorch_shared.pt"))
        for (name, t) in shared { #expect(Self.matches(t, record[name]!), "\(name)") }
        let base = try #require(shared["base"])
        for name in ["strided", "block", "transposed"] { #expect(shared[name]!.storage === base.storage, "\(name)") }
        #expect(shared["strided"]!.offset == 2 && shared["strided"]!.strides == [3])
        #expect(shared["block"]!.offset == 1 && shared["block"]!.strides == [4, 1])
        #expect(shared["tied_a"]!.storage === shared["tied_b"]!.storage)
        // Writing through one is seen through the others.
        base.mul_(2.0)
        #expect(shared["strided"]!.toArray(Float.self) == [4, 10, 16])
        #expect(shared["transposed"]!.toArray(Float.self)[1] == 8)
    }

    @Test func everyDtypeZeroDAndEmptyTensorsLoad() throws {
        let record = Self.expectation("dtypes") as! [String: [String: Any]]
        let tensors = try load(from: Self.fixture("pytorch_dtypes.pt"))
        #expect(tensors.keys.sorted() == record.keys.sorted())
        for (name, t) in tensors { #expect(Self.matches(t, record[name]!), "\(name)") }
        #expect(tensors["scalar"]!.shape == [] && tensors["empty"]!.shape == [0, 3])
        #expect(tensors["b"]!.dtype == .bool && tensors["u8"]!.dtype == .uint8 && tensors["i32"]!.dtype == .int32)
    }

    @Test func legacyFormatLoadsWithSharedStorage() throws {
        let record = Self.expectation("legacy") as! [String: [String: Any]]
        let tensors = try load(from: Self.fixture("pytorch_legacy.pt"))
        #expect(tensors.keys.sorted() == record.keys.sorted())
        for (name, t) in tensors { #expect(Self.matches(t, record[name]!), "\(name)") }
        #expect(tensors["a"]!.storage === tensors["tail"]!.storage && tensors["tail"]!.offset == 1)
    }

    @Test func forbiddenGlobalIsRefusedByName() {
        #expect {
            _ = try loadPyTorch(from: Self.fixture("pytorch_malicious.pt"))
        } throws: { error in
            let message = (error as? TorchError)?.message ?? ""
            return message.contains("Unsupported global: GLOBAL os.system") && message.contains("pytorch_malicious.pt")
        }
    }

    /// The 16- and 8-bit dtypes (richer cases in LowPrecisionTests).
    @Test(arguments: ["float16", "bfloat16", "int8", "int16"])
    func sixteenAndEightBitDtypesLoad(_ dtype: String) throws {
        let h = try load(from: Self.fixture("pytorch_\(dtype).pt"))["h"]!
        #expect(h.dtype.name == dtype && h.shape == [2] && h.toArray(Double.self) == [1, 1])
    }

    /// Protocol 4 (frames, MEMOIZE, STACK_GLOBAL) and `nn.Parameter`s, which pickle through
    /// `_rebuild_parameter` and keep their `requires_grad`.
    @Test func protocolFourAndParametersLoad() throws {
        let record = Self.expectation("protocol4") as! [String: [String: Any]]
        let value = try loadPyTorch(from: Self.fixture("pytorch_protocol4.pt"))
        #expect(Self.matches(value["weight"]?.tensor, record["weight"]!))
        #expect(Self.matches(value["frozen"]?.tensor, record["frozen"]!))
        #expect(value["weight"]?.tensor?.requiresGrad == true && value["frozen"]?.tensor?.requiresGrad == false)
        #expect(value["steps"]?.array?.compactMap(\.int) == [1, 2, 3] && value["name"]?.string == "protocol four")
        // Not a state dict: a list and a string sit beside the tensors.
        #expect(value.stateDict == nil)
        #expect(throws: TorchError.self) { _ = try load(from: Self.fixture("pytorch_protocol4.pt")) }
    }

    /// Made from a valid file by the fixture script: a size reaching past the storage, and a
    /// storage entry shorter than its element count (PyTorch refuses both too).
    @Test(arguments: [("pytorch_out_of_bounds.pt", "reaches outside its storage of 4 elements"),
                      ("pytorch_short_storage.pt", "holds 8 bytes (16 needed")])
    func tensorsOutsideTheirStorageThrow(_ name: String, _ message: String) {
        #expect {
            _ = try load(from: Self.fixture(name))
        } throws: { error in
            let text = (error as? TorchError)?.message ?? ""
            return text.contains(message) && text.contains(name)
        }
    }

    @Test func otherZipFilesAreNotCheckpoints() {
        #expect {
            _ = try load(from: Self.fixtures.appendingPathComponent("numpy.npz"))
        } throws: { error in
            ((error as? TorchError)?.message ?? "").contains("not a torch.save file")
        }
    }

    /// Pickles built by hand: what `torch.save` never writes must still throw, not trap.
    @Test func malformedPicklesThrow() {
        func le32(_ n: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(n).littleEndian) { Array($0) } }
        func unpickle(_ bytes: [UInt8]) throws -> PickleValue {
            let arena = PickleArena()
            defer { arena.dismantle() }
            var unpickler = Unpickler(bytes: bytes, source: "test.pkl", arena: arena) { _ in throw TorchError("no storages here") }
            var conversion = PickleConversion(source: "test.pkl", pickleSize: bytes.count)
            return try conversion.value(try unpickler.load())
        }
        // A dict {"a": [1, -2, 3.5, True, None, (), b"x"]} through several opcodes.
        let good: [UInt8] = [0x80, 2, 0x7D, 0x71, 0, 0x8C, 1, 0x61, 0x5D, 0x28, 0x4B, 1, 0x4A] + [0xFE, 0xFF, 0xFF, 0xFF]
            + [0x47] + Array(withUnsafeBytes(of: (3.5).bitPattern.bigEndian) { Array($0) })
            + [0x88, 0x4E, 0x29, 0x43, 1, 0x78, 0x65, 0x73, 0x2E]
        let value = try? unpickle(good)
        #expect(value?["a"]?.array?.count == 7)
        #expect(value?["a"]?[1]?.int == -2 && value?["a"]?[2]?.double == 3.5 && value?["a"]?[6].map { if case .bytes([0x78]) = $0 { true } else { false } } == true)
        let bad: [[UInt8]] = [
            [],                                                   // empty
            [0x80, 2, 0x4B],                                      // truncated int
            [0x80, 2, 0x2E],                                      // STOP on an empty stack
            [0x80, 2, 0x5D, 0x71, 0, 0x68, 0, 0x61, 0x2E],        // a list inside itself
            [0x80, 2, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x2E],        // string longer than the data
            [0x80, 2, 0x68, 9, 0x2E],                             // memo read before written
            [0x80, 2, 0x63] + Array("builtins\neval\n".utf8) + [0x2E], // forbidden global
            [0x80, 2, 0x4B, 1, 0x4B, 2, 0x73, 0x2E],              // SETITEM on an int
            [0x80, 2, 0xFF, 0x2E],                                // unknown opcode
            [0x80, 2] + [UInt8](repeating: 0x5D, count: 1) + [UInt8](repeating: 0x85, count: 5000) + [0x2E], // deep nesting
            // 60 levels, each a list naming the level below twice: 2^60 nodes as a tree.
            [0x80, 2, 0x4E, 0x71, 0] + (0..<60).flatMap { level -> [UInt8] in
                [0x5D, 0x28, 0x68, UInt8(level), 0x68, UInt8(level), 0x65, 0x71, UInt8(level + 1)]
            } + [0x2E],
            // 100,000 lists chained after being memoised (so their recorded depths stay
            // small): must throw, and be released without a recursion that would overflow.
            [0x80, 2] + (0..<100_000).flatMap { i -> [UInt8] in [0x5D, 0x72] + le32(i) + [0x30] }
                + (0..<99_999).flatMap { i -> [UInt8] in [0x6A] + le32(i) + [0x6A] + le32(i + 1) + [0x61, 0x30] }
                + [0x6A] + le32(0) + [0x2E],
            // The same chain closed into a cycle.
            [0x80, 2] + (0..<1000).flatMap { i -> [UInt8] in [0x5D, 0x72] + le32(i) + [0x30] }
                + (0..<999).flatMap { i -> [UInt8] in [0x6A] + le32(i) + [0x6A] + le32(i + 1) + [0x61, 0x30] }
                + [0x6A] + le32(999) + [0x6A] + le32(0) + [0x61, 0x2E],
        ]
        for bytes in bad {
            #expect(throws: TorchError.self) { _ = try unpickle(bytes) }
        }
        // A global PyTorch's loader allows but SwiftTorch cannot build says so.
        #expect {
            _ = try unpickle([0x80, 2, 0x63] + Array("torch._utils\n_rebuild_sparse_tensor\n".utf8) + [0x2E])
        } throws: { error in
            ((error as? TorchError)?.message ?? "").contains("_rebuild_sparse_tensor is something torch.load(weights_only=True) reads")
        }
    }

    @Test func ourPyTorchFilesReadBackWithSharing() throws {
        let base = Tensor(shape: [12], scalars: (0..<12).map(Float.init))
        let tensors: [String: Tensor] = [
            "base": base, "block": base.view(3, 4)[0..., 1..<3], "transposed": base.view(3, 4).t(),
            "d": Tensor([1.5, -2.0], dtype: .float64), "i": Tensor([1, -2, 1 << 40]), "b": Tensor([true, false]),
            "u": Tensor([1, 255], dtype: .uint8), "n": Tensor([7, -7], dtype: .int32), "s": Tensor(2.5),
            "empty": Tensor(shape: [0, 3], scalars: [Float]()), "expanded": Tensor([1.0, 2.0]).expand(3, 2),
        ]
        let url = Self.temporaryFile("ours.pt")
        try save(tensors, to: url, format: .pytorch)
        let back = try load(from: url)
        #expect(back.keys.sorted() == tensors.keys.sorted())
        for (name, t) in tensors {
            #expect(back[name]!.dtype == t.dtype && back[name]!.shape == t.shape && equal(back[name]!, t), "\(name)")
        }
        #expect(back["block"]!.storage === back["base"]!.storage && back["transposed"]!.storage === back["base"]!.storage)
        #expect(back["block"]!.offset == 1 && back["transposed"]!.strides == [1, 4])
        #expect(back["expanded"]!.strides == [0, 1] && back["expanded"]!.storage.count == 2)

        // A whole checkpoint through savePyTorch.
        let checkpoint = PickleValue.dict([
            (.string("model"), .dict([(.string("w"), .tensor(base))])), (.string("epoch"), .int(3)),
            (.string("lr"), .double(0.1)), (.string("tags"), .list([.string("a"), .none, .bool(true)])),
            (.string("big"), .int(-(1 << 62))), (.string("raw"), .bytes([0, 200, 255])),
            (.string("state"), .dict([(.int(0), .tuple([.int(1), .int(2)]))])),
        ])
        let checkpointURL = Self.temporaryFile("checkpoint.pt")
        try savePyTorch(checkpoint, to: checkpointURL)
        let read = try loadPyTorch(from: checkpointURL)
        #expect(read["epoch"]?.int == 3 && read["lr"]?.double == 0.1 && read["big"]?.int == -(1 << 62))
        #expect(read["tags"]?.array?.count == 3 && read["tags"]?[2]?.bool == true && read["state"]?[0]?[1]?.int == 2)
        #expect(read["raw"].map { if case .bytes([0, 200, 255]) = $0 { true } else { false } } == true)
        #expect(equal(try #require(read["model"]?["w"]?.tensor), base))
        #expect(try load(from: checkpointURL).keys.sorted() == ["w"])
        // A checkpoint's "model" wins over flattening it; nested dictionaries get dotted names.
        let w = PickleValue.tensor(base)
        #expect(PickleValue.dict([(.string("model"), .dict([(.string("w"), w)])), (.string("ema"), .dict([(.string("w"), w)]))])
            .stateDict?.keys.sorted() == ["w"])
        #expect(PickleValue.dict([(.string("encoder"), .dict([(.string("0"), .dict([(.string("weight"), w)]))]))])
            .stateDict?.keys.sorted() == ["encoder.0.weight"])
        // The PyTorch format has no metadata.
        #expect(throws: TorchError.self) { try save(tensors, to: url, metadata: ["k": "v"], format: .pytorch) }
    }

    @Test func aStateDictFileLoadsIntoAModuleDirectly() throws {
        let source = Sequential(Linear(3, 4), ReLU(), Linear(4, 2))
        let url = Self.temporaryFile("model.pth")
        try save(source.stateDict(), to: url, format: .pytorch)
        let target = Sequential(Linear(3, 4), ReLU(), Linear(4, 2))
        try target.loadStateDict(load(from: url))
        let x = Tensor([[0.5, -1.0, 2.0]])
        #expect(equal(noGrad { target(x) }, noGrad { source(x) }))
        // A checkpoint's PickleValue goes in directly too: its "model" entry is used.
        let other = Sequential(Linear(3, 4), ReLU(), Linear(4, 2))
        try other.loadStateDict(loadPyTorch(from: Self.fixture("pytorch_checkpoint.pt")))
        #expect(throws: TorchError.self) { try other.loadStateDict(PickleValue.list([])) }
    }

    @Test func nonStateDictFilesAreExplained() throws {
        let url = Self.temporaryFile("list.pt")
        try savePyTorch(.list([.int(1)]), to: url)
        #expect {
            _ = try load(from: url)
        } throws: { error in
            ((error as? TorchError)?.message ?? "").contains("loadPyTorch")
        }
    }

    /// Mutated copies of PyTorch's own pickles (a checkpoint's, and a protocol-4 one), fed to
    /// the unpickler directly with stand-in storages: a `TorchError` or a value, never a trap.
    @Test func mutatedPicklesThrowOrLoad() throws {
        var generator = SystemRandomNumberGenerator()
        var thrown = 0, loaded = 0
        for name in ["pytorch_checkpoint.pkl", "pytorch_protocol4.pkl"] {
            let pickle = [UInt8](try Data(contentsOf: Self.fixture(name)))
            for i in 0..<5000 {
                var bytes = i < 200 ? Array(pickle.prefix(i * pickle.count / 200)) : pickle
                if i >= 200 {
                    for _ in 0..<Int.random(in: 1...3, using: &generator) {
                        bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                    }
                }
                let arena = PickleArena()
                defer { arena.dismantle() }
                let cache = StorageCache()
                var unpickler = Unpickler(bytes: bytes, source: name, arena: arena) { pid in
                    try PyTorchFormat.storage(for: pid, cache: cache, source: name) { _, dtype, count in
                        guard count <= 1 << 16 else { throw TorchError("stand-in storage too large") }
                        return Storage(count: count, dtype: dtype, zeroed: true)
                    }
                }
                do {
                    var conversion = PickleConversion(source: name, pickleSize: bytes.count)
                    _ = try conversion.value(try unpickler.load())
                    loaded += 1
                } catch is TorchError {
                    thrown += 1
                }
            }
        }
        #expect(thrown > 2000 && loaded > 100)
    }

    /// Truncated and corrupted copies of the fixtures (over 10,000 files) throw a
    /// ``TorchError`` or load: they never trap.
    @Test func truncatedAndCorruptFilesThrowNeverCrash() throws {
        var generator = SystemRandomNumberGenerator()
        let names = ["pytorch_sequential.pt", "pytorch_checkpoint.pt", "pytorch_shared.pt", "pytorch_dtypes.pt",
                     "pytorch_legacy.pt", "pytorch_malicious.pt", "pytorch_float16.pt", "pytorch_protocol4.pt"]
        var thrown = 0, loaded = 0
        let scratch = Self.temporaryFile("fuzz.pt")
        func attempt(_ bytes: [UInt8]) {
            do {
                try Data(bytes).write(to: scratch)
                _ = try loadPyTorch(from: scratch)
                loaded += 1
            } catch is TorchError {
                thrown += 1
            } catch {
                Issue.record("not a TorchError: \(error)")
            }
        }
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: Self.fixture(name)))
            for length in stride(from: 0, to: bytes.count, by: 13) { attempt(Array(bytes.prefix(length))) }
            for _ in 0..<1300 {
                var b = bytes
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    b[Int.random(in: 0..<b.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                attempt(b)
            }
        }
        #expect(thrown > 5000 && loaded > 500)
        // Whole files that are not checkpoints.
        for bytes: [UInt8] in [[], [0x80], [0x50, 0x4B, 0x03, 0x04], Array("hello".utf8)] {
            try Data(bytes).write(to: scratch)
            #expect(throws: TorchError.self) { _ = try loadPyTorch(from: scratch) }
        }
    }
}
