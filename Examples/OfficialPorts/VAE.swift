import Foundation
import Torch

// pytorch/examples vae/main.py, ported as a new user would write it.

/// The 784-400-20 variational auto-encoder.
final class VAE: Module {
    let fc1 = Linear(784, 400)
    let fc21 = Linear(400, 20)
    let fc22 = Linear(400, 20)
    let fc3 = Linear(20, 400)
    let fc4 = Linear(400, 784)

    func encode(_ x: Tensor) -> (Tensor, Tensor) {
        let h1 = relu(fc1(x))
        return (fc21(h1), fc22(h1))
    }

    func reparameterize(_ mu: Tensor, _ logvar: Tensor) -> Tensor {
        let std = exp(0.5 * logvar)
        let eps = randnLike(std)
        return mu + eps * std
    }

    func decode(_ z: Tensor) -> Tensor {
        let h3 = relu(fc3(z))
        return sigmoid(fc4(h3))
    }

    func callAsFunction(_ x: Tensor) -> (Tensor, Tensor, Tensor) {
        let (mu, logvar) = encode(x.view(-1, 784))
        let z = reparameterize(mu, logvar)
        return (decode(z), mu, logvar)
    }
}

/// Reconstruction + KL divergence losses summed over all elements and batch.
func vaeLossFunction(_ reconX: Tensor, _ x: Tensor, _ mu: Tensor, _ logvar: Tensor) -> Tensor {
    let BCE = binaryCrossEntropy(reconX, x.view(-1, 784), reduction: .sum)
    // see Appendix B from VAE paper: Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
    let KLD = -0.5 * sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD
}

/// One epoch of main.py's `train(epoch)` over `loader`; returns the printed lines.
func trainVAE(_ model: VAE, _ optimizer: Optimizer, loader: DataLoader<TensorDataset, (Tensor, Tensor)>,
              epoch: Int, logInterval: Int = 10) -> [String] {
    var lines: [String] = []
    model.train()
    var trainLoss = 0.0
    for (batchIdx, (data, _)) in loader.enumerated() {
        optimizer.zeroGrad()
        let (reconBatch, mu, logvar) = model(data)
        let loss = vaeLossFunction(reconBatch, data, mu, logvar)
        loss.backward()
        trainLoss += loss.item()
        optimizer.step()
        if batchIdx % logInterval == 0 {
            lines.append(String(format: "Train Epoch: %d [%d/%d (%.0f%%)]\tLoss: %.6f", epoch, batchIdx * data.count,
                                loader.dataset.count, 100.0 * Double(batchIdx) / Double(loader.count),
                                loss.item() / Double(data.count)))
        }
    }
    lines.append(String(format: "====> Epoch: %d Average loss: %.4f", epoch, trainLoss / Double(loader.dataset.count)))
    return lines
}
