import Foundation
import Testing
import Torch
import TorchDistributed

/// DistributedSampler against index lists recorded from PyTorch 2.15
/// (`scripts/make-distributed-sampler-fixtures.py`): shuffled and not, padded and cut.
struct DistributedSamplerTests {
    struct Case: Decodable {
        let count: Int, replicas: Int, shuffle: Bool, drop_last: Bool, seed: Int, epoch: Int
        let indices: [[Int]]
    }
    struct Fixture: Decodable { let cases: [Case] }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/distributed_sampler.json")
        // swiftlint:disable:next force_try
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    @Test func indicesMatchPyTorch() {
        #expect(Self.fixture.cases.count > 100)
        for c in Self.fixture.cases {
            for rank in 0..<c.replicas {
                let sampler = DistributedSampler(count: c.count, numReplicas: c.replicas, rank: rank,
                                                 shuffle: c.shuffle, seed: c.seed, dropLast: c.drop_last)
                sampler.setEpoch(c.epoch)
                #expect(sampler.indices() == c.indices[rank], "\(c.count) samples, rank \(rank) of \(c.replicas), shuffle \(c.shuffle), drop_last \(c.drop_last), seed \(c.seed), epoch \(c.epoch)")
                #expect(sampler.count == c.indices[rank].count)
            }
        }
    }

    @Test func feedsADataLoader() {
        let data = TensorDataset(Tensor.arange(0, 10).float().unsqueeze(1), Tensor.arange(0, 10))
        let sampler = DistributedSampler(data, numReplicas: 2, rank: 1, shuffle: false)
        let loader = DataLoader(data, batchSize: 2, sampler: sampler.sampler)
        let seen = loader.flatMap { $0.1.toArray(Int64.self) }
        #expect(seen == [1, 3, 5, 7, 9])
        #expect(Array(sampler) == [1, 3, 5, 7, 9])
    }

    @Test func invalidRankStops() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = DistributedSampler(count: 10, numReplicas: 2, rank: 2)
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("ValueError: Invalid rank 2, rank should be in the interval [0, 1]"))
    }
}
