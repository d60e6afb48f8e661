import ArgumentParser
import Foundation
import Torch

/// `swifttorch bench`: times a few representative workloads in this process; with
/// `--compare`, runs `Benchmarks/run` (SwiftTorch and PyTorch side by side, with ratios).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time matmul, convolution and training steps; --compare runs the side-by-side PyTorch comparison.")

    @Flag(help: "Run Benchmarks/run (needs python3 with torch, or installs it into Benchmarks/.venv).") var compare = false
    @Option(help: "With --compare: only cases whose name contains this.") var filter: String?

    func run() throws {
        if compare {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Benchmarks/run").standardized
            let process = Process()
            process.executableURL = script
            process.arguments = filter.map { ["--filter", $0] } ?? []
            try process.run()
            process.waitUntilExit()
            return
        }
        manualSeed(0)
        let a = Tensor.randn(1024, 1024), b = Tensor.randn(1024, 1024)
        report("sgemm 1024", flops: 2 * 1024 * 1024 * 1024) { _ = mm(a, b) }
        let images = Tensor.randn(32, 3, 32, 32), kernel = Tensor.randn(32, 3, 3, 3)
        report("conv2d 32×3×32×32, 32 filters 3×3") { _ = conv2d(images, kernel, padding: 1) }
        let mlp = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
        let opt = SGD(mlp.parameters(), lr: 0.01)
        let x = Tensor.randn(64, 784), y = Tensor.randint(0, 10, [64])
        report("MLP 784-256-10 train step, batch 64") {
            opt.zeroGrad()
            crossEntropy(mlp(x), y).backward()
            opt.step()
        }
        let digits = Digits(train: true)
        let cnn = Sequential(Conv2d(1, 16, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2),
                             Conv2d(16, 32, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2), Flatten(), Linear(128, 10))
        let adam = Adam(cnn.parameters(), lr: 3e-3)
        let batch = digits.batch(Tensor.arange(0, 64))
        report("digits CNN train step, batch 64") {
            adam.zeroGrad()
            crossEntropy(cnn(batch.0), batch.1).backward()
            adam.step()
        }
    }

    /// Runs `body` for about half a second and prints the median of five timings.
    private func report(_ name: String, flops: Double? = nil, _ body: () -> Void) {
        body()
        var iterations = 1
        while true {
            let start = Date()
            for _ in 0..<iterations { body() }
            if Date().timeIntervalSince(start) > 0.1 { break }
            iterations *= 2
        }
        let times = (0..<5).map { _ -> Double in
            let start = Date()
            for _ in 0..<iterations { body() }
            return Date().timeIntervalSince(start) / Double(iterations)
        }.sorted()
        let t = times[2]
        let rate = flops.map { String(format: "  %.0f GFLOP/s", $0 / t / 1e9) } ?? ""
        print(name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%10.1f µs", t * 1e6) + rate)
    }
}
