#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gamma and Dirichlet sampling and their reparameterised gradients, as PyTorch's CPU
/// kernels compute them (`ATen/native/Distributions.h` and `Distributions.cpp`): the same
/// draws from the generator in the same order, the same mixed float32/float64 arithmetic,
/// so a seeded `Gamma`, `Beta` or `Dirichlet` sample is PyTorch's.

/// Float32 and float64 with the libm functions their C++ overloads call.
protocol GammaScalar: BinaryFloatingPoint {
    static func logarithm(_ x: Self) -> Self
    static func power(_ x: Self, _ y: Self) -> Self
    static func tangent(_ x: Self) -> Self
}

extension Float: GammaScalar {
    static func logarithm(_ x: Float) -> Float { logf(x) }
    static func power(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    static func tangent(_ x: Float) -> Float { tanf(x) }
}

extension Double: GammaScalar {
    static func logarithm(_ x: Double) -> Double { log(x) }
    static func power(_ x: Double, _ y: Double) -> Double { pow(x, y) }
    static func tangent(_ x: Double) -> Double { tan(x) }
}

extension RandomCursor {
    /// One Gamma(α, 1) draw by Marsaglia and Tsang's method (`sample_gamma<S, double>`): α < 1
    /// is boosted by one and scaled by `u^(1/α)`; the candidates take standard normals
    /// (cached Box–Muller pairs) and uniforms from the 53-bit stream. Arithmetic on α itself
    /// stays in `S` (float32 rounds `α - 1/3` in float32), the rest in float64.
    mutating func standardGamma<S: GammaScalar>(_ alphaIn: S) -> Double {
        var alpha = alphaIn
        var scale = 1.0
        if alpha < 1 {
            if alpha == 0 { return 0 }
            scale *= pow(1 - uniformDouble(), Double(1 / alpha))
            alpha += 1
        }
        // `1.0f / 3.0f` is a float32 constant even when α is a double.
        let d = Double(alpha - S(Float(1) / Float(3)))
        let c = 1.0 / (9.0 * d).squareRoot()
        let squeeze = Double(Float(0.0331))
        while true {
            var x = 0.0, y = 0.0
            repeat {
                x = standardNormalDouble()
                y = 1.0 + c * x
            } while y <= 0
            let v = y * y * y
            let u = 1 - uniformDouble()
            let xx = x * x
            if u < 1.0 - squeeze * xx * xx { return scale * d * v }
            if log(u) < 0.5 * xx + d * (1.0 - v + log(v)) { return scale * d * v }
        }
    }
}

/// `torch._standard_gamma`: one draw per element of `alpha` (dense, row-major), each
/// rounded to `S` and kept at least the smallest normal number.
func standardGammaKernel<S: GammaScalar & TensorScalar>(_ alpha: UnsafePointer<S>, _ out: UnsafeMutablePointer<S>,
                                                         count: Int, _ c: inout RandomCursor) {
    for i in 0..<count {
        out[i] = Swift.max(S.leastNormalMagnitude, S(c.standardGamma(alpha[i])))
    }
}

/// The draws of `torch._sample_dirichlet`: Gamma(α) in float64 (α widened first, against
/// underflow), each at least the smallest normal double.
func dirichletGammaKernel<S: GammaScalar & TensorScalar>(_ alpha: UnsafePointer<S>, _ gamma: UnsafeMutablePointer<Double>,
                                                          count: Int, _ c: inout RandomCursor) {
    for i in 0..<count {
        gamma[i] = Swift.max(Double.leastNormalMagnitude, c.standardGamma(Double(alpha[i])))
    }
}

/// `torch._sample_dirichlet`'s normalisation: each draw over its row's sum, rounded to `S`
/// and kept inside `[leastNormal, 1⁻]`.
func dirichletNormalizeKernel<S: GammaScalar & TensorScalar>(_ gamma: UnsafePointer<Double>, _ sums: UnsafePointer<Double>,
                                                              _ out: UnsafeMutablePointer<S>, count: Int, k: Int) {
    let below1 = S(1).nextDown
    for i in 0..<count {
        out[i] = Swift.min(below1, Swift.max(S.leastNormalMagnitude, S(gamma[i] / sums[i / k])))
    }
}

/// ψ as the samplers' gradients evaluate it (`digamma_one<S, double>`): the argument and its
/// recurrence in `S`, the sum in float64.
func digammaOne<S: GammaScalar>(_ input: S) -> S {
    var x = input
    if x == 0 { return .infinity }
    var additional = 0.0
    if x < 0 {
        if x == x.rounded(.down) { return .infinity }
        // c10::pi<S>: π rounded to nearest (Swift's Float.pi is rounded toward zero).
        let pi = S(Double.pi)
        additional = Double(-pi / S.tangent(pi * x))
        x = 1 - x
    }
    var result = 0.0
    while x < 10 {
        result -= Double(1 / x)
        x += 1
    }
    if x == 10 { return S(result + 2.25175258906672110764 + additional) }
    var y = 0.0
    if x < S(Float(1.0e17)) {
        let z = 1.0 / Double(x * x)
        y = z * evaluatePolynomial(z, [8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
                                       -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
                                       8.33333333333333333333E-2])
    }
    return S(result + Double(S.logarithm(x)) - Double(S(0.5) / x) - y + additional)
}

/// The reparameterised gradient `-(∂/∂α F(x; α)) / f(x; α)` of a standard Gamma draw `x`
/// (`standard_gamma_grad_one<S, double>`): a Taylor series for small x, Rice's saddle-point
/// expansion for large α, otherwise a bivariate rational approximation, all in float64.
func standardGammaGradOne<S: GammaScalar>(alpha alphaIn: S, x xIn: S) -> S {
    let x = Double(xIn), alpha = Double(alphaIn)
    // The C++ compares with float32 constants (0.8f, 0.9f, 1.1f) widened to float64.
    if x < Double(Float(0.8)) {
        var numer = 1.0, denom = alpha
        var series1 = numer / denom, series2 = numer / (denom * denom)
        for i in 1...5 {
            numer *= -x / Double(i)
            denom += 1
            series1 += numer / denom
            series2 += numer / (denom * denom)
        }
        let powXAlpha = pow(x, alpha)
        let pdf = pow(x, alpha - 1) * exp(-x)
        let cdf = powXAlpha * series1
        let cdfAlpha = (log(x) - digammaOne(alpha)) * cdf - powXAlpha * series2
        let result = -cdfAlpha / pdf
        return result.isNaN ? 0 : S(result)
    }
    if alpha > 8 {
        if Double(Float(0.9)) * alpha <= x && x <= Double(Float(1.1)) * alpha {
            let numer1 = 1 + 24 * alpha * (1 + 12 * alpha)
            let numer2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha + alpha * (107 + 3600 * x)
            let denom = 1244160 * (alpha * alpha) * (alpha * alpha)
            return S(numer1 * numer2 / denom)
        }
        let denom = (8 * alpha).squareRoot()
        let term2 = denom / (alpha - x)
        let term3 = pow(x - alpha - alpha * log(x / alpha), -1.5)
        let term23 = x < alpha ? term2 - term3 : term2 + term3
        let term1 = log(x / alpha) * term23 - (2 / alpha).squareRoot() * (alpha + x) / ((alpha - x) * (alpha - x))
        let stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        return S(-stirling * (x * term1) / denom)
    }
    // Fitted coefficients of the rational approximation in u = log(x/α), v = log α.
    let u = log(x / alpha), v = log(alpha)
    let coefficients: [[Double]] = [
        [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
        [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
        [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367,
         -1.5247877e-07],
    ]
    let c = (0..<8).map { coefficients[0][$0] + u * (coefficients[1][$0] + u * coefficients[2][$0]) }
    let p = c[0] + v * (c[1] + v * (c[2] + v * c[3]))
    let q = c[4] + v * (c[5] + v * (c[6] + v * c[7]))
    return S(exp(p / q))
}

/// ∂x/∂α of a Beta(α, β) draw near 0, by a Taylor expansion in `S` (`_beta_grad_alpha_small`).
private func betaGradAlphaSmall<S: GammaScalar>(_ x: S, _ alpha: S, _ beta: S) -> S {
    let factor = digammaOne(alpha) - digammaOne(alpha + beta) - S.logarithm(x)
    var numer: S = 1
    var series = numer / alpha * (factor + 1 / alpha)
    for i in 1...10 {
        let fi = S(i)
        numer *= (fi - beta) * x / fi
        let denom = alpha + fi
        series += numer / denom * (factor + 1 / denom)
    }
    let result = x * S.power(1 - x, -beta) * series
    return result.isNaN ? 0 : result
}

/// ∂x/∂β of a Beta(α, β) draw near 0, by a Taylor expansion in `S` (`_beta_grad_beta_small`).
private func betaGradBetaSmall<S: GammaScalar>(_ x: S, _ alpha: S, _ beta: S) -> S {
    let factor = digammaOne(alpha + beta) - digammaOne(beta)
    var numer: S = 1, betas: S = 1, dbetas: S = 0, series = factor / alpha
    for i in 1...8 {
        let fi = S(i)
        numer *= -x / fi
        dbetas = dbetas * (beta - fi) + betas
        betas = betas * (beta - fi)
        series += numer / (alpha + fi) * (dbetas + factor * betas)
    }
    let result = -S.power(1 - x, 1 - beta) * series
    return result.isNaN ? 0 : result
}

/// ∂x/∂α of a Beta draw when α and β are both large: Rice's saddle-point expansion in
/// float64 (`_beta_grad_alpha_mid`).
private func betaGradAlphaMid(_ x: Double, _ alpha: Double, _ beta: Double) -> Double {
    let total = alpha + beta
    let mean = alpha / total
    let std = (alpha * beta / (total + 1)).squareRoot() / total
    if mean - 0.1 * std <= x && x <= mean + 0.1 * std {
        // Avoids the singularity at x = mean.
        let b2 = beta * beta
        var poly = 8 * (1 - x) * (135 * beta - 11)
        poly = (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * poly
        poly = 3 * (59 + 180 * beta - 90 * x) * b2 + alpha * poly
        poly = (43 + 20 * (16 + 27 * beta) * x) * b2 * beta + alpha * poly
        poly = 47 * x * b2 * b2 + alpha * poly
        let prefactorNum = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
        let prefactorDen = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
        return prefactorNum / (1 - x) * poly / prefactorDen
    }
    let prefactor = -x / (2 * alpha * beta / total).squareRoot()
    let stirling = (1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha)) * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
        / (1 + 1 / (12 * total) + 1 / (288 * total * total))
    let term1Num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    let axbx = alpha * (x - 1) + beta * x
    let term1Den = (2 * alpha / beta).squareRoot() * pow(total, 1.5) * axbx * axbx
    let term1 = term1Num / term1Den
    let term2 = 0.5 * log(alpha / (total * x))
    let term3 = (8 * alpha * beta / total).squareRoot() / (beta * x + alpha * (x - 1))
    let term4Base = beta * log(beta / (total * (1 - x))) + alpha * log(alpha / (total * x))
    let term4 = pow(term4Base, -1.5)
    let term1234 = term1 + term2 * (term3 + (x < mean ? term4 : -term4))
    return stirling * prefactor * term1234
}

/// Fitted coefficients of the rational correction in `dirichletGradOne`, indexed
/// `[numerator/denominator][power of u][power of a][power of b]`.
private let dirichletCorrection: [[[[Double]]]] = [
    [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
      [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
      [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
     [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
      [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
      [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
     [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
      [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
      [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
    [[[1, -0.02924021934, -0.04438342661, 0.007285809825],
      [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
      [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
     [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
      [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
      [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
     [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
      [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
      [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]],
]

/// The scaled reparameterised gradient `-(∂/∂α F(x; α, β)) / f(x; α, β) / (1 - x)` of a
/// Beta(α, total - α) draw `x` (`dirichlet_grad_one<S, double>`): Taylor expansions near 0
/// and 1, a saddle-point expansion when both parameters exceed 6, otherwise a rational
/// correction to an analytic approximation.
func dirichletGradOne<S: GammaScalar>(x: S, alpha: S, total: S) -> S {
    let xd = Double(x), alphaD = Double(alpha), totalD = Double(total)
    let beta = total - alpha, betaD = totalD - alphaD
    let boundary = total * x * (1 - x)
    if x <= 0.5 && boundary < 2.5 { return betaGradAlphaSmall(x, alpha, beta) }
    if x >= 0.5 && boundary < 0.75 { return -betaGradBetaSmall(1 - x, beta, alpha) }
    if alpha > 6 && beta > 6 { return S(betaGradAlphaMid(xd, alphaD, betaD)) }
    let u = log(xd)
    let a = log(alphaD) - u
    let b = log(totalD) - a
    let powU = [1, u, u * u], powA = [1, a, a * a]
    var p = 0.0, q = 0.0
    for i in 0..<3 {
        for j in 0..<3 {
            let ua = powU[i] * powA[j]
            let n = dirichletCorrection[0][i][j], d = dirichletCorrection[1][i][j]
            p += ua * (n[0] + b * (n[1] + b * (n[2] + b * n[3])))
            q += ua * (d[0] + b * (d[1] + b * (d[2] + b * d[3])))
        }
    }
    // ψ is evaluated on the float64 values rounded to `S`, as the C++ template's argument.
    let approx = xd * (Double(digammaOne(S(totalD))) - Double(digammaOne(S(alphaD)))) / betaD
    return S(p / q * approx)
}

/// ``standardGammaGradOne(alpha:x:)`` over dense operands.
func standardGammaGradKernel<S: GammaScalar>(_ alpha: UnsafePointer<S>, _ x: UnsafePointer<S>, _ out: UnsafeMutablePointer<S>,
                                             count: Int) {
    for i in 0..<count { out[i] = standardGammaGradOne(alpha: alpha[i], x: x[i]) }
}

/// ``dirichletGradOne(x:alpha:total:)`` over dense operands.
func dirichletGradKernel<S: GammaScalar>(_ x: UnsafePointer<S>, _ alpha: UnsafePointer<S>, _ total: UnsafePointer<S>,
                                         _ out: UnsafeMutablePointer<S>, count: Int) {
    for i in 0..<count { out[i] = dirichletGradOne(x: x[i], alpha: alpha[i], total: total[i]) }
}

/// `torch._standard_gamma` on dense `alpha` into dense `out` (same dtype), drawing from `generator`.
func standardGammaKernel(_ alpha: Tensor, into out: Tensor, generator: Generator) {
    struct Visitor: SIMDFloatVisitor {
        let alpha: Tensor, out: Tensor, generator: Generator
        func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }
        func run<S: GammaScalar & TensorScalar>(_: S.Type) {
            let a = UnsafePointer(alpha.pointer(as: S.self)), o = out.pointer(as: S.self), n = out.numel
            generator.draw { standardGammaKernel(a, o, count: n, &$0) }
        }
    }
    alpha.dtype.dispatchSIMDFloat(Visitor(alpha: alpha, out: out, generator: generator))
}

/// `torch._standard_gamma_grad` on dense, same-shape `alpha` and `x` into dense `out`.
func standardGammaGradKernel(_ alpha: Tensor, _ x: Tensor, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let alpha: Tensor, x: Tensor, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }
        func run<S: GammaScalar & TensorScalar>(_: S.Type) {
            standardGammaGradKernel(alpha.pointer(as: S.self), x.pointer(as: S.self), out.pointer(as: S.self), count: out.numel)
        }
    }
    alpha.dtype.dispatchSIMDFloat(Visitor(alpha: alpha, x: x, out: out))
}

/// `torch._sample_dirichlet` on dense `alpha`: the float64 Gamma draws into dense `gamma`,
/// then each over its row's sum (`sums`, computed by the op between the two calls) into `out`.
func dirichletGammaKernel(_ alpha: Tensor, into gamma: Tensor, generator: Generator) {
    struct Visitor: SIMDFloatVisitor {
        let alpha: Tensor, gamma: Tensor, generator: Generator
        func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }
        func run<S: GammaScalar & TensorScalar>(_: S.Type) {
            let a = UnsafePointer(alpha.pointer(as: S.self)), g = gamma.pointer(as: Double.self), n = alpha.numel
            generator.draw { dirichletGammaKernel(a, g, count: n, &$0) }
        }
    }
    alpha.dtype.dispatchSIMDFloat(Visitor(alpha: alpha, gamma: gamma, generator: generator))
}

/// The normalisation of ``dirichletGammaKernel(_:into:generator:)``'s float64 draws by
/// their rows' float64 `sums` (rows of `k`), rounded into dense `out`.
func dirichletNormalizeKernel(_ gamma: Tensor, _ sums: Tensor, k: Int, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let gamma: Tensor, sums: Tensor, k: Int, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }
        func run<S: GammaScalar & TensorScalar>(_: S.Type) {
            dirichletNormalizeKernel(gamma.pointer(as: Double.self), sums.pointer(as: Double.self), out.pointer(as: S.self),
                                     count: out.numel, k: k)
        }
    }
    out.dtype.dispatchSIMDFloat(Visitor(gamma: gamma, sums: sums, k: k, out: out))
}

/// `torch._dirichlet_grad` on dense, same-shape `x`, `alpha` and `total` into dense `out`.
func dirichletGradKernel(_ x: Tensor, _ alpha: Tensor, _ total: Tensor, into out: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let x: Tensor, alpha: Tensor, total: Tensor, out: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) { run(T.self) }
        func run<S: GammaScalar & TensorScalar>(_: S.Type) {
            dirichletGradKernel(x.pointer(as: S.self), alpha.pointer(as: S.self), total.pointer(as: S.self),
                                out.pointer(as: S.self), count: out.numel)
        }
    }
    x.dtype.dispatchSIMDFloat(Visitor(x: x, alpha: alpha, total: total, out: out))
}
