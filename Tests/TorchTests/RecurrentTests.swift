import Testing
@testable import Torch

/// RNN, LSTM and GRU against PyTorch 2.15 with the same seed (so initialisation and the
/// forward pass are both checked), plus numeric gradient checks.
@Suite struct RecurrentTests {
    static let sequence = Tensor([[[0.5, -1.0, 2.0]], [[1.5, 0.25, -0.5]], [[-1.0, 1.0, 0.0]]])   // (L=3, N=1, 3)

    static func close(_ a: Tensor, _ b: [Float]) -> Bool {
        let x = a.toArray(Float.self)
        return x.count == b.count && zip(x, b).allSatisfy { abs($0 - $1) <= 2e-6 }
    }

    func seeded<R>(_ body: () -> R) -> R { withDefaultGenerator(Generator().manualSeed(0), body) }

    @Test func stackedBidirectionalLSTMMatchesPyTorch() {
        let lstm = seeded { LSTM(3, 4, numLayers: 2, bidirectional: true) }
        #expect(lstm.namedParameters().map(\.name).prefix(5)
            == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse"])
        #expect(lstm.parameters().count == 16)
        #expect(lstm.description == "LSTM(3, 4, num_layers=2, bidirectional=True)")
        let (output, state) = lstm(Self.sequence, nil)
        #expect(output.shape == [3, 1, 8] && state.h.shape == [4, 1, 4])
        #expect(Self.close(output, [0.0520167, -0.086197, 0.0220674, 0.1342213, 0.0081895, -0.19174, 0.1027968, 0.0952888,
                                    0.0857044, -0.14059, 0.049893, 0.1545959, 0.0240177, -0.1660977, 0.1348519, 0.1357809,
                                    0.1236813, -0.1494429, -0.0029549, 0.2193463, -0.0215084, -0.1196268, 0.1064659, 0.0857042]))
        #expect(Self.close(state.h, [0.0383995, -0.0260958, 0.0715282, 0.1292553, 0.2276819, -0.2553591, -0.0878459, 0.1236793,
                                     0.1236813, -0.1494429, -0.0029549, 0.2193463, 0.0081895, -0.19174, 0.1027968, 0.0952888]))
        #expect(Self.close(state.c, [0.0567489, -0.0590616, 0.1555763, 0.2255525, 0.3006364, -0.3967912, -0.3782887, 0.2137399,
                                     0.2448008, -0.3119705, -0.005014, 0.4280323, 0.0157887, -0.4737313, 0.2196632, 0.135549]))
        output.sum().backward()
        #expect(Self.close(lstm.parameter("weight_hh_l0")!.grad![0 ..< 2],
                           [0.0016072, 0.0020269, -0.0006287, -0.0015573, 0.0004222, -0.0001003, -0.0010599, -0.0002484]))
    }

    @Test func batchFirstGRUMatchesPyTorch() {
        let gru = seeded { GRU(3, 2, batchFirst: true) }
        let (output, h) = gru(Self.sequence.transpose(0, 1), nil)
        #expect(output.shape == [1, 3, 2])
        #expect(Self.close(output, [-0.5138151, -0.1781034, -0.7162612, -0.3817973, -0.5683674, -0.3760163]))
        #expect(Self.close(h, [-0.5683674, -0.3760163]))
    }

    @Test func unbatchedRNNMatchesPyTorch() {
        let rnn = seeded { RNN(3, 2) }
        let (output, h) = rnn(Self.sequence.squeeze(1), nil)
        #expect(output.shape == [3, 2] && h.shape == [1, 2])
        #expect(Self.close(output, [-0.984775, -0.2126198, -0.5488684, -0.910212, -0.7646184, -0.4582719]))
        #expect(Self.close(h, [-0.7646184, -0.4582719]))
    }

    @Test func gradientsAreNumericallyRight() {
        for layer in [LSTM(2, 3, dtype: .float64), GRU(2, 3, dtype: .float64), RNN(2, 3, dtype: .float64)] as [RecurrentLayer] {
            let x = Tensor.randn([4, 2, 2], dtype: .float64, requiresGrad: true)
            let params = layer.parameters()
            #expect(gradcheck({ inputs in layer.forward(inputs[0]) }, inputs: [x] + params).passed)
        }
    }
}
