#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element functions behind `digamma`, `polygamma` and `lgamma`, computed as PyTorch's CPU
/// kernels compute them (`ATen/native/Math.h`, after the Cephes library): the float32
/// versions do their arithmetic in float32, the Hurwitz zeta in float64 (CPU accumulate
/// type), so results agree with PyTorch's to the rounding of the system's `log`/`pow`.

/// ψ(10), where the upward recurrence stops exactly on 10.
private let psi10 = 2.25175258906672110764

/// The asymptotic series coefficients of ψ(x) - log x + 1/2x, highest power first.
private let digammaSeries: [Double] = [
    8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
    -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
    8.33333333333333333333E-2,
]

/// The same coefficients rounded to float32, as the float32 kernel holds them.
private let digammaSeriesFloat: [Float] = digammaSeries.map { Float($0) }

/// Horner evaluation of `coefficients` (highest power first) at `x`.
@inline(__always)
func evaluatePolynomial<T: BinaryFloatingPoint>(_ x: T, _ coefficients: [T]) -> T {
    var result: T = 0
    for c in coefficients { result = result * x + c }
    return result
}

/// ψ(x) in float64 (`calc_digamma(double)`): ±∞ at ±0, NaN at negative integers, the
/// reflection formula below zero, recurrence up to 10, then the asymptotic series.
func digammaDouble(_ input: Double) -> Double {
    var x = input
    if x == 0 { return x.sign == .minus ? .infinity : -.infinity }
    if x < 0 {
        if x == x.rounded(.towardZero) { return .nan }
        // tan(π·frac(x)) is more accurate than tan(π·x) for |x| > 1.
        let fraction = x - x.rounded(.towardZero)
        return digammaDouble(1 - x) - Double.pi / tan(Double.pi * fraction)
    }
    var result = 0.0
    while x < 10 {
        result -= 1 / x
        x += 1
    }
    if x == 10 { return result + psi10 }
    var y = 0.0
    if x < 1.0e17 {
        let z = 1.0 / (x * x)
        y = z * evaluatePolynomial(z, digammaSeries)
    }
    return result + log(x) - (0.5 / x) - y
}

/// ψ(x) in float32 arithmetic (`calc_digamma(float)`).
func digammaFloat(_ input: Float) -> Float {
    var x = input
    if x == 0 { return x.sign == .minus ? .infinity : -.infinity }
    if x < 0 {
        if x == x.rounded(.towardZero) { return .nan }
        let fraction = Double(x) - Double(x).rounded(.towardZero)
        let reflection = Float(Double.pi / tan(Double.pi * fraction))
        return digammaFloat(1 - x) - reflection
    }
    var result: Float = 0
    while x < 10 {
        result -= 1 / x
        x += 1
    }
    if x == 10 { return result + Float(psi10) }
    var y: Float = 0
    if x < 1.0e17 {
        let z = 1 / (x * x)
        y = z * evaluatePolynomial(z, digammaSeriesFloat)
    }
    return result + logf(x) - (0.5 / x) - y
}

/// ψ'(x) in float64 (`trigamma(double)`): reflection below ½, six recurrence steps, then the
/// asymptotic series.
func trigammaDouble(_ input: Double) -> Double {
    var x = input, sign = 1.0, result = 0.0
    if x < 0.5 {
        sign = -1
        let s = sin(Double.pi * x)
        result -= (Double.pi * Double.pi) / (s * s)
        x = 1 - x
    }
    for _ in 0..<6 {
        result += 1 / (x * x)
        x += 1
    }
    let ixx = 1 / (x * x)
    result += (1 + 1 / (2 * x) + ixx * (1.0 / 6 - ixx * (1.0 / 30 - ixx * (1.0 / 42)))) / x
    return sign * result
}

/// π rounded to the nearest float32, as `c10::pi<float>` (Swift's `Float.pi` is rounded
/// toward zero).
private let piFloat = Float(Double.pi)

/// ψ'(x) in float32 arithmetic (`trigamma(float)`).
func trigammaFloat(_ input: Float) -> Float {
    var x = input, sign: Float = 1, result: Float = 0
    if x < 0.5 {
        sign = -1
        let s = sinf(piFloat * x)
        result -= (piFloat * piFloat) / (s * s)
        x = 1 - x
    }
    for _ in 0..<6 {
        result += 1 / (x * x)
        x += 1
    }
    let ixx = 1 / (x * x)
    result += (1 + 1 / (2 * x) + ixx * (Float(1) / 6 - ixx * (Float(1) / 30 - ixx * (Float(1) / 42)))) / x
    return sign * result
}

/// Euler–Maclaurin coefficients of the Hurwitz zeta tail: (2k)! / B₂ₖ.
private let zetaCoefficients: [Double] = [
    12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
    -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
    1.8152105401943546773e17, -7.1661652561756670113e18,
]

/// The Hurwitz zeta function ζ(x, q) = Σₖ (k + q)^-x in float64 (`zeta` with the CPU
/// accumulate type): direct summation until the terms are negligible or q passes 9, then
/// the Euler–Maclaurin tail.
func hurwitzZeta(_ x: Double, _ q: Double) -> Double {
    let machineEpsilon = 1.11022302462515654042E-16
    if x == 1 { return .infinity }
    if x < 1 { return .nan }
    if q <= 0 {
        if q == q.rounded(.down) { return .infinity }
        if x != x.rounded(.down) { return .nan }
    }
    var s = pow(q, -x), a = q, b = 0.0, i = 0
    while i < 9 || a <= 9 {
        i += 1
        a += 1
        b = pow(a, -x)
        s += b
        if -machineEpsilon * s < b && b < machineEpsilon * s { return s }
    }
    let w = a
    s += b * w / (x - 1)
    s -= 0.5 * b
    a = 1
    var k = 0.0
    for coefficient in zetaCoefficients {
        a *= x + k
        b /= w
        var t = a * b / coefficient
        s += t
        t = abs(t / s)
        if t < machineEpsilon { return s }
        k += 1
        a *= x + k
        b /= w
        k += 1
    }
    return s
}

/// ψ⁽ⁿ⁾(x) for n ≥ 2 in float64: (-1)ⁿ⁺¹ n! ζ(n + 1, x) (`calc_polygamma`).
func polygammaDouble(_ n: Int, _ x: Double) -> Double {
    (n % 2 == 1 ? 1.0 : -1.0) * exp(lgamma(Double(n) + 1)) * hurwitzZeta(Double(n + 1), x)
}

/// ψ⁽ⁿ⁾(x) for n ≥ 2 with float32 factors (the zeta itself in float64, then rounded).
func polygammaFloat(_ n: Int, _ x: Float) -> Float {
    (n % 2 == 1 ? Float(1) : -1) * expf(lgammaf(Float(n) + 1)) * Float(hurwitzZeta(Double(n + 1), Double(x)))
}
