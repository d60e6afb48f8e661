import Torch

/// `05-intro-slides-ucla.md`: the computational graph of a logistic unit with a squared
/// loss, checked against the hand-derived backward pass; then a 3-hidden-unit MLP trained
/// with an optimizer, `zeroGrad`, `train()` / `eval()` and `noGrad`.
@Sendable func slides() -> String {
    let out = Transcript()
    // z = w x + b, y = σ(z), L = (y - t)² / 2 — Zemel's example.
    let w = Tensor(0.5, requiresGrad: true), b = Tensor(-0.25, requiresGrad: true)
    let x = Tensor(2.0), target = Tensor(1.0)
    let z = w * x + b
    let y = 1 / (1 + exp(-z))
    let loss = (y - target) * (y - target) / 2
    loss.backward()
    // By hand: dL/dy = y - t, dy/dz = y(1 - y), dz/dw = x.
    let yv = y.item(), dz = (yv - 1) * yv * (1 - yv)
    out.print(String(format: "autograd dL/dw %.6f dL/db %.6f", w.grad!.item(), b.grad!.item()))
    out.print(String(format: "by hand  dL/dw %.6f dL/db %.6f", dz * 2, dz))

    // An MLP with 3 hidden units learning XOR.
    let inputs = Tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    let labels = Tensor([[0.0], [1.0], [1.0], [0.0]])
    let model = withDefaultGenerator(Generator().manualSeed(3)) { Sequential(Linear(2, 3), Tanh(), Linear(3, 1)) }
    let optimizer = Adam(model.parameters(), lr: 0.05)
    model.train()
    for _ in 0..<1000 {
        optimizer.zeroGrad()
        binaryCrossEntropyWithLogits(model(inputs), labels).backward()
        optimizer.step()
    }
    model.eval()
    let predictions = noGrad { sigmoid(model(inputs)) .> 0.5 }
    out.print(predictions.flatten())
    return out.text
}
