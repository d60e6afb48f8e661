import Foundation
import Testing
@testable import Torch

/// Recurrent cells and layout modules against PyTorch (`scripts/record-nn-extras.py`,
/// `Fixtures/nn_extras.json`): the cells' seeded weights and one step, the modules' outputs.
@Suite struct NNExtrasTests {
    static func record() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/nn_extras.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static func values(_ any: Any?) -> [Double] { (any as! [NSNumber]).map(\.doubleValue) }

    static func close(_ t: Tensor, _ want: [Double], tolerance: Double = 1e-5) -> Bool {
        let got = t.toArray(Double.self)
        return got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
    }

    let x = Tensor(shape: [2, 3], scalars: (0..<6).map { (Double($0) * 0.37).truncatingRemainder(dividingBy: 1.3) - 0.6 }).float()
    let h = Tensor(shape: [2, 4], scalars: (0..<8).map { (Double($0) * 0.53).truncatingRemainder(dividingBy: 1.1) - 0.5 }).float()

    @Test func cellsMatchPyTorch() {
        let r = Self.record()
        for name in ["RNNCell", "LSTMCell", "GRUCell"] {
            let expected = r[name] as! [String: Any]
            let cell: RecurrentCell = withDefaultGenerator(Generator().manualSeed(0)) {
                switch name {
                case "RNNCell": return RNNCell(3, 4)
                case "LSTMCell": return LSTMCell(3, 4)
                default: return GRUCell(3, 4)
                }
            }
            #expect(cell.stateDictKeys() == (expected["keys"] as! [String]), "\(name)")
            let state = cell.stateDict(), recorded = expected["state"] as! [String: Any]
            for (key, want) in recorded { #expect(Self.close(state[key]!, Self.values(want)), "\(name) \(key)") }
            switch cell {
            case let lstm as LSTMCell:
                let (hNext, cNext) = lstm(x, (h, h * 0.5))
                #expect(Self.close(hNext, Self.values(expected["h"])) && Self.close(cNext, Self.values(expected["c"])))
                #expect(Self.close(lstm(x), Self.values(expected["zero_state"])))
            case let rnn as RNNCell:
                #expect(Self.close(rnn(x, h), Self.values(expected["h"])) && Self.close(rnn(x), Self.values(expected["zero_state"])))
            case let gru as GRUCell:
                #expect(Self.close(gru(x, h), Self.values(expected["h"])) && Self.close(gru(x), Self.values(expected["zero_state"])))
            default: Issue.record("unexpected cell")
            }
        }
    }

    @Test func layoutModulesMatchPyTorch() {
        let r = Self.record()
        let image = Tensor(shape: [2, 4, 4, 6], scalars: Self.values(r["input"])).float()
        let checks: [(String, Tensor)] = [
            ("PixelUnshuffle2", PixelUnshuffle(2)(image)),
            ("ChannelShuffle2", ChannelShuffle(2)(image)),
            ("ReflectionPad2d", ReflectionPad2d([1, 2, 2, 1])(image)),
            ("ReplicationPad2d", ReplicationPad2d([2, 0, 1, 1])(image)),
            ("ZeroPad2d", ZeroPad2d(1)(image)),
            ("ConstantPad1d", ConstantPad1d([1, 2], 0.5)(image[0])),
            ("InstanceNorm2d", InstanceNorm2d(4)(image)),
            ("AvgPool1d", AvgPool1d(3, stride: 2, padding: 1)(image[0])),
            ("Upsample", Upsample(scaleFactor: [2, 2])(image)),
        ]
        for (name, got) in checks { #expect(Self.close(got, Self.values(r[name]), tolerance: 1e-4), "\(name)") }
        // PixelShuffle undoes PixelUnshuffle.
        #expect(equal(PixelShuffle(2)(PixelUnshuffle(2)(image)), image))
    }
}
