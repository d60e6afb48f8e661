import Torch

/// Every benchmark case; names match `torch_bench.py`. Later issues append theirs.
func allCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    cases += creationCases()
    return cases
}

private func creationCases() -> [BenchmarkCase] {
    [1000, 100_000, 10_000_000].map { n in
        BenchmarkCase(name: "zeros_\(n)") { _ = Tensor.zeros([n]) }
    }
}
