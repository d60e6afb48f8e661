import Foundation
import Testing
import Torch
@testable import TorchExamples

/// The pytorch/examples programs ported into `Examples/OfficialPorts` train for a few steps
/// on generated data, each under its own seeded generator (the cases run in parallel).
@Suite("Official ports") struct OfficialPortsTests {
    static func check(_ run: PortedRun, steps: Int, decreasing: Bool) {
        #expect(run.losses.count == steps)
        let finite = run.losses.allSatisfy { $0.isFinite }
        #expect(finite)
        if decreasing, let first = run.losses.first, let last = run.losses.last { #expect(last < first) }
    }

    @Test func mnistRNN() {
        let run = withDefaultGenerator(Torch.Generator().manualSeed(0)) { runMNISTRNN(steps: 3) }
        Self.check(run, steps: 3, decreasing: false)
        #expect(run.lines.first?.hasPrefix("Train Epoch: 1 [0/192 (0%)]\tLoss: ") == true)
        // log-probabilities of 10 classes: the first loss is near ln 10
        #expect(abs(run.losses[0] - log(10.0)) < 0.5)
        let out = withDefaultGenerator(Torch.Generator().manualSeed(0)) { MNISTRNNNet()(Tensor.randn(4, 1, 28, 28)) }
        #expect(out.shape == [4, 10])
    }

    @Test func siameseNetwork() {
        let run = withDefaultGenerator(Torch.Generator().manualSeed(0)) { runSiamese(steps: 2, samples: 32, batchSize: 4) }
        Self.check(run, steps: 2, decreasing: false)
        let positive = run.losses.allSatisfy { $0 > 0 }
        #expect(positive)
    }

    @Test func superResolution() {
        let run = withDefaultGenerator(Torch.Generator().manualSeed(0)) { runSuperResolution(steps: 3) }
        Self.check(run, steps: 3, decreasing: true)
        #expect(run.lines.last?.hasPrefix("===> Epoch 1 Complete: Avg. Loss: ") == true)
        let y = withDefaultGenerator(Torch.Generator().manualSeed(0)) { SuperResolutionNet(upscaleFactor: 3)(Tensor.rand(2, 1, 5, 7)) }
        #expect(y.shape == [2, 1, 15, 21])
    }

    @Test func actorCritic() {
        let run = withDefaultGenerator(Torch.Generator().manualSeed(0)) { runActorCritic(episodes: 3) }
        Self.check(run, steps: 3, decreasing: false)
        #expect(run.extras.count == 6)
        #expect(run.extras[0] >= 1)   // an episode lasts at least one step
    }

    @Test func mnistForwardForward() {
        let run = withDefaultGenerator(Torch.Generator().manualSeed(0)) {
            runForwardForward(epochs: 3, samples: 32, dims: [784, 64, 64])
        }
        // three epochs for each of the two layers, each layer's loss going down
        Self.check(run, steps: 6, decreasing: false)
        #expect(run.losses[2] < run.losses[0])
        #expect(run.losses[5] < run.losses[3])
        #expect((0...1).contains(run.extras[0]))
    }

    @Test func forwardForwardNegativeLabelsDiffer() {
        let y = Tensor([3, 0, 9, 9, 1] as [Int64])
        let yNeg = withDefaultGenerator(Torch.Generator().manualSeed(0)) { getYNeg(y) }
        let differ = zip(y.toArray(Int64.self), yNeg.toArray(Int64.self)).allSatisfy { $0 != $1 }
        #expect(differ)
        let x = Tensor.arange(0, 24).float().view(2, 12)
        let overlaid = overlayYOnX(x, Tensor([2, 5] as [Int64]))
        #expect(overlaid[0].toArray(Float.self) == [0, 0, 23, 0, 0, 0, 0, 0, 0, 0, 10, 11])
        #expect(overlaid[1].toArray(Float.self) == [0, 0, 0, 0, 0, 23, 0, 0, 0, 0, 22, 23])
    }

    @Test func fastNeuralStyle() {
        let run = withDefaultGenerator(Torch.Generator().manualSeed(0)) { runFastNeuralStyle(steps: 2, batchSize: 1, imageSize: 16) }
        Self.check(run, steps: 2, decreasing: false)
        let y = withDefaultGenerator(Torch.Generator().manualSeed(0)) { TransformerNet()(Tensor.rand(1, 3, 16, 16)) }
        #expect(y.shape == [1, 3, 16, 16])
        #expect(gramMatrix(Tensor.ones(1, 2, 2, 2)).toArray(Float.self) == [0.5, 0.5, 0.5, 0.5])
    }

    @Test func mnistHogwild() {
        let run = withDefaultGenerator(Torch.Generator().manualSeed(0)) { runMNISTHogwild(steps: 3) }
        Self.check(run, steps: 3, decreasing: false)
        #expect(abs(run.losses[0] - log(10.0)) < 0.5)
    }
}
