import Foundation
import Testing
@testable import Torch

/// The PyTorch spellings the official ports needed (OfficialPortsTests), with values worked
/// out by hand.
@Suite struct PortSpellingTests {
    let x = Tensor([[1, 2, 3], [4, 6, 8]] as [[Float]])

    @Test func positionalDimensions() {
        #expect(x.mean(1).toArray(Float.self) == [2, 6])
        #expect(x.argmax(1).toArray(Int64.self) == [2, 2])
        #expect(cat([x, x], 1).shape == [2, 6])
        #expect(cat([x, x], 1)[1].toArray(Float.self) == [4, 6, 8, 4, 6, 8])
        let n = Tensor([[3, 4], [6, 8]] as [[Float]]).norm(2, 1, keepdim: true)
        #expect(n.shape == [2, 1])
        #expect(n.toArray(Float.self) == [5, 10])
    }

    @Test func layerSpellings() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 5, batchFirst: true)
        let (out, _) = lstm(Tensor.zeros(2, 4, 3))
        #expect(out.shape == [2, 4, 5])
        #expect(GRU(inputSize: 3, hiddenSize: 2).hiddenSize == 2)
        #expect(RNN(inputSize: 3, hiddenSize: 2).hiddenSize == 2)
        let conv = Conv2d(1, 4, [5, 3], [1, 2], [2, 1])
        #expect(conv(Tensor.zeros(1, 1, 6, 6)).shape == [1, 4, 6, 3])
        #expect(Dropout2d().p == 0.5)
        #expect(Dropout().p == 0.5)
        let padded = ReflectionPad2d(1)(Tensor([[[[1, 2], [3, 4]]]] as [[[[Float]]]]))
        #expect(padded.toArray(Float.self) == [4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1])
    }

    @Test func interpolateWithOneScaleFactor() {
        let y = interpolate(Tensor([[[[1, 2], [3, 4]]]] as [[[[Float]]]]), scaleFactor: 2, mode: .nearest)
        #expect(y.shape == [1, 1, 4, 4])
        #expect(y[0, 0, 0].toArray(Float.self) == [1, 1, 2, 2])
        #expect(y[0, 0, 3].toArray(Float.self) == [3, 3, 4, 4])
    }

    @Test func orthogonalGainByPosition() {
        let a = Tensor.empty(4, 3), b = Tensor.empty(4, 3)
        orthogonal_(a, 2.0, generator: Generator().manualSeed(1))
        orthogonal_(b, gain: 2.0, generator: Generator().manualSeed(1))
        #expect(a.toArray(Float.self) == b.toArray(Float.self))
        // columns orthogonal with norm `gain`
        let gram = a.T.mm(a).toArray(Float.self)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(gram[i * 3 + j] - (i == j ? 4 : 0)) < 1e-5) } }
    }

    @Test func addModuleOnSequentialRunsIt() {
        let s = Sequential()
        s.addModule("2", ReLU())
        s.addModule("5", Flatten())
        #expect(s.count == 2)
        #expect(s.namedChildren().map(\.name) == ["2", "5"])
        #expect(s(Tensor([[[-1, 2]]] as [[[Float]]])).toArray(Float.self) == [0, 2])
        let m = Sequential(Linear(2, 2))
        m.addModule("extra", Linear(2, 3))
        #expect(m(Tensor.zeros(1, 2)).shape == [1, 3])
        #expect(m.stateDictKeys() == ["0.weight", "0.bias", "extra.weight", "extra.bias"])
    }

    struct Triples: Dataset {
        var count: Int { 3 }
        subscript(index: Int) -> (Tensor, Tensor, Tensor) {
            (Tensor([Float(index)]), Tensor([Float(index), 1]), Tensor(Float(index * 10)))
        }
    }

    @Test func dataLoaderCollatesThreeTensorSamples() {
        let batches = Array(DataLoader(Triples(), batchSize: 2))
        #expect(batches.count == 2)
        #expect(batches[0].0.shape == [2, 1])
        #expect(batches[0].1.toArray(Float.self) == [0, 1, 1, 1])
        #expect(batches[0].2.toArray(Float.self) == [0, 10])
        #expect(batches[1].2.toArray(Float.self) == [20])
    }
}
