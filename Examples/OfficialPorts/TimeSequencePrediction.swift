import Foundation
import Torch

// pytorch/examples time_sequence_prediction (generate_sine_wave.py and train.py), ported as a
// new user would write it: two LSTMCells in float64, trained with LBFGS.

/// The sine waves of generate_sine_wave.py: `(N, L)` float64.
func generateSineWave(T: Int = 20, L: Int = 1000, N: Int = 100) -> Tensor {
    let x = Tensor.arange(L).unsqueeze(0).expand(N, -1).double() + Tensor.randint(-4 * T, 4 * T, [N, 1]).double()
    return sin(x / 1.0 / Double(T)).double()
}

/// Two stacked LSTM cells and a linear read-out, predicting the next sample.
final class Sequence: Module {
    let lstm1 = LSTMCell(1, 51)
    let lstm2 = LSTMCell(51, 51)
    let linear = Linear(51, 1)

    // `forward(input)` is train.py's `forward(input, future=0)` (a `callAsFunction` with a
    // defaulted `future` would lose to Module's one-argument call).
    override func forward(_ input: Tensor) -> Tensor { forward(input, future: 0) }

    func forward(_ input: Tensor, future: Int) -> Tensor {
        var outputs: [Tensor] = []
        var hT = Tensor.zeros([input.size(0), 51], dtype: .float64)
        var cT = Tensor.zeros([input.size(0), 51], dtype: .float64)
        var hT2 = Tensor.zeros([input.size(0), 51], dtype: .float64)
        var cT2 = Tensor.zeros([input.size(0), 51], dtype: .float64)
        var output = Tensor.zeros([input.size(0), 1], dtype: .float64)

        for inputT in input.split(1, dim: 1) {
            (hT, cT) = lstm1(inputT, (hT, cT))
            (hT2, cT2) = lstm2(hT, (hT2, cT2))
            output = linear(hT2)
            outputs += [output]
        }
        for _ in 0..<future {   // if we should predict the future
            (hT, cT) = lstm1(output, (hT, cT))
            (hT2, cT2) = lstm2(hT, (hT2, cT2))
            output = linear(hT2)
            outputs += [output]
        }
        return cat(outputs, dim: 1)
    }
}

/// train.py's loop for `steps` LBFGS steps; returns the printed losses.
func trainTimeSequence(data: Tensor, steps: Int = 15) -> [String] {
    var lines: [String] = []
    manualSeed(0)
    let input = data[3..., ..<(-1)]
    let target = data[3..., 1...]
    let testInput = data[..<3, ..<(-1)]
    let testTarget = data[..<3, 1...]
    let seq = Sequence()
    seq.double()
    let criterion = MSELoss()
    // use LBFGS as optimizer since we can load the whole data to train
    let optimizer = LBFGS(seq.parameters(), lr: 0.8)
    for i in 0..<steps {
        lines.append("STEP: \(i)")
        _ = optimizer.step {
            optimizer.zeroGrad()
            let out = seq(input)
            let loss = criterion(out, target)
            lines.append(String(format: "loss: %.15g", loss.item()))
            loss.backward()
            return loss
        }
        // begin to predict, no need to track gradient here
        noGrad {
            let future = 1000
            let pred = seq.forward(testInput, future: future)
            let loss = criterion(pred[.all, ..<(-future)], testTarget)
            lines.append(String(format: "test loss: %.15g", loss.item()))
        }
    }
    return lines
}
