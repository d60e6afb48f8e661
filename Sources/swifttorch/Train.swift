import ArgumentParser
import Foundation
import Torch
import TorchDistributed

/// `swifttorch train`: trains a model with a live progress bar, then reports test accuracy
/// and a confusion matrix and writes the checkpoint, the training curves and a picture of
/// test predictions.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a small model (by default a CNN on the bundled digits) and write checkpoint, curves and predictions.")

    @Option(help: "Passes over the training set.") var epochs = 20
    @Option(help: "Samples per step.") var batchSize = 64
    @Option(help: "Learning rate.") var lr = 3e-3
    @Option(help: "sgd, adam or adamw.") var optimizer = "adam"
    @Option(help: "Seed for initialisation and shuffling (runs are deterministic for a seed).") var seed = 0
    @Option(help: "mlp or cnn.") var model = "cnn"
    @Option(help: "digits (bundled), mnist, fashion-mnist or cifar10.") var dataset = "digits"
    @Option(help: "Directory holding downloaded MNIST / Fashion-MNIST / CIFAR-10 files.") var dataDir: String?
    @Option(help: "Threads for SwiftTorch's kernels and OpenBLAS (0: one per core).") var threads = 0
    @Option(help: "Output directory (default runs/<timestamp>).") var out: String?
    @Option(help: "fp32, or bf16: mixed precision (autocast), matrix products and convolutions in bfloat16.")
    var precision = "fp32"
    @Option(help: "Stop after this many optimizer steps (0: no limit).") var maxSteps = 0
    @Flag(help: "Drop each epoch's last, incomplete batch (PyTorch's drop_last).") var dropLast = false
    @Flag(help: ArgumentHelp("Data-parallel training under mpirun -np N: each rank trains on its DistributedSampler shard, --batch-size per process; rank 0 prints and writes the artefacts.")) var distributed = false

    func validate() throws {
        guard ModelKind(rawValue: model) != nil else { throw ValidationError("--model must be mlp or cnn, got \(model)") }
        guard DatasetKind(rawValue: dataset) != nil else {
            throw ValidationError("--dataset must be one of \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", ")), got \(dataset)")
        }
        guard ["sgd", "adam", "adamw"].contains(optimizer) else { throw ValidationError("--optimizer must be sgd, adam or adamw") }
        guard ["fp32", "bf16"].contains(precision) else { throw ValidationError("--precision must be fp32 or bf16, got \(precision)") }
        guard epochs > 0, batchSize > 0, lr > 0 else { throw ValidationError("--epochs, --batch-size and --lr must be positive") }
        guard maxSteps >= 0 else { throw ValidationError("--max-steps must not be negative") }
    }

    func run() throws {
        guard distributed else { return try train(rank: 0, worldSize: 1) }
        initProcessGroup(backend: .mpi)
        do {
            try train(rank: getRank(), worldSize: getWorldSize())
        } catch {
            // A rank that cannot go on takes the whole job down: the others would otherwise
            // wait for it in their next collective.
            FileHandle.standardError.write(Data("error on rank \(getRank()): \(error)\n".utf8))
            abortJob()
        }
        destroyProcessGroup()
    }

    /// Trains as rank `rank` of `worldSize` (0 of 1 when not distributed).
    private func train(rank: Int, worldSize: Int) throws {
        if threads > 0 {
            setNumThreads(threads)
        } else if distributed {
            // Ranks on one machine share its cores instead of each starting one thread per core.
            let local = Int(ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"] ?? "") ?? 1
            setNumThreads(max(1, ProcessInfo.processInfo.activeProcessorCount / max(local, 1)))
        }
        let lead = rank == 0
        let started = Date()
        let data = try loadDataset(DatasetKind(rawValue: dataset)!, dataDirectory: dataDir)
        manualSeed(seed)
        let net = makeModel(ModelKind(rawValue: model)!, channels: data.channels, size: data.size)
        let opt: Optimizer = switch optimizer {
        case "sgd": SGD(net.parameters(), lr: lr, momentum: 0.9)
        case "adamw": AdamW(net.parameters(), lr: lr)
        default: Adam(net.parameters(), lr: lr)
        }
        let directory = URL(fileURLWithPath: out ?? "runs/\(Self.timestamp())")
        if lead {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            print("training \(model) on \(dataset): \(data.train.count) train / \(data.test.count) test images, \(net.parameters().reduce(0) { $0 + $1.numel }) parameters, \(optimizer) lr \(lr), batch \(batchSize), seed \(seed)\(precision == "bf16" ? ", bf16 autocast" : "")")
            if distributed {
                print("distributed: \(worldSize) processes (MPI), batch \(batchSize) per process, \(batchSize * worldSize) per step in all")
            }
        }

        // Distributed: DDP averages gradients over ranks, each rank reading its own shard.
        let wrapped: Module = distributed ? DistributedDataParallel(net) : net
        let sampler = distributed ? DistributedSampler(count: data.train.count, numReplicas: worldSize, rank: rank, seed: seed) : nil
        let loader = DataLoader(data.train, batchSize: batchSize, shuffle: sampler == nil, dropLast: dropLast, sampler: sampler?.sampler)
        let samplesPerEpoch = sampler?.count ?? data.train.count
        let stepsPerEpoch = dropLast ? samplesPerEpoch / batchSize : (samplesPerEpoch + batchSize - 1) / batchSize
        var history = (loss: [Double](), trainAccuracy: [Double](), testAccuracy: [Double]())
        let progress = ProgressBar(enabled: lead)
        var steps = 0
        for epoch in 1...epochs {
            net.train()
            sampler?.setEpoch(epoch - 1)
            let epochStart = Date()
            var seen = 0, correct = 0, lossSum = 0.0
            for (step, (x, y)) in loader.enumerated() {
                if maxSteps > 0 && steps == maxSteps { break }
                steps += 1
                opt.zeroGrad()
                // Forward and loss under autocast for bf16; backward outside, as in PyTorch.
                let (logits, loss) = mixedPrecision { () -> (Tensor, Tensor) in
                    let logits = wrapped(x)
                    return (logits, crossEntropy(logits, y))
                }
                loss.backward()
                opt.step()
                let n = y.shape[0]
                seen += n
                lossSum += loss.item() * Double(n)
                correct += Int((logits.argmax(dim: 1) .== y).sum().item())
                progress.show(epoch: epoch, of: epochs, step: step + 1, steps: stepsPerEpoch, loss: lossSum / Double(seen),
                              accuracy: Double(correct) / Double(seen), samples: seen * worldSize, since: epochStart)
            }
            if distributed {
                // The epoch's figures over every rank's shard, not rank 0's alone.
                let totals = Tensor([lossSum, Double(correct), Double(seen)], dtype: .float64)
                allReduce(totals)
                let t = totals.toArray(Double.self)
                (lossSum, correct, seen) = (t[0], Int(t[1]), Int(t[2]))
                progress.show(epoch: epoch, of: epochs, step: stepsPerEpoch, steps: stepsPerEpoch, loss: lossSum / Double(max(seen, 1)),
                              accuracy: Double(correct) / Double(max(seen, 1)), samples: seen, since: epochStart)
            }
            // Every rank holds the same weights, so every rank's test accuracy is the same.
            let testAccuracy = evaluate(net, data.test).accuracy
            history.loss.append(lossSum / Double(seen))
            history.trainAccuracy.append(Double(correct) / Double(seen))
            history.testAccuracy.append(testAccuracy)
            progress.finish(testAccuracy: testAccuracy)
            if maxSteps > 0 && steps == maxSteps { break }
        }
        let result = evaluate(net, data.test)
        if distributed {
            let counts = Tensor([Int64(result.correct)])
            let lowest = counts.clone(), highest = counts.clone()
            allReduce(lowest, op: .min)
            allReduce(highest, op: .max)
            if lead && !equal(lowest, highest) {
                print("warning: ranks disagree on test accuracy (\(lowest.item(as: Int.self)) to \(highest.item(as: Int.self)) correct)")
            }
        }
        guard lead else { return }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "test accuracy: %.2f%% (%d/%d) after %d epochs in %.1f s", 100 * result.accuracy,
                     result.correct, data.test.count, epochs, seconds))
        print("confusion matrix (rows: true class, columns: predicted):")
        print(confusionMatrixText(result.confusion))

        let checkpoint = directory.appendingPathComponent("model.safetensors")
        try save(net.stateDict(), to: checkpoint, metadata: [
            "model": model, "dataset": dataset, "channels": "\(data.channels)", "size": "\(data.size)",
            "epochs": "\(epochs)", "seed": "\(seed)", "test_accuracy": String(format: "%.4f", result.accuracy),
            "steps": "\(steps)", "world_size": "\(worldSize)",
        ])
        try save(opt.stateDict(), to: directory.appendingPathComponent("optimizer.safetensors"))
        let curves = directory.appendingPathComponent("curves.svg")
        try saveLinePlot([PlotSeries("train loss", history.loss, color: "#d62728")], title: "Training loss",
                         yLabel: "cross-entropy", to: directory.appendingPathComponent("loss.svg"))
        try saveLinePlot([PlotSeries("train accuracy", history.trainAccuracy, color: "#1f77b4"),
                          PlotSeries("test accuracy", history.testAccuracy, color: "#2ca02c")],
                         title: "Accuracy", yLabel: "accuracy", to: curves)
        let grid = directory.appendingPathComponent("predictions.png")
        try savePredictionGrid(net, data.test, to: grid)
        print("wrote \(checkpoint.path), \(curves.path), \(directory.appendingPathComponent("loss.svg").path), \(grid.path)")
    }

    /// `body` under bfloat16 autocast for `--precision bf16`, as it is otherwise.
    private func mixedPrecision<R>(_ body: () -> R) -> R {
        precision == "bf16" ? autocast(.cpu, dtype: .bfloat16, body) : body()
    }

    static func timestamp() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f.string(from: Date())
    }
}

/// Accuracy and confusion matrix of `net` on `data`, in eval mode without gradients.
func evaluate(_ net: Module, _ data: TensorDataset) -> (accuracy: Double, correct: Int, confusion: [[Int]]) {
    net.eval()
    defer { net.train() }
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
    noGrad {
        for (x, y) in DataLoader(data, batchSize: 512) {
            let predicted = net(x).argmax(dim: 1).toArray(Int64.self)
            for (p, t) in zip(predicted, y.toArray(Int64.self)) { confusion[Int(t)][Int(p)] += 1 }
        }
    }
    let correct = (0..<10).reduce(0) { $0 + confusion[$1][$1] }
    return (Double(correct) / Double(max(data.count, 1)), correct, confusion)
}

/// The confusion matrix as aligned text.
func confusionMatrixText(_ m: [[Int]]) -> String {
    let width = max(4, String(m.flatMap { $0 }.max() ?? 0).count + 1)
    func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
    var lines = ["     " + (0..<10).map { pad("\($0)") }.joined()]
    for (i, row) in m.enumerated() { lines.append(pad("\(i)") + " " + row.map { pad("\($0)") }.joined()) }
    return lines.joined(separator: "\n")
}

/// A live, single-line progress bar on a terminal; one line per epoch otherwise.
final class ProgressBar {
    private let interactive = isatty(1) != 0
    private let enabled: Bool
    private var line = ""

    /// A bar that prints nothing unless `enabled` (only rank 0 of a distributed run prints).
    init(enabled: Bool = true) { self.enabled = enabled }

    func show(epoch: Int, of epochs: Int, step: Int, steps: Int, loss: Double, accuracy: Double, samples: Int, since start: Date) {
        let elapsed = Date().timeIntervalSince(start)
        let rate = Double(samples) / max(elapsed, 1e-9)
        let eta = elapsed / Double(step) * Double(steps - step)
        let filled = 24 * step / max(steps, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 24 - filled)
        line = String(format: "epoch %\(String(epochs).count)d/%d %@ %d/%d loss %.4f acc %5.1f%% %.0f samples/s ETA %.1fs",
                      epoch, epochs, bar, step, steps, loss, 100 * accuracy, rate, eta)
        if interactive && enabled { FileHandle.standardOutput.write(Data(("\r" + line).utf8)) }
    }

    func finish(testAccuracy: Double) {
        guard enabled else { return }
        let text = line + String(format: " | test acc %.1f%%", 100 * testAccuracy)
        print(interactive ? "\r" + text : text)
    }
}

/// Writes a grid of test images, each with a strip showing its predicted class — green when
/// right, red when wrong.
func savePredictionGrid(_ net: Module, _ data: TensorDataset, count: Int = 48, to url: URL) throws {
    let n = min(count, data.count)
    let images = data.inputs.narrow(0, 0, n)
    let predicted = noGrad { () -> [Int64] in
        net.eval()
        defer { net.train() }
        return net(images).argmax(dim: 1).toArray(Int64.self)
    }
    let truth = data.targets.narrow(0, 0, n).toArray(Int64.self)
    // Upscale small images so the label strip stays readable.
    let scale = max(1, 32 / images.shape[3])
    var rgb = images.shape[1] == 1 ? cat([images, images, images], dim: 1) : images
    if scale > 1 { rgb = interpolate(rgb, scaleFactor: [Double(scale)], mode: .nearest) }
    let tiles = (0..<n).map { i in labelled(rgb.select(0, i), digit: Int(predicted[i]), correct: predicted[i] == truth[i]) }
    try saveImage(makeGrid(stack(tiles), nrow: 12, padding: 2, padValue: 1), to: url)
}

/// Appends a 9-pixel strip under a `(3, H, W)` image with `digit` drawn in a 3×5 font.
func labelled(_ image: Tensor, digit: Int, correct: Bool) -> Tensor {
    let glyphs = ["111101101101111", "010110010010111", "111001111100111", "111001111001111", "101101111001001",
                  "111100111001111", "111100111101111", "111001001001001", "111101111101111", "111101111001111"]
    let width = image.shape[2], strip = 9
    var pixels = [Float](repeating: 1, count: 3 * strip * width)
    let color: [Float] = correct ? [0.1, 0.6, 0.1] : [0.85, 0.1, 0.1]
    let glyph = Array(glyphs[digit % 10])
    let left = max(0, width / 2 - 3)
    for r in 0..<5 {
        for c in 0..<3 where glyph[r * 3 + c] == "1" {
            for dx in 0..<2 {
                let y = 2 + r, x = left + c * 2 + dx
                guard x < width else { continue }
                for ch in 0..<3 { pixels[(ch * strip + y) * width + x] = color[ch] }
            }
        }
    }
    return cat([image, Tensor(shape: [3, strip, width], scalars: pixels)], dim: 1)
}
