import Foundation
import Testing

/// The layer rules of docs/ARCHITECTURE.md (issue 13), checked on the source text so that a
/// change breaking them fails here rather than in review: Core and Kernels never record
/// autograd state or call recorded ops, Autograd never calls an op, only Kernels and the one
/// image codec file import C targets, and one file switches a dtype to its element type.
@Suite struct LayeringTests {
    static let torchSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Torch")

    /// The Swift files of one layer folder, as (path relative to Sources/Torch, text
    /// without comments).
    static func files(in layer: String) -> [(path: String, code: String)] {
        let root = torchSources.appendingPathComponent(layer)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
            .map { url in
                let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                let code = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { line in line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
                    .joined(separator: "\n")
                return (layer + "/" + url.lastPathComponent, code)
            }
    }

    /// The places in `layers` whose code contains one of `patterns`.
    static func offenders(_ layers: [String], _ patterns: [String]) -> [String] {
        layers.flatMap(files).flatMap { file in
            patterns.filter { file.code.contains($0) }.map { "\(file.path): \($0)" }
        }
    }

    @Test func coreAndKernelsNeverRecordOrCallRecordedOps() {
        let recording = ["record(", "SavedTensor(", "composite(", "recordedAsOneNode(", "linearBackward(",
                         ".contiguous()", ".clone()", ".to(", "inPlace(", "Tensor.empty(", "Tensor.zeros(",
                         "Tensor.ones(", "Tensor.full("]
        #expect(Self.offenders(["Core", "Kernels"], recording) == [])
    }

    @Test func autogradNeverCallsAnOp() {
        let ops = [".contiguous()", ".clone()", ".to(", "onesLike(", "zerosLike(", ".toArray(", ".add_(",
                   "regenerateViewHistory(", "Tensor.zeros(", "Tensor.ones("]
        #expect(Self.offenders(["Autograd"], ops) == [])
    }

    @Test func onlyKernelsAndTheImageCodecImportCTargets() {
        let importers = ["Core", "Autograd", "Ops", "NN", "Optim", "Data", "IO", "Distributions"]
            .flatMap(Self.files).filter { $0.code.contains("import C") }.map(\.path)
        #expect(importers == ["IO/ImageCodecs.swift"])
    }

    @Test func oneFileTurnsADTypeIntoAnElementType() {
        let switching = ["Core", "Kernels", "Autograd", "Ops", "NN", "Optim"].flatMap(Self.files)
            .filter { $0.code.contains("visitor.visit(") }.map(\.path)
        #expect(switching == ["Kernels/DTypeDispatch.swift"])
    }
}
