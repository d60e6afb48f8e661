import CTorchSIMD
import Testing
@testable import Torch

/// The wide add/sub/mul/div loops (CTorchSIMD's `torch_binary.h`) against Swift's own
/// scalar arithmetic: each element is one IEEE operation, so the results must be
/// bit-identical at every width, tails and in-place calls included.
@Suite(.serialized) struct WideBinaryLoopTests {
    typealias Loop32 = @Sendable (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
    typealias Loop64 = @Sendable (UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void

    static let ops: [(String, Loop32, Loop64, @Sendable (Float, Float) -> Float, @Sendable (Double, Double) -> Double)] = [
        ("add", st_add_f32, st_add_f64, { $0 + $1 }, { $0 + $1 }),
        ("sub", st_sub_f32, st_sub_f64, { $0 - $1 }, { $0 - $1 }),
        ("mul", st_mul_f32, st_mul_f64, { $0 * $1 }, { $0 * $1 }),
        ("div", st_div_f32, st_div_f64, { $0 / $1 }, { $0 / $1 }),
    ]

    /// Operands with every kind of value: ordinary, zero of both signs, subnormal, huge
    /// (overflowing products), infinite and NaN.
    static func operands(_ n: Int) -> ([Double], [Double]) {
        let specials: [Double] = [0, -0.0, 1e-40, -3e-39, 3e38, -3e38, .infinity, -.infinity, .nan, 1, -1]
        var a = [Double](), b = [Double]()
        for i in 0..<n {
            let ordinaryA = Double(i % 113) * 0.37 - 19.5
            let ordinaryB = Double(i % 89) * -0.61 + 7.25
            a.append(i % 7 == 3 ? specials[i % specials.count] : ordinaryA)
            b.append(i % 5 == 2 ? specials[(i / 5) % specials.count] : ordinaryB)
        }
        return (a, b)
    }

    static func same<T: BinaryFloatingPoint>(_ x: T, _ y: T) -> Bool { (x.isNaN && y.isNaN) || x == y && x.sign == y.sign }

    @Test(arguments: [512, 256, 0])
    func loopsAreBitIdenticalToScalarArithmetic(width: Int32) {
        st_simd_force_width_on_this_thread(width)
        defer { st_simd_force_width_on_this_thread(-1) }
        let n = 1000 + 13  // a tail after the two-vector steps at every width
        let (a64, b64) = Self.operands(n)
        let a32 = a64.map { Float($0) }, b32 = b64.map { Float($0) }
        for (name, f32, f64, s32, s64) in Self.ops {
            var y32 = [Float](repeating: 0, count: n), y64 = [Double](repeating: 0, count: n)
            f32(a32, b32, &y32, n)
            f64(a64, b64, &y64, n)
            // In place, as `add_` calls it: the result written over the first operand.
            var z32 = a32, z64 = a64
            z32.withUnsafeMutableBufferPointer { f32($0.baseAddress, b32, $0.baseAddress, n) }
            z64.withUnsafeMutableBufferPointer { f64($0.baseAddress, b64, $0.baseAddress, n) }
            for i in 0..<n {
                let r32 = s32(a32[i], b32[i]), r64 = s64(a64[i], b64[i])
                let ok = Self.same(y32[i], r32) && Self.same(y64[i], r64) && Self.same(z32[i], r32) && Self.same(z64[i], r64)
                #expect(ok, "\(name) at \(i), width \(width): \(y32[i]) \(z32[i]) vs \(r32); \(y64[i]) \(z64[i]) vs \(r64)")
                if !ok { return }
            }
        }
    }

    /// Through the tensor ops, at a size split across cores (the halves meet mid-array at an
    /// index that is no multiple of the vector width) and in place.
    @Test func tensorOpsSplitAcrossCoresMatchScalarArithmetic() {
        let n = 100_003
        let (a64, b64) = Self.operands(n)
        let a32 = a64.map { Float($0) }, b32 = b64.map { Float($0) }
        let ta = Tensor(a32, dtype: .float32), tb = Tensor(b32, dtype: .float32)
        let results: [(String, Tensor, (Float, Float) -> Float)] = [
            ("add", ta + tb, { $0 + $1 }), ("sub", ta - tb, { $0 - $1 }),
            ("mul", ta * tb, { $0 * $1 }), ("div", ta / tb, { $0 / $1 }),
        ]
        for (name, t, f) in results {
            let got = t.toArray(Float.self)
            let bad = (0..<n).first { !Self.same(got[$0], f(a32[$0], b32[$0])) }
            #expect(bad == nil, "\(name) differs at \(bad ?? -1)")
        }
        let da = Tensor(a64, dtype: .float64), db = Tensor(b64, dtype: .float64)
        da.mul_(db)
        let got = da.toArray(Double.self)
        #expect((0..<n).allSatisfy { Self.same(got[$0], a64[$0] * b64[$0]) })
    }
}
