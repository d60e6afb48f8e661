import Testing
@testable import Torch

/// Layers against PyTorch 2.15 with the same seed (initialisation and forward), mode
/// switches, state-dict keys of a nested model, and numeric gradients of every layer.
@Suite struct LayerTests {
    func seeded<R>(_ body: () -> R) -> R { withDefaultGenerator(Generator().manualSeed(0), body) }

    static func close(_ t: Tensor, _ expected: [Float], tolerance: Float = 2e-5) -> Bool {
        let a = t.toArray(Float.self)
        return a.count == expected.count && zip(a, expected).allSatisfy { abs($0 - $1) <= tolerance }
    }

    static let sequence = Tensor([[[0.1, 0.2, -0.3, 0.4]], [[0.5, -0.6, 0.7, 0.8]], [[-0.9, 1.0, 0.1, -0.2]]])

    @Test func conv2dMatchesPyTorch() {
        let conv = seeded { Conv2d(1, 2, kernelSize: 3, padding: 1) }
        #expect(Self.close(conv.weight, [-0.002496, 0.178815, -0.274348, -0.245313, -0.128385, 0.089386, -0.006604, 0.264297,
                                         -0.029581, 0.088204, -0.100738, -0.065522, -0.318449, -0.220761, -0.137408, 0.012348,
                                         0.131778, 0.200008]))
        #expect(Self.close(conv.bias!, [-0.22598, -0.145154]))
        let y = conv(Tensor.arange(0, 16).reshape([1, 1, 4, 4]).float() / 10)
        #expect(Self.close(y, [-0.126114, -0.109184, -0.114804, -0.132514, -0.075262, -0.168653, -0.184076, -0.125771,
                               -0.035189, -0.230345, -0.245768, -0.101645, -0.367703, -0.677528, -0.715762, -0.567795,
                               -0.00618, -0.003879, -0.037127, -0.175419, -0.023285, -0.160051, -0.201105, -0.346033,
                               -0.100342, -0.324267, -0.36532, -0.50908, -0.728257, -1.092276, -1.167743, -0.944732]))
        #expect(conv.description == "Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))")
    }

    @Test func embeddingZeroesItsPaddingRow() {
        let e = seeded { Embedding(4, 2, paddingIdx: 1) }
        #expect(Self.close(e.weight, [1.540996, -0.293429, 0.0, 0.0, -1.084522, -1.398595, 0.403347, 0.838026]))
        #expect(e(Tensor([[3, 1]])).shape == [1, 2, 2])
        #expect(e.description == "Embedding(4, 2, padding_idx=1)")
    }

    @Test func multiheadAttentionMatchesPyTorch() {
        let mha = seeded { MultiheadAttention(4, 2) }
        #expect(Self.close(mha.inProjWeight[0 ..< 2], [0.222424, 0.508507, -0.126026, 0.458246, -0.098704, 0.064798, 0.554489, -0.56808]))
        #expect(Self.close(mha.outProj.weight[0], [-0.003743, 0.268222, -0.411523, -0.36797]))
        let (out, weights) = mha(Self.sequence, Self.sequence, Self.sequence)
        #expect(Self.close(out, [-0.089459, -0.027645, -0.04024, 0.123477, -0.082164, -0.035887, -0.038072, 0.116164,
                                 -0.090098, -0.024406, -0.040167, 0.121289]))
        #expect(Self.close(weights!, [0.327453, 0.317516, 0.355031, 0.346228, 0.304207, 0.349564, 0.320634, 0.335757, 0.343609]))
        #expect(mha.namedParameters().map(\.name) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
    }

    @Test func transformerEncoderMatchesPyTorch() {
        let layer = seeded { TransformerEncoderLayer(dModel: 4, nhead: 2, dimFeedforward: 8) }
        layer.eval()
        #expect(Self.close(layer(Self.sequence), [0.014074, 0.377243, -1.570591, 1.179274, 0.545184, -1.708332, 0.349331, 0.813816,
                                                 -0.943751, 1.678829, -0.265915, -0.469163], tolerance: 1e-4))
        let encoder = seeded { TransformerEncoder(TransformerEncoderLayer(dModel: 4, nhead: 2, dimFeedforward: 8), numLayers: 2) }
        encoder.eval()
        #expect(Self.close(encoder(Self.sequence), [0.127932, 0.517996, -1.647098, 1.001169, 0.809035, -1.661403, 0.093095, 0.759273,
                                                   -0.465237, 1.728037, -0.63754, -0.625259], tolerance: 1e-4))
        #expect(encoder.stateDictKeys().first == "layers.0.self_attn.in_proj_weight")
        #expect(encoder.stateDictKeys().count == 24)
        #expect(encoder.description.hasPrefix("""
            TransformerEncoder(
              (layers): ModuleList(
                (0-1): 2 x TransformerEncoderLayer(
                  (self_attn): MultiheadAttention(
                    (out_proj): Linear(in_features=4, out_features=4, bias=True)
                  )
                  (linear1): Linear(in_features=4, out_features=8, bias=True)
                  (dropout): Dropout(p=0.1, inplace=False)
            """))
    }

    @Test func batchNormTrainAndEvalFollowPyTorch() {
        let bn = BatchNorm1d(2)
        let x = Tensor([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]])
        #expect(Self.close(bn(x), [-0.26726, 0.0, 1.336302, 1.224744, -1.069041, -1.224744]))
        #expect(Self.close(bn.runningMean!, [0.133333, 0.2]))
        #expect(Self.close(bn.runningVar!, [1.133333, 1.8]))
        #expect(bn.numBatchesTracked!.item() == 1)
        bn.eval()
        #expect(Self.close(bn(x), [0.814088, 1.341637, 2.692752, 3.577699, -0.125244, -0.894425]))
        #expect(bn.description == "BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)")
    }

    @Test func dropoutOnlyActsInTraining() {
        let d = Dropout(p: 0.5)
        let x = Tensor.ones(1000)
        let y = withDefaultGenerator(Generator().manualSeed(3)) { d(x) }
        let values = Set(y.toArray(Float.self))
        #expect(values == [0, 2])
        d.eval()
        #expect(d(x) === x)
    }

    /// Key names of a nested model, listed by PyTorch for the same architecture.
    @Test func nestedStateDictKeysMatchPyTorch() {
        final class Net: Module {
            let features = Sequential(Conv2d(1, 4, kernelSize: 3, padding: 1), BatchNorm2d(4), ReLU(), MaxPool2d(2))
            let encoder = LSTM(4, 3)
            let head = ModuleDict([("cls", Linear(3, 2))])
            let norm = LayerNorm(3)
        }
        #expect(Net().stateDictKeys() == [
            "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.1.running_mean",
            "features.1.running_var", "features.1.num_batches_tracked", "encoder.weight_ih_l0", "encoder.weight_hh_l0",
            "encoder.bias_ih_l0", "encoder.bias_hh_l0", "head.cls.weight", "head.cls.bias", "norm.weight", "norm.bias"])
    }

    /// Every layer's parameters and inputs against finite differences, in float64.
    @Test func everyLayerPassesGradcheck() {
        let layers: [(Module, [Int])] = [
            (Linear(3, 2, dtype: .float64), [2, 3]),
            (Conv1d(2, 2, kernelSize: 2, dtype: .float64), [1, 2, 4]),
            (Conv2d(1, 2, kernelSize: 2, stride: 1, padding: 1, dtype: .float64), [1, 1, 3, 3]),
            (ConvTranspose2d(2, 1, kernelSize: 2, stride: 2, dtype: .float64), [1, 2, 2, 2]),
            (BatchNorm2d(2, dtype: .float64), [2, 2, 2, 2]),
            (LayerNorm(3, dtype: .float64), [2, 3]),
            (GroupNorm(2, 4, dtype: .float64), [2, 4, 2]),
            (MaxPool2d(2), [1, 1, 4, 4]),
            (AvgPool2d(2), [1, 1, 4, 4]),
            (AdaptiveAvgPool2d([2, 3]), [1, 1, 5, 5]),
            (MultiheadAttention(4, 2, dtype: .float64), [3, 1, 4]),
            (Flatten(), [2, 2, 2]),
        ]
        for (layer, shape) in layers {
            let x = Tensor.randn(shape, dtype: .float64, requiresGrad: true)
            let result = gradcheck({ inputs in layer(inputs[0]) }, inputs: [x] + layer.parameters())
            #expect(result.passed, "\(layer.typeName): \(result)")
        }
        let bilinear = Bilinear(2, 3, 2, dtype: .float64)
        let a = Tensor.randn([2, 2], dtype: .float64, requiresGrad: true), b = Tensor.randn([2, 3], dtype: .float64, requiresGrad: true)
        #expect(gradcheck({ bilinear($0[0], $0[1]) }, inputs: [a, b] + bilinear.parameters()).passed)
        let embedding = Embedding(5, 3, dtype: .float64)
        #expect(gradcheck({ _ in embedding(Tensor([[0, 4], [4, 2]])) }, inputs: embedding.parameters()).passed)
    }
}
