import Torch

/// One of the seed documents, ported to Swift: `run` executes its code cells (those that need
/// no GPU or internet) and returns what they print, as PyTorch prints it.
public struct SeedExample: Sendable {
    /// The name `swifttorch example <name>` takes.
    public let name: String
    /// The seed document it ports.
    public let source: String
    /// Runs the cells; returns the printed text.
    public let run: @Sendable () -> String

    /// Every ported seed, in the seeds' order.
    public static let all: [SeedExample] = [
        SeedExample(name: "quick-intro", source: "01-quick-intro-uio.md", run: quickIntro),
        SeedExample(name: "tensors-autograd", source: "02-notebook-tensors-autograd.md", run: tensorsAndAutograd),
        SeedExample(name: "handwritten-basics", source: "03-handwritten-basics.md", run: handwrittenBasics),
        SeedExample(name: "module2", source: "04-module2-tensors-autodiff.md", run: module2),
        SeedExample(name: "slides", source: "05-intro-slides-ucla.md", run: slides),
    ]
}

/// Collects what a ported cell prints.
final class Transcript {
    private(set) var text = ""
    func print(_ items: Any..., separator: String = " ") {
        // Booleans print in Python's spelling, as the notebooks show them.
        text += items.map { ($0 as? Bool).map { $0 ? "True" : "False" } ?? "\($0)" }.joined(separator: separator) + "\n"
    }
}
