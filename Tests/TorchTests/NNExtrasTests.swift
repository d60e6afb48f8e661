import Foundation
import Testing
@testable import Torch

/// Recurrent cells and layout modules against PyTorch (`scripts/record-nn-extras.py`,
/// `Fixtures/nn_extras.json`): the cells' seeded weights and one step, the modules' outputs.
@Suite struct NNExtrasTests {
    static func record() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/nn_extras.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static func values(_ any: Any?) -> [Double] { (any as! [NSNumber]).map(\.doubleValue) }

    static func close(_ t: Tensor, _ want: [Double], tolerance: Double = 1e-5) -> Bool {
        let got = t.toArray(Double.self)
        return got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
    }

    let x = Tensor(shape: [2, 3], scalars: (0..<6).map { (Double($0) * 0.37).truncatingRemainder(dividingBy: 1.3) - 0.6 }).float()
    let h = Tensor(shape: [2, 4], scalars: (0..<8).map { (Double($0) * 0.53).truncatingRemainder(dividingBy: 1.1) - 0.5 }).float()

    @Test func cellsMatchPyTorch() {
        let r = Self.record()
        for name in ["RNNCell", "LSTMCell", "GRUCell"] {
            let expected = r[name] as! [String: Any]
            let cell: RecurrentCell = withDefaultGenerator(Generator().manualSeed(0)) {
                switch name {
                case "RNNCell": return RNNCell(3, 4)
                case "LSTMCell": return LSTMCell(3, 4)
                default: return GRUCell(3, 4)
                }
            }
            #expect(cell.stateDictKeys() == (expected["keys"] as! [String]), "\(name)")
            let state = cell.stateDict(), recorded = expected["state"] as! [String: Any]
            for (key, want) in recorded { #expect(Self.close(state[key]!, Self.values(want)), "\(name) \(key)") }
            switch cell {
            case let lstm as LSTMCell:
                let (hNext, cNext) = lstm(x, (h, h * 0.5))
                #expect(Self.close(hNext, Self.values(expected["h"])) && Self.close(cNext, Self.values(expected["c"])))
                #expect(Self.close(lstm(x), Self.values(expected["zero_state"])))
            case let rnn as RNNCell:
                #expect(Self.close(rnn(x, h), Self.values(expected["h"])) && Self.close(rnn(x), Self.values(expected["zero_state"])))
            case let gru as GRUCell:
                #expect(Self.close(gru(x, h), Self.values(expected["h"])) && Self.close(gru(x), Self.values(expected["zero_state"])))
            default: Issue.record("unexpected cell")
            }
        }
    }

    @Test func layoutModulesMatchPyTorch() {
        let r = Self.record()
        let image = Tensor(shape: [2, 4, 4, 6], scalars: Self.values(r["input"])).float()
        let checks: [(String, Tensor)] = [
            ("PixelUnshuffle2", PixelUnshuffle(2)(image)),
            ("ChannelShuffle2", ChannelShuffle(2)(image)),
            ("ReflectionPad2d", ReflectionPad2d([1, 2, 2, 1])(image)),
            ("ReplicationPad2d", ReplicationPad2d([2, 0, 1, 1])(image)),
            ("ZeroPad2d", ZeroPad2d(1)(image)),
            ("ConstantPad1d", ConstantPad1d([1, 2], 0.5)(image[0])),
            ("InstanceNorm2d", InstanceNorm2d(4)(image)),
            ("AvgPool1d", AvgPool1d(3, stride: 2, padding: 1)(image[0])),
            ("Upsample", Upsample(scaleFactor: [2, 2])(image)),
        ]
        for (name, got) in checks { #expect(Self.close(got, Self.values(r[name]), tolerance: 1e-4), "\(name)") }
        // PixelShuffle undoes PixelUnshuffle.
        #expect(equal(PixelShuffle(2)(PixelUnshuffle(2)(image)), image))
    }
}

/// `parametersToVector`/`vectorToParameters` and `padSequence`, against values worked out
/// by hand.
@Suite struct NNUtilityTests {
    @Test func parametersRoundTripThroughAVector() {
        let a = Tensor([[1.0, 2.0], [3.0, 4.0]] as [[Float]]).requiresGrad_(), b = Tensor([5.0] as [Float]).requiresGrad_()
        let v = parametersToVector([a, b])
        #expect(v.toArray(Double.self) == [1, 2, 3, 4, 5])
        (v * Tensor([1.0, 2, 3, 4, 5] as [Float])).sum().backward()
        #expect(a.grad!.toArray(Double.self) == [1, 2, 3, 4] && b.grad!.toArray(Double.self) == [5])
        vectorToParameters(Tensor([9.0, 8, 7, 6, 5] as [Float]), [a, b])
        #expect(a.toArray(Double.self) == [9, 8, 7, 6] && b.toArray(Double.self) == [5])
    }

    @Test func padSequencePadsToTheLongest() {
        let s = [Tensor([1.0, 2.0, 3.0] as [Float]), Tensor([4.0] as [Float]), Tensor([5.0, 6.0] as [Float])]
        #expect(padSequence(s, batchFirst: true).toArray(Double.self) == [1, 2, 3, 4, 0, 0, 5, 6, 0])
        #expect(padSequence(s).shape == [3, 3] && padSequence(s).toArray(Double.self) == [1, 4, 5, 2, 0, 6, 3, 0, 0])
        #expect(padSequence(s, batchFirst: true, paddingValue: -1, paddingSide: "left").toArray(Double.self) == [1, 2, 3, -1, -1, 4, -1, 5, 6])
    }
}

/// Sliding blocks, unpooling, local response norm and run-time registration against PyTorch
/// (`scripts/record-nn-extras.py`, `Fixtures/nn_extras.json`).
@Suite struct SlidingBlockAndRegistrationTests {
    static func record() -> [String: Any] { NNExtrasTests.record() }
    static func values(_ any: Any?) -> [Double] { NNExtrasTests.values(any) }
    static func close(_ t: Tensor, _ want: [Double], tolerance: Double = 1e-5) -> Bool {
        NNExtrasTests.close(t, want, tolerance: tolerance)
    }

    /// `(arange(n)·a mod b) - b/2` in float64, then float32: the recording script's inputs.
    static func pattern(_ shape: [Int], _ a: Double, _ b: Double) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { (Double($0) * a).truncatingRemainder(dividingBy: b) - b / 2 }).float()
    }

    /// `f(x)` and the gradient of `Σ f(x)·w` against the recording (`w` its fixed pattern).
    static func checkForwardAndGrad(_ name: String, _ input: Tensor, _ f: (Tensor) -> Tensor) {
        let expected = record()[name] as! [String: Any]
        let x = input.clone().requiresGrad_()
        let y = f(x)
        #expect(y.shape == (expected["shape"] as! [Int]), "\(name)")
        #expect(close(y, values(expected["value"])), "\(name) value")
        (y * pattern(y.shape, 0.61, 1.9)).sum().backward()
        #expect(close(x.grad!, values(expected["grad"])), "\(name) grad")
    }

    @Test func foldAndUnfoldMatchPyTorch() {
        Self.checkForwardAndGrad("unfold", Self.pattern([2, 3, 5, 6], 0.37, 2.1)) {
            unfold($0, kernelSize: [2, 3], dilation: [1, 2], padding: [1, 0], stride: [2, 1])
        }
        Self.checkForwardAndGrad("fold", Self.pattern([2, 18, 6], 0.43, 1.7)) {
            Fold(outputSize: [5, 6], kernelSize: [2, 3], dilation: [1, 2], padding: [1, 0], stride: [2, 1])($0)
        }
        // Unbatched input keeps its rank.
        #expect(Unfold(kernelSize: [2])(Tensor.ones([3, 4, 4])).shape == [12, 9])
    }

    /// `padding: .same` with an even kernel (odd total padding) pads the extra element on the
    /// right, as PyTorch does: the output keeps the input's size (it came out one short).
    @Test func samePaddingWithEvenKernelsMatchesPyTorch() {
        let weight = Self.pattern([4, 3, 2, 3], 0.23, 0.9)
        Self.checkForwardAndGrad("conv2d_same_even", Self.pattern([2, 3, 5, 6], 0.37, 2.1)) {
            conv2d($0, weight, stride: [1], padding: .same, dilation: [1, 2])
        }
        let weight1 = Self.pattern([2, 3, 4], 0.41, 1.1)
        Self.checkForwardAndGrad("conv1d_same_even", Self.pattern([2, 3, 7], 0.19, 1.3)) {
            conv1d($0, weight1, padding: .same)
        }
    }

    /// `nn.ConvTranspose1d`: seeded initialisation, repr, output and input gradient.
    @Test func convTranspose1dMatchesPyTorch() {
        let layer = withDefaultGenerator(Generator().manualSeed(5)) { ConvTranspose1d(3, 2, 3, 2, 1, 1) }
        #expect(Self.close(layer.weight, Self.values(Self.record()["convtranspose1d_weight"])))
        #expect(Self.close(layer.bias!, Self.values(Self.record()["convtranspose1d_bias"])))
        #expect(layer.description == (Self.record()["convtranspose1d_repr"] as! String))
        Self.checkForwardAndGrad("convtranspose1d", Self.pattern([2, 3, 5], 0.29, 1.7)) { layer($0) }
    }

    /// `nn.EmbeddingBag` / `F.embedding_bag` in each mode, with an empty bag and per-sample
    /// weights: values and gradients against PyTorch.
    @Test func embeddingBagMatchesPyTorch() {
        let bag = withDefaultGenerator(Generator().manualSeed(6)) { EmbeddingBag(10, 3) }
        #expect(Self.close(bag.weight, Self.values(Self.record()["embeddingbag_weight"])))
        #expect(bag.description == (Self.record()["embeddingbag_repr"] as! String))
        let input = Tensor([1, 2, 4, 5, 4, 3, 2, 9] as [Int64]), offsets = Tensor([0, 4, 4] as [Int64])
        for mode in [EmbeddingBagMode.sum, .mean, .max] {
            let expected = Self.record()["embeddingbag_\(mode.rawValue)"] as! [String: Any]
            let w = bag.weight.detach().clone().requiresGrad_()
            let y = embeddingBag(input, w, offsets: offsets, mode: mode)
            #expect(Self.close(y, Self.values(expected["value"])), "\(mode)")
            (y * Self.pattern(y.shape, 0.61, 1.9)).sum().backward()
            #expect(Self.close(w.grad!, Self.values(expected["grad"])), "\(mode) grad")
        }
        let expected = Self.record()["embeddingbag_psw"] as! [String: Any]
        let w = bag.weight.detach().clone().requiresGrad_()
        let psw = Self.pattern([8], 0.37, 1.1).requiresGrad_()
        let y = embeddingBag(input.reshape([2, 4]), w, mode: .sum, perSampleWeights: psw.reshape([2, 4]))
        #expect(Self.close(y, Self.values(expected["value"])))
        (y * Self.pattern(y.shape, 0.61, 1.9)).sum().backward()
        #expect(Self.close(w.grad!, Self.values(expected["grad"])) && Self.close(psw.grad!, Self.values(expected["psw_grad"])))
    }

    /// `nn.init.sparse_` (seeded, with the default generator's permutations) and `dirac_`.
    @Test func sparseAndDiracInitMatchPyTorch() {
        let w = withDefaultGenerator(Generator().manualSeed(7)) { sparse_(Tensor.empty([5, 3]), sparsity: 0.4, std: 0.5) }
        #expect(Self.close(w, Self.values(Self.record()["sparse_init"])))
        let d = dirac_(Tensor.empty([4, 2, 3, 3]), groups: 2)
        #expect(nonzero(d.flatten()).flatten().toArray(Int64.self).map(Int.init) == (Self.record()["dirac_nonzero"] as! [Int]))
        #expect(d.sum().item() == 4)
    }

    /// Adaptive max pooling's bins, values, gradients and reprs against PyTorch.
    @Test func adaptiveMaxPoolingMatchesPyTorch() {
        Self.checkForwardAndGrad("adaptive_max_pool2d", Self.pattern([2, 3, 7, 5], 0.713, 2.9)) { AdaptiveMaxPool2d([3, 2])($0) }
        Self.checkForwardAndGrad("adaptive_max_pool1d", Self.pattern([2, 3, 10], 0.617, 2.3)) { AdaptiveMaxPool1d(4)($0) }
        let reprs = [AdaptiveMaxPool2d([3, 2]).description, AdaptiveMaxPool2d(7).description, AdaptiveMaxPool1d(4).description]
        #expect(reprs == (Self.record()["adaptive_max_repr"] as! [String]))
    }

    /// `nn.Conv3d` with per-dimension stride and dilation: initialisation, repr, output and
    /// input gradient against PyTorch.
    @Test func conv3dMatchesPyTorch() {
        let layer = withDefaultGenerator(Generator().manualSeed(8)) {
            Conv3d(2, 3, kernelSize: [2], stride: [1, 2, 1], padding: [1], dilation: [2, 1, 1])
        }
        #expect(Self.close(layer.weight, Self.values(Self.record()["conv3d_weight"])))
        #expect(Self.close(layer.bias!, Self.values(Self.record()["conv3d_bias"])))
        #expect(layer.description == (Self.record()["conv3d_repr"] as! String))
        Self.checkForwardAndGrad("conv3d", Self.pattern([2, 2, 4, 5, 3], 0.47, 1.9)) { layer($0) }
    }

    @Test func maxUnpoolAndLocalResponseNormMatchPyTorch() {
        let (pooled, indices) = maxPool2dWithIndices(Self.pattern([1, 2, 4, 5], 0.71, 2.3), 2)
        #expect(indices.flatten().toArray(Int64.self).map(Int.init) == (Self.record()["unpool_indices"] as! [Int]))
        Self.checkForwardAndGrad("max_unpool2d", pooled) { MaxUnpool2d(2)($0, indices, outputSize: [4, 5]) }
        Self.checkForwardAndGrad("lrn4d", Self.pattern([2, 5, 3, 3], 0.53, 2.9)) { LocalResponseNorm(3)($0) }
        Self.checkForwardAndGrad("lrn3d", Self.pattern([2, 4, 6], 0.31, 1.3)) {
            LocalResponseNorm(2, alpha: 0.1, beta: 0.5, k: 2)($0)
        }
        #expect(LocalResponseNorm(3).description == (Self.record()["lrn_repr"] as! String))
    }

    @Test func runTimeRegistrationAndParameterContainers() {
        final class Net: Module {
            let fc = Linear(2, 2)
            override init() {
                super.init()
                registerBuffer("table", Tensor.ones([3]))
                registerBuffer("scratch", Tensor.zeros([1]), persistent: false)
                registerParameter("scale", Tensor([1.5]))
                registerModule("head", Linear(2, 1, bias: false))
            }
        }
        let net = Net()
        // PyTorch's order (printed by PyTorch 2.15 for the same class): own parameters, own
        // persistent buffers, then children.
        #expect(net.namedParameters().map(\.name) == ["scale", "fc.weight", "fc.bias", "head.weight"])
        #expect(net.stateDictKeys() == ["scale", "table", "fc.weight", "fc.bias", "head.weight"])
        #expect(net.getBuffer("scratch")!.shape == [1] && net.getParameter("scale")!.requiresGrad)
        let list = ParameterList([Tensor.zeros([2]), Tensor.ones([3, 4])])
        list.append(Tensor.ones([1]))
        #expect(list.namedParameters().map(\.name) == ["0", "1", "2"] && list.count == 3 && list[-1].shape == [1])
        let dict = ParameterDict([("b", Tensor.zeros([2])), ("a", Tensor.ones([1]))])
        dict["b"] = nil
        dict["c"] = Tensor.ones([2])
        #expect(dict.stateDictKeys() == ["a", "c"] && dict.count == 2)
    }
}
