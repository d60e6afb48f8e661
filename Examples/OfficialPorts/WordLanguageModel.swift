import Foundation
import Torch

// pytorch/examples word_language_model (model.py and main.py's training loop), ported as a
// new user would write it, to keep PyTorch's spellings compiling. RNN_TANH, RNN_RELU, LSTM
// and GRU share one code path through RecurrentState; the Transformer variant builds on
// TransformerEncoder (model.py subclasses nn.Transformer only to reuse its encoder).

/// Container module with an encoder, a recurrent module, and a decoder.
final class RNNModel: Module {
    let ntoken: Int
    let drop: Dropout
    let encoder: Embedding
    let rnn: RecurrentLayer
    let decoder: Linear
    let rnnType: String, nhid: Int, nlayers: Int

    init(_ rnnType: String, _ ntoken: Int, _ ninp: Int, _ nhid: Int, _ nlayers: Int, dropout: Double = 0.5,
         tieWeights: Bool = false) {
        self.ntoken = ntoken
        drop = Dropout(dropout)
        encoder = Embedding(ntoken, ninp)
        switch rnnType {
        case "LSTM": rnn = LSTM(ninp, nhid, numLayers: nlayers, dropout: dropout)
        case "GRU": rnn = GRU(ninp, nhid, numLayers: nlayers, dropout: dropout)
        default:
            let nonlinearity = ["RNN_TANH": "tanh", "RNN_RELU": "relu"][rnnType]!
            rnn = RNN(ninp, nhid, numLayers: nlayers, nonlinearity: nonlinearity, dropout: dropout)
        }
        decoder = Linear(nhid, ntoken)
        self.rnnType = rnnType
        self.nhid = nhid
        self.nlayers = nlayers
        super.init()
        if tieWeights {
            precondition(nhid == ninp, "When using the tied flag, nhid must be equal to emsize")
            decoder.weight = encoder.weight
        }
        initWeights()
    }

    func initWeights() {
        let initrange = 0.1
        uniform_(encoder.weight, a: -initrange, b: initrange)
        zeros_(decoder.bias!)
        uniform_(decoder.weight, a: -initrange, b: initrange)
    }

    func callAsFunction(_ input: Tensor, _ hidden: RecurrentState) -> (Tensor, RecurrentState) {
        let emb = drop(encoder(input))
        var (output, hidden) = rnn(emb, state: hidden)
        output = drop(output)
        var decoded = decoder(output)
        decoded = decoded.view(-1, ntoken)
        return (logSoftmax(decoded, dim: 1), hidden)
    }

    func initHidden(_ bsz: Int) -> RecurrentState {
        let weight = parameters()[0]
        if rnnType == "LSTM" {
            return .lstm(h: weight.newZeros([nlayers, bsz, nhid]), c: weight.newZeros([nlayers, bsz, nhid]))
        }
        return .hidden(weight.newZeros([nlayers, bsz, nhid]))
    }
}

/// Injects position information: sines and cosines of different frequencies.
final class PositionalEncoding: Module {
    let dropout: Dropout
    @Buffer var pe: Tensor

    init(_ dModel: Int, dropout: Double = 0.1, maxLen: Int = 5000) {
        self.dropout = Dropout(p: dropout)
        let pe = Tensor.zeros([maxLen, dModel])
        let position = Tensor.arange(0, maxLen, dtype: .float32).unsqueeze(1)
        let divTerm = exp(Tensor.arange(0, dModel, 2).float() * (-log(10000.0) / Double(dModel)))
        pe[.all, .slice(0, nil, step: 2)] = sin(position * divTerm)
        pe[.all, .slice(1, nil, step: 2)] = cos(position * divTerm)
        self.pe = pe.unsqueeze(0).transpose(0, 1)
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        let x = x + pe[..<x.size(0), .all]
        return dropout(x)
    }
}

/// Container module with an encoder, a transformer encoder stack, and a decoder.
final class TransformerModel: Module {
    let posEncoder: PositionalEncoding
    let inputEmb: Embedding
    let encoder: TransformerEncoder
    let decoder: Linear
    let ninp: Int
    var srcMask: Tensor?

    init(_ ntoken: Int, _ ninp: Int, _ nhead: Int, _ nhid: Int, _ nlayers: Int, dropout: Double = 0.5) {
        encoder = TransformerEncoder(TransformerEncoderLayer(ninp, nhead, nhid, dropout),
                                     numLayers: nlayers)
        posEncoder = PositionalEncoding(ninp, dropout: dropout)
        inputEmb = Embedding(ntoken, ninp)
        self.ninp = ninp
        decoder = Linear(ninp, ntoken)
        super.init()
        initWeights()
    }

    func generateSquareSubsequentMask(_ sz: Int) -> Tensor { log(tril(Tensor.ones([sz, sz]))) }

    func initWeights() {
        let initrange = 0.1
        uniform_(inputEmb.weight, a: -initrange, b: initrange)
        zeros_(decoder.bias!)
        uniform_(decoder.weight, a: -initrange, b: initrange)
    }

    // `forward(src)` is model.py's `forward(src, has_mask=True)`. (A `callAsFunction` with a
    // defaulted second argument would lose to Module's one-argument call.)
    override func forward(_ src: Tensor) -> Tensor { forward(src, hasMask: true) }

    func forward(_ src: Tensor, hasMask: Bool) -> Tensor {
        if hasMask {
            if srcMask == nil || srcMask!.size(0) != src.count {
                srcMask = generateSquareSubsequentMask(src.count).to(src.device)
            }
        } else {
            srcMask = nil
        }
        var src = inputEmb(src) * Double(ninp).squareRoot()
        src = posEncoder(src)
        var output = encoder(src, mask: srcMask)
        output = decoder(output)
        return logSoftmax(output, dim: -1)
    }
}

/// main.py's `batchify`, `get_batch` and one epoch of `train()` on `tokens`, with plain SGD
/// through `p.data.add_(p.grad, alpha=-lr)`; returns the printed progress lines.
func trainWordLanguageModel(tokens: Tensor, ntokens: Int, model modelType: String = "LSTM", batchSize: Int = 20,
                            bptt: Int = 35, lr: Double = 20, clip: Double = 0.25, logInterval: Int = 200,
                            epoch: Int = 1) -> [String] {
    func batchify(_ data: Tensor, _ bsz: Int) -> Tensor {
        let nbatch = data.size(0) / bsz
        let data = data.narrow(0, 0, nbatch * bsz)
        return data.view(bsz, -1).t().contiguous()
    }
    func getBatch(_ source: Tensor, _ i: Int) -> (Tensor, Tensor) {
        let seqLen = min(bptt, source.count - 1 - i)
        let data = source[i..<(i + seqLen)]
        let target = source[(i + 1)..<(i + 1 + seqLen)].view(-1)
        return (data, target)
    }
    let trainData = batchify(tokens, batchSize)
    let rnnModel = modelType == "Transformer" ? nil : RNNModel(modelType, ntokens, 200, 200, 2, dropout: 0.2)
    let transformer = modelType == "Transformer" ? TransformerModel(ntokens, 200, 2, 200, 2, dropout: 0.2) : nil
    let model: Module = rnnModel ?? transformer!
    let criterion = NLLLoss()
    var lines: [String] = []

    model.train()
    var totalLoss = 0.0
    var hidden = rnnModel?.initHidden(batchSize)
    for (batch, i) in stride(from: 0, to: trainData.size(0) - 1, by: bptt).enumerated() {
        let (data, targets) = getBatch(trainData, i)
        model.zeroGrad()
        var output: Tensor
        if let transformer {
            output = transformer(data)
            output = output.view(-1, ntokens)
        } else {
            hidden = hidden!.detach()
            (output, hidden) = rnnModel!(data, hidden!)
        }
        let loss = criterion(output, targets)
        loss.backward()
        clipGradNorm_(model.parameters(), maxNorm: clip)
        for p in model.parameters() { p.data.add_(p.grad!, alpha: -lr) }
        totalLoss += loss.item()
        if batch % logInterval == 0 && batch > 0 {
            let curLoss = totalLoss / Double(logInterval)
            lines.append(String(format: "| epoch %3d | %5d/%5d batches | lr %02.2f | loss %5.2f | ppl %8.2f",
                                epoch, batch, trainData.count / bptt, lr, curLoss, exp(curLoss)))
            totalLoss = 0
        }
    }
    return lines
}
