import Foundation
import Testing
@testable import Torch
import TorchVision

/// `swifttorch predict` on a resnet18 made to recognise two test images
/// (`scripts/make-predict-fixture.py`): the body is resnet18 after seed 0 (torchvision's own
/// initial weights, which SwiftTorch reproduces), the classifier two torch.save'd template rows
/// (class 207 for disc.jpg, 281 for stripes.png). The full state dict is written as a `.pth`
/// and goes through what the command does: skipInit + loadStateDict, readImage, torchvision's
/// preset preprocessing, softmax, top-5.
@Suite(.serialized) struct PredictTests {
    static let dir = ModelZooTests.fixtures.appendingPathComponent("predict")

    /// The full resnet18 state dict, saved as a torch.save file under a temporary directory.
    static func writeWeights(format: SaveFormat, to url: URL) throws {
        let body = withDefaultGenerator(Generator().manualSeed(0)) { resnet18() }
        let rows = try loadPyTorch(from: dir.appendingPathComponent("fc_rows.pt"))
        let classes = try #require(rows["classes"]?.tensor).toArray(Int64.self)
        let templates = try #require(rows["rows"]?.tensor)
        var state = body.stateDict()
        let weight = Tensor.zeros(1000, 512), bias = Tensor.zeros(1000)
        for (k, c) in classes.enumerated() { weight[Int(c)] = templates[k] }
        state["fc.weight"] = weight
        state["fc.bias"] = bias
        try save(state, to: url, format: format)
    }

    static var expected: [String: [[Double]]] {
        try! JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("expected.json"))) as! [String: [[Double]]]
    }

    @Test func predictNamesTheClassTheWeightsWereMadeToRecognise() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-predict-\(UUID())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let weights = tmp.appendingPathComponent("resnet18.pth")
        try Self.writeWeights(format: .pytorch, to: weights)
        let model = try loadVisionModel("resnet18", weights: weights)
        let names = ["disc.jpg", "stripes.png"]
        let images = try names.map { try readImage(Self.dir.appendingPathComponent($0), mode: .rgb) }
        let predictions = classify(images, model: model)
        for (name, top) in zip(names, predictions) {
            let want = Self.expected[name]!
            #expect(top.count == 5)
            #expect(top[0].index == Int(want[0][0]), "\(name)")
            #expect(top[0].label == imagenetCategories[Int(want[0][0])])
            #expect(top[1].index == Int(want[1][0]), "\(name)")
            // torchvision's probabilities for the same model and images.
            #expect(Swift.abs(top[0].probability - want[0][1]) < 2e-3, "\(name): \(top[0].probability) vs \(want[0][1])")
        }
        #expect(predictions[0][0].label == "golden retriever" && predictions[1][0].label == "tabby")
    }

    /// The command itself, through the built binary: predict, then convert .pth → .safetensors
    /// and predict again from the converted file.
    @Test func commandLinePrintsTopFiveAndConvertKeepsTheWeights() throws {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("swifttorch")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("\(binary.path) is missing: build the package (swift build) before the tests")
            return
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-predict-\(UUID())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let pth = tmp.appendingPathComponent("resnet18.pth"), st = tmp.appendingPathComponent("resnet18.safetensors")
        try Self.writeWeights(format: .pytorch, to: pth)
        func run(_ arguments: [String]) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let image = Self.dir.appendingPathComponent("stripes.png").path
        let (status, out) = try run(["predict", "--model", "resnet18", "--weights", pth.path, image])
        #expect(status == 0, "\(out)")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 6 && lines[0] == "\(image):")
        #expect(lines.count > 1 && lines[1].hasSuffix("tabby (281)"), "\(out)")
        let (convertStatus, convertOut) = try run(["convert", pth.path, st.path])
        #expect(convertStatus == 0 && convertOut.contains("122 tensors"), "\(convertOut)")
        let (again, out2) = try run(["predict", "--weights", st.path, "--top", "2", image])
        #expect(again == 0 && out2.split(separator: "\n").count == 3 && out2.split(separator: "\n")[1] == lines[1])
        let (bad, badOut) = try run(["predict", "--weights", image, image])
        #expect(bad != 0 && badOut.contains(image))
    }
}
