import Testing
@testable import Torch

/// `add_`, `sub_`, `mul_`, `div_` write straight into a dense target when autograd records
/// nothing (optimizer updates, the engine's gradient sums). They must leave exactly what
/// the out-of-place op gives, bump the version so saved tensors still notice, and leave
/// the general path to everything else (views, shared memory, promotion, recording).
@Suite struct InPlaceArithmeticTests {
    static func values(_ t: Tensor) -> [Double] { t.to(.float64).toArray(Double.self) }

    /// Every form against its out-of-place twin, with a same-shape, a broadcast row, a 0-d
    /// float64 operand (no promotion: result float32) and a number; float32, float16, int64.
    @Test(arguments: [DType.float32, .float16, .int64]) func directWritesEqualTheOutOfPlaceOps(_ dtype: DType) {
        let gen = Generator().manualSeed(5)
        let base = (Tensor.randn([64, 300], dtype: .float64, generator: gen) * 20).to(dtype)
        let same = (Tensor.randn([64, 300], dtype: .float64, generator: gen) * 20 + 50).to(dtype)
        let row = (Tensor.randn([300], dtype: .float64, generator: gen) * 3 + 10).to(dtype)
        let zeroD = Tensor(2.5, dtype: .float64)
        var operands = [same, row]
        if dtype.isFloatingPoint { operands.append(zeroD) }
        for other in operands {
            let pairs: [((Tensor) -> Tensor, Tensor)] = [
                ({ $0.add_(other) }, base + other), ({ $0.sub_(other) }, base - other), ({ $0.mul_(other) }, base * other),
            ] + (dtype.isFloatingPoint ? [({ $0.div_(other) }, base / other)] : [])
            for (inPlace, want) in pairs {
                let x = base.clone()
                let version = x.storage.version
                let got = inPlace(x)
                #expect(got === x)
                #expect(x.storage.version > version)
                #expect(Self.values(x) == Self.values(want.to(dtype)), "\(dtype) with \(other.shape)")
            }
        }
        let number: Scalar = dtype.isFloatingPoint ? 0.75 : 3
        for (inPlace, want) in [({ (t: Tensor) in t.add_(number) }, base + number), ({ $0.sub_(number) }, base - number),
                                ({ $0.mul_(number) }, base * number)] {
            let x = base.clone()
            _ = inPlace(x)
            #expect(Self.values(x) == Self.values(want), "\(dtype) with a number")
        }
    }

    /// The cases left to the general path still give PyTorch's answers: a transposed target,
    /// an operand sharing the target's memory (itself, another part of it), a float64 operand of the same rank (computed
    /// in float64, rounded once), `alpha`, and a target written through a view.
    @Test func generalCasesKeepTheirMeaning() {
        let x = Tensor([[1.0, 2.0], [3.0, 4.0]])
        let t = x.clone().t()
        t.add_(Tensor([[10.0, 20.0], [30.0, 40.0]]))
        #expect(t.toArray(Float.self) == [11, 23, 32, 44])
        let y = Tensor([1.0, 2.0, 3.0])
        y.add_(y)
        #expect(y.toArray(Float.self) == [2, 4, 6])
        let z = Tensor([1.0, 2.0, 3.0])
        z[0..<1].mul_(z[2..<3])
        #expect(z.toArray(Float.self) == [3, 2, 3])
        let f = Tensor([1.0, 1.0])
        f.add_(Tensor([1e-8, 0.1], dtype: .float64))
        #expect(f.toArray(Float.self) == [Float(1.0 + 1e-8), Float(1.1)])
        let a = Tensor([1.0, 2.0])
        a.add_(Tensor([1.0, 1.0]), alpha: 0.5)
        #expect(a.toArray(Float.self) == [1.5, 2.5])
        let base = Tensor.zeros([2, 3])
        base[1].add_(Tensor([1.0, 2.0, 3.0]))
        #expect(base.toArray(Float.self) == [0, 0, 0, 1, 2, 3])
    }

    /// `add_`/`sub_` with `alpha` (the plain SGD update) in one pass equal the two-op form:
    /// the product rounded, then the sum, in the tensor's dtype.
    @Test(arguments: [DType.float32, .float64, .bfloat16]) func scaledUpdatesEqualTheTwoOpForm(_ dtype: DType) {
        let gen = Generator().manualSeed(9)
        let p = Tensor.randn([257, 129], dtype: .float64, generator: gen).to(dtype)
        let g = Tensor.randn([257, 129], dtype: .float64, generator: gen).to(dtype)
        let row = Tensor.randn([129], dtype: .float64, generator: gen).to(dtype)
        for other in [g, row] {
            for alpha: Scalar in [-20, 0.1, -0.001] {
                let scaled = noGrad { mul(other, scalarTensor(alpha, dtype: dtype)) }
                let x = p.clone()
                x.add_(other, alpha: alpha)
                #expect(Self.values(x) == Self.values(p + scaled), "\(dtype) add_ alpha \(alpha)")
                let y = p.clone()
                y.sub_(other, alpha: alpha)
                #expect(Self.values(y) == Self.values(p - scaled), "\(dtype) sub_ alpha \(alpha)")
            }
        }
    }

    /// A tensor a node saved, changed in place by the direct path, is caught at backward.
    @Test func aSavedTensorChangedDirectlyFailsAtBackward() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Tensor([1.0, 2.0], requiresGrad: true), x = Tensor([3.0, 4.0])
            let y = (w * x).sum()
            x.add_(1)
            y.backward()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("modified by an inplace operation"))
    }

    /// In grad mode, a target that requires grad still records (the direct path is never
    /// taken): the gradient of `(x * 1).mul_(3)` is 3.
    @Test func recordingTargetsStillRecord() {
        let x = Tensor([1.0, 2.0], requiresGrad: true)
        let y = x * 1
        y.mul_(3)
        #expect(y.gradFn?.name == "MulBackward0")
        y.sum().backward()
        #expect(x.grad!.toArray(Float.self) == [3, 3])
    }
}
