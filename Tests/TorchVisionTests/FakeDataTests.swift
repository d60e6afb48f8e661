import Foundation
import Testing
import Torch
import TorchVision

/// `FakeData` against torchvision's (`scripts/record-fakedata.py`): each item's uint8 image
/// (the PIL image as `PILToTensor` gives it) and label, for RGB, gray with a random offset,
/// and RGBA images.
@Suite struct FakeDataTests {
    static func record() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fakedata.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    @Test func itemsMatchTorchvision() {
        let datasets: [String: FakeData] = [
            "rgb": FakeData(size: 5, imageSize: [3, 4, 5], numClasses: 7),
            "gray_offset": FakeData(size: 3, imageSize: [1, 3, 3], numClasses: 3, randomOffset: 11),
            "rgba": FakeData(size: 2, imageSize: [4, 2, 3], numClasses: 100),
        ]
        let r = Self.record()
        for (name, dataset) in datasets {
            for item in r[name] as! [[String: Any]] {
                let index = item["index"] as! Int
                let (image, label) = dataset.sample(at: index)
                #expect(image.dtype == .uint8 && image.shape == (item["shape"] as! [Int]), "\(name) \(index) shape")
                #expect(image.toArray(Int64.self).map(Int.init) == (item["image"] as! [Int]), "\(name) \(index) image")
                #expect(label == item["label"] as! Int, "\(name) \(index) label")
            }
        }
    }

    /// The same index gives the same item, the caller's stream is untouched, and transforms
    /// and the loader see the images.
    @Test func itemsAreStableAndLeaveTheStreamAlone() {
        let dataset = FakeData(size: 4, imageSize: [3, 2, 2], numClasses: 5, transform: ConvertImageDtype(),
                               targetTransform: { $0 + 100 })
        let (before, after): (Tensor, Tensor) = withDefaultGenerator(Generator().manualSeed(3)) {
            let first = Tensor.rand(3)
            return (first, Tensor.rand(3))
        }
        let (drawn, item): (Tensor, (Tensor, Int)) = withDefaultGenerator(Generator().manualSeed(3)) {
            let first = Tensor.rand(3)
            let item = dataset.sample(at: 2)
            _ = first
            return (Tensor.rand(3), item)
        }
        #expect(equal(drawn, after) && !equal(before, after))
        #expect(item.0.dtype == .float32 && item.1 >= 100 && item.1 < 105)
        #expect(equal(dataset.sample(at: 2).0, item.0))
        let loader = DataLoader(dataset, batchSize: 2)
        #expect(loader.map { $0.0.shape } == [[2, 3, 2, 2], [2, 3, 2, 2]])
    }
}
