import Testing
@testable import Torch

/// The hook-based `weight_norm` and `spectral_norm` against PyTorch
/// (`scripts/record-nn-more.py`): state keys and values, the weight after each call, outputs
/// and gradients, spectral norm's power iteration in training and none in evaluation.
@Suite struct WeightNormTests {
    /// Builds under seed 0, applies `reparametrise`, then checks each recorded call
    /// (training or evaluation mode, per `modes`).
    @discardableResult
    func check<M: Module>(_ name: String, _ build: () -> M, _ reparametrise: (M) -> M, input: Tensor,
                          grads: [String], modes: [Bool] = [true], weight: (M) -> Tensor) -> M {
        let r = NNMore.entry(name)
        let module = withDefaultGenerator(Generator().manualSeed(0)) { reparametrise(build()) }
        #expect(module.stateDictKeys() == (r["keys"] as! [String]), "\(name) keys")
        func checkState(_ recorded: Any?, _ label: String) {
            let state = module.stateDict()
            for (key, want) in recorded as! [String: Any] {
                #expect(NNMore.close(state[key]!, NNMore.values(want)), "\(name) \(label) \(key)")
            }
        }
        checkState(r["state"], "initial")
        #expect(NNMore.close(weight(module), NNMore.values(r["weight_before"])), "\(name) weight before")
        for (i, (training, call)) in zip(modes, r["calls"] as! [[String: Any]]).enumerated() {
            module.train(training)
            module.zeroGrad()
            let x = input.clone().requiresGrad_()
            let y = module(x)
            NNMore.weightedBackward(y)
            #expect(NNMore.close(y, NNMore.values(call["value"])), "\(name) call \(i) value")
            #expect(NNMore.close(weight(module), NNMore.values(call["weight"])), "\(name) call \(i) weight")
            #expect(NNMore.close(x.grad!, NNMore.values(call["input_grad"])), "\(name) call \(i) input grad")
            checkState(call["state"], "call \(i)")
            let parameters = Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.parameter) })
            for key in grads {
                #expect(NNMore.close(parameters[key]!.grad!, NNMore.values((call["param_grads"] as! [String: Any])[key])),
                        "\(name) call \(i) \(key) grad")
            }
        }
        return module
    }

    @Test func weightNormMatchesPyTorch() {
        let linear = check("weight_norm_linear", { Linear(4, 3) }, { weightNorm($0) }, input: NNMore.pattern([2, 4], 0.37, 1.9),
                           grads: ["weight_g", "weight_v", "bias"]) { $0.weight }
        #expect(!linear.weight.isLeaf && linear.namedParameters().map(\.name) == ["bias", "weight_g", "weight_v"])
        let removed = NNMore.entry("weight_norm_linear")["removed"] as! [String: Any]
        removeWeightNorm(linear)
        #expect(linear.stateDictKeys().sorted() == (removed["keys"] as! [String]))
        #expect(NNMore.close(linear.weight, NNMore.values(removed["weight"])) && linear.weight.isLeaf)
        check("weight_norm_conv_dim1", { Conv2d(2, 3, 2) }, { weightNorm($0, dim: 1) },
              input: NNMore.pattern([1, 2, 3, 3], 0.29, 1.3), grads: ["weight_g", "weight_v"]) { $0.weight }
        let whole = check("weight_norm_none", { Linear(3, 2, bias: false) }, { weightNorm($0, dim: nil) },
                          input: NNMore.pattern([2, 3], 0.41, 1.7), grads: ["weight_g", "weight_v"]) { $0.weight }
        #expect(whole.getParameter("weight_g")!.dim == 0)
    }

    @Test func spectralNormMatchesPyTorch() {
        // Two training calls (one power-iteration step each), then evaluation (none).
        let linear = check("spectral_norm_linear", { Linear(5, 4) }, { spectralNorm($0) }, input: NNMore.pattern([3, 5], 0.37, 1.9),
                           grads: ["weight_orig", "bias"], modes: [true, true, false]) { $0.weight }
        let removed = NNMore.entry("spectral_norm_linear")["removed"] as! [String: Any]
        removeSpectralNorm(linear)
        #expect(linear.stateDictKeys().sorted() == (removed["keys"] as! [String]))
        #expect(NNMore.close(linear.weight, NNMore.values(removed["weight"])))
        // A transposed convolution normalises along dim 1 by default.
        check("spectral_norm_convtranspose", { ConvTranspose2d(3, 2, 2) }, { spectralNorm($0, nPowerIterations: 3, eps: 1e-6) },
              input: NNMore.pattern([1, 3, 2, 2], 0.53, 1.7), grads: ["weight_orig"]) { $0.weight }
    }

    /// The weight is recomputed through RNN calls too, and the state dict loads back.
    @Test func reparametrisedRecurrentLayerAndStateDictRoundTrip() {
        let gru = withDefaultGenerator(Generator().manualSeed(2)) { weightNorm(GRU(2, 3), name: "weight_hh_l0") }
        #expect(gru.stateDictKeys() == ["weight_ih_l0", "bias_ih_l0", "bias_hh_l0", "weight_hh_l0_g", "weight_hh_l0_v"])
        let x = NNMore.pattern([3, 1, 2], 0.3, 1.1)
        let before = gru(x).output
        noGrad { _ = gru.getParameter("weight_hh_l0_g")!.mul_(2) }
        #expect(!equal(gru(x).output, before))
        let copy = withDefaultGenerator(Generator().manualSeed(5)) { weightNorm(GRU(2, 3), name: "weight_hh_l0") }
        try! copy.loadStateDict(gru.stateDict())
        #expect(equal(copy(x).output, gru(x).output))
    }

    @Test func gradcheckThroughWeightNorm() {
        let v = NNMore.pattern([3, 2, 2], 0.37, 1.3, dtype: .float64).requiresGrad_()
        let g = NNMore.pattern([1, 2, 1], 0.5, 1.1, dtype: .float64).requiresGrad_()
        #expect(gradcheck({ weightNormCompute($0[0], $0[1], dim: 1) }, inputs: [v, g]).passed)
    }
}
