import CTorchSIMD
import Dispatch
import Synchronization
import Testing
@testable import Torch

/// Values recorded from PyTorch 2.15 (CPU, `torch.manual_seed(s)` then the call), compared
/// with `==`: the generator is meant to match PyTorch bit for bit. Tests draw from their own
/// `Generator` so that suites running in parallel cannot disturb each other's streams; the
/// few that must use the default generator run in a child process (an exit test).
@Suite struct RandomStreamTests {
    private func gen(_ seed: UInt64) -> Generator { Generator().manualSeed(seed) }

    @Test func randFloat32MatchesPyTorch() {
        #expect(Tensor.rand(5, generator: gen(0)).toArray(Float.self)
            == [0.4962566, 0.7682218, 0.08847743, 0.13203049, 0.30742282])
        #expect(Tensor.rand(20, generator: gen(0)).toArray(Float.self)
            == [0.4962566, 0.7682218, 0.08847743, 0.13203049, 0.30742282, 0.6340787, 0.4900934, 0.89644474,
                0.45562798, 0.6323063, 0.34889346, 0.4017173, 0.022325754, 0.16885895, 0.29388845, 0.5185218,
                0.6976676, 0.8000114, 0.16102946, 0.28226858])
    }

    @Test func randnFloat32MatchesPyTorchOnBothPaths() {
        // 5 elements: scalar Box-Muller in double; 20: the 16-wide float path plus a redone tail.
        #expect(Tensor.randn(5, generator: gen(0)).toArray(Float.self)
            == [1.5409961, -0.2934289, -2.1787894, 0.56843126, -1.0845224])
        #expect(Tensor.randn(20, generator: gen(0)).toArray(Float.self)
            == [-1.1258398, -1.1523602, -0.25057858, -0.4338788, 0.59883946, -1.5550951, -0.3413604, 1.8530061,
                0.4680964, -0.15771244, 1.4436601, 0.2660494, 1.3893661, 1.5863342, 0.94629836, -0.84367675,
                0.9318266, 1.2590092, 2.0049806, 0.053736903])
    }

    @Test func float64Streams() {
        #expect(Tensor.rand(3, dtype: .float64, generator: gen(5)).toArray(Double.self)
            == [0.6420150066280941, 0.2597579151763153, 0.36082761942715424])
        #expect(Tensor.randn(17, dtype: .float64, generator: gen(5)).toArray(Double.self)
            == [0.8235713931461853, 0.009228908309274562, 0.7631504315434021, 0.8166228687367919,
                -1.4026899148812593, 0.703788943525086, 0.050956472052993064, 0.8372184336887067,
                -0.3622047240956292, 0.9640545727825327, 1.5007376473394378, 0.8666017326817648,
                -0.4010886991989854, -0.7198743755133706, -0.2686318022053022, -0.3955216105396746,
                1.9172346797519741])
    }

    @Test func scalarNormalCachesTheSecondSampleAcrossCalls() {
        let g = gen(0)
        var values: [Float] = []
        values += Tensor.randn(1, generator: g).toArray(Float.self)
        values += Tensor.randn(1, generator: g).toArray(Float.self)
        values += Array(Tensor.randn(20, generator: g).toArray(Float.self).prefix(2))
        values += Tensor.randn(3, generator: g).toArray(Float.self)
        #expect(values == [1.5409961, -0.2934289, 0.84871036, 0.69200915, 0.37039354, 1.4565026, 0.9398099])
    }

    @Test func normalWithMeanAndStd() {
        let t = Tensor.empty(33).normal_(mean: 0.5, std: 2.0, generator: gen(9))
        #expect(t.toArray(Float.self) == [
            -1.6347895, -0.9344907, 2.6794386, -2.6493673, 3.3920221, 1.7382512, -1.0473785, -4.431131,
            2.4936333, 1.4048679, -0.19272316, -0.9489887, 3.9118938, 4.9564357, 0.36450917, 0.9661372,
            -1.7866428, 2.3774242, 1.0295057, -1.1015825, 1.2509129, 0.16005108, 1.397704, 1.7945468,
            1.2161654, 3.677404, -2.674998, -0.76904106, 1.8038597, -2.120596, 4.1021967, -1.4123937, -4.163906])
        // Non-contiguous: the scalar path, filled in memory order.
        let base = Tensor.zeros(4, 6)
        let view = base.makeView(shape: [6, 4], strides: [1, 6], offset: 0)
        view.normal_(mean: -1.0, std: 0.5, generator: gen(9))
        #expect(view.contiguous().toArray(Float.self) == [
            -0.9776362, -0.80794424, -1.419331, -0.35938868, -0.04438048, -0.85148084, -1.2114495, -1.114785,
            -1.1155155, -0.6263567, -0.9892731, -1.3434974, -0.8270359, -0.45631266, -1.0773253, -1.0113037,
            -0.3409859, -1.3858786, -0.33119553, -1.3877978, -0.8151815, -1.1471064, -0.3830134, -0.34148416])
    }

    @Test func uniformRangesUseOneFusedMultiplyAdd() {
        #expect(Tensor.empty(8).uniform_(from: 0.3, to: 1.7, generator: gen(2)).toArray(Float.self)
            == [1.1605731, 0.8334181, 1.1919602, 0.96424556, 1.2990315, 1.166651, 0.91954577, 0.4340761])
        #expect(Tensor.empty([4], dtype: .float64).uniform_(from: -2.5, to: 0.1, generator: gen(2)).toArray(Double.self)
            == [-0.114342269318861, -2.24802044772804, -0.6572469405653055, -1.0953201006185291])
    }

    @Test func transposedTensorsFillInMemoryOrder() {
        let t = Tensor.empty(3, 4)
        let view = t.makeView(shape: [4, 3], strides: [1, 4], offset: 0)
        view.uniform_(generator: gen(0))
        #expect(view.contiguous().toArray(Float.self) == [
            0.4962566, 0.30742282, 0.45562798, 0.7682218, 0.6340787, 0.6323063,
            0.08847743, 0.4900934, 0.34889346, 0.13203049, 0.89644474, 0.4017173])
        let like = Tensor.randLike(Tensor.empty(3, 5).makeView(shape: [5, 3], strides: [1, 5], offset: 0), generator: gen(0))
        #expect(like.strides == [1, 5])
        #expect(like.contiguous().toArray(Float.self) == [
            0.4962566, 0.6340787, 0.34889346, 0.7682218, 0.4900934, 0.4017173, 0.08847743, 0.89644474,
            0.022325754, 0.13203049, 0.45562798, 0.16885895, 0.30742282, 0.6323063, 0.29388845])
    }

    @Test func integerDraws() {
        #expect(Tensor.randint(0, 1 << 40, [5], generator: gen(1)).toArray(Int64.self)
            == [163196666091, 605300724808, 1095766950793, 876169207429, 340316410816])
        #expect(Tensor.randint(-3, 7, [6], dtype: .float32, generator: gen(1)).toArray(Float.self) == [2, 6, 1, 5, 0, 0])
        #expect(Tensor.empty([3], dtype: .int64).random_(generator: gen(4)).toArray(Int64.self)
            == [8615179906827886766, 871281288361132741, 8719487306291607912])
        #expect(Tensor.empty([3], dtype: .int32).random_(generator: gen(4)).toArray(Int32.self)
            == [2005877882, 1720656046, 202860983])
        #expect(Tensor.empty([5], dtype: .uint8).random_(generator: gen(4)).toArray(UInt8.self) == [122, 174, 183, 197, 129])
        #expect(Tensor.empty([6], dtype: .bool).random_(generator: gen(4)).toArray(Bool.self)
            == [false, false, true, true, true, false])
        #expect(Tensor.empty(3).random_(generator: gen(4)).toArray(Float.self) == [9.388931e+06, 9.379784e+06, 1.534251e+06])
        #expect(Tensor.empty([3], dtype: .float64).random_(generator: gen(4)).toArray(Double.self)
            == [4297419295496434.0, 6590159905996389.0, 518427702325664.0])
        #expect(Tensor.empty([6], dtype: .int64).random_(7, generator: gen(4)).toArray(Int64.self) == [3, 6, 5, 3, 1, 0])
        #expect(Tensor.empty([3], dtype: .int32).random_(5, nil, generator: gen(4)).toArray(Int32.self)
            == [304598496, 622847015, 354182368])
        #expect(Tensor.empty([3], dtype: .int64).random_(Int.min, nil, generator: gen(4)).toArray(Int64.self)
            == [-608192130026889042, -8352090748493643067, -503884730563167896])
        #expect(Tensor.randperm(30, generator: gen(3)).toArray(Int64.self)
            == [16, 27, 19, 24, 4, 10, 6, 0, 1, 7, 3, 26, 23, 9, 5, 2, 29, 14, 11, 17, 18, 20, 13, 12, 15, 28, 8, 21, 25, 22])
    }

    @Test func bernoulliDraws() {
        #expect(Tensor.empty(10).bernoulli_(p: 0.3, generator: gen(1)).toArray(Float.self) == [1, 1, 1, 1, 0, 1, 0, 0, 0, 0])
        let p = Tensor(shape: [12], scalars: (0..<12).map { Double($0) / 11 })
        #expect(bernoulli(p, generator: gen(1)).toArray(Double.self) == [0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1])
        let row = Tensor([0.1, 0.5, 0.9, 0.7])
        #expect(Tensor.empty(3, 4).bernoulli_(row, generator: gen(1)).toArray(Float.self) == [0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1])
    }

    @Test func continuousDistributions() {
        #expect(Tensor.empty(5).exponential_(lambd: 2.5, generator: gen(6)).toArray(Float.self)
            == [0.34470293, 0.9001473, 0.83903515, 0.20080659, 0.26224312])
        #expect(Tensor.empty([4], dtype: .float64).exponential_(lambd: 0.5, generator: gen(6)).toArray(Double.self)
            == [1.723514677407343, 4.500736696101794, 4.195175847779828, 1.0040329666225307])
        #expect(Tensor.empty([4], dtype: .float64).cauchy_(median: 0.7, sigma: 1.9, generator: gen(6)).toArray(Double.self)
            == [1.1724751992223312, 6.22900988648382, 5.380216321056398, 0.04742439318400642])
        #expect(Tensor.empty(4).logNormal_(mean: 0.2, std: 0.4, generator: gen(6)).toArray(Float.self)
            == [0.5770886, 0.82080865, 1.6280564, 0.9236874])
        #expect(Tensor.empty(6).geometric_(p: 0.3, generator: gen(6)).toArray(Float.self) == [2, 1, 1, 3, 3, 2])
    }

    @Test func multinomialDraws() {
        let w = Tensor([[0.1, 0.2, 0.3, 0.4], [1.0, 0.0, 3.0, 0.5]])
        #expect(multinomial(w, numSamples: 7, replacement: true, generator: gen(8)).toArray(Int64.self)
            == [3, 2, 1, 1, 3, 2, 3, 0, 2, 2, 2, 2, 2, 3])
        let v = Tensor([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1.0, 0.2, 3.0, 0.5, 2.0, 0.1]])
        let drawn = v.multinomial(numSamples: 4, generator: gen(8))
        #expect(drawn.shape == [2, 4])
        #expect(drawn.toArray(Int64.self) == [2, 3, 5, 4, 1, 2, 4, 0])
        let one = multinomial(Tensor([0.2, 0.3, 0.5], dtype: .float64), numSamples: 1, replacement: true, generator: gen(8))
        #expect(one.toArray(Int64.self) == [2])
    }

    @Test func normalWithTensorParameters() {
        let mean = Tensor([0.0, 1.0, 2.0]), std = Tensor([[1.0], [0.5]])
        #expect(normal(mean: mean, std: std, generator: gen(10)).toArray(Float.self)
            == [-0.6013928, -0.012209773, 1.6977308, -0.6138432, 1.4599141, 1.8257653])
        #expect(normal(mean: Tensor([0.0, 10.0, 20.0, 30.0]), std: 0.3, generator: gen(10)).toArray(Float.self)
            == [-0.18041784, 9.696337, 19.909319, 29.631695])
        #expect(normal(mean: 2.0, std: Tensor([1.0, 2.0, 3.0]), generator: gen(10)).toArray(Float.self)
            == [1.3986073, -0.024419546, 1.0931922])
        let sized = normal(mean: 2.0, std: 3.0, size: [2, 10], generator: gen(10))
        #expect(sized.shape == [2, 10])
        #expect(sized.toArray(Float.self).prefix(5) == [-0.452002, 0.33329445, -0.48006862, -1.8908632, 5.2288513])
    }

    @Test func generatorObjects() {
        let g = Generator().manualSeed(7)
        #expect(Tensor.rand(3, generator: g).toArray(Float.self) == [0.53492254, 0.19880319, 0.6592117])
        #expect(Tensor.randn(2, generator: g).toArray(Float.self) == [-0.032551974, 1.0110544])
        // A fresh generator starts from PyTorch's default seed.
        let fresh = Generator()
        #expect(fresh.initialSeed == 67_280_421_310_721)
        #expect(Tensor.rand(3, generator: fresh).toArray(Float.self) == [0.26729524, 0.8725283, 0.33528882])
        // Negative seeds wrap as in torch.manual_seed(-1).
        let negative = Generator().manualSeed(-1)
        #expect(negative.initialSeed == UInt64.max)
        #expect(Tensor.rand(2, generator: negative).toArray(Float.self) == [0.9937994, 0.57130635])
        let reseeded = Generator()
        let s = reseeded.seed()
        #expect(reseeded.initialSeed == s)
    }

    @Test func stateUsesPyTorchsLayoutAndRoundTrips() throws {
        let g = gen(42)
        _ = Tensor.randn(1, generator: g)
        let state = g.getState()
        #expect(state.count == 5056)
        func u64(_ at: Int) -> UInt64 { state[at..<at + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        // As torch.manual_seed(42); torch.randn(1); torch.get_rng_state() holds them.
        #expect(u64(0) == 42)
        #expect(u64(8) & 0xFFFF_FFFF == 621)
        #expect(u64(8) >> 32 == 1)
        #expect(u64(16) == 4)
        #expect(u64(24) == 723_970_371)
        #expect(Double(bitPattern: u64(5024)) == 0.1288094051365897)
        #expect(state[5040] == 1)
        // Restoring replays the same numbers, cached normal included.
        let expected = Tensor.randn(7, generator: g).toArray(Float.self)
        let other = Generator()
        try other.setState(state)
        #expect(Tensor.randn(7, generator: other).toArray(Float.self) == expected)
        #expect(other.initialSeed == 42)
        #expect(throws: TorchError.self) { try other.setState([1, 2, 3]) }
        var bad = state
        for i in 8..<12 { bad[i] = 0 }  // left = 0 is not a valid position
        #expect(throws: TorchError.self) { try other.setState(bad) }
        let copy = g.clone()
        #expect(copy.random64() == g.random64())
    }

    @Test func rawDrawsAndEmptyTensors() {
        let g = gen(0)
        #expect(g.random32() == 2_357_136_044)
        #expect(Tensor.rand([0, 3], generator: g).shape == [0, 3])
        #expect(Tensor.randperm(0, generator: g).shape == [0])
        #expect(Tensor.randperm(1, generator: g).toArray(Int64.self) == [0])
        // Nothing above drew from the stream after the first word.
        #expect(g.random32() == 2_546_248_239)
    }
}

@Suite struct CephesFloatMathTests {
    /// The double-precision shortcut for a fused multiply-add must flag the one case where
    /// it rounds wrongly (an inexact sum landing on a float midpoint), and agree elsewhere.
    @Test func doubleShortcutFlagsMidpoints() {
        // a·b = 2^-24 - 2^-70, so a·b + c lies just below the midpoint c + 2^-24 of c's ulp;
        // the double sum rounds onto the midpoint, and rounding that to even would go up.
        let a = Float4(repeating: 1 - 0x1p-23), b = Float4(repeating: 0x1p-24 + 0x1p-47)
        let c = Float4(repeating: 1 + 0x1p-23)
        var hard = SIMD4<UInt32>.zero
        _ = DoubleFusedMultiplyAdd.fused(a, b, c, &hard)
        #expect(hard == SIMD4<UInt32>(repeating: .max))
        #expect(ExactFusedMultiplyAdd.fused(a, b, c, &hard) == c)
    }

    /// Without AVX2 the Swift emulation runs; it must give PyTorch's bits too (a child
    /// process, since the forced width is process-wide).
    @Test func portablePathMatchesPyTorch() async {
        await #expect(processExitsWith: .success) {
            st_simd_force_width(0)
            let values = Tensor.randn(20, generator: Generator().manualSeed(0)).toArray(Float.self)
            let expected: [Float] = [-1.1258398, -1.1523602, -0.25057858, -0.4338788, 0.59883946, -1.5550951,
                                     -0.3413604, 1.8530061, 0.4680964, -0.15771244, 1.4436601, 0.2660494, 1.3893661,
                                     1.5863342, 0.94629836, -0.84367675, 0.9318266, 1.2590092, 2.0049806, 0.053736903]
            guard values == expected else { fatalError("portable normal fill differs") }
            let a = Tensor.randn(100_000, generator: Generator().manualSeed(4)).toArray(Float.self)
            st_simd_force_width(256)
            let b = Tensor.randn(100_000, generator: Generator().manualSeed(4)).toArray(Float.self)
            guard a.map(\.bitPattern) == b.map(\.bitPattern) else { fatalError("paths disagree") }
        }
    }

    @Test func bothFusedMultiplyAddsGiveTheSameFunctions() {
        let g = Generator().manualSeed(3)
        let u = Tensor.rand(4096, generator: g).toArray(Float.self)
        for i in stride(from: 0, to: u.count, by: 4) {
            let x = Float4(u[i], u[i + 1], u[i + 2], u[i + 3])
            var h1 = SIMD4<UInt32>.zero, h2 = SIMD4<UInt32>.zero
            let l1 = cephesLog4(1 - x, DoubleFusedMultiplyAdd.self, &h1)
            let l2 = cephesLog4(1 - x, ExactFusedMultiplyAdd.self, &h2)
            let angle = Float4(repeating: Float(2 * Double.pi)) * x
            let t1 = cephesSinCosOfAngle4(angle, DoubleFusedMultiplyAdd.self, &h1)
            let t2 = cephesSinCosOfAngle4(angle, ExactFusedMultiplyAdd.self, &h2)
            if h1 == .zero {
                #expect(l1 == l2 && t1.sin == t2.sin && t1.cos == t2.cos)
            }
        }
    }
}

@Suite struct RandomInitTests {
    private func gen(_ seed: UInt64) -> Generator { Generator().manualSeed(seed) }

    @Test func linearWeightsMatchPyTorch() {
        let w = Tensor.empty(3, 4)
        kaimingUniform_(w, a: 5.0.squareRoot(), generator: gen(0))
        #expect(w.toArray(Float.self) == [
            -0.00374341, 0.2682218, -0.41152257, -0.3679695, -0.19257718, 0.13407868, -0.00990659, 0.39644474,
            -0.044372022, 0.13230628, -0.15110654, -0.098282695])
    }

    @Test func linearWeightsAfterGlobalManualSeed() async {
        await #expect(processExitsWith: .success) {
            manualSeed(0)
            let w = kaimingUniform_(Tensor.empty(3, 4), a: 5.0.squareRoot())
            let expected: [Float] = [-0.00374341, 0.2682218, -0.41152257, -0.3679695, -0.19257718, 0.13407868,
                                     -0.00990659, 0.39644474, -0.044372022, 0.13230628, -0.15110654, -0.098282695]
            guard w.toArray(Float.self) == expected, initialSeed() == 0 else { fatalError("mismatch") }
            // torch.manual_seed(0); torch.rand(3)
            manualSeed(0)
            guard Tensor.rand(3).toArray(Float.self) == [0.4962566, 0.7682218, 0.08847743] else { fatalError("rand") }
        }
    }

    @Test func otherInitialisers() {
        #expect(kaimingNormal_(Tensor.empty(4, 5), mode: .fanOut, nonlinearity: .relu, generator: gen(12)).toArray(Float.self) == [
            -0.09334721, -0.0886978, 0.24346563, -0.3195508, -0.91534543, -0.18548879, -0.37847957, 0.9522005,
            -0.49197307, -0.036925755, -0.024843113, 0.37291324, -0.4910402, -0.15022527, 0.16700327, -0.8795226,
            1.0182257, 0.5618937, 0.59706277, 0.89576477])
        #expect(xavierNormal_(Tensor.empty(2, 3, 2), gain: 1.5, generator: gen(12)).toArray(Float.self) == [
            -0.14343068, -0.9243654, -0.03663879, 0.3029061, 0.52715105, -0.73014617, -0.3755786, -0.6262928,
            0.032149393, -0.05658597, -0.09864613, 0.50917584])
        #expect(kaimingUniform_(Tensor.empty(2, 3, 2, 2), a: 5.0.squareRoot(), generator: gen(12)).toArray(Float.self) == [
            -0.019810358, -0.15428716, -0.027296543, 0.05029428, -0.052743986, -0.2152509, 0.07926067, -0.14892069,
            0.13347787, 0.12842456, -0.17364657, 0.1124835, 0.047921967, 0.07611128, 0.03226585, -0.2157853,
            0.2765674, 0.19876185, -0.21616752, -0.031395104, 0.09240899, -0.2567008, -0.19786152, 0.1810985])
        #expect(calculateFanInAndFanOut(Tensor.empty(2, 3, 2, 2)) == (12, 8))
        #expect(calculateGain(.tanh) == 5.0 / 3)
        #expect(calculateGain(.leakyRelu) == (2.0 / (1 + 0.0001)).squareRoot())
        #expect(calculateGain(.convTranspose2d) == 1)
    }

    @Test func truncatedNormalBothSamplers() {
        #expect(truncNormal_(Tensor.empty(5, 5), generator: gen(0)).toArray(Float.self) == [
            -1.1258398, -1.1523602, -0.25057858, -0.4338788, 0.84871036, 0.69200915, -0.31601277, -0.6730899,
            0.32227492, -0.15771244, 1.4436601, 0.2660494, 0.16645534, 0.87438184, -0.14347385, -0.11160933,
            -0.6135831, 1.2590092, -0.49968153, 0.053736903, 0.61805665, -0.41280222, -0.8410648, 0.3276143,
            -0.10230965])
        #expect(truncNormal_(Tensor.empty(40), std: 3, generator: gen(0)).toArray(Float.self) == [
            0.616577, -1.3509892, -0.75173575, -1.3016365, 1.7829691, 1.0475047, -0.94803834, -1.7730994,
            0.96682477, 0.5656607, 1.0499495, 0.92440176, 0.35952452, -0.5815114, 1.3365365, -0.74183446,
            1.6234255, -1.2567405, 1.6999519, 1.6968288, 1.7965183, -0.95099425, -1.0240812, -0.2555829,
            -0.6475898, 0.2924884, 1.6881641, 0.7788822, -0.521883, -1.4383433, -0.68472534, 1.4666095,
            0.74077916, 0.25360408, 1.0140175, -0.014357214, -1.5542245, -0.9201126, 0.8206878, -0.34327853])
        // A far tail takes the accept-reject sampler.
        #expect(truncNormal_(Tensor.empty(12), a: 2, b: 3, generator: gen(0)).toArray(Float.self) == [
            2.4962566, 2.2629614, 2.0884774, 2.1320305, 2.185231, 2.3734174, 2.4900935, 2.9320004, 2.1759102,
            2.2698336, 2.3488934, 2.0317194])
        #expect(truncNormal_(Tensor.empty([7], dtype: .float64), mean: 1, std: 0.5, a: -1, b: 0, generator: gen(3))
            .toArray(Double.self) == [
                -0.02995753639415688, -0.2862787148406496, -0.16136353363164446, -0.5585068148209889,
                -0.050992297000578723, -0.14255677883493612, -0.2135645660996538])
    }

    @Test func orthogonalAgreesToRounding() {
        let wide = orthogonal_(Tensor.empty(3, 5), generator: gen(0)).toArray(Float.self)
        let expectedWide: [Float] = [0.5222306, -0.09944059, -0.7383734, 0.19263656, -0.36753553, -0.53647935,
                                     0.21056254, -0.14289415, -0.35876867, -0.72022206, -0.4409165, 0.066260576,
                                     -0.04565519, 0.88975286, -0.08635801]
        #expect(zip(wide, expectedWide).allSatisfy { abs($0 - $1) < 1e-5 })
        let tall = orthogonal_(Tensor.empty(4, 2, 1), gain: 2, generator: gen(0))
        let expectedTall: [Float] = [1.0595689, -0.369404, -1.4981071, 0.697734, -0.7457034, -1.5738612, 0.277336, 0.94850826]
        #expect(tall.shape == [4, 2, 1])
        #expect(zip(tall.toArray(Float.self), expectedTall).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}

@Suite struct RandomConcurrencyTests {
    /// Two threads drawing from one generator: every op's draws are one unbroken piece of the
    /// stream, so together they are the serial stream cut into pieces, in some order.
    @Test func sharedGeneratorNeverLosesOrRepeatsDraws() {
        let shared = Generator().manualSeed(123)
        let perThread = 400, size = 7
        let results = Mutex<[[[Float]]]>([[], []])
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            var mine: [[Float]] = []
            for _ in 0..<perThread { mine.append(Tensor.rand(size, generator: shared).toArray(Float.self)) }
            results.withLock { $0[thread] = mine }
        }
        let chunks = results.withLock { $0 }.flatMap { $0 }
        let serial = Tensor.rand(2 * perThread * size, generator: Generator().manualSeed(123)).toArray(Float.self)
        // Each chunk must be a piece of the serial stream starting at a multiple of `size`.
        var starts: [[Float]: Int] = [:]
        for k in 0..<(2 * perThread) { starts[Array(serial[k * size..<(k + 1) * size]), default: 0] += 1 }
        for chunk in chunks { starts[chunk, default: 0] -= 1 }
        #expect(starts.values.allSatisfy { $0 == 0 })
        // And the generator ends where the serial stream ends.
        let after = Generator().manualSeed(123)
        _ = Tensor.rand(2 * perThread * size, generator: after)
        #expect(shared.random64() == after.random64())
    }

    @Test func defaultGeneratorFromTwoThreads() async {
        await #expect(processExitsWith: .success) {
            manualSeed(99)
            let perThread = 300, size = 5
            let collected = Mutex<[Float]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                var mine: [Float] = []
                for _ in 0..<perThread { mine += Tensor.rand(size).toArray(Float.self) }
                collected.withLock { $0 += mine }
            }
            let drawn = collected.withLock { $0 }.sorted()
            manualSeed(99)
            let serial = Tensor.rand(2 * perThread * size).toArray(Float.self).sorted()
            guard drawn == serial else { fatalError("draws were lost or repeated") }
            let next = defaultGenerator.random32()
            manualSeed(99)
            _ = Tensor.rand(2 * perThread * size)
            guard defaultGenerator.random32() == next else { fatalError("state diverged") }
        }
    }
}

@Suite struct RandomErrorTests {
    @Test func integerDtypeForRand() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.rand([3], dtype: .int64)
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("\"check_uniform_bounds\" not implemented for 'Long'"))
    }

    @Test func randintNeedsLowBelowHigh() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.randint(5, 5, [2])
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("random_ expects 'from' to be less than 'to', but got from=5 >= to=5"))
    }

    @Test func negativeStd() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Tensor.empty(3).normal_(mean: 0, std: -1)
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("normal expects std >= 0.0, but found std -1"))
    }

    @Test func multinomialWithoutReplacementNeedsEnoughCategories() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = multinomial(Tensor([0.5, 0.5]), numSamples: 3)
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("cannot sample n_sample > prob_dist.size(-1) samples without replacement"))
    }

    @Test func leafRequiringGradCannotBeFilledInPlace() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Tensor.zeros([3], requiresGrad: true).uniform_()
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("a leaf Variable that requires grad is being used in an in-place operation."))
    }
}
