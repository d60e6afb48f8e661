import CTorchSIMD
import Foundation
import Testing

/// The SLEEF loops against libm: within a few ulp at every width, tails included.
@Suite(.serialized) struct SIMDTests {
    typealias Loop32 = @Sendable (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
    typealias Loop64 = @Sendable (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void

    static let functions: [(String, Loop32, Loop64, @Sendable (Double) -> Double, ClosedRange<Double>)] = [
        ("exp", st_exp_f32, st_exp_f64, Foundation.exp, -80...80),
        ("expm1", st_expm1_f32, st_expm1_f64, Foundation.expm1, -10...10),
        ("log", st_log_f32, st_log_f64, Foundation.log, 1e-6...1e6),
        ("log2", st_log2_f32, st_log2_f64, Foundation.log2, 1e-6...1e6),
        ("log10", st_log10_f32, st_log10_f64, Foundation.log10, 1e-6...1e6),
        ("log1p", st_log1p_f32, st_log1p_f64, Foundation.log1p, -0.9...100),
        ("sin", st_sin_f32, st_sin_f64, Foundation.sin, -100...100),
        ("cos", st_cos_f32, st_cos_f64, Foundation.cos, -100...100),
        ("tan", st_tan_f32, st_tan_f64, Foundation.tan, -1.5...1.5),
        ("asin", st_asin_f32, st_asin_f64, Foundation.asin, -1...1),
        ("acos", st_acos_f32, st_acos_f64, Foundation.acos, -1...1),
        ("atan", st_atan_f32, st_atan_f64, Foundation.atan, -100...100),
        ("sinh", st_sinh_f32, st_sinh_f64, Foundation.sinh, -20...20),
        ("cosh", st_cosh_f32, st_cosh_f64, Foundation.cosh, -20...20),
        ("tanh", st_tanh_f32, st_tanh_f64, Foundation.tanh, -20...20),
        ("erf", st_erf_f32, st_erf_f64, Foundation.erf, -5...5),
        ("sigmoid", st_sigmoid_f32, st_sigmoid_f64, { 1 / (1 + Foundation.exp(-$0)) }, -30...30),
    ]

    @Test(arguments: [512, 256, 0])
    func loopsMatchLibm(width: Int32) {
        st_simd_force_width_on_this_thread(width)
        defer { st_simd_force_width_on_this_thread(-1) }
        let n = 1000 + 13  // a tail at every width
        for (name, f32, f64, reference, range) in Self.functions {
            let xs = (0..<n).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(n - 1) }
            var y32 = [Float](repeating: 0, count: n)
            var y64 = [Double](repeating: 0, count: n)
            let x32 = xs.map { Float($0) }
            f32(x32, &y32, n)
            f64(xs, &y64, n)
            for i in 0..<n {
                let r32 = reference(Double(x32[i]))
                let r64 = reference(xs[i])
                let ok32 = abs(Double(y32[i]) - r32) <= 4 * Double(Float(r32).ulp) + 1e-30
                let ok64 = abs(y64[i] - r64) <= 4 * r64.ulp + 1e-300
                #expect(ok32, Comment(rawValue: "\(name) f32 at \(x32[i]) width \(width): \(y32[i]) vs \(r32)"))
                #expect(ok64, Comment(rawValue: "\(name) f64 at \(xs[i]) width \(width): \(y64[i]) vs \(r64)"))
                if !ok32 || !ok64 { return }
            }
        }
    }
}
