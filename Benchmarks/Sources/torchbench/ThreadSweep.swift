import Foundation
@_spi(Benchmarking) import Torch

/// `torchbench --thread-sweep [--rounds N]`: for each kernel family, the time of one op at
/// growing sizes on one thread (the family's threshold set above the size) and split
/// across the cores (threshold 0), alternating the two, medians of N rounds. The first size
/// where the split wins by a clear margin is the family's threshold in `Parallel.swift`.
func threadSweep(rounds: Int) {
    var rows: [(family: ParallelFamily, label: String, size: Int, body: () -> Void)] = []
    let sizes = [1 << 14, 1 << 15, 1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20]
    for n in sizes {
        let a = filled([n]), b = filled([n]) * -0.5
        rows.append((.elementwise, "add", n, { _ = a + b }))
        rows.append((.elementwise, "exp", n, { _ = exp(a) }))
        rows.append((.reduction, "sum", n, { _ = a.sum() }))
        let logits = filled([n / 256, 256])
        rows.append((.reduction, "softmax rows of 256", n, { _ = logits.softmax(dim: -1) }))
        let wide = filled([256, n / 256])
        rows.append((.copy, "transposed copy", n, { _ = wide.t().contiguous() }))
        rows.append((.copy, "float32 to float64", n, { _ = a.to(.float64) }))
    }
    for (m, n, k) in [(16, 16, 16), (32, 32, 32), (48, 48, 48), (64, 64, 64), (96, 96, 96), (128, 128, 128),
                      (64, 256, 784), (64, 10, 256), (20, 800, 200), (192, 192, 192), (256, 256, 256)] {
        let x = filled([m, k]), w = filled([k, n])
        rows.append((.gemm, "sgemm \(m)x\(k)x\(n)", m * n * k, { _ = mm(x, w) }))
        let x64 = filled([m, k], dtype: .float64), w64 = filled([k, n], dtype: .float64)
        rows.append((.gemm, "dgemm \(m)x\(k)x\(n)", m * n * k, { _ = mm(x64, w64) }))
    }
    print("family       op                       size   one thread    split    one/split")
    for row in rows {
        var one: [Double] = [], split: [Double] = []
        for r in 0..<rounds {
            for single in (r % 2 == 0 ? [true, false] : [false, true]) {
                setParallelThreshold(row.family, single ? Int.max : 0)
                let t = measure(row.body, target: 0.05, samples: 5)
                if single { one.append(t) } else { split.append(t) }
            }
        }
        setParallelThreshold(row.family, -1)
        one.sort(); split.sort()
        let t1 = one[one.count / 2], t2 = split[split.count / 2]
        print(String(format: "%-12@ %-22@ %8d %9.2f us %9.2f us %6.2f", "\(row.family)" as NSString,
                     row.label as NSString, row.size, t1 * 1e6, t2 * 1e6, t1 / t2))
    }
}

/// Applies `TORCHBENCH_THRESHOLDS=family=N,...` (e.g. `gemm=0,copy=1048576`): a run with
/// other split thresholds than the measured ones, to time a case before and after a change
/// of threshold in one build.
func applyThresholdOverrides() {
    guard let spec = ProcessInfo.processInfo.environment["TORCHBENCH_THRESHOLDS"] else { return }
    for item in spec.split(separator: ",") {
        let parts = item.split(separator: "=")
        guard parts.count == 2, let value = Int(parts[1]),
              let family = ParallelFamily.allCases.first(where: { "\($0)" == parts[0] }) else {
            FileHandle.standardError.write("TORCHBENCH_THRESHOLDS: cannot read \(item)\n".data(using: .utf8)!)
            exit(2)
        }
        setParallelThreshold(family, value)
    }
}
