import Foundation
import Testing
@testable import Torch

/// Datasets and the data loader: PyTorch's shuffle order for a seed, batching, the bundled
/// digits, and MNIST / CIFAR-10 readers on small files written in their formats.
@Suite struct DataTests {
    /// `collate_fn` gets each batch's samples in sampler order; `defaultCollate` stacks.
    @Test func collateFnBuildsBatchesFromSamples() {
        struct Sequences: Dataset {
            var count: Int { 5 }
            subscript(index: Int) -> Tensor { Tensor.full([index + 1], Double(index)) }
        }
        let loader = DataLoader(Sequences(), batchSize: 2, collateFn: { padSequence($0, batchFirst: true) })
        let batches = Array(loader)
        #expect(batches.map(\.shape) == [[2, 2], [2, 4], [1, 5]])
        #expect(batches[1].toArray(Float.self) == [2, 2, 2, 0, 3, 3, 3, 3])
        let pairs = [(Tensor([1.0, 2.0]), Tensor(0)), (Tensor([3.0, 4.0]), Tensor(1))]
        let (x, y) = defaultCollate(pairs)
        #expect(x.shape == [2, 2] && y.toArray(Int64.self) == [0, 1])
        #expect(defaultCollate([1, 2, 3]).dtype == .int64 && defaultCollate([0.5, 1.5]).dtype == .float64)
    }

    /// An iterable dataset is batched in stream order, the last batch short unless dropped,
    /// and each pass draws PyTorch's base seed first (so the default stream after one pass
    /// is where PyTorch's is).
    @Test func iterableDatasetsBatchConsecutiveElements() {
        struct Counter: IterableDataset {
            func makeIterator() -> AnyIterator<Tensor> {
                var i = 0
                return AnyIterator {
                    guard i < 10 else { return nil }
                    defer { i += 1 }
                    return Tensor([Double(i), Double(i) * 2])
                }
            }
        }
        let batches = Array(IterableDataLoader(Counter(), batchSize: 4))
        #expect(batches.map(\.shape) == [[4, 2], [4, 2], [2, 2]])
        #expect(batches[2].toArray(Float.self) == [8, 16, 9, 18])
        #expect(Array(IterableDataLoader(Counter(), batchSize: 4, dropLast: true)).count == 2)
        // One pass takes one int64 draw from the default generator, as PyTorch's iterator does
        // (checked with PyTorch 2.15: torch.rand(1) after one pass equals this order of draws).
        let (after, expected) = withDefaultGenerator(Generator().manualSeed(0)) { () -> (Float, Float) in
            _ = Array(IterableDataLoader(Counter(), batchSize: 4))
            let after = Tensor.rand([1]).item(as: Float.self)
            manualSeed(0)
            _ = Tensor.empty([], dtype: .int64).random_()
            return (after, Tensor.rand([1]).item(as: Float.self))
        }
        #expect(after == expected)
    }

    @Test func shuffledOrderMatchesPyTorchForAGenerator() {
        let data = TensorDataset(Tensor.arange(0, 10), Tensor.arange(0, 10))
        let loader = DataLoader(data, batchSize: 3, shuffle: true, dropLast: true, generator: Generator().manualSeed(7))
        #expect(loader.count == 3)
        // torch.utils.data.DataLoader(..., batch_size=3, shuffle=True, generator=g.manual_seed(7), drop_last=True)
        #expect(loader.map { $0.0.toArray(Int64.self) } == [[1, 3, 5], [7, 9, 4], [6, 2, 8]])
    }

    @Test func shuffledOrderMatchesPyTorchForTheDefaultGenerator() {
        let data = TensorDataset(Tensor.arange(0, 10), Tensor.arange(0, 10))
        let (first, second) = withDefaultGenerator(Generator()) { () -> ([[Int64]], [[Int64]]) in
            manualSeed(0)
            let loader = DataLoader(data, batchSize: 4, shuffle: true)
            return (loader.map { $0.0.toArray(Int64.self) }, loader.map { $0.0.toArray(Int64.self) })
        }
        #expect(first == [[6, 7, 1, 4], [2, 0, 9, 8], [3, 5]])
        #expect(second == [[2, 4, 7, 0], [8, 9, 5, 3], [6, 1]])
    }

    @Test func randomSplitMatchesPyTorch() {
        let parts = randomSplit(TensorDataset(Tensor.arange(0, 10), Tensor.arange(0, 10)), lengths: [7, 3], generator: Generator().manualSeed(1))
        #expect(parts.map(\.indices) == [[5, 6, 1, 2, 0, 8, 9], [3, 7, 4]])
    }

    @Test func batchesStackSamplesAndPrefetchingKeepsOrder() {
        struct Squares: Dataset {
            var count: Int { 7 }
            subscript(index: Int) -> (Tensor, Tensor) { (Tensor([Double(index), Double(index * index)]), Tensor(index)) }
        }
        let plain = DataLoader(Squares(), batchSize: 3)
        let prefetched = DataLoader(Squares(), batchSize: 3, numWorkers: 2)
        let a = plain.map { $0.0.toArray(Float.self) }, b = prefetched.map { $0.0.toArray(Float.self) }
        #expect(a == b && a.count == 3 && a[2] == [6, 36])
        #expect(Array(plain)[0].1.toArray(Int64.self) == [0, 1, 2])
        let joined = ConcatDataset([Squares(), Squares()])
        #expect(joined.count == 14 && joined[8].1.item() == 1)
    }

    @Test func bundledDigitsHaveTheDocumentedSplit() {
        let train = Digits(train: true), test = Digits(train: false)
        #expect(train.count == 1437 && test.count == 360)
        #expect(train.images.shape == [1437, 1, 8, 8] && train.images.max().item() == 1 && train.images.min().item() == 0)
        let counts = (0..<10).map { c in (train.labels .== Tensor(Int64(c))).sum().item() + (test.labels .== Tensor(Int64(c))).sum().item() }
        #expect(counts.reduce(0, +) == 1797 && counts.allSatisfy { $0 >= 170 })
    }

    @Test func mnistAndCifarReadTheirFormats() throws {
        let root = IOTests.temporaryDirectory()
        let raw = root.appendingPathComponent("MNIST/raw")
        try FileManager.default.createDirectory(at: raw, withIntermediateDirectories: true)
        let images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2] + [0, 255, 51, 102, 255, 0, 0, 0]
        try Data(images).write(to: raw.appendingPathComponent("t10k-images-idx3-ubyte"))
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]).write(to: raw.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let mnist = try MNIST(root: root.path, train: false)
        #expect(mnist.images.shape == [2, 1, 2, 2] && mnist.labels.toArray(Int64.self) == [7, 3])
        #expect(mnist[0].0.toArray(Float.self) == [0, 1, 0.2, 0.4])
        #expect { try MNIST(root: root.path, train: true) } throws: { ($0 as? TorchError)?.message.contains("train-images-idx3-ubyte") == true }

        let cifarDir = root.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: cifarDir, withIntermediateDirectories: true)
        try Data([9] + [UInt8](repeating: 255, count: 3072)).write(to: cifarDir.appendingPathComponent("test_batch.bin"))
        let cifar = try CIFAR10(root: root.path, train: false)
        #expect(cifar.images.shape == [1, 3, 32, 32] && cifar.labels.toArray(Int64.self) == [9] && cifar.images.min().item() == 1)
        try Data([9, 1, 2]).write(to: cifarDir.appendingPathComponent("test_batch.bin"))
        #expect { try CIFAR10(root: root.path, train: false) } throws: { ($0 as? TorchError)?.message.contains("truncated") == true }
    }

    @Test func transformsFollowTorchvision() {
        let hwc = Tensor(shape: [1, 2, 3], scalars: [UInt8](arrayLiteral: 0, 51, 255, 102, 0, 0))
        let chw = ToTensor()(hwc)
        #expect(chw.shape == [3, 1, 2] && chw.toArray(Float.self) == [0, 0.4, 0.2, 0, 1, 0])
        let normalized = Normalize(mean: [0.5], std: [0.5])(Tensor.ones(2, 1, 1))
        #expect(normalized.toArray(Float.self) == [1, 1])
        let cropped = withDefaultGenerator(Generator().manualSeed(0)) { RandomCrop(2, padding: 1)(Tensor.ones(1, 2, 2)) }
        #expect(cropped.shape == [1, 2, 2])
        #expect(RandomHorizontalFlip(p: 1)(Tensor([[[1.0, 2.0]]])).toArray(Float.self) == [2, 1])
        #expect(Compose([Normalize(mean: [1], std: [2]), RandomHorizontalFlip(p: 0)])(Tensor([[[3.0]]])).item() == 1)
    }
}
