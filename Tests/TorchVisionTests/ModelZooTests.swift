import Foundation
import Testing
import Torch
import TorchVision

/// The model zoo against torchvision (recorded by `scripts/record-torchvision.py`): every
/// architecture's state-dict keys, in order, with their shapes; the classifier for another
/// class count; and resnet18/mobilenetV2 logits after `manualSeed(0)`, which hold only if
/// every module is built and initialised in torchvision's order.
@Suite struct ModelZooTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func json(_ name: String) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(name))) as! [String: Any]
    }

    static let builders = visionModelBuilders

    static func keysAndShapes(_ model: Module) -> [String] {
        model.namedStateTensors().map { "\($0.name) \($0.tensor.shape)" }
    }

    @Test(arguments: ["resnet18", "resnet34", "resnet50", "resnet101", "vgg11", "vgg11_bn", "vgg16", "vgg16_bn",
                      "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0", "densenet121",
                      "squeezenet1_1", "vit_b_16"])
    func stateDictKeysAndShapesAreTorchvisions(_ name: String) {
        let recorded = Self.json("state_dict_keys.json")
        func expected(_ key: String) -> [String] {
            (recorded[key] as! [[Any]]).map { "\($0[0] as! String) \(($0[1] as! [NSNumber]).map(\.intValue))" }
        }
        // Structure only: skipInit spares the hundred million random draws of VGG and ViT.
        let model = skipInit { Self.builders[name]!(1000) }
        #expect(Self.keysAndShapes(model) == expected(name))
        // Another class count changes only the classifier.
        let ten = Self.keysAndShapes(skipInit { Self.builders[name]!(10) })
            .filter { $0.contains("classifier") || $0.contains("fc") || $0.contains("head") }
        #expect(ten == expected(name + "/num_classes_10"))
    }

    @Test(arguments: ["resnet18", "mobilenet_v2"])
    func logitsAfterManualSeedAreTorchvisions(_ name: String) {
        let recorded = Self.json("logits.json")[name] as! [String: Any]
        // A task-local default generator seeded with 0: `torch.manual_seed(0)` without racing
        // the tests that run alongside.
        let model = withDefaultGenerator(Generator().manualSeed(0)) { Self.builders[name]!(1000) }
        model.eval()
        let n = 2 * 3 * 64 * 64
        let x = Tensor(shape: [2, 3, 64, 64], scalars: (0..<n).map { Double(($0 * 7919) % 2000) / 1000 - 1 }).float()
        let first = model.namedStateTensors()[0].tensor.flatten().toArray(Double.self).prefix(8)
        #expect(zip(first, (recorded["first_conv"] as! [NSNumber]).map(\.doubleValue)).allSatisfy { abs($0 - $1) <= 1e-6 * abs($1) })
        let y = noGrad { model(x) }
        let want = (recorded["values"] as! [NSNumber]).map(\.doubleValue)
        let got = y.toArray(Double.self)
        #expect(y.shape == [2, 1000])
        let scale = want.map(abs).max()!
        #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-4 * scale })
    }

    /// `skipInit` draws nothing: the default generator is where it was.
    @Test func skipInitLeavesTheGeneratorAlone() {
        let g = Generator().manualSeed(5)
        let before = Tensor.rand([3], generator: g.clone()).toArray(Double.self)
        _ = skipInit { resnet18() }
        _ = skipInit { Tensor.empty([3]).uniform_(generator: g) }
        #expect(Tensor.rand([3], generator: g).toArray(Double.self) == before)
    }
}
