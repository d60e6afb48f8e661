import Foundation
import Torch

// Usage: torchbench [--filter SUBSTRING] — prints one JSON object: {"case": seconds, ...}.
// Case names must match Benchmarks/torch_bench.py's exactly; `Benchmarks/run` pairs them.

var filter: String?
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--filter" { filter = args.popFirst() }
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

var results: [(String, Double)] = []
for c in allCases() where filter.map({ c.name.contains($0) }) ?? true {
    let seconds = measure(c.run)
    results.append((c.name, seconds))
    FileHandle.standardError.write("\(c.name): \(seconds * 1e6) us\n".data(using: .utf8)!)
}
let body = results.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n")
print("{\n\(body)\n}")
