import Testing
@testable import Torch

/// Optimizers beyond the conformance corpus: the seed's hand-written regression loop, a
/// saved-and-resumed run that continues bitwise like an uninterrupted one, parameter groups.
@Suite struct OptimizerTests {
    /// The seed's loop, verbatim in spirit: `w -= lr * w.grad` under no-grad, `grad.zero_()`.
    @Test func handWrittenRegressionRecoversTheLine() {
        let x = Tensor.linspace(-1, 1, steps: 50).unsqueeze(1)
        let y = 3 * x - 2
        let w = Tensor.randn([1, 1], generator: Generator().manualSeed(0)).requiresGrad_()
        let b = Tensor.zeros([1], requiresGrad: true)
        let lr = 0.5
        for _ in 0..<200 {
            let loss = ((matmul(x, w) + b - y) * (matmul(x, w) + b - y)).mean()
            loss.backward()
            noGrad {
                w -= lr * w.grad!
                b -= lr * b.grad!
            }
            w.grad!.zero_()
            b.grad!.zero_()
        }
        #expect(abs(w.item() - 3) < 1e-4 && abs(b.item() + 2) < 1e-4)
    }

    /// Trains a few steps, saves model and optimizer through safetensors, reloads them into
    /// fresh objects and continues: every parameter equals an uninterrupted run, bit for bit.
    @Test func resumedTrainingMatchesUninterruptedBitwise() throws {
        func batch(_ step: Int) -> (Tensor, Tensor) {
            let g = Generator().manualSeed(100 + step)
            return (Tensor.randn([8, 4], generator: g), Tensor.randint(0, 3, [8], generator: g))
        }
        func model() -> Sequential { withDefaultGenerator(Generator().manualSeed(5)) { Sequential(Linear(4, 6), ReLU(), Linear(6, 3)) } }
        func train(_ net: Module, _ opt: Optimizer, steps: Range<Int>) {
            for s in steps {
                let (x, y) = batch(s)
                opt.zeroGrad()
                crossEntropy(net(x), y).backward()
                opt.step()
            }
        }
        let straight = model()
        let straightOpt = Adam(straight.parameters(), lr: 0.01, amsgrad: true)
        train(straight, straightOpt, steps: 0..<10)

        let first = model()
        let firstOpt = Adam(first.parameters(), lr: 0.01, amsgrad: true)
        train(first, firstOpt, steps: 0..<4)
        let dir = IOTests.temporaryDirectory()
        try save(first.stateDict(), to: dir.appendingPathComponent("m.safetensors"))
        try save(firstOpt.stateDict(), to: dir.appendingPathComponent("o.safetensors"))

        let resumed = withDefaultGenerator(Generator().manualSeed(99)) { Sequential(Linear(4, 6), ReLU(), Linear(6, 3)) }
        try resumed.loadStateDict(try load(from: dir.appendingPathComponent("m.safetensors")))
        let resumedOpt = Adam(resumed.parameters(), lr: 0.5)
        try resumedOpt.loadStateDict(try load(from: dir.appendingPathComponent("o.safetensors")))
        #expect(resumedOpt.paramGroups[0].lr == 0.01)
        train(resumed, resumedOpt, steps: 4..<10)
        for (a, b) in zip(straight.parameters(), resumed.parameters()) {
            #expect(a.toArray(Float.self) == b.toArray(Float.self))
        }
    }

    @Test func parameterGroupsKeepTheirOwnSettings() {
        let a = Tensor([1.0], requiresGrad: true), b = Tensor([1.0], requiresGrad: true)
        let opt = SGD([ParamGroup([a]), ParamGroup([b], ["lr": 0.5])], lr: 0.1)
        a.grad = Tensor([1.0]); b.grad = Tensor([1.0])
        opt.step()
        #expect(a.item() == Double(Float(1 - 0.1)) && b.item() == 0.5)
        opt.zeroGrad()
        #expect(a.grad == nil && b.grad == nil)
        let c = Tensor([2.0], requiresGrad: true)
        opt.addParamGroup(ParamGroup([c]))
        #expect(opt.paramGroups.count == 3 && opt.paramGroups[2].lr == 0.1)
    }

    @Test func stepWithClosureReturnsTheLoss() {
        let w = Tensor([2.0], requiresGrad: true)
        let opt = SGD([w], lr: 0.25)
        let loss = opt.step {
            opt.zeroGrad()
            let l = (w * w).sum()
            l.backward()
            return l
        }
        #expect(loss.item() == 4 && w.item() == 1)
    }

    @Test func nonLeafParametersAreRejected() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Tensor([1.0], requiresGrad: true)
            _ = SGD([w * 2], lr: 0.1)
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self).contains("can't optimize a non-leaf Tensor"))
    }
}

/// Adamax, NAdam, RAdam, Adadelta and LBFGS against PyTorch 2.15: the parameter
/// `[1, -2, 0.5]` after each step with gradients `[0.3, -0.7, 1.1]·step`.
@Suite struct MoreOptimizerTests {
    func run(_ steps: Int = 3, _ make: ([Tensor]) -> Optimizer) -> [Float] {
        let p = Tensor([1.0, -2.0, 0.5], requiresGrad: true)
        let opt = make([p])
        var out: [Float] = []
        for s in 0..<steps {
            p.grad = Tensor([0.3, -0.7, 1.1]) * Double(s + 1)
            opt.step()
            out += p.toArray(Float.self)
        }
        return out
    }

    func close(_ a: [Float], _ b: [Float]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 2e-6 } }

    @Test func matchPyTorch() {
        #expect(close(run { Adamax($0, lr: 0.1, weightDecay: 0.01) },
                      [0.9, -1.9, 0.4, 0.8232564, -1.8233337, 0.3236197, 0.7538855, -1.7540263, 0.254562]))
        #expect(close(run { NAdam($0, lr: 0.1) },
                      [0.8943548, -1.8943548, 0.3943548, 0.7980601, -1.7980601, 0.2980601, 0.7018802, -1.7018802, 0.2018802]))
        #expect(close(Array(run(7) { RAdam($0, lr: 0.1) }.suffix(3)), [0.6811245, -1.2636273, -0.6538699]))
        #expect(close(run { Adadelta($0, lr: 1) },
                      [0.9968379, -1.9968377, 0.4968377, 0.9927974, -1.9927971, 0.4927971, 0.9879284, -1.9879279, 0.4879279]))
    }

    /// Five LBFGS steps on the Rosenbrock function reach its minimum (1, 1), as in PyTorch.
    @Test func lbfgsMinimisesRosenbrock() {
        let x = Tensor([1.5, -0.5], requiresGrad: true)
        let opt = LBFGS([x], lr: 1)
        for _ in 0..<5 {
            opt.step {
                opt.zeroGrad()
                let a = 1 - x[0], b = x[1] - x[0] * x[0]
                let loss = a * a + 100 * b * b
                loss.backward()
                return loss
            }
        }
        #expect(zip(x.toArray(Float.self), [1.000005, 1.00001] as [Float]).allSatisfy { abs($0 - $1) < 1e-4 })
    }
}
