import ConformanceSupport
import Foundation
import Testing
import Torch

/// The project's copy of the corpus and its ratchets, next to this file.
private let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let corpusDirectory = testsDirectory.appendingPathComponent("Corpus")
private let ratchetFile = testsDirectory.appendingPathComponent("ratchet.txt")
private let valueRatchetFile = testsDirectory.appendingPathComponent("ratchet-values.txt")

/// Error cases that once passed: each must still stop the process.
private let ratchetedErrorCases: [String] = {
    guard let runner = try? ConformanceRunner(directory: corpusDirectory) else { return [] }
    let ratchet = Ratchet.read(ratchetFile)
    return runner.allCases.filter { $0.expectedError != nil && ratchet.contains($0.id) }.map(\.id)
}()

@Suite(.serialized) struct ConformanceReplay {
    /// Replays every in-process case with gradients checked; ratcheted ids must pass.
    @Test func ratchetedCasesStillPass() throws {
        let runner = try ConformanceRunner(directory: corpusDirectory, checkGradients: true)
        try check(runner, ratchet: Ratchet.read(ratchetFile))
    }

    /// The same with values only (`--no-grad`), against the value ratchet.
    @Test func ratchetedValueCasesStillPass() throws {
        let runner = try ConformanceRunner(directory: corpusDirectory, checkGradients: false)
        try check(runner, ratchet: Ratchet.read(valueRatchetFile))
    }

    private func check(_ runner: ConformanceRunner, ratchet: Set<String>) throws {
        var report = ConformanceReport()
        for c in runner.allCases {
            let outcome = runner.run(c)
            // Error cases run as exit tests below; count ratcheted ones as passing here.
            if outcome == .needsChildProcess {
                report.record(ratchet.contains(c.id) ? .passed : .skipped("error case"), for: c)
            } else {
                report.record(outcome, for: c)
            }
        }
        for line in report.lines { print(line) }
        let regressions = ratchet.subtracting(report.passedIDs).sorted()
        for id in regressions {
            let reason = report.failures.first { $0.id == id }?.reason ?? report.skips.first { $0.id == id }?.reason ?? "?"
            Issue.record("\(id) used to pass: \(reason)")
        }
        #expect(!ratchet.isEmpty)
    }

    /// Every ratcheted error case still stops the process; a modified-saved-tensor error
    /// (FORMAT.md rule 12) must also give PyTorch's message up to its recorded length.
    @Test(arguments: ratchetedErrorCases)
    func errorCaseStillFails(id: String) async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) { [id] in
            let runner = try! ConformanceRunner(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus"))
            let c = runner.allCases.first { $0.id == id }!
            _ = runner.runErrorCase(c)
        }
        let expected = try ConformanceRunner(directory: corpusDirectory).allCases.first { $0.id == id }?.expectedError ?? ""
        if expected.contains("modified by an inplace operation") {
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains(expected), Comment(rawValue: "\(id): \(text.suffix(400))"))
        }
    }
}

@Suite struct HarnessTests {
    @Test func jsonKeepsIntegersApartFromFloats() throws {
        let j = try JSONParser.parse(#"{"a": 2, "b": 2.0, "c": [true, null, "x\u00e9"], "d": -1e-3}"#)
        #expect(j["a"] == .int(2))
        #expect(j["b"] == .double(2.0))
        #expect(j["c"] == .array([.bool(true), .null, .string("xé")]))
        #expect(j["d"]?.number == -0.001)
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[1, 2") }
    }

    @Test func decodesStridedViews() throws {
        let j = try JSONParser.parse(#"{"dtype": "float32", "shape": [2, 2], "strides": [1, 2], "offset": 0, "data": [1, 2, 3, 4]}"#)
        let t = try #require(decodeTensor(j))
        #expect(t.shape == [2, 2])
        #expect(t.toArray(Float.self) == [1, 3, 2, 4])
    }

    @Test func comparatorChecksDtypeShapeNaNAndTolerance() throws {
        let want = try JSONParser.parse(#"{"dtype": "float32", "shape": [3], "data": [1.0, "nan", "inf"]}"#)
        #expect(Comparison.tensor(Tensor([1.0, .nan, .infinity]), want, rtol: 0, atol: 1e-6) == nil)
        #expect(Comparison.tensor(Tensor([1.1, .nan, .infinity]), want, rtol: 0, atol: 1e-6) != nil)
        #expect(Comparison.tensor(Tensor([1.0, 0, .infinity]), want, rtol: 0, atol: 1e-6)?.contains("element 1") == true)
        #expect(Comparison.tensor(Tensor([1.0, .nan, .infinity], dtype: .float64), want, rtol: 0, atol: 1) != nil)
        #expect(Comparison.tensor(Tensor([1.0, .nan]), want, rtol: 0, atol: 1) != nil)
        #expect(Comparison.tensor(Tensor([1.000001, .nan, .infinity]), want, rtol: 1e-5, atol: 0) == nil)
    }

    @Test func expressionsParseWithPythonPrecedence() throws {
        #expect(try Expression.parse("-a**2") == .negate(.binary("**", .name("a"), .number(.int(2)))))
        #expect(try Expression.parse("1 + a * b") == .binary("+", .number(.int(1)), .binary("*", .name("a"), .name("b"))))
        #expect(try Expression.parse("torch.softmax(a, dim=-1)")
            == .call("softmax", [.name("a")], ["dim": .negate(.number(.int(1)))]))
        #expect(try Expression.parse("a[0]**1") == .binary("**", .index(.name("a"), [.number(.int(0))]), .number(.int(1))))
        #expect(try Expression.parse("a.add_(1.0)") == .method(.name("a"), "add_", [.number(.double(1))], [:]))
        #expect(try Expression.parse("torch.reshape(a, (-1,))")
            == .call("reshape", [.name("a"), .list([.negate(.number(.int(1)))])], [:]))
        #expect(try Expression.parse("torch.cat([a, b], dim=0)")
            == .call("cat", [.list([.name("a"), .name("b")])], ["dim": .number(.int(0))]))
        #expect(try Expression.parse("torch.where(a > 0, a, -a)")
            == .call("where", [.binary(">", .name("a"), .number(.int(0))), .name("a"), .negate(.name("a"))], [:]))
    }

    @Test func expressionsEvaluateThroughTheOpTable() throws {
        let a = Tensor([1.0, 2.0]), b = Tensor([[1.0], [1.0]])
        let evaluator = ExpressionEvaluator(inputs: [a, b], id: "test")
        let v = try evaluator.evaluate(try Expression.parse("torch.matmul(a, b)"))
        #expect(v.tensor?.toArray(Float.self) == [3])
        #expect(throws: MissingOp.self) { try evaluator.evaluate(try Expression.parse("torch.no_such_op(a)")) }
    }

    @Test func casesWithUnknownDTypesAreSkippedWithTheReason() throws {
        let c = try ConformanceCase(json: JSONParser.parse(
            #"{"id": "t/1", "op": "Tensor.to", "inputs": [{"dtype": "float8_e4m3fn", "shape": [1], "data": [1.0]}], "kwargs": {"dtype": "float32"}, "out": {"dtype": "float32", "shape": [1], "data": [1.0]}}"#), file: "f")
        #expect(c.unknownDTypes == ["float8_e4m3fn"])
        let runner = try ConformanceRunner(directory: corpusDirectory, only: ["autograd"])
        #expect(runner.run(c) == .skipped("dtype float8_e4m3fn not supported"))
        #expect(!runner.canRun(c))
    }

    @Test func reportPrintsPerFileAndTotalLines() throws {
        let c1 = try ConformanceCase(json: JSONParser.parse(#"{"id": "x/1", "op": "x", "out": 1}"#), file: "f")
        let c2 = try ConformanceCase(json: JSONParser.parse(#"{"id": "x/2", "op": "x", "out": 1}"#), file: "f")
        var r = ConformanceReport()
        r.record(.passed, for: c1)
        r.record(.skipped("x not implemented"), for: c2)
        #expect(r.lines == ["f: 1 passed, 0 failed, 1 skipped", "1 passed, 0 failed, 1 skipped"])
    }
}
