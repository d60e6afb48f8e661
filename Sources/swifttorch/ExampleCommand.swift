import ArgumentParser
import TorchExamples

/// `swifttorch example <name>`: runs one of the seed documents or one of the real programs
/// ported to Swift (nanoGPT, DCGAN, REINFORCE).
struct Example: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a seed document or a ported PyTorch program (see --list).")

    @Argument(help: "quick-intro, tensors-autograd, handwritten-basics, module2, slides, nanogpt, dcgan or reinforce.")
    var name: String?
    @Flag(help: "List the examples.") var list = false
    @Option(help: "Training steps (episodes for reinforce) of a ported program; default the recorded 20.")
    var steps: Int?

    func run() throws {
        if list || name == nil {
            for e in SeedExample.all { print("\(e.name)\t(\(e.source))") }
            for e in PortedExample.all { print("\(e.name)\t(\(e.source))") }
            return
        }
        if let example = SeedExample.all.first(where: { $0.name == name }) {
            print(example.run(), terminator: "")
            return
        }
        guard let ported = PortedExample.all.first(where: { $0.name == name }) else {
            throw ValidationError("no example named \(name!); try --list")
        }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        for line in ported.run(steps).lines { print(line) }
    }
}
