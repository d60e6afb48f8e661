import Foundation
import Torch

/// Images in class folders, `root/<class>/…/<image>` (torchvision's `datasets.ImageFolder`):
/// classes are the sub-folders of `root` sorted by name, labels their positions; samples are
/// every file under a class folder (sub-folders included) whose extension torchvision accepts,
/// folders and names sorted as torchvision sorts them, so indices and labels equal torchvision's.
/// Images load as RGB uint8 `(3, H, W)` through `readImage(_:mode:)` (PNG and JPEG; the other
/// extensions torchvision lists are indexed for the same order but fail to load with an error
/// naming the file), then `transform` runs on the image and `targetTransform` on the label.
public struct ImageFolder: Dataset {
    /// torchvision's `IMG_EXTENSIONS`.
    public static let extensions = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"]

    /// The folder holding one sub-folder per class.
    public let root: URL
    /// Class names, sorted (`dataset.classes`).
    public let classes: [String]
    /// Class name → label (`dataset.class_to_idx`).
    public let classToIndex: [String: Int]
    /// Every sample's file and label, in order (`dataset.samples`).
    public let samples: [(path: String, label: Int)]
    /// Applied to each loaded image.
    public let transform: (any Transform)?
    /// Applied to each label.
    public let targetTransform: (@Sendable (Int) -> Int)?

    /// Python's `sorted` on strings: code point by code point.
    static func pythonSorted(_ names: [String]) -> [String] {
        names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    /// Indexes `root`.
    ///
    /// - Throws: `TorchError` naming `root` when it is missing, has no class folders, or a
    ///   class folder holds no image file.
    public init(root: some FileLocation, transform: (any Transform)? = nil, targetTransform: (@Sendable (Int) -> Int)? = nil) throws {
        let rootURL = root.fileURL
        self.root = rootURL
        self.transform = transform
        self.targetTransform = targetTransform
        let fm = FileManager.default
        func isDirectory(_ url: URL) -> Bool {
            var flag: ObjCBool = false
            return fm.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
        }
        guard isDirectory(rootURL) else { throw TorchError("\(rootURL.path): no such directory") }
        let entries = (try? fm.contentsOfDirectory(atPath: rootURL.path)) ?? []
        classes = Self.pythonSorted(entries.filter { isDirectory(rootURL.appendingPathComponent($0)) })
        guard !classes.isEmpty else { throw TorchError("\(rootURL.path): Couldn't find any class folder") }
        classToIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var samples: [(String, Int)] = []
        var empty: [String] = []
        for (label, name) in classes.enumerated() {
            // os.walk's folders sorted by path, then each folder's files sorted by name.
            let classDir = rootURL.appendingPathComponent(name)
            var folders = [classDir.path]
            var pending = [classDir]
            while let dir = pending.popLast() {
                for entry in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] {
                    let url = dir.appendingPathComponent(entry)
                    if isDirectory(url) { folders.append(url.path); pending.append(url) }
                }
            }
            var found = 0
            for folder in Self.pythonSorted(folders) {
                let files = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { file in
                    let lower = file.lowercased()
                    return Self.extensions.contains { lower.hasSuffix($0) } && !isDirectory(URL(fileURLWithPath: folder).appendingPathComponent(file))
                }
                for file in Self.pythonSorted(files) {
                    samples.append((folder + "/" + file, label))
                    found += 1
                }
            }
            if found == 0 { empty.append(name) }
        }
        guard empty.isEmpty else {
            throw TorchError("\(rootURL.path): Found no valid file for the classes \(empty.joined(separator: ", ")). Supported extensions are: \(Self.extensions.joined(separator: ", "))")
        }
        self.samples = samples.map { (path: $0.0, label: $0.1) }
    }

    /// The number of images.
    public var count: Int { samples.count }

    /// The image (transformed) and label at `index`.
    ///
    /// - Throws: `TorchError` naming the file when it cannot be read or decoded.
    public func sample(at index: Int) throws -> (Tensor, Int) {
        let (path, label) = samples[index]
        var image = try readImage(path, mode: .rgb)
        if let transform { image = transform(image) }
        return (image, targetTransform?(label) ?? label)
    }

    /// The image and its label as a 0-d int64 tensor, for `DataLoader`; a file that cannot be
    /// read stops the program with its name (use ``sample(at:)`` to handle the error).
    public subscript(index: Int) -> (Tensor, Tensor) {
        do {
            let (image, label) = try sample(at: index)
            return (image, Tensor(Int64(label)))
        } catch {
            torchFatal("RuntimeError: ImageFolder: \(error)")
        }
    }
}
