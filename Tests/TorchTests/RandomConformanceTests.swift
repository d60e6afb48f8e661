import Foundation
import Testing
@testable import Torch

/// Replays every case of the conformance corpus's `random.jsonl` (recorded from PyTorch's
/// CPU generator) through the Swift API and demands the recorded numbers exactly. Each case's
/// `kwargs.seed` seeds a private generator, which draws as `torch.manual_seed(seed)` would
/// make the default one draw.
@Suite struct RandomConformanceTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Corpus/random.jsonl")

    static func cases() throws -> [[String: Any]] {
        let text = try String(contentsOf: corpus, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
    }

    @Test func everyRandomCaseMatchesPyTorchExactly() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 28)
        var passed = 0
        for c in cases {
            let id = c["id"] as! String
            let result = try #require(Self.run(c), "no replay for \(id)")
            let expected = c["out"] as! [String: Any]
            let same = Self.matches(result, expected)
            #expect(same, "\(id): got \(result.shape) \(result.to(.float64).toArray(Double.self))")
            if same { passed += 1 }
        }
        print("random.jsonl: \(passed) passed, \(cases.count - passed) failed")
    }

    /// Runs one case; `nil` for an op this replay does not know.
    static func run(_ c: [String: Any]) -> Tensor? {
        let inputs = c["inputs"] as! [Any]
        let kwargs = c["kwargs"] as? [String: Any] ?? [:]
        let g = Generator().manualSeed(UInt64((kwargs["seed"] as! NSNumber).int64Value))
        let dtype = (kwargs["dtype"] as? String).flatMap { DType(name: $0) }
        func number(_ key: String, _ fallback: Double) -> Double { (kwargs[key] as? NSNumber).map(exactDouble) ?? fallback }
        func ints(_ v: Any) -> [Int] { (v as! [NSNumber]).map { $0.intValue } }
        func int(_ v: Any) -> Int { (v as! NSNumber).intValue }
        switch c["op"] as! String {
        case "random.rand":
            return Tensor.rand(ints(inputs[0]), dtype: dtype, generator: g)
        case "random.randn":
            return Tensor.randn(ints(inputs[0]), dtype: dtype, generator: g)
        case "random.randint":
            if inputs.count == 3 {
                return Tensor.randint(int(inputs[0]), int(inputs[1]), ints(inputs[2]), dtype: dtype ?? .int64, generator: g)
            }
            return Tensor.randint(int(inputs[0]), ints(inputs[1]), dtype: dtype ?? .int64, generator: g)
        case "random.randperm":
            return Tensor.randperm(int(inputs[0]), dtype: dtype ?? .int64, generator: g)
        case "random.Tensor.normal_":
            return tensor(inputs[0]).normal_(mean: number("mean", 0), std: number("std", 1), generator: g)
        case "random.Tensor.uniform_":
            return tensor(inputs[0]).uniform_(from: number("from", 0), to: number("to", 1), generator: g)
        case "random.bernoulli":
            return bernoulli(tensor(inputs[0]), generator: g)
        case "random.multinomial":
            return multinomial(tensor(inputs[0]), numSamples: int(inputs[1]),
                               replacement: kwargs["replacement"] as? Bool ?? false, generator: g)
        case "random.nn.init.kaiming_uniform_":
            return kaimingUniform_(tensor(inputs[0]), a: number("a", 0), generator: g)
        case "random.nn.init.xavier_uniform_":
            return xavierUniform_(tensor(inputs[0]), gain: number("gain", 1), generator: g)
        default:
            return nil
        }
    }

    /// A corpus tensor (`{"dtype", "shape", "data"}`), contiguous.
    static func tensor(_ json: Any) -> Tensor {
        let object = json as! [String: Any]
        let shape = (object["shape"] as! [NSNumber]).map { $0.intValue }
        let data = (object["data"] as! [NSNumber]).map(exactDouble)
        let dtype = DType(name: object["dtype"] as! String)!
        return Tensor(shape: shape, scalars: data).to(dtype)
    }

    /// The double a JSON number spells. Foundation on Linux hands long numbers over as
    /// `NSDecimalNumber`, whose `doubleValue` can be off by an ulp; its digits are exact.
    static func exactDouble(_ n: NSNumber) -> Double {
        if let decimal = n as? NSDecimalNumber, let d = Double(decimal.stringValue) { return d }
        return n.doubleValue
    }

    /// Same dtype, same shape, same values to the bit (after widening to double).
    static func matches(_ t: Tensor, _ expected: [String: Any]) -> Bool {
        let reference = tensor(expected)
        guard t.dtype == reference.dtype, t.shape == reference.shape else { return false }
        return t.to(.float64).toArray(Double.self) == reference.to(.float64).toArray(Double.self)
    }
}
