import Foundation
import Testing
import Torch
import TorchVision

/// torchvision's transforms on tensors against outputs recorded from torchvision 0.29
/// (`scripts/record-transforms.py`): deterministic ones once, random ones three times in a row
/// after seeding, so both the arithmetic and the order of random draws are checked.
@Suite struct TransformTests {
    static var fixture: [String: Any] {
        try! JSONSerialization.jsonObject(
            with: Data(contentsOf: ModelZooTests.fixtures.appendingPathComponent("transforms.json"))) as! [String: Any]
    }

    static func tensor(_ record: Any) -> Tensor {
        let r = record as! [String: Any]
        let shape = r["shape"] as! [Int]
        let values = (r["values"] as! [NSNumber]).map(\.doubleValue)
        let dtype: DType = r["dtype"] as! String == "uint8" ? .uint8 : .float32
        return Tensor(shape: shape, scalars: values).to(dtype)
    }

    static var image: Tensor { tensor(fixture["input"]!) }
    static let mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225]

    /// Each case's transform and input, as the recording script builds it.
    static func transform(_ name: String) -> (any Transform, Tensor) {
        let u8 = image, f32 = convertImageDtype(image, .float32)
        switch name {
        case "resize_smaller_edge_8": return (Resize(8), u8)
        case "resize_5x7_float": return (Resize([5, 7]), f32)
        case "resize_up_20x30_float": return (Resize([20, 30]), f32)
        case "resize_up_20x30": return (Resize([20, 30]), u8)
        case "resize_no_antialias_6x9": return (Resize([6, 9], antialias: false), u8)
        case "resize_nearest_8": return (Resize(8, interpolation: .nearest), u8)
        case "resize_max_size": return (Resize(8, maxSize: 9), u8)
        case "center_crop_7": return (CenterCrop(7), u8)
        case "center_crop_pad_14x19": return (CenterCrop([14, 19]), u8)
        case "pad_constant": return (Pad([1, 2, 3, 4], fill: 7), u8)
        case "pad_edge": return (Pad([1, 2, 3, 4], paddingMode: .edge), u8)
        case "pad_reflect": return (Pad([2, 3], paddingMode: .reflect), u8)
        case "pad_symmetric": return (Pad([1, 2, 3, 4], paddingMode: .symmetric), u8)
        case "grayscale_1": return (Grayscale(), u8)
        case "grayscale_3_float": return (Grayscale(numOutputChannels: 3), f32)
        case "convert_float": return (ConvertImageDtype(.float32), u8)
        case "convert_back_uint8": return (ConvertImageDtype(.uint8), f32)
        case "normalize": return (Normalize(mean: mean, std: std), f32)
        case "imagenet_eval": return (Compose([Resize(10), CenterCrop(8), ConvertImageDtype(), Normalize(mean: mean, std: std)]), u8)
        case "random_resized_crop_6": return (RandomResizedCrop(6), u8)
        case "random_resized_crop_5x7_float": return (RandomResizedCrop([5, 7], scale: (0.5, 1.0)), f32)
        case "random_crop_8_pad_2": return (RandomCrop(8, padding: 2), u8)
        case "random_horizontal_flip": return (RandomHorizontalFlip(), u8)
        case "color_jitter": return (ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1), u8)
        case "color_jitter_float": return (ColorJitter(brightness: 0.5, contrast: 0.3, saturation: 0.6, hue: 0.2), f32)
        case "color_jitter_brightness_only": return (ColorJitter(brightness: 0.3), u8)
        case "random_rotation_30": return (RandomRotation(30), u8)
        case "random_rotation_fill_float": return (RandomRotation((10, 80), fill: [0.5]), f32)
        case "gaussian_blur_5": return (GaussianBlur(kernelSize: 5), u8)
        case "gaussian_blur_3x5_float": return (GaussianBlur(kernelSize: [3, 5], sigma: (0.5, 1.5)), f32)
        case "train_pipeline":
            return (Compose([RandomResizedCrop(8), RandomHorizontalFlip(), ConvertImageDtype(), Normalize(mean: mean, std: std)]), u8)
        default: fatalError("no transform for \(name)")
        }
    }

    static var caseNames: [String] { (fixture["cases"] as! [String: Any]).keys.sorted() }

    @Test(arguments: caseNames)
    func matchesTorchvision(_ name: String) {
        let expected = (Self.fixture["cases"] as! [String: Any])[name] as! [Any]
        let (transform, input) = Self.transform(name)
        withDefaultGenerator(Generator().manualSeed(0)) {
            for (k, record) in expected.enumerated() {
                let want = Self.tensor(record)
                let got = transform(input)
                #expect(got.shape == want.shape, "\(name) #\(k)")
                #expect(got.dtype == want.dtype, "\(name) #\(k)")
                guard got.shape == want.shape else { return }
                let diff = (got.to(.float64) - want.to(.float64)).abs()
                if want.dtype == .uint8 {
                    // Rounding of float sums that land within an ulp of .5 may differ by one
                    // level (BLAS summation order); no more, and rarely.
                    #expect(diff.max().item() <= 1, "\(name) #\(k)")
                    #expect((diff .> 0).sum().item() <= Double(Swift.max(1, want.numel / 50)), "\(name) #\(k)")
                } else {
                    #expect(diff.max().item() <= 1e-5, "\(name) #\(k): max diff \(diff.max().item())")
                }
            }
        }
    }

    @Test func randomResizedCropParametersMatchTorchvision() {
        let expected = (Self.fixture["random_resized_crop_params"] as! [[Int]])
        withDefaultGenerator(Generator().manualSeed(0)) {
            for want in expected {
                let (i, j, h, w) = RandomResizedCrop.parameters(height: 480, width: 640, scale: (0.08, 1.0), ratio: (3.0 / 4.0, 4.0 / 3.0))
                #expect([i, j, h, w] == want)
            }
        }
    }

    @Test func imagenetCategoriesAreBundled() {
        #expect(imagenetCategories.count == 1000)
        #expect(imagenetCategories[0] == "tench" && imagenetCategories[281] == "tabby" && imagenetCategories[999] == "toilet tissue")
    }

    @Test func imageFolderOrdersAsTorchvision() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-folder-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let image = (Tensor.arange(0, 3 * 4 * 5).reshape([3, 4, 5]) * 4).to(.uint8)
        // Classes "B" < "a" < "cat" by code point; nested folders; a non-image file skipped.
        for (dir, file) in [("cat", "z.png"), ("cat", "A.PNG"), ("cat/sub", "b.png"), ("a", "x.jpg"), ("B", "1.png")] {
            try fm.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
            let url = root.appendingPathComponent(dir).appendingPathComponent(file)
            if file.hasSuffix(".jpg") { try writeJPEG(image, to: url) } else { try writePNG(image, to: url) }
        }
        try Data("notes".utf8).write(to: root.appendingPathComponent("cat/readme.txt"))
        let dataset = try ImageFolder(root: root.path, transform: ConvertImageDtype())
        #expect(dataset.classes == ["B", "a", "cat"])
        #expect(dataset.samples.map { String($0.path.dropFirst(root.path.count + 1)) } == ["B/1.png", "a/x.jpg", "cat/A.PNG", "cat/z.png", "cat/sub/b.png"])
        #expect(dataset.samples.map(\.label) == [0, 1, 2, 2, 2])
        let (x, y) = dataset[4]
        #expect(x.shape == [3, 4, 5] && x.dtype == .float32 && y.item(as: Int.self) == 2)
        let batches = Array(DataLoader(dataset, batchSize: 2))
        #expect(batches.count == 3 && batches[0].0.shape == [2, 3, 4, 5])
        try fm.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect(throws: TorchError.self) { try ImageFolder(root: root.path) }
    }
}
