import Foundation
import Torch

// pytorch/examples regression/main.py, ported as a new user would write it.

/// Fits a degree-4 polynomial with one Linear layer and hand-written SGD; returns the lines
/// main.py prints.
func polynomialRegression(maxSteps: Int = 100_000) -> [String] {
    let polyDegree = 4
    let wTarget = Tensor.randn([polyDegree, 1]) * 5
    let bTarget = Tensor.randn([1]) * 5

    /// Builds features i.e. a matrix with columns [x, x^2, x^3, x^4].
    func makeFeatures(_ x: Tensor) -> Tensor {
        let x = x.unsqueeze(1)
        return cat((1...polyDegree).map { i in x.pow(i) }, dim: 1)
    }
    /// Approximated function.
    func f(_ x: Tensor) -> Tensor { x.mm(wTarget) + bTarget.item() }
    /// Creates a string description of a polynomial.
    func polyDesc(_ W: Tensor, _ b: Tensor) -> String {
        var result = "y = "
        for (i, w) in W.enumerated() {
            result += String(format: "%+.2f x^%d ", w.item(), i + 1)
        }
        result += String(format: "%+.2f", b[0].item())
        return result
    }
    /// Builds a batch i.e. (x, f(x)) pair.
    func getBatch(batchSize: Int = 32) -> (Tensor, Tensor) {
        let random = Tensor.randn([batchSize])
        let x = makeFeatures(random)
        let y = f(x)
        return (x, y)
    }

    // Define model
    let fc = Linear(wTarget.size(0), 1)
    var lines: [String] = []
    var batchIdx = 0
    var loss = 0.0
    for idx in 1...maxSteps {
        batchIdx = idx
        // Get data
        let (batchX, batchY) = getBatch()
        // Reset gradients
        fc.zeroGrad()
        // Forward pass
        let output = smoothL1Loss(fc(batchX), batchY)
        loss = output.item()
        // Backward pass
        output.backward()
        // Apply gradients
        for param in fc.parameters() { param.data.add_(-0.1 * param.grad!) }
        // Stop criterion
        if loss < 1e-3 { break }
    }
    lines.append(String(format: "Loss: %.6f after %d batches", loss, batchIdx))
    lines.append("==> Learned function:\t" + polyDesc(fc.weight.view(-1), fc.bias!))
    lines.append("==> Actual function:\t" + polyDesc(wTarget.view(-1), bTarget))
    return lines
}
