import ArgumentParser
import Torch

/// `swifttorch`: the command-line program. Later issues add `train`, `eval` and `bench`.
@main
struct SwiftTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swifttorch",
        abstract: "PyTorch's semantics in Swift: information, conformance replay, and (soon) training.",
        subcommands: [Info.self, Conformance.self, Demo.self]
    )
}
