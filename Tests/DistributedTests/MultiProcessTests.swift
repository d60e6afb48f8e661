import Foundation
import Testing
import Torch

/// Real multi-process runs: `mpirun` starts the built `swifttorch` on loopback. Serialized,
/// so two jobs never compete for the machine's cores at once.
@Suite(.serialized)
struct MultiProcessTests {
    /// `swifttorch`, built next to this test binary by `swift build` / `swift test`.
    static let swifttorch: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("swifttorch")

    struct Run {
        let status: Int32
        let output: String
        let seconds: Double
    }

    /// Runs `mpirun -np ranks swifttorch arguments...`, killing it after `timeout` seconds.
    /// `--allow-run-as-root` for CI containers, `--oversubscribe` for machines with fewer
    /// cores than ranks, TCP on loopback so no network or shared-memory set-up is needed.
    static func mpirun(_ ranks: Int, _ arguments: [String], timeout: Double = 300) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: swifttorch.path) else {
            Issue.record("\(swifttorch.path) is missing: build the package (swift build) before the tests")
            return Run(status: -1, output: "", seconds: 0)
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mpirun-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp",
                             "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo",
                             "-np", "\(ranks)", swifttorch.path] + arguments
        process.standardOutput = handle
        process.standardError = handle
        let start = Date()
        try process.run()
        while process.isRunning && Date().timeIntervalSince(start) < timeout { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Run(status: process.terminationStatus, output: output, seconds: Date().timeIntervalSince(start))
    }

    @Test(arguments: [2, 3])
    func collectivesOnEveryDType(ranks: Int) throws {
        let run = try Self.mpirun(ranks, ["dist-check"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("checks passed on each of \(ranks) ranks"), "\(run.output)")
    }

    @Test func aDyingRankStopsTheOthers() throws {
        let run = try Self.mpirun(2, ["dist-check", "--die-at-rank", "1"], timeout: 60)
        #expect(run.status != 0)
        #expect(run.seconds < 30, "the job took \(run.seconds) s to fail")
        #expect(run.output.contains("rank 1 fails on purpose"), "\(run.output)")
        #expect(!run.output.contains("unreachable"), "\(run.output)")
    }

    /// Two ranks with batch 32 each take the same 50 steps as one process with batch 64:
    /// DistributedSampler interleaves one shuffled order, so rank r's batch k is every other
    /// sample of the single process's batch k, and DDP's average of the two batch means is
    /// the mean over all 64 samples.
    @Test func twoRanksTrainLikeOneWithTheWholeBatch() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let common = ["train", "--distributed", "--max-steps", "50", "--drop-last", "--seed", "0", "--threads", "1"]
        let two = try Self.mpirun(2, common + ["--batch-size", "32", "--out", root.appendingPathComponent("two").path])
        let one = try Self.mpirun(1, common + ["--batch-size", "64", "--out", root.appendingPathComponent("one").path])
        try #require(two.status == 0, "\(two.output)")
        try #require(one.status == 0, "\(one.output)")
        #expect(two.output.contains("distributed: 2 processes"))
        // Only rank 0 prints: one header line.
        #expect(two.output.components(separatedBy: "training cnn on digits").count == 2, "\(two.output)")

        let a = try loadSafetensors(from: root.appendingPathComponent("two/model.safetensors"))
        let b = try loadSafetensors(from: root.appendingPathComponent("one/model.safetensors"))
        #expect(a.metadata["steps"] == "50" && b.metadata["steps"] == "50")
        #expect(a.metadata["world_size"] == "2" && b.metadata["world_size"] == "1")
        #expect(a.metadata["test_accuracy"] == b.metadata["test_accuracy"])
        #expect(Set(a.tensors.keys) == Set(b.tensors.keys))
        for (name, x) in a.tensors {
            let y = try #require(b.tensors[name])
            let relative = (x - y).norm().item() / y.norm().item()
            #expect(relative <= 1e-5, "\(name): relative difference \(relative)")
        }
        func accuracyLine(_ s: String) -> String? { s.split(separator: "\n").first { $0.hasPrefix("test accuracy:") }.map(String.init) }
        let lineA = try #require(accuracyLine(two.output)), lineB = try #require(accuracyLine(one.output))
        #expect(lineA.components(separatedBy: " after ")[0] == lineB.components(separatedBy: " after ")[0])
    }
}
