import ArgumentParser
import Foundation
import Torch

/// `swifttorch eval`: reloads a checkpoint written by `train` and reports its test accuracy.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reload a checkpoint written by `train` and report its test accuracy.")

    @Option(help: "The model.safetensors file `train` wrote.") var checkpoint: String
    @Option(help: "Directory of the downloaded dataset, for mnist / fashion-mnist / cifar10 checkpoints.") var dataDir: String?

    func run() throws {
        let (tensors, metadata) = try loadSafetensors(from: checkpoint)
        guard let modelName = metadata["model"], let kind = ModelKind(rawValue: modelName),
              let datasetName = metadata["dataset"], let datasetKind = DatasetKind(rawValue: datasetName) else {
            throw TorchError("\(checkpoint): no model/dataset metadata (was it written by `swifttorch train`?)")
        }
        let data = try loadDataset(datasetKind, dataDirectory: dataDir)
        let net = makeModel(kind, channels: data.channels, size: data.size)
        try net.loadStateDict(tensors)
        let result = evaluate(net, data.test)
        print(String(format: "%@ on %@: test accuracy %.2f%% (%d/%d)", modelName, datasetName, 100 * result.accuracy,
                     result.correct, data.test.count))
        print(confusionMatrixText(result.confusion))
    }
}
