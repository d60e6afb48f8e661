import Foundation
import Testing
@testable import Torch

/// Checkpoints (safetensors), NumPy files, PNG and SVG writers, and the fuzzing of every
/// file reader: a corrupt file throws, never crashes.
@Suite struct IOTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func safetensorsRoundTripsEveryDtype() throws {
        let dir = Self.temporaryDirectory()
        let tensors: [String: Tensor] = [
            "w": Tensor([[0.5, -1.25], [3.0, 4.5]]), "d": Tensor([1.0, 2.0], dtype: .float64),
            "i": Tensor([1, -2, 3]), "b": Tensor([true, false]), "u": Tensor([1, 2], dtype: .uint8),
            "s": Tensor(7.0), "t": Tensor([[1.0, 2.0], [3.0, 4.0]]).t(),
        ]
        let url = dir.appendingPathComponent("a.safetensors")
        try save(tensors, to: url, metadata: ["k": "v"])
        let (back, metadata) = try loadSafetensors(from: url)
        #expect(metadata == ["k": "v"])
        #expect(Set(back.keys) == Set(tensors.keys))
        for (name, t) in tensors {
            #expect(back[name]!.dtype == t.dtype && back[name]!.shape == t.shape)
            #expect(equal(back[name]!, t), "\(name)")
        }
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.safetensors"])
    }

    @Test func readsAFileWrittenByPythonSafetensors() throws {
        let (t, metadata) = try loadSafetensors(from: Self.fixtures.appendingPathComponent("python.safetensors"))
        #expect(metadata == ["format": "pt", "source": "python"])
        #expect(t["weight"]!.toArray(Float.self) == [0, 0.25, 0.5, 0.75, 1, 1.25] && t["weight"]!.shape == [2, 3])
        #expect(t["bias"]!.dtype == .float64 && t["bias"]!.toArray(Double.self) == [-1.5, 2.25])
        #expect(t["steps"]!.toArray(Int64.self) == [1, -2, 3, 4])
        #expect(t["mask"]!.toArray(Bool.self) == [true, false, true])
        #expect(t["pixels"]!.toArray(UInt8.self) == [0, 128, 255])
        #expect(t["counts"]!.toArray(Int32.self) == [7, -8])
    }

    /// What `scripts/check-safetensors-interop.py` expects when run on this file; set
    /// `SWIFTTORCH_INTEROP_FILE` to keep the file for that script.
    @Test func writesTheFileThePythonCheckReads() throws {
        let url = ProcessInfo.processInfo.environment["SWIFTTORCH_INTEROP_FILE"].map { URL(fileURLWithPath: $0) }
            ?? Self.temporaryDirectory().appendingPathComponent("swift.safetensors")
        try save(["weight": Tensor([[0.0, 0.25, 0.5], [0.75, 1.0, 1.25]]), "steps": Tensor([3, -4]),
                  "half": Tensor([0.5, -2.0, 65504], dtype: .float16), "brain": Tensor([1.0, 3.140625, -0.0078125], dtype: .bfloat16),
                  "small": Tensor([-128, 127], dtype: .int8), "short": Tensor([-300, 300], dtype: .int16)], to: url,
                 metadata: ["written_by": "swifttorch"])
        let bytes = [UInt8](try Data(contentsOf: url))
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(headerLength % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        // Stored in name order: brain (6 bytes), half (6), short (4), small (2), steps (16), weight (24).
        #expect(header.contains("\"dtype\":\"F32\"") && header.contains("\"data_offsets\":[34,58]"))
        for dtype in ["BF16", "F16", "I16", "I8"] { #expect(header.contains("\"dtype\":\"\(dtype)\""), "\(dtype)") }
    }

    @Test func malformedSafetensorsHeadersThrow() {
        func file(_ header: String, data: [UInt8] = []) -> Data {
            var h = Array(header.utf8)
            var bytes = (0..<8).map { UInt8((h.count >> (8 * $0)) & 0xff) }
            bytes += h
            bytes += data
            h = []
            return Data(bytes)
        }
        let cases: [(Data, String)] = [
            (Data([1, 2, 3]), "shorter than"),
            (file("{not json"), "not a JSON object"),
            (file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]), "beyond"),
            (file(#"{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0]), "unknown or unsupported dtype F8_E4M3"),
            (file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)), "needs 12 bytes"),
            (file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                  data: [UInt8](repeating: 0, count: 8)), "overlapping"),
            (Data([255, 255, 255, 255, 255, 255, 255, 255]), "absurd"),
        ]
        for (data, message) in cases {
            #expect {
                _ = try parseSafetensors(data, source: "bad.safetensors")
            } throws: { error in
                (error as? TorchError)?.message.contains(message) == true && (error as? TorchError)?.message.hasPrefix("bad.safetensors") == true
            }
        }
        #expect(throws: TorchError.self) { try load(from: "/nonexistent/x.safetensors") }
    }

    @Test func numpyFilesRoundTripAndReadNumPysOwn() throws {
        let url = Self.temporaryDirectory().appendingPathComponent("x.npy")
        let t = Tensor([[1.5, 2.5, -3.0], [4.0, 5.0, 6.0]])
        try saveNpy(t, to: url)
        #expect(equal(try loadNpy(from: url), t))
        let fortran = try loadNpy(from: Self.fixtures.appendingPathComponent("numpy.npy"))
        #expect(fortran.shape == [2, 3] && fortran.toArray(Double.self) == [0, 1, 2, 3, 4, 5])
        let archive = try loadNpz(from: Self.fixtures.appendingPathComponent("numpy.npz"))
        #expect(archive["a"]!.toArray(Float.self) == [1.5, -2] && archive["a"]!.shape == [1, 2])
        #expect(archive["b"]!.toArray(Int64.self) == [3, 4, 5])
        #expect(archive["c"]!.toArray(Bool.self) == [true, false])
    }

    /// The `.npz` reader (ZIPFoundation underneath) on truncated and mutated archives:
    /// a `TorchError` or a result, never a trap.
    @Test func fuzzedNpzThrowsOrLoads() throws {
        var rng = SystemRandomNumberGenerator()
        let npz = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("numpy.npz")))
        let url = Self.temporaryDirectory().appendingPathComponent("fuzz.npz")
        var loaded = 0, thrown = 0
        for i in 0..<400 {
            var bytes = i < npz.count / 4 ? Array(npz.prefix(i * 4)) : npz
            if i >= npz.count / 4 {
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            try Data(bytes).write(to: url)
            do {
                _ = try loadNpz(from: url)
                loaded += 1
            } catch is TorchError {
                thrown += 1
            }
        }
        #expect(loaded + thrown == 400 && thrown > 100)
    }

    @Test func pngIsAValidImageWithTheRightPixels() throws {
        let url = Self.temporaryDirectory().appendingPathComponent("g.png")
        try saveImage(Tensor([[[0.0, 1.0], [0.5, 0.25]]]), to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
        #expect(bytes[24] == 8 && bytes[25] == 0)   // 8-bit grey
        // Decoded again through libpng: the pixels are x·255 + 0.5, truncated.
        let decoded = try decodePNG(bytes)
        #expect(decoded.shape == [1, 2, 2] && decoded.flatten().toArray(UInt8.self) == [0, 255, 128, 64])
    }

    /// torchvision's make_grid on three 1×2×2 images, nrow 2, padding 1 (values worked out by hand).
    @Test func makeGridMatchesTorchvision() {
        let images = Tensor.arange(0, 12).reshape([3, 1, 2, 2]).float() / 11
        let grid = makeGrid(images, nrow: 2, padding: 1)
        #expect(grid.shape == [3, 7, 7])
        let g = grid.select(0, 0)
        #expect(g.select(0, 0).toArray(Float.self) == [0, 0, 0, 0, 0, 0, 0])
        let row1: [Float] = [0, 0, 1, 0, 4, 5, 0].map { Float($0) / 11 }
        #expect(g.select(0, 1).toArray(Float.self) == row1)
        let row4: [Float] = [0, 8, 9, 0, 0, 0, 0].map { Float($0) / 11 }
        #expect(g.select(0, 4).toArray(Float.self) == row4)
        let normalized = makeGrid(images * 2 + 1, nrow: 3, padding: 0, normalize: true)
        #expect(normalized.max().item() == 1 && normalized.min().item() == 0)
    }

    @Test func svgPlotHasOneLinePerSeries() {
        let svg = linePlotSVG([PlotSeries("loss", [2, 1, 0.5]), PlotSeries("acc", [0.1, 0.5, 0.9], color: "green")], title: "t <1>")
        #expect(svg.hasPrefix("<svg") && svg.components(separatedBy: "<polyline").count == 3 && svg.contains("t &lt;1&gt;"))
    }

    /// 1200 mutated files — flipped bytes, truncations, extensions — through every reader:
    /// each one loads or throws a `TorchError`; none crashes.
    @Test func fuzzedFilesThrowOrLoadNeverCrash() throws {
        var rng = SystemRandomNumberGenerator()
        let safetensors = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("python.safetensors")))
        let idx: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 3] + (0..<18).map { UInt8($0 * 10) }
        let cifar: [UInt8] = [3] + (0..<3072).map { UInt8($0 % 251) }
        func mutate(_ bytes: [UInt8]) -> [UInt8] {
            var b = bytes
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
            case 1: b += (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            default:
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !b.isEmpty {
                    b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            return b
        }
        var loaded = 0, thrown = 0
        for i in 0..<1200 {
            do {
                switch i % 3 {
                case 0: _ = try parseSafetensors(Data(mutate(safetensors)), source: "fuzz.safetensors")
                case 1: _ = try parseIDX(mutate(idx), expectedRank: 3, source: "fuzz-idx3-ubyte")
                default: _ = try CIFAR10.parse(mutate(cifar), source: "fuzz.bin")
                }
                loaded += 1
            } catch is TorchError {
                thrown += 1
            }
        }
        #expect(loaded + thrown == 1200 && thrown > 100 && loaded > 100)
    }
}
