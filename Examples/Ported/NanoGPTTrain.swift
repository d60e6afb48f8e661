import Foundation
import Torch

// nanoGPT's data/shakespeare_char/prepare.py, train.py and sample.py, ported line by line at
// a tiny size (the sizes match scripts/examples/nanogpt.py, the PyTorch side).

/// Trains a small GPT on the bundled Coriolanus text for `maxIters` steps, character by
/// character, then samples 60 characters from it.
func runNanoGPT(maxIters: Int) -> PortedRun {
    var run = PortedRun()
    // The shakespeare_char recipe, shrunk.
    let (batchSize, blockSize) = (8, 32)
    var config = NanoGPT.Config()
    (config.nLayer, config.nHead, config.nEmbd, config.dropout, config.bias) = (2, 4, 64, 0.0, true)
    let (learningRate, weightDecay, beta1, beta2, gradClip) = (1e-3, 1e-1, 0.9, 0.99, 1.0)
    let (warmupIters, lrDecayIters, minLr) = (5, 20, 1e-4)
    let (evalInterval, evalIters, logInterval) = (10, 4, 1)

    // prepare.py: characters sorted, a 90/10 split.
    let text = Array(bundledText("coriolanus"))
    let chars = Array(Set(text)).sorted { String($0).unicodeScalars.first!.value < String($1).unicodeScalars.first!.value }
    let stoi = Dictionary(uniqueKeysWithValues: chars.enumerated().map { ($1, $0) })
    let encode = { (s: [Character]) in s.map { Int64(stoi[$0]!) } }
    let decode = { (l: [Int64]) in String(l.map { chars[Int($0)] }) }
    let n = text.count
    let trainData = encode(Array(text[..<(n * 9 / 10)]))
    let valData = encode(Array(text[(n * 9 / 10)...]))
    run.lines += ["length of dataset in characters: \(grouped(n))", "vocab size: \(grouped(chars.count))",
                  "train has \(grouped(trainData.count)) tokens", "val has \(grouped(valData.count)) tokens"]

    // train.py
    manualSeed(1337)
    func getBatch(_ split: String) -> (Tensor, Tensor) {
        let data = split == "train" ? trainData : valData
        let ix = Tensor.randint(data.count - blockSize, [batchSize]).toArray(Int64.self).map { Int($0) }
        let x = stack(ix.map { i in Tensor(Array(data[i..<(i + blockSize)])) })
        let y = stack(ix.map { i in Tensor(Array(data[(i + 1)..<(i + 1 + blockSize)])) })
        return (x, y)
    }

    config.vocabSize = chars.count
    config.blockSize = blockSize
    let model = NanoGPT.GPT(config)
    run.lines.append("number of parameters: \(fixed(Double(model.getNumParams()) / 1e6, 2))M")
    let (optimizer, printed) = model.configureOptimizers(weightDecay: weightDecay, learningRate: learningRate,
                                                         betas: (beta1, beta2))
    run.lines += printed

    func estimateLoss() -> [String: Double] {
        noGrad {
            var out: [String: Double] = [:]
            model.eval()
            for split in ["train", "val"] {
                let losses = Tensor.zeros([evalIters])
                for k in 0..<evalIters {
                    let (x, y) = getBatch(split)
                    let loss = model(x, y).loss!
                    losses[k] = Tensor(loss.item())
                }
                out[split] = losses.mean().item()
            }
            model.train()
            return out
        }
    }

    func getLr(_ it: Int) -> Double {
        if it < warmupIters { return learningRate * Double(it + 1) / Double(warmupIters + 1) }
        if it > lrDecayIters { return minLr }
        let decayRatio = Double(it - warmupIters) / Double(lrDecayIters - warmupIters)
        let coeff = 0.5 * (1.0 + cos(Double.pi * decayRatio))
        return minLr + coeff * (learningRate - minLr)
    }

    var (x, y) = getBatch("train")
    var iterNum = 0
    while true {
        let lr = getLr(iterNum)
        for i in optimizer.paramGroups.indices { optimizer.paramGroups[i]["lr"] = lr }
        if iterNum % evalInterval == 0 {
            let losses = estimateLoss()
            run.extras += [losses["train"]!, losses["val"]!]
            run.lines.append("step \(iterNum): train loss \(fixed(losses["train"]!)), val loss \(fixed(losses["val"]!))")
        }
        let loss = model(x, y).loss!
        (x, y) = getBatch("train")
        loss.backward()
        clipGradNorm_(model.parameters(), maxNorm: gradClip)
        optimizer.step()
        optimizer.zeroGrad(setToNone: true)
        let lossf = loss.item()
        run.losses.append(lossf)
        if iterNum % logInterval == 0 { run.lines.append("iter \(iterNum): loss \(fixed(lossf))") }
        iterNum += 1
        if iterNum > maxIters { break }
    }

    // sample.py
    manualSeed(1337)
    model.eval()
    let start = Tensor(encode(["\n"])).unsqueeze(0)
    let y0 = model.generate(start, maxNewTokens: 60, temperature: 0.8, topK: 200)
    run.sample = decode(y0[0].toArray(Int64.self))
    run.lines += [run.sample, "---------------"]
    return run
}

/// A text file bundled with the examples (`Examples/Resources/<name>.txt`).
func bundledText(_ name: String) -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: "txt"),
          let text = try? String(contentsOf: url, encoding: .utf8) else {
        fatalError("the examples' resource \(name).txt is missing")
    }
    return text
}
