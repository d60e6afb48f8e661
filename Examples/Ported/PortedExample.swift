import Foundation
import Torch

/// A real PyTorch program from outside the project, ported to Swift as close to the
/// original as Swift allows, and run briefly on data the package ships or generates.
///
/// `scripts/examples/<name>.py` is the PyTorch side at the same sizes; `scripts/record-examples.py`
/// records its output into the tests' fixtures, and `PortedExampleTests` checks that the
/// Swift port prints the same losses.
public struct PortedExample: Sendable {
    /// The name `swifttorch example <name>` takes.
    public let name: String
    /// Where the original comes from.
    public let source: String
    /// Runs the program for `steps` training steps (episodes for reinforce; `nil`: the
    /// recorded length).
    public let run: @Sendable (_ steps: Int?) -> PortedRun

    /// The three ports.
    public static let all: [PortedExample] = [
        PortedExample(name: "nanogpt", source: "karpathy/nanoGPT model.py, train.py (shakespeare_char), sample.py",
                      run: { runNanoGPT(maxIters: $0 ?? 20) }),
        PortedExample(name: "dcgan", source: "pytorch/examples dcgan/main.py", run: { runDCGAN(steps: $0 ?? 20) }),
        PortedExample(name: "reinforce", source: "pytorch/examples reinforcement_learning/reinforce.py",
                      run: { runReinforce(episodes: $0 ?? 20) }),
    ]
}

/// What a ported program printed and the losses it computed, step by step.
public struct PortedRun: Sendable {
    /// The printed lines, as the original prints them.
    public var lines: [String] = []
    /// One loss per training step (for dcgan, the discriminator's and the generator's,
    /// interleaved; for reinforce, the policy loss of each episode).
    public var losses: [Double] = []
    /// Other values the test compares (nanoGPT's evaluation losses, DCGAN's D(x), ...).
    public var extras: [Double] = []
    /// Text the program generated (nanoGPT's sample), if any.
    public var sample: String = ""
}

/// `value` with `digits` decimals, as Python's `f"{value:.4f}"`.
func fixed(_ value: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", value) }
