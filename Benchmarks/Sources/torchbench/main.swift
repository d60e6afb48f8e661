import Foundation
import Torch

// Usage: torchbench [--filter SUBSTRING] [--case NAME] [--list] [--threads N] | --thread-sweep [--rounds N]
// Prints one JSON object: {"case": seconds, ...}; `--list` prints the selected case names,
// one a line, without running them. `--case` selects one case by its exact name (a filter
// such as `add_1000` also matches `add_10000000`). Case names must match
// Benchmarks/torch_bench.py's exactly; `Benchmarks/run` pairs them case by case.

applyThresholdOverrides()
var filter: String?
var exact: String?
var listOnly = false
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--filter" { filter = args.popFirst() }
    if a == "--case" { exact = args.popFirst() }
    if a == "--list" { listOnly = true }
    if a == "--threads", let n = args.popFirst().flatMap({ Int($0) }) { setNumThreads(n) }
    if a == "--thread-sweep" {
        let rounds = args.first == "--rounds" ? Int(args.dropFirst().first ?? "") ?? 3 : 3
        threadSweep(rounds: rounds)
        exit(0)
    }
    if a == "--memory" {
        // Peak memory of 100 additions of 1e7 floats into new tensors, against the live bytes.
        let a = filled([10_000_000]), b = filled([10_000_000])
        var c = a + b
        for _ in 0..<100 { c = a + b }
        _ = c
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        let peak = Double(usage.ru_maxrss) * 1024
        let live = 3.0 * 40_000_000
        print(String(format: "peak RSS %.0f MB, live tensors %.0f MB, ratio %.2f", peak / 1e6, live / 1e6, peak / live))
        exit(0)
    }
}

let selected = allCases().filter { c in
    (filter.map { c.name.contains($0) } ?? true) && (exact.map { c.name == $0 } ?? true)
}
if listOnly {
    for c in selected { print(c.name) }
    exit(0)
}
var results: [(String, Double)] = []
for c in selected {
    // Inputs are built here, per selected case, so running one case costs only its own set-up.
    let body = c.setUp()
    let seconds = measure(body)
    results.append((c.name, seconds))
    FileHandle.standardError.write("\(c.name): \(seconds * 1e6) us\n".data(using: .utf8)!)
}
let body = results.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n")
print("{\n\(body)\n}")
