import ArgumentParser
import Torch

/// `swifttorch demo`: a few lines of the seed notebooks, printed as PyTorch prints them.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a short tour of tensors and autograd from the seed notebooks.")

    @Flag(help: "Print only the backward graph of the autograd example as Graphviz DOT text.")
    var dot = false

    func run() {
        // The seed's autograd example: w = exp(-log(1 + Σ sin x)).
        let x = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
        x.name = "x"
        let z = sum(sin(x))
        let u = log(1 + z)
        let w = exp(-u)
        w.name = "w"
        if dot {
            print(graphviz(of: w), terminator: "")
            return
        }
        let t = Tensor([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]])
        print(t)
        print(t.size())
        print(5.0 * t)
        print(matmul(t, t.transpose(1, 2)))
        w.backward()
        print(w)
        print(x.grad!)
    }
}
