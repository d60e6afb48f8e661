import Testing
@testable import Torch

/// `nn.utils.rnn`'s packed sequences and the recurrent layers that take them, against
/// PyTorch (`scripts/record-nn-more.py`): packing, unpacking, and RNN/LSTM/GRU outputs,
/// final states and gradients.
@Suite struct PackedSequenceTests {
    func longs(_ t: Tensor?) -> [Int] { t!.toArray(Int64.self).map(Int.init) }

    @Test func packPaddedSequenceMatchesPyTorch() {
        let r = NNMore.entry("pack_padded")
        let padded = NNMore.pattern([4, 3, 2], 0.37, 1.9).requiresGrad_()
        let packed = packPaddedSequence(padded, [2, 4, 2], enforceSorted: false)
        #expect(NNMore.close(packed.data, NNMore.values(r["data"])))
        #expect(longs(packed.batchSizes) == NNMore.ints(r["batch_sizes"]))
        #expect(longs(packed.sortedIndices) == NNMore.ints(r["sorted_indices"]))
        #expect(longs(packed.unsortedIndices) == NNMore.ints(r["unsorted_indices"]))
        NNMore.weightedBackward(packed.data)
        #expect(NNMore.close(padded.grad!, NNMore.values(r["grad"])))

        let p = NNMore.entry("pad_packed")
        let data = packed.data.detach().requiresGrad_()
        let (output, lengths) = padPackedSequence(packed.withData(data), batchFirst: true, paddingValue: -1, totalLength: 5)
        #expect(output.shape == NNMore.ints(p["shape"]))
        #expect(NNMore.close(output, NNMore.values(p["value"])))
        #expect(longs(lengths) == NNMore.ints(p["lengths"]))
        NNMore.weightedBackward(output)
        #expect(NNMore.close(data.grad!, NNMore.values(p["grad"])))

        let b = NNMore.entry("pack_batch_first")
        let sorted = packPaddedSequence(NNMore.pattern([3, 4, 2], 0.29, 1.3), Tensor([4, 3, 1]), batchFirst: true)
        #expect(NNMore.close(sorted.data, NNMore.values(b["data"])))
        #expect(longs(sorted.batchSizes) == NNMore.ints(b["batch_sizes"]))
        #expect(sorted.sortedIndices == nil && sorted.unsortedIndices == nil)

        let s = NNMore.entry("pack_sequence")
        let sequences = [NNMore.pattern([2, 2], 0.3, 1.1), NNMore.pattern([3, 2], 0.5, 1.3), NNMore.pattern([1, 2], 0.7, 1.7)]
        let list = packSequence(sequences, enforceSorted: false)
        #expect(NNMore.close(list.data, NNMore.values(s["data"])))
        #expect(longs(list.batchSizes) == NNMore.ints(s["batch_sizes"]))
        #expect(longs(list.sortedIndices) == NNMore.ints(s["sorted_indices"]))
        let back = unpackSequence(list)
        #expect(zip(back, sequences).allSatisfy { equal($0, $1) })
    }

    /// Packs the recorded input, runs `call`, and checks the packed output, the final states
    /// and the gradients of `Σ output·w + Σᵢ finalᵢ·wᵢ`.
    func checkRecurrent(_ name: String, _ layer: RecurrentLayer, states: [Tensor], grads: [String],
                        call: (PackedSequence) -> (PackedSequence, [Tensor])) {
        let r = NNMore.entry(name)
        let x = NNMore.pattern([4, 3, 2], 0.37, 1.9).requiresGrad_()
        let (y, finals) = call(packPaddedSequence(x, [2, 4, 2], enforceSorted: false))
        #expect(NNMore.close(y.data, NNMore.values(r["output"])), "\(name) output")
        #expect(longs(y.batchSizes) == NNMore.ints(r["batch_sizes"]))
        var total = (y.data * NNMore.pattern(y.data.shape, 0.61, 1.9)).sum()
        for (i, (f, want)) in zip(finals, r["finals"] as! [Any]).enumerated() {
            #expect(NNMore.close(f, NNMore.values(want)), "\(name) final \(i)")
            total = total + (f * NNMore.pattern(f.shape, 0.43 + 0.1 * Double(i), 1.3)).sum()
        }
        total.backward()
        #expect(NNMore.close(x.grad!, NNMore.values(r["input_grad"])), "\(name) input grad")
        for (i, (s, want)) in zip(states, r["state_grads"] as! [Any]).enumerated() {
            #expect(NNMore.close(s.grad!, NNMore.values(want)), "\(name) state \(i) grad")
        }
        let recorded = r["param_grads"] as! [String: Any]
        for key in grads {
            #expect(NNMore.close(layer.parameter(key)!.grad!, NNMore.values(recorded[key])), "\(name) \(key) grad")
        }
    }

    @Test func packedLSTMMatchesPyTorch() {
        let lstm = withDefaultGenerator(Generator().manualSeed(0)) { LSTM(2, 3, numLayers: 2, bidirectional: true) }
        let h0 = NNMore.pattern([4, 3, 3], 0.23, 0.9).requiresGrad_(), c0 = NNMore.pattern([4, 3, 3], 0.31, 1.1).requiresGrad_()
        checkRecurrent("packed_lstm", lstm, states: [h0, c0], grads: ["weight_hh_l0_reverse", "bias_ih_l1"]) { packed in
            let (y, (h, c)) = lstm(packed, (h0, c0))
            return (y, [h, c])
        }
    }

    @Test func packedGRUAndRNNMatchPyTorch() {
        let gru = withDefaultGenerator(Generator().manualSeed(0)) { GRU(2, 3, batchFirst: true) }
        let h0 = NNMore.pattern([1, 3, 3], 0.17, 0.7).requiresGrad_()
        checkRecurrent("packed_gru", gru, states: [h0], grads: ["weight_ih_l0"]) { packed in
            let (y, h) = gru(packed, h0)
            return (y, [h])
        }
        let rnn = withDefaultGenerator(Generator().manualSeed(0)) { RNN(2, 3, nonlinearity: "relu", bidirectional: true) }
        checkRecurrent("packed_rnn", rnn, states: [], grads: ["weight_hh_l0", "bias_hh_l0_reverse"]) { packed in
            // Through the state-generic call, as code holding a `RecurrentLayer` writes it.
            let layer: RecurrentLayer = rnn
            let (y, state) = layer(packed, state: nil)
            return (y, [state.h])
        }
    }

    /// A packed batch of equal lengths runs exactly as the padded tensor does.
    @Test func fullLengthPackingEqualsThePaddedRun() {
        let lstm = withDefaultGenerator(Generator().manualSeed(1)) { LSTM(2, 3, bidirectional: true) }
        let x = NNMore.pattern([4, 2, 2], 0.41, 1.3)
        let (padded, (h, _)) = lstm(x)
        let (packed, (hp, _)) = lstm(packPaddedSequence(x, [4, 4]))
        #expect(NNMore.close(padPackedSequence(packed).output, padded.toArray(Double.self), tolerance: 1e-6))
        #expect(NNMore.close(hp, h.toArray(Double.self), tolerance: 1e-6))
    }
}
