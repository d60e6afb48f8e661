import Testing
@testable import Torch

/// Module discovery, naming, modes, state dicts and printing, against values printed by
/// PyTorch 2.15 for the same architectures and seeds.
@Suite struct ModuleTests {
    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    /// A model shaped like a small PyTorch one: a Sequential, two Linears, a bias-free one.
    final class Net: Module {
        let features = Sequential(Linear(3, 8), Tanh())
        let fc1 = Linear(8, 4)
        let fc2 = Linear(4, 2, bias: false)
        override func forward(_ x: Tensor) -> Tensor { fc2(relu(fc1(features(x)))) }
    }

    /// Tests run in parallel: each seeded one draws from its own stand-in default generator.
    func seeded<R>(_ seed: Int, _ body: () -> R) -> R { withDefaultGenerator(Generator().manualSeed(seed), body) }

    @Test func linearInitialisationMatchesPyTorch() {
        let layer = seeded(0) { Linear(4, 3) }
        #expect(Self.close(layer.weight.toArray(Float.self), [
            -0.003743410110473633, 0.26822179555892944, -0.4115225672721863, -0.3679695129394531,
            -0.19257718324661255, 0.13407868146896362, -0.009906589984893799, 0.39644473791122437,
            -0.04437202215194702, 0.1323062777519226, -0.15110653638839722, -0.09828269481658936]))
        #expect(Self.close(layer.bias!.toArray(Float.self), [-0.4776742458343506, -0.33114105463027954, -0.20611155033111572]))
        #expect(layer.weight.requiresGrad && layer.weight.isLeaf)
    }

    @Test func sequentialForwardAndBackwardMatchPyTorch() {
        let model = seeded(0) { Sequential(Linear(3, 2), Tanh(), Linear(2, 1)) }
        let x = Tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
        let y = model(x)
        #expect(Self.close(y.toArray(Float.self), [-0.16143718361854553, -0.02344246208667755]))
        y.sum().backward()
        let grads = model.parameters().map { $0.grad!.toArray(Float.self) }
        #expect(Self.close(grads[0], [0.000891614705324173, -0.08561458438634872, -0.17212077975273132,
                                      0.11732971668243408, 0.40781643986701965, 0.6983031630516052], tolerance: 1e-5))
        #expect(Self.close(grads[1], [-0.0690266340970993, 0.2558553218841553], tolerance: 1e-5))
        #expect(Self.close(grads[2], [-1.3415992259979248, 0.846172571182251], tolerance: 1e-5))
        #expect(grads[3] == [2.0])
    }

    @Test func namesFollowPropertyPaths() {
        let net = Net()
        #expect(net.namedParameters().map(\.name) == ["features.0.weight", "features.0.bias", "fc1.weight", "fc1.bias", "fc2.weight"])
        #expect(net.stateDictKeys() == net.namedParameters().map(\.name))
        #expect(net.namedModules().map(\.name) == ["", "features", "features.0", "features.1", "fc1", "fc2"])
        #expect(net.children().count == 3)
        #expect(net.parameters().count == 5)
    }

    @Test func descriptionMatchesPyTorchRepr() {
        let net = Net()
        #expect(net.description == """
            Net(
              (features): Sequential(
                (0): Linear(in_features=3, out_features=8, bias=True)
                (1): Tanh()
              )
              (fc1): Linear(in_features=8, out_features=4, bias=True)
              (fc2): Linear(in_features=4, out_features=2, bias=False)
            )
            """)
        #expect(LeakyReLU(negativeSlope: 0.2).description == "LeakyReLU(negative_slope=0.2)")
        #expect(Softplus().description == "Softplus(beta=1.0, threshold=20.0)")
    }

    @Test func stateDictRoundTripsIntoAnotherInstance() throws {
        let a = seeded(1) { Net() }
        let b = seeded(2) { Net() }
        let x = Tensor.randn(5, 3)
        #expect(!allclose(a(x), b(x)))
        let weightBefore = b.fc1.weight
        try b.loadStateDict(a.stateDict())
        #expect(equal(a(x), b(x)))
        #expect(b.fc1.weight === weightBefore)   // copied in place: optimizers keep their tensors
    }

    @Test func loadStateDictNamesEveryProblem() {
        let net = Net()
        var d = net.stateDict()
        d["fc2.weight"] = nil
        d["extra"] = Tensor.zeros(1)
        d["fc1.bias"] = Tensor.zeros(5)
        #expect(throws: TorchError("""
            Error(s) in loading state_dict for Net:
            \tUnexpected key(s) in state_dict: "extra". \n\tMissing key(s) in state_dict: "fc2.weight". \n\tsize mismatch for fc1.bias: copying a param with shape torch.Size([5]) from checkpoint, the shape in current model is torch.Size([4]).
            """)) { try net.loadStateDict(d) }
        d["fc1.bias"] = Tensor.zeros(4)
        let result = try? net.loadStateDict(d, strict: false)
        #expect(result == IncompatibleKeys(missingKeys: ["fc2.weight"], unexpectedKeys: ["extra"]))
        #expect(net.fc1.bias!.toArray(Float.self) == [0, 0, 0, 0])
    }

    @Test func trainEvalReachesEverySubModule() {
        let net = Net()
        #expect(net.modules().allSatisfy { $0.isTraining })
        net.eval()
        #expect(net.modules().allSatisfy { !$0.isTraining })
        net.train()
        #expect(net.features[1].isTraining)
    }

    @Test func zeroGradAndFreezing() {
        let net = Net()
        net(Tensor.ones(2, 3)).sum().backward()
        #expect(net.parameters().allSatisfy { $0.grad != nil })
        net.zeroGrad(setToNone: false)
        #expect(net.fc1.weight.grad!.sum().item() == 0)
        net.zeroGrad()
        #expect(net.parameters().allSatisfy { $0.grad == nil })
        net.requiresGrad_(false)
        #expect(net.parameters().allSatisfy { !$0.requiresGrad })
    }

    @Test func conversionAndApply() {
        let net = Net().double()
        #expect(net.parameters().allSatisfy { $0.dtype == .float64 && $0.requiresGrad })
        var visited: [String] = []
        net.apply { visited.append($0.typeName) }
        #expect(visited == ["Linear", "Tanh", "Sequential", "Linear", "Linear", "Net"])
    }

    /// Parameters declared with the wrapper, plain leaf tensors that require grad, buffers,
    /// and reassignment after the first (cached) walk.
    @Test func manualSeedInsideAStandInSeedsTheStandIn() {
        let first = withDefaultGenerator(Generator()) { () -> [Float] in
            manualSeed(0)
            return Tensor.rand(3).toArray(Float.self)
        }
        #expect(first == [0.4962566, 0.7682218, 0.08847743])
    }

    @Test func wrappersPlainTensorsAndReassignment() {
        final class Custom: Module {
            @Parameter var scale = Tensor.ones(3)
            @Buffer var count = Tensor.zeros(1)
            @Buffer(persistent: false) var scratch = Tensor.zeros(2)
            let shift = Tensor.zeros([3], requiresGrad: true)
            let ignored = Tensor.zeros(3)
            let heads = ModuleList([Linear(3, 3), Linear(3, 1)])
            let table = ModuleDict([("a", Identity())])
        }
        let m = Custom()
        #expect(m.namedParameters().map(\.name) == ["scale", "shift", "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias"])
        #expect(m.namedBuffers().map(\.name) == ["count", "scratch"])
        #expect(m.stateDictKeys().prefix(3) == ["scale", "shift", "count"])
        #expect(m.scale.requiresGrad)
        m.scale = Tensor.full([3], 2.0)
        #expect(m.parameters()[0].toArray(Float.self) == [2, 2, 2])
        #expect(m.parameters()[0].requiresGrad)
        m.heads.append(Identity())
        #expect(m.heads.count == 3)
        #expect(m.namedModules().map(\.name).contains("heads.2"))
    }

    @Test func propertyNamesTakePyTorchCasing() {
        #expect(snakeCased("runningMean") == "running_mean")
        #expect(snakeCased("numBatchesTracked") == "num_batches_tracked")
        #expect(snakeCased("fc1") == "fc1")
        #expect(snakeCased("conv2dBlock") == "conv2d_block")
        #expect(snakeCased("convRGBLayer") == "conv_rgb_layer")
        final class Block: Module {
            let selfAttn = Linear(2, 2)
            @Buffer var runningMean = Tensor.zeros(2)
        }
        #expect(Block().stateDictKeys() == ["running_mean", "self_attn.weight", "self_attn.bias"])  // own state first, as PyTorch
    }

    @Test func unflattenAndFlatten() {
        let x = Tensor.arange(0, 24).reshape([2, 12])
        #expect(Unflatten(dim: 1, unflattenedSize: [3, 4])(x).shape == [2, 3, 4])
        #expect(Flatten()(Tensor.zeros(2, 3, 4)).shape == [2, 12])
        #expect(Unflatten(dim: 1, unflattenedSize: [3, 4]).description == "Unflatten(dim=1, unflattened_size=(3, 4))")
    }

    @Test func missingForwardFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            final class Empty: Module {}
            _ = Empty()(Tensor.zeros(1))
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("Module [Empty] is missing the required \"forward\" function"))
    }
}
