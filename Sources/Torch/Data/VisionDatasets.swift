import Foundation

/// An image-classification dataset held in memory: images `(N, C, H, W)` float32 in
/// [0, 1] and labels `(N)` int64, with an optional per-sample transform (like
/// `torchvision.datasets.VisionDataset`).
public protocol ImageClassificationDataset: Dataset, TensorPairSource where Element == (Tensor, Tensor) {
    /// Every image, `(N, C, H, W)`, float32 in [0, 1].
    var images: Tensor { get }
    /// Every label, int64.
    var labels: Tensor { get }
    /// Applied to each image as it is fetched (`transforms.Compose([...])`), or `nil`.
    var transform: Transform? { get }
}

extension ImageClassificationDataset {
    /// The number of images.
    public var count: Int { images.shape[0] }
    /// Image `index` (transformed) and its label.
    public subscript(index: Int) -> (Tensor, Tensor) {
        let image = images.select(0, index)
        return (transform.map { $0(image) } ?? image, labels.select(0, index))
    }
    /// The images at `indices` (each transformed when there is a transform) and their labels.
    public func batch(_ indices: Tensor) -> (Tensor, Tensor) {
        let picked = images.indexSelect(0, indices)
        guard let transform else { return (picked, labels.indexSelect(0, indices)) }
        let n = picked.shape[0]
        return (stack((0..<n).map { transform(picked.select(0, $0)) }), labels.indexSelect(0, indices))
    }
}

/// The handwritten digits bundled with SwiftTorch (UCI, via scikit-learn; CC BY 4.0; see
/// `Resources/DIGITS-LICENSE.md`): 1797 grey 8×8 images of 0–9, pixel values 0–16 scaled
/// to [0, 1]. The split is fixed: the images in the order of `randperm(1797)` drawn from a
/// generator seeded 0 (the same order in PyTorch), the first 1437 train, the last 360 test.
/// SwiftTorch only: PyTorch has no counterpart (scikit-learn's `load_digits` holds the same data).
public struct Digits: ImageClassificationDataset {
    /// Images `(N, 1, 8, 8)`.
    public let images: Tensor
    /// Labels 0–9.
    public let labels: Tensor
    /// Applied to each image as fetched, or `nil`.
    public var transform: Transform?
    /// Images in the training split.
    public static let trainCount = 1437

    /// Loads the training or test split from the package's resources.
    public init(train: Bool = true, transform: Transform? = nil) {
        guard let url = Bundle.module.url(forResource: "digits.csv", withExtension: "gz") else {
            torchFatal("RuntimeError: the bundled digits.csv.gz resource is missing from the Torch module")
        }
        // The resource ships with the library, so failing to read it is a broken install.
        let (images, labels) = try! Digits.parse(readFile(url), source: url.path)
        // The file is ordered by writer; a fixed shuffle (randperm with a generator seeded 0,
        // the same in PyTorch) mixes writers between the splits.
        let order = Tensor.randperm(labels.count, generator: Generator().manualSeed(0))
        let range = train ? 0..<Digits.trainCount : Digits.trainCount..<labels.count
        let picked = order.narrow(0, range.lowerBound, range.count)
        self.images = Tensor(shape: [labels.count, 1, 8, 8], scalars: images).indexSelect(0, picked)
        self.labels = Tensor(shape: [labels.count], scalars: labels).indexSelect(0, picked)
        self.transform = transform
    }

    /// Parses the gzip'd CSV: 64 pixel values 0–16 then the label, per line.
    static func parse(_ gz: Data, source: String) throws -> (images: [Float], labels: [Int64]) {
        let text = String(decoding: try Zlib.inflate(gz, format: .gzip, limit: 1 << 24, source: source), as: UTF8.self)
        var images: [Float] = [], labels: [Int64] = []
        for (n, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
            let fields = line.split(separator: ",")
            guard fields.count == 65, let values = Optional(fields.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }),
                  values.count == 65 else {
                throw TorchError("\(source): line \(n + 1) does not hold 64 pixels and a label")
            }
            images += values[0..<64].map { Float($0) / 16 }
            labels.append(Int64(values[64]))
        }
        return (images, labels)
    }
}

/// Reads an IDX file (plain or `.gz`) as (dimensions, bytes); only unsigned-byte data.
func readIDX(_ url: URL, expectedRank: Int) throws -> (shape: [Int], data: [UInt8]) {
    var raw = try readFile(url)
    if url.pathExtension == "gz" { raw = try Zlib.inflate(raw, format: .gzip, limit: 1 << 30, source: url.path) }
    return try parseIDX([UInt8](raw), expectedRank: expectedRank, source: url.path)
}

/// Parses IDX bytes (magic `00 00 08 rank`, big-endian sizes, then unsigned bytes).
func parseIDX(_ bytes: [UInt8], expectedRank: Int, source: String) throws -> (shape: [Int], data: [UInt8]) {
    let url = URL(fileURLWithPath: source)
    guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else { throw TorchError("\(url.path): not an IDX file (bad magic number)") }
    guard bytes[2] == 0x08 else { throw TorchError("\(url.path): IDX data type 0x\(String(bytes[2], radix: 16)) is not unsigned byte") }
    let rank = Int(bytes[3])
    guard rank == expectedRank else { throw TorchError("\(url.path): IDX file has \(rank) dimensions, expected \(expectedRank)") }
    guard bytes.count >= 4 + 4 * rank else { throw TorchError("\(url.path): truncated IDX header") }
    let shape = (0..<rank).map { d in (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * d + $1]) } }
    let (count, overflow) = shape.reduce((1, false)) { acc, d in
        let m = acc.0.multipliedReportingOverflow(by: d)
        return (m.partialValue, acc.1 || m.overflow)
    }
    guard !overflow, bytes.count - 4 - 4 * rank == count else {
        throw TorchError("\(url.path): IDX header promises \(shape) = \(count) bytes, the file holds \(bytes.count - 4 - 4 * rank)")
    }
    return (shape, Array(bytes[(4 + 4 * rank)...]))
}

/// Finds `name` or `name.gz` in the first of `directories` that has it.
private func locate(_ name: String, in directories: [URL]) throws -> URL {
    for d in directories {
        for candidate in [name, name + ".gz"] {
            let url = d.appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
    }
    throw TorchError("\(directories.first!.appendingPathComponent(name).path): no such file (nor .gz; looked in \(directories.map(\.path).joined(separator: ", ")))")
}

/// MNIST-format data (IDX files, plain or gzip) under `root/<folder>/raw`, `root/<folder>`
/// or `root`, as torchvision lays them out.
private func loadIDXPair(root: URL, folder: String, train: Bool) throws -> (Tensor, Tensor) {
    let directories = [root.appendingPathComponent(folder).appendingPathComponent("raw"), root.appendingPathComponent(folder), root]
    let prefix = train ? "train" : "t10k"
    let imageFile = try locate("\(prefix)-images-idx3-ubyte", in: directories)
    let labelFile = try locate("\(prefix)-labels-idx1-ubyte", in: directories)
    let (shape, pixels) = try readIDX(imageFile, expectedRank: 3)
    let (labelShape, labels) = try readIDX(labelFile, expectedRank: 1)
    guard labelShape[0] == shape[0] else {
        throw TorchError("\(labelFile.path): \(labelShape[0]) labels for \(shape[0]) images in \(imageFile.path)")
    }
    if let bad = labels.first(where: { $0 > 9 }) { throw TorchError("\(labelFile.path): label \(bad) is not a digit class") }
    let images = Tensor(shape: [shape[0], 1, shape[1], shape[2]], scalars: pixels).to(.float32) / 255
    return (images, Tensor(shape: [shape[0]], scalars: labels.map(Int64.init)))
}

/// Where an MNIST-format dataset lives under its root (torchvision's folder name).
public protocol IDXDatasetLayout {
    /// The folder under `root` (`MNIST`, `FashionMNIST`).
    static var folder: String { get }
}

/// MNIST's layout: `root/MNIST/raw` (the folder layout of `torchvision.datasets.MNIST`).
public enum MNISTLayout: IDXDatasetLayout {
    /// `MNIST`.
    public static let folder = "MNIST"
}

/// Fashion-MNIST's layout: `root/FashionMNIST/raw` (the folder layout of
/// `torchvision.datasets.FashionMNIST`).
public enum FashionMNISTLayout: IDXDatasetLayout {
    /// `FashionMNIST`.
    public static let folder = "FashionMNIST"
}

/// 28×28 grey images in IDX files (plain or `.gz`) the user downloaded, read from
/// `root/<folder>/raw`, `root/<folder>` or `root` (`torchvision.datasets.MNIST` and its
/// subclasses).
public struct IDXImageDataset<Layout: IDXDatasetLayout>: ImageClassificationDataset {
    /// Images `(N, 1, 28, 28)` in [0, 1].
    public let images: Tensor
    /// Labels 0–9.
    public let labels: Tensor
    /// Applied to each image as fetched, or `nil`.
    public var transform: Transform?
    /// Reads `train-images-idx3-ubyte` etc. (or the `t10k-` files for the test split).
    /// - Throws: ``TorchError`` naming the missing, truncated or corrupt file.
    public init(root: some FileLocation, train: Bool = true, transform: Transform? = nil) throws {
        (images, labels) = try loadIDXPair(root: root.fileURL, folder: Layout.folder, train: train)
        self.transform = transform
    }
}

/// MNIST handwritten digits (`MNIST(root:train:)`, `torchvision.datasets.MNIST`).
public typealias MNIST = IDXImageDataset<MNISTLayout>
/// Fashion-MNIST clothing images, same format as MNIST (`torchvision.datasets.FashionMNIST`).
public typealias FashionMNIST = IDXImageDataset<FashionMNISTLayout>

/// CIFAR-10 (32×32 colour images) from the binary distribution `cifar-10-batches-bin`
/// (`torchvision.datasets.CIFAR10`).
public struct CIFAR10: ImageClassificationDataset {
    /// Images `(N, 3, 32, 32)` in [0, 1].
    public let images: Tensor
    /// Labels 0–9.
    public let labels: Tensor
    /// Applied to each image as fetched, or `nil`.
    public var transform: Transform?
    /// The class names, in label order.
    public static let classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// Reads `data_batch_1.bin` … `data_batch_5.bin` (train) or `test_batch.bin` under
    /// `root/cifar-10-batches-bin` or `root`.
    /// - Throws: ``TorchError`` naming the missing or truncated file.
    public init(root: some FileLocation, train: Bool = true, transform: Transform? = nil) throws {
        let base = root.fileURL
        let folder = base.appendingPathComponent("cifar-10-batches-bin")
        let directory = FileManager.default.fileExists(atPath: folder.path) ? folder : base
        let names = train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        var pixels: [UInt8] = [], labels: [Int64] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            let (p, l) = try CIFAR10.parse([UInt8](try readFile(url)), source: url.path)
            pixels += p
            labels += l
        }
        images = Tensor(shape: [labels.count, 3, 32, 32], scalars: pixels).to(.float32) / 255
        self.labels = Tensor(shape: [labels.count], scalars: labels)
        self.transform = transform
    }

    /// Parses one binary batch: records of a label byte and 3·32·32 pixel bytes.
    static func parse(_ bytes: [UInt8], source: String) throws -> (pixels: [UInt8], labels: [Int64]) {
        let record = 1 + 3 * 32 * 32
        guard !bytes.isEmpty, bytes.count % record == 0 else {
            throw TorchError("\(source): \(bytes.count) bytes is not a whole number of \(record)-byte CIFAR-10 records (truncated?)")
        }
        var pixels: [UInt8] = [], labels: [Int64] = []
        for r in 0..<(bytes.count / record) {
            let label = bytes[r * record]
            guard label < 10 else { throw TorchError("\(source): record \(r) has label \(label), not 0–9") }
            labels.append(Int64(label))
            pixels += bytes[(r * record + 1)..<((r + 1) * record)]
        }
        return (pixels, labels)
    }
}
