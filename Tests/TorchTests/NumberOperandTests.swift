import Testing
@testable import Torch

/// `x + 2`, `x * s`, `x / s`, `2 * x` with a Swift number run a direct kernel (no 0-d tensor,
/// fill or broadcast view) when the number leaves `x`'s dtype alone. They must give the
/// wrapped-number form's values bit for bit, promote exactly as before when the number does
/// change the dtype, and record PyTorch's node: the number's edge empty.
@Suite struct NumberOperandTests {
    /// Every element as a `Double` (exact for all these dtypes' values), compared by bits
    /// so that -0 and +0 differ.
    static func bits(_ t: Tensor) -> [Double] { t.to(.float64).toArray(Double.self) }

    static func sameBits(_ a: Tensor, _ b: Tensor) -> Bool {
        a.dtype == b.dtype && a.shape == b.shape
            && zip(bits(a), bits(b)).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    static let dtypes: [DType] = [.float32, .float64, .float16, .bfloat16, .int32, .int64, .uint8, .int8]

    /// Every dtype, a contiguous, a transposed and a 0-d operand, and a size that runs in
    /// parallel: each op with a number equals the op with the number wrapped as a 0-d tensor.
    @Test(arguments: dtypes) func directKernelsEqualTheWrappedForm(_ dtype: DType) {
        let gen = Generator().manualSeed(11)
        let base = (Tensor.randn([300, 700], dtype: .float64, generator: gen) * 50).to(dtype)
        let operands = [base, base.t(), base[3, 4], base[.all, 1..<9]]
        let numbers: [Scalar] = dtype.isFloatingPoint ? [2.5, -0.1, 3, 1e-3] : [2, -7, 300]
        for x in operands {
            for s in numbers {
                #expect(Self.sameBits(x + s, add(x, wrapped(s, with: x))), "\(dtype) + \(s)")
                #expect(Self.sameBits(x - s, sub(x, wrapped(s, with: x))), "\(dtype) - \(s)")
                #expect(Self.sameBits(x * s, mul(x, wrapped(s, with: x))), "\(dtype) * \(s)")
                #expect(Self.sameBits(s * x, mul(wrapped(s, with: x), x)), "\(s) * \(dtype)")
                #expect(Self.sameBits(s + x, add(wrapped(s, with: x), x)), "\(s) + \(dtype)")
                if dtype.isFloatingPoint {
                    #expect(Self.sameBits(x / s, div(x, wrapped(s, with: x))), "\(dtype) / \(s)")
                }
            }
        }
    }

    /// Hand-derived values, integer wrap-around as PyTorch's CPU kernels wrap, and the
    /// promotions that still go through the wrapped form.
    @Test func valuesAndPromotions() {
        #expect((Tensor([1.0, 2.0, -3.0]) * 2).toArray(Float.self) == [2, 4, -6])
        #expect((Tensor([1.0, 2.0, -3.0]) / 4).toArray(Float.self) == [0.25, 0.5, -0.75])
        #expect((Tensor([100, -100], dtype: .int8) * 2).toArray(Int.self) == [-56, 56])
        #expect((Tensor([Int(Int32.max)], dtype: .int32) + 1).toArray(Int.self) == [Int(Int32.min)])
        let i = Tensor([1, 2, 3], dtype: .int32)
        #expect((i + 0.5).dtype == .float32)
        #expect((i + 0.5).toArray(Float.self) == [1.5, 2.5, 3.5])
        #expect((i / 2).dtype == .float32)
        #expect((i / 2).toArray(Float.self) == [0.5, 1, 1.5])
        let b = Tensor([true, false])
        #expect((b + 1).dtype == .int64)
        #expect((b + 1).toArray(Int.self) == [2, 1])
        let h = Tensor([1.0, 2.0], dtype: .float16)
        #expect((h * 3).dtype == .float16)
        #expect((h * 3).toArray(Float.self) == [3, 6])
    }

    /// PyTorch's nodes: `x * 2` and `2 * x` are both `MulBackward0` with next_functions
    /// `((AccumulateGrad, 0), (None, 0))`.
    @Test func recordsTheNodeWithAnEmptyNumberEdge() {
        let x = Tensor([1.0, 2.0], requiresGrad: true)
        for (y, name) in [(x * 2, "MulBackward0"), (2 * x, "MulBackward0"), (x + 1, "AddBackward0"),
                          (1 + x, "AddBackward0"), (x - 1, "SubBackward0"), (x / 2, "DivBackward0")] {
            #expect(y.gradFn?.name == name)
            let next = y.gradFn?.nextFunctions ?? []
            #expect(next.count == 2, "\(name)")
            #expect(next.first?.node?.name == "AccumulateGrad", "\(name)")
            #expect(next.last?.node == nil, "\(name)")
        }
        #expect(noGrad { x * 2 }.gradFn == nil)
    }

    /// First and second derivatives through every direct form, checked numerically.
    @Test func gradientsAreChecked() {
        let x = Tensor([0.5, -1.5, 2.0, 3.25], dtype: .float64, requiresGrad: true)
        let f: ([Tensor]) -> Tensor = { (((2.5 * $0[0]) * $0[0] / 1.5 + 2 - 0.25) * 3 + 1) * $0[0] }
        #expect(gradcheck(f, inputs: [x]).passed)
        #expect(gradgradcheck(f, inputs: [x]).passed)
        let y = (x * 3 + 1) / 2 - 5
        y.sum().backward()
        #expect(x.grad!.toArray(Double.self) == [1.5, 1.5, 1.5, 1.5])
    }
}
