import Foundation
import Torch

// pytorch/examples mnist_forward_forward/main.py (Hinton's forward-forward algorithm, after
// Mohammad Pezeshki's implementation, MIT licence), ported as a new user would write it.
// The MNIST download is replaced by normalised, flattened images shaped as its batch.

/// `get_y_neg`: for each label, a different label drawn uniformly from the other nine.
func getYNeg(_ y: Tensor) -> Tensor {
    let yNeg = y.clone()
    for (idx, ySamp) in y.enumerated() {
        var allowedIndices = Array(0..<10)
        allowedIndices.remove(at: allowedIndices.firstIndex(of: ySamp.item(as: Int.self))!)
        yNeg[idx] = Tensor(allowedIndices)[Tensor.randint(allowedIndices.count, [1])].squeeze()
    }
    return yNeg
}

/// `overlay_y_on_x`: the first `classes` pixels replaced by a one-hot of `y` scaled to `x.max()`.
func overlayYOnX(_ x: Tensor, _ y: Tensor, classes: Int = 10) -> Tensor {
    let x_ = x.clone()
    x_[.all, ..<classes] *= 0.0
    x_[Array(0..<x.shape[0]), y] = x.max()
    return x_
}

/// `overlay_y_on_x(x, label)` with one label for every sample.
func overlayYOnX(_ x: Tensor, _ y: Int, classes: Int = 10) -> Tensor {
    let x_ = x.clone()
    x_[.all, ..<classes] *= 0.0
    x_[Array(0..<x.shape[0]), y] = x.max()
    return x_
}

/// A layer trained on its own by the forward-forward objective (the example's `Layer`, an
/// `nn.Linear` with its own Adam).
final class ForwardForwardLayer: Module {
    let linear: Linear
    let relu = ReLU()
    var opt: Optimizer! = nil
    let threshold: Double
    let numEpochs: Int
    let logInterval: Int
    var losses: [Double] = []
    /// What the original prints.
    var lines: [String] = []

    init(_ inFeatures: Int, _ outFeatures: Int, lr: Double, threshold: Double, numEpochs: Int, logInterval: Int) {
        linear = Linear(inFeatures, outFeatures)
        self.threshold = threshold
        self.numEpochs = numEpochs
        self.logInterval = logInterval
        super.init()
        opt = Adam(parameters(), lr: lr)
    }

    var weight: Tensor { linear.weight }
    var bias: Tensor { linear.bias! }

    override func forward(_ x: Tensor) -> Tensor {
        let xDirection = x / (x.norm(2, 1, keepdim: true) + 1e-4)
        return relu(mm(xDirection, weight.T) + bias.unsqueeze(0))
    }

    func train(_ xPos: Tensor, _ xNeg: Tensor) -> (Tensor, Tensor) {
        for i in 0..<numEpochs {
            let gPos = forward(xPos).pow(2).mean(1)
            let gNeg = forward(xNeg).pow(2).mean(1)
            let loss = log1p(exp(cat([-gPos + threshold, gNeg - threshold]))).mean()
            opt.zeroGrad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            if i % logInterval == 0 {
                lines.append("Loss:  \(loss.item())")
            }
        }
        return (forward(xPos).detach(), forward(xNeg).detach())
    }
}

/// The example's `Net`: a stack of forward-forward layers.
final class ForwardForwardNet: Module {
    let layers: ModuleList

    init(_ dims: [Int], lr: Double, threshold: Double, epochs: Int, logInterval: Int) {
        var layers: [Module] = []
        for d in 0..<(dims.count - 1) {
            layers = layers + [ForwardForwardLayer(dims[d], dims[d + 1], lr: lr, threshold: threshold,
                                                   numEpochs: epochs, logInterval: logInterval)]
        }
        self.layers = ModuleList(layers)
        super.init()
    }

    var ffLayers: [ForwardForwardLayer] { layers.map { $0 as! ForwardForwardLayer } }

    func predict(_ x: Tensor) -> Tensor {
        var goodnessPerLabel: [Tensor] = []
        for label in 0..<10 {
            var h = overlayYOnX(x, label)
            var goodness: [Tensor] = []
            for layer in ffLayers {
                h = layer(h)
                goodness = goodness + [h.pow(2).mean(1)]
            }
            goodnessPerLabel += [goodness.dropFirst().reduce(goodness[0], +).unsqueeze(1)]
        }
        return cat(goodnessPerLabel, 1).argmax(1)
    }

    func train(_ xPos: Tensor, _ xNeg: Tensor) {
        var (hPos, hNeg) = (xPos, xNeg)
        for layer in ffLayers {
            (hPos, hNeg) = layer.train(hPos, hNeg)
        }
    }
}

/// main.py with `--epochs epochs` on `samples` random images normalised as MNIST's
/// (`Normalize((0.1307,), (0.3081,))`, flattened); the losses of every layer's epochs and
/// the train error.
func runForwardForward(epochs: Int = 3, samples: Int = 64, dims: [Int] = [784, 500, 500], lr: Double = 0.03,
                       threshold: Double = 2, seed: Int = 1) -> PortedRun {
    manualSeed(seed)
    let x = (Tensor.rand(samples, 784) - 0.1307) / 0.3081
    let y = Tensor.randint(0, 10, [samples])
    let net = ForwardForwardNet(dims, lr: lr, threshold: threshold, epochs: epochs, logInterval: 10)
    let xPos = overlayYOnX(x, y)
    let yNeg = getYNeg(y)
    let xNeg = overlayYOnX(x, yNeg)
    net.train(xPos, xNeg)
    var run = PortedRun()
    run.losses = net.ffLayers.flatMap(\.losses)
    let trainError = 1.0 - net.predict(x).eq(y).float().mean().item()
    run.extras = [trainError]
    run.lines = net.ffLayers.flatMap(\.lines) + ["train error: \(trainError)"]
    return run
}
