import Foundation
import Torch

// Usage: torchbench [--filter SUBSTRING] — prints one JSON object: {"case": seconds, ...}.
// Case names must match Benchmarks/torch_bench.py's exactly; `Benchmarks/run` pairs them.

var filter: String?
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--filter" { filter = args.popFirst() }
}

var results: [(String, Double)] = []
for c in allCases() where filter.map({ c.name.contains($0) }) ?? true {
    let seconds = measure(c.run)
    results.append((c.name, seconds))
    FileHandle.standardError.write("\(c.name): \(seconds * 1e6) us\n".data(using: .utf8)!)
}
let body = results.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n")
print("{\n\(body)\n}")
