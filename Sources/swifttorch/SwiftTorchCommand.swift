import ArgumentParser
import Torch

/// `swifttorch`: the command-line program. Later issues add `train`, `eval` and `bench`.
@main
struct SwiftTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swifttorch",
        abstract: "PyTorch's semantics in Swift: train and evaluate models, replay the conformance corpus, show build information.",
        subcommands: [Train.self, Eval.self, Predict.self, Convert.self, Bench.self, Example.self, Info.self, Conformance.self, Demo.self, DistCheck.self]
    )
}
