import ArgumentParser
import ConformanceSupport
import Foundation
import Torch

/// `swifttorch conformance`: replays the PyTorch-recorded corpus through the Swift API.
struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay the PyTorch conformance corpus and print pass/fail/skip counts."
    )

    @Option(help: "Corpus directory (default: $TORCH_CONFORMANCE_DIR, else Tests/ConformanceTests/Corpus).")
    var dir: String?

    @Option(help: "Comma-separated file names without .jsonl, e.g. creation,repr.")
    var files: String?

    @Flag(help: "Check values only, not gradients.")
    var noGrad = false

    @Flag(help: "Print every failing case with the reason.")
    var verbose = false

    @Flag(help: "Add every passing id to Tests/ConformanceTests/ratchet.txt (never removes).")
    var updateRatchet = false

    @Option(help: .hidden)
    var runCase: String?

    func run() throws {
        let directory = try corpusDirectory()
        let only = files.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
        let runner = try ConformanceRunner(directory: directory, only: runCase == nil ? only : nil, checkGradients: !noGrad)

        if let id = runCase {
            // Child mode: run one error case; the expected outcome is that this process dies.
            guard let c = runner.allCases.first(where: { $0.id == id }) else { throw ValidationError("no case \(id)") }
            let outcome = runner.runErrorCase(c)
            if case .skipped(let why) = outcome {
                print("skipped: \(why)")
                Foundation.exit(3)
            }
            return
        }

        var report = ConformanceReport()
        var errorCases: [ConformanceCase] = []
        for c in runner.allCases {
            let outcome = runner.run(c)
            if outcome == .needsChildProcess {
                if runner.canRun(c) { errorCases.append(c) } else { report.record(.skipped("\(c.op) not implemented"), for: c) }
                continue
            }
            report.record(outcome, for: c)
        }
        let childResults = runChildren(errorCases, directory: directory)
        var merged = ConformanceReport()
        for c in runner.allCases {
            if let result = childResults[c.id] {
                merged.record(result.outcome, for: c)
                if result.messageMatched { merged.matchingMessages += 1 }
            } else if report.passedIDs.contains(c.id) {
                merged.record(.passed, for: c)
            } else if let f = report.failures.first(where: { $0.id == c.id }) {
                merged.record(.failed(f.reason), for: c)
            } else {
                merged.record(.skipped(report.skips.first(where: { $0.id == c.id })?.reason ?? "skipped"), for: c)
            }
        }
        if verbose {
            for f in merged.failures { print("FAIL \(f.id): \(f.reason)") }
            let reasons = Dictionary(grouping: merged.skips, by: \.reason).mapValues(\.count)
            for (reason, count) in reasons.sorted(by: { $0.value > $1.value }) { print("skipped: \(reason) (\(count))") }
        }
        if !errorCases.isEmpty {
            print("error cases: \(errorCases.count) run, \(merged.matchingMessages) with PyTorch's message")
        }
        if noGrad { print("gradients not checked (--no-grad)") }
        for line in merged.lines { print(line) }
        if updateRatchet {
            let url = directory.deletingLastPathComponent().appendingPathComponent(noGrad ? "ratchet-values.txt" : "ratchet.txt")
            let added = try Ratchet.extend(url, with: merged.passedIDs)
            print("ratchet: \(added) ids added to \(url.path)")
        }
    }

    private func corpusDirectory() throws -> URL {
        if let dir { return URL(fileURLWithPath: dir) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        guard let found = ConformanceRunner.defaultDirectory(from: cwd) ?? ConformanceRunner.defaultDirectory(from: exe) else {
            throw ValidationError("no corpus found: pass --dir or set TORCH_CONFORMANCE_DIR")
        }
        return found
    }

    /// Runs each error case in a child process of this executable, two at a time.
    private func runChildren(_ cases: [ConformanceCase], directory: URL) -> [String: ChildResult] {
        let results = LockedResults()
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let cases = cases.map { ($0.id, $0.expectedError ?? "") }
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for (i, (id, expected)) in cases.enumerated() where i % 2 == worker {
                let process = Process()
                process.executableURL = exe
                process.arguments = ["conformance", "--dir", directory.path, "--run-case", id]
                let stderr = Pipe(), stdout = Pipe()
                process.standardError = stderr
                process.standardOutput = stdout
                do {
                    try process.run()
                } catch {
                    results.set(id, ChildResult(outcome: .failed("cannot start child: \(error)"), messageMatched: false))
                    continue
                }
                let errText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                _ = stdout.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let outcome: CaseOutcome
                switch process.terminationStatus {
                case 0 where process.terminationReason == .exit: outcome = .failed("the call did not fail")
                case 3 where process.terminationReason == .exit: outcome = .skipped("not implemented")
                default: outcome = .passed
                }
                results.set(id, ChildResult(outcome: outcome, messageMatched: outcome == .passed && errText.contains(expected)))
            }
        }
        return results.values
    }
}

/// How an error case's child process ended.
private struct ChildResult {
    let outcome: CaseOutcome
    let messageMatched: Bool
}

/// Results collected from the worker threads, behind a lock.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String: ChildResult] = [:]

    func set(_ id: String, _ value: ChildResult) {
        lock.lock()
        storage[id] = value
        lock.unlock()
    }

    var values: [String: ChildResult] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
