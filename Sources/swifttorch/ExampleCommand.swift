import ArgumentParser
import TorchExamples

/// `swifttorch example <name>`: runs one of the seed documents ported to Swift.
struct Example: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a seed document ported to Swift (see --list).")

    @Argument(help: "quick-intro, tensors-autograd, handwritten-basics, module2 or slides.") var name: String?
    @Flag(help: "List the examples.") var list = false

    func run() throws {
        if list || name == nil {
            for e in SeedExample.all { print("\(e.name)\t(\(e.source))") }
            return
        }
        guard let example = SeedExample.all.first(where: { $0.name == name }) else {
            throw ValidationError("no example named \(name!); try --list")
        }
        print(example.run(), terminator: "")
    }
}
