import Foundation

/// The readers of outside data, one call each, for coverage-guided fuzzing (`scripts/fuzz`):
/// libFuzzer hands every entry point arbitrary bytes, and any crash, hang or sanitizer report
/// is a bug (a reader must throw ``TorchError`` for bad input, never stop the program).
///
/// Exposed as SPI (`@_spi(Fuzzing) import Torch`) for the `torch-fuzz` target only; the
/// readers' public forms take files, these take bytes.
@_spi(Fuzzing) public enum FuzzEntryPoints {
    /// The entry point names `scripts/fuzz TARGET` accepts.
    public static let targets = ["safetensors", "npy", "npz", "pytorch", "idx", "cifar", "digits", "image"]

    /// Feeds `bytes` to the reader called `target`; errors thrown for bad input are expected
    /// and ignored. Returns `false` for an unknown target name.
    @discardableResult
    public static func run(_ target: String, _ bytes: [UInt8]) -> Bool {
        switch target {
        case "safetensors": _ = try? parseSafetensors(Data(bytes), source: "fuzz")
        case "npy": _ = try? parseNpy(bytes, source: "fuzz")
        case "npz": throughFile(bytes, suffix: "npz") { _ = try? loadNpz(from: $0) }
        case "pytorch": throughFile(bytes, suffix: "pth") { _ = try? loadPyTorch(from: $0) }
        case "idx":
            _ = try? parseIDX(bytes, expectedRank: 3, source: "fuzz")
            _ = try? parseIDX(bytes, expectedRank: 1, source: "fuzz")
        case "cifar": _ = try? CIFAR10.parse(bytes, source: "fuzz")
        case "digits": _ = try? Digits.parse(Data(bytes), source: "fuzz")
        case "image": _ = try? decodeImage(bytes)
        default: return false
        }
        return true
    }

    /// The readers that open zip archives take a file: the bytes go through one per-process
    /// temporary file.
    private static func throughFile(_ bytes: [UInt8], suffix: String, _ body: (URL) -> Void) {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("torch-fuzz-\(ProcessInfo.processInfo.processIdentifier).\(suffix)")
        guard (try? Data(bytes).write(to: url)) != nil else { return }
        body(url)
    }
}
