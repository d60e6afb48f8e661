import Foundation
import Testing
@testable import Torch

/// The samplers draw PyTorch's index sequences (`scripts/record-samplers.py`).
@Suite struct SamplerTests {
    static func record(_ key: String) -> [Int] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/samplers.json")
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (json[key] as! [NSNumber]).map(\.intValue)
    }

    static func batches(_ key: String) -> [[Int]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/samplers.json")
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (json[key] as! [[NSNumber]]).map { $0.map(\.intValue) }
    }

    /// `body` with a default generator seeded 0 (task-local: tests run in parallel).
    func seeded<R>(_ body: () -> R) -> R { withDefaultGenerator(Generator().manualSeed(0), body) }

    @Test func samplersDrawPyTorchsIndices() {
        #expect(seeded { RandomSampler(count: 10).indices() } == Self.record("random"))
        #expect(seeded { RandomSampler(count: 10, replacement: true, numSamples: 70).indices() } == Self.record("random_replacement_70"))
        #expect(RandomSampler(count: 10, numSamples: 25, generator: Generator().manualSeed(3)).indices() == Self.record("random_generator_25"))
        #expect(seeded { SubsetRandomSampler([5, 9, 2, 7, 11]).indices() } == Self.record("subset"))
        #expect(seeded { WeightedRandomSampler([0.1, 0.9, 0.4, 0.0, 2.0], numSamples: 12).indices() } == Self.record("weighted"))
        #expect(WeightedRandomSampler([0.1, 0.9, 0.4, 0.5, 2.0], numSamples: 4, replacement: false,
                                      generator: Generator().manualSeed(1)).indices() == Self.record("weighted_no_replacement"))
        #expect(BatchSampler(SequentialSampler(count: 10), batchSize: 3, dropLast: false).batches() == Self.batches("batches"))
        #expect(BatchSampler(SequentialSampler(count: 10), batchSize: 3, dropLast: true).batches() == Self.batches("batches_drop"))
    }

    @Test func aLoaderTakesASampler() {
        let data = TensorDataset(Tensor.arange(0, 6), Tensor.arange(0, 6))
        let loader = DataLoader(data, batchSize: 2, sampler: SubsetRandomSampler([4, 1, 3], generator: Generator().manualSeed(2)).sampler)
        let seen = loader.flatMap { $0.0.toArray(Int64.self) }
        #expect(Set(seen) == [4, 1, 3] && seen.count == 3)
    }
}
