import Foundation
import Testing
import Torch

/// Tensors used from many Swift tasks at once give what sequential runs give (issue 21,
/// part 4). `scripts/test --sanitize thread` runs this suite under ThreadSanitizer.
@Suite struct ConcurrencyTests {
    /// A small MLP trained for `steps` SGD steps from its own seeded generator; returns the
    /// losses and the final weights.
    static func trainIndependently(seed: Int, steps: Int = 20) -> (losses: [Float], weights: [Float]) {
        withDefaultGenerator(Torch.Generator().manualSeed(seed)) {
            let model = Sequential(Linear(8, 16), Tanh(), Linear(16, 1))
            let x = Tensor.randn([32, 8]), y = Tensor.randn([32, 1])
            let optimizer = SGD(model.parameters(), lr: 0.05, momentum: 0.9)
            var losses: [Float] = []
            for _ in 0..<steps {
                optimizer.zeroGrad()
                let loss = mseLoss(model(x), y)
                loss.backward()
                optimizer.step()
                losses.append(loss.item(as: Float.self))
            }
            let weights = model.parameters().flatMap { $0.flatten().toArray(Float.self) }
            return (losses, weights)
        }
    }

    @Test func independentModelsOnEightTasksMatchSequentialRuns() async {
        let sequential = (0..<8).map { Self.trainIndependently(seed: $0) }
        let concurrent = await withTaskGroup(of: (Int, [Float], [Float]).self) { group in
            for seed in 0..<8 {
                group.addTask {
                    let r = Self.trainIndependently(seed: seed)
                    return (seed, r.losses, r.weights)
                }
            }
            var results = [(losses: [Float], weights: [Float])](repeating: ([], []), count: 8)
            for await (seed, losses, weights) in group { results[seed] = (losses, weights) }
            return results
        }
        for seed in 0..<8 {
            #expect(concurrent[seed].losses == sequential[seed].losses)
            #expect(concurrent[seed].weights == sequential[seed].weights)
        }
        // Different seeds trained different models: the comparison is not vacuous.
        #expect(sequential[0].losses != sequential[1].losses)
    }

    @Test func sharedWeightsServeConcurrentInference() async {
        let (model, inputs) = withDefaultGenerator(Torch.Generator().manualSeed(7)) {
            (Sequential(Linear(16, 32), ReLU(), Linear(32, 4)).eval(), (0..<8).map { _ in Tensor.randn([64, 16]) })
        }
        let expected = noGrad { inputs.map { model($0).toArray(Float.self) } }
        let shared = SharedModule(model)
        let outputs = await withTaskGroup(of: (Int, [Float]).self) { group in
            for (i, x) in inputs.enumerated() {
                group.addTask { (i, shared(x).toArray(Float.self)) }
            }
            var results = [[Float]](repeating: [], count: inputs.count)
            for await (i, y) in group { results[i] = y }
            return results
        }
        #expect(outputs == expected)
    }

    /// Eight tasks drawing from one generator at once each get a contiguous block of its
    /// stream: together, the blocks a sequential run draws, in some order.
    @Test func oneGeneratorFromManyTasksHandsOutWholeBlocks() async {
        let sequentialGenerator = Torch.Generator().manualSeed(3)
        let sequential = (0..<8).map { _ in Tensor.rand([1000], generator: sequentialGenerator).toArray(Float.self) }
        let shared = Torch.Generator().manualSeed(3)
        let blocks = await withDefaultGenerator(shared) {
            await concurrentResults(8) { Tensor.rand([1000]).toArray(Float.self) }
        }
        #expect(blocks.count == 8)
        #expect(Set(blocks.map { $0.map { $0.bitPattern } }) == Set(sequential.map { $0.map { $0.bitPattern } }))
    }
}
