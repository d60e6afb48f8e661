import Foundation
import Testing
@_spi(Fuzzing) import Torch

/// Every input `scripts/fuzz` ever found crashing a reader (Tests/Fuzz/Crashes/<target>-…)
/// and every seed of its corpus (Tests/Fuzz/Corpus/<target>/) goes through the reader again:
/// each must now return or throw, never stop the process.
@Suite struct FuzzRegressionTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    /// (target, file) for every saved crash and seed of Torch's readers.
    static func inputs() -> [(target: String, file: URL)] {
        let fm = FileManager.default
        var result: [(target: String, file: URL)] = []
        let crashes = fuzzDirectory.appendingPathComponent("Crashes")
        for file in (try? fm.contentsOfDirectory(at: crashes, includingPropertiesForKeys: nil)) ?? [] {
            let target = String(file.lastPathComponent.prefix { $0 != "-" })
            if FuzzEntryPoints.targets.contains(target) { result.append((target, file)) }
        }
        for target in FuzzEntryPoints.targets {
            let dir = fuzzDirectory.appendingPathComponent("Corpus/\(target)")
            for file in (try? fm.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [] {
                result.append((target, file))
            }
        }
        return result.sorted { $0.file.path < $1.file.path }
    }

    @Test func savedInputsNoLongerCrash() throws {
        let inputs = Self.inputs()
        // The seed corpora are checked in: at least one per reader.
        #expect(Set(inputs.map(\.target)) == Set(FuzzEntryPoints.targets))
        for (target, file) in inputs {
            #expect(FuzzEntryPoints.run(target, [UInt8](try Data(contentsOf: file))), "\(file.lastPathComponent)")
        }
    }

    @Test func unknownTargetIsRefused() {
        #expect(!FuzzEntryPoints.run("no-such-reader", []))
    }
}
