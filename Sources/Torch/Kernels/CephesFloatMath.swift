/// The float logarithm and sine/cosine that PyTorch's vectorised `normal_` fill runs
/// (`log256_ps`, `sincos256_ps` from avx_mathfun: Cephes polynomials), reproduced to the bit.
///
/// Bit-exactness needs the same operations in the same order, and also the same fusions:
/// PyTorch's compiler turns a multiply whose only use is an add into one FMA, so the Horner
/// steps, the range reduction and a few corrections below are fused multiply-adds, and
/// everything else rounds after each step. Checked against PyTorch 2.15 on millions of
/// normals with no differing bit.
///
/// Speed: the baseline x86-64 target Swift compiles for has no FMA instruction, and
/// `Float.addingProduct` becomes a libm call per lane. So a fused step is done in double
/// instead (the product of two floats is exact there, the sum rounds once more), which is
/// correctly rounded unless that sum was inexact *and* landed exactly halfway between two
/// floats; such a block (about one in 2^29 steps) is redone with libm's exact FMA. The
/// lanes are 4-wide `SIMD4` values, which map one to one onto SSE registers.

typealias Float4 = SIMD4<Float>
private typealias Bits4 = SIMD4<UInt32>

@inline(__always) private func bits(_ x: Float4) -> Bits4 { unsafeBitCast(x, to: Bits4.self) }
@inline(__always) private func float4(_ b: Bits4) -> Float4 { unsafeBitCast(b, to: Float4.self) }
@inline(__always) private func mask(_ m: SIMDMask<SIMD4<Int32>>) -> Bits4 { unsafeBitCast(m, to: Bits4.self) }
@inline(__always) private func splat(_ v: Float) -> Float4 { Float4(repeating: v) }

/// How a fused multiply-add `a * b + c` (one rounding) is computed; `hard` collects lanes
/// whose result could not be trusted.
protocol FusedMultiplyAdd4 {
    static func fused(_ a: Float4, _ b: Float4, _ c: Float4, _ hard: inout SIMD4<UInt32>) -> Float4
}

/// libm's `fmaf` per lane: always exact, slow without an FMA target.
enum ExactFusedMultiplyAdd: FusedMultiplyAdd4 {
    @inline(__always)
    static func fused(_ a: Float4, _ b: Float4, _ c: Float4, _ hard: inout SIMD4<UInt32>) -> Float4 {
        c.addingProduct(a, b)
    }
}

/// The fused step in double, flagging the one case where rounding twice can differ from
/// rounding once: an inexact double sum that sits exactly on a float midpoint.
enum DoubleFusedMultiplyAdd: FusedMultiplyAdd4 {
    @inline(__always)
    static func fused(_ a: Float4, _ b: Float4, _ c: Float4, _ hard: inout SIMD4<UInt32>) -> Float4 {
        let p = SIMD4<Double>(a) * SIMD4<Double>(b)
        let cd = SIMD4<Double>(c)
        let s = p + cd
        // TwoSum: the exact rounding error of s.
        let a2 = s - cd
        let b2 = s - a2
        let error = (p - a2) + (cd - b2)
        let low = SIMD4<UInt32>(truncatingIfNeeded: unsafeBitCast(s, to: SIMD4<UInt64>.self))
        let inexact = SIMD4<UInt32>(truncatingIfNeeded: unsafeBitCast(error .!= 0, to: SIMD4<UInt64>.self))
        hard |= mask((low & 0x1FFF_FFFF) .== 0x1000_0000) & inexact
        return Float4(s)
    }
}

/// Natural logarithm of 4 positive floats, as `log256_ps` computes it.
@inline(__always)
func cephesLog4<F: FusedMultiplyAdd4>(_ input: Float4, _: F.Type, _ hard: inout SIMD4<UInt32>) -> Float4 {
    let minNormal = splat(Float(bitPattern: 0x0080_0000))
    // _mm256_max_ps keeps its second operand unless the first is strictly greater.
    let greater = mask(input .> minNormal)
    var b = (greater & bits(input)) | (~greater & bits(minNormal))
    let exponent = SIMD4<Int32>(truncatingIfNeeded: b &>> 23) &- 0x7F
    b = (b & ~Bits4(repeating: 0x7F80_0000)) | Bits4(repeating: 0x3F00_0000)
    var x = float4(b)
    var e = Float4(exponent) + 1
    let small = mask(x .< splat(0.707106781186547524))
    let tmp = float4(small & bits(x))
    x = x - 1
    e = e - float4(small & bits(splat(1)))
    x = x + tmp
    let z = x * x
    var y = F.fused(splat(7.0376836292E-2), x, splat(-1.1514610310E-1), &hard)
    y = F.fused(y, x, splat(1.1676998740E-1), &hard)
    y = F.fused(y, x, splat(-1.2420140846E-1), &hard)
    y = F.fused(y, x, splat(1.4249322787E-1), &hard)
    y = F.fused(y, x, splat(-1.6668057665E-1), &hard)
    y = F.fused(y, x, splat(2.0000714765E-1), &hard)
    y = F.fused(y, x, splat(-2.4999993993E-1), &hard)
    y = F.fused(y, x, splat(3.3333331174E-1), &hard)
    y = y * x
    y = F.fused(y, z, e * splat(-2.12194440e-4), &hard)
    y = F.fused(-z, splat(0.5), y, &hard)
    x = x + y
    x = F.fused(e, splat(0.693359375), x, &hard)
    return float4(bits(x) | mask(input .<= 0))  // NaN for non-positive input
}

/// Sine and cosine of 4 angles in [0, 2π], as `sincos256_ps` computes them.
///
/// The octant `(trunc(x·4/π) + 1) & ~1` is found by comparisons, which is exact on this
/// range and spares a float-to-integer conversion the baseline target does per lane.
@inline(__always)
func cephesSinCosOfAngle4<F: FusedMultiplyAdd4>(_ input: Float4, _: F.Type, _ hard: inout SIMD4<UInt32>) -> (sin: Float4, cos: Float4) {
    let inputBits = bits(input)
    var signSin = inputBits & 0x8000_0000
    var x = float4(inputBits & 0x7FFF_FFFF)
    var y = x * splat(1.27323954473516)
    // Each mask is -1 where set: their sum is minus the number of odd octant bounds passed.
    let passed = SIMD4<Int32>(truncatingIfNeeded: mask(y .>= splat(1))) &+ SIMD4<Int32>(truncatingIfNeeded: mask(y .>= splat(3)))
        &+ SIMD4<Int32>(truncatingIfNeeded: mask(y .>= splat(5))) &+ SIMD4<Int32>(truncatingIfNeeded: mask(y .>= splat(7)))
    let j = (SIMD4<Int32>.zero &- passed) &* 2
    y = Float4(j)
    let jb = Bits4(truncatingIfNeeded: j)
    let swapSin = (jb & 4) &<< 29
    let cosPolynomialForSin = mask((jb & 2) .== 0)
    // Extended-precision reduction: x - y * pi/4 in three pieces.
    x = F.fused(y, splat(-0.78515625), x, &hard)
    x = F.fused(y, splat(-2.4187564849853515625e-4), x, &hard)
    x = F.fused(y, splat(-3.77489497744594108e-8), x, &hard)
    let signCos = (~(jb &- 2) & 4) &<< 29
    signSin ^= swapSin
    let z = x * x
    var yc = F.fused(splat(2.443315711809948E-005), z, splat(-1.388731625493765E-003), &hard)
    yc = F.fused(yc, z, splat(4.166664568298827E-002), &hard)
    yc = yc * z
    yc = F.fused(yc, z, -(z * splat(0.5)), &hard)
    yc = yc + 1
    var ys = F.fused(splat(-1.9515295891E-4), z, splat(8.3321608736E-3), &hard)
    ys = F.fused(ys, z, splat(-1.6666654611E-1), &hard)
    ys = ys * z
    ys = F.fused(ys, x, x, &hard)
    // Select as the original does (mask, subtract, add), which also fixes the signs of zeros.
    let sinFromSin = float4(cosPolynomialForSin & bits(ys))
    let sinFromCos = float4(~cosPolynomialForSin & bits(yc))
    let s = sinFromCos + sinFromSin
    let c = (yc - sinFromCos) + (ys - sinFromSin)
    return (float4(bits(s) ^ signSin), float4(bits(c) ^ signCos))
}

/// Box-Muller on lanes `4k..<4k+4` (radii) and `8+4k..<12+4k` (angles) of a 16-block.
@inline(__always)
private func boxMuller4<F: FusedMultiplyAdd4>(
    _ p: UnsafeMutablePointer<Float>, _ k: Int, mean: Float, std: Float, _: F.Type, _ hard: inout SIMD4<UInt32>
) -> (Float4, Float4) {
    let raw = UnsafeRawPointer(p)
    let u1 = 1 - raw.loadUnaligned(fromByteOffset: 16 * k, as: Float4.self)
    let u2 = raw.loadUnaligned(fromByteOffset: 32 + 16 * k, as: Float4.self)
    let radius = (splat(-2) * cephesLog4(u1, F.self, &hard)).squareRoot()
    let theta = splat(Float(2 * Double.pi)) * u2
    let (s, c) = cephesSinCosOfAngle4(theta, F.self, &hard)
    return (F.fused(radius * c, splat(std), splat(mean), &hard), F.fused(radius * s, splat(std), splat(mean), &hard))
}

/// Box-Muller on 16 uniforms in place, as PyTorch's float `NormalFill16`: the first 8 give
/// the radii (through `1 - u`), the last 8 the angles; cosines land in the first half.
@inline(__always)
func normalFill16(_ p: UnsafeMutablePointer<Float>, mean: Float, std: Float) {
    var hard = SIMD4<UInt32>.zero
    var (a0, b0) = boxMuller4(p, 0, mean: mean, std: std, DoubleFusedMultiplyAdd.self, &hard)
    var (a1, b1) = boxMuller4(p, 1, mean: mean, std: std, DoubleFusedMultiplyAdd.self, &hard)
    if hard != .zero {
        (a0, b0) = boxMuller4(p, 0, mean: mean, std: std, ExactFusedMultiplyAdd.self, &hard)
        (a1, b1) = boxMuller4(p, 1, mean: mean, std: std, ExactFusedMultiplyAdd.self, &hard)
    }
    let raw = UnsafeMutableRawPointer(p)
    raw.storeBytes(of: a0, as: Float4.self)
    raw.storeBytes(of: a1, toByteOffset: 16, as: Float4.self)
    raw.storeBytes(of: b0, toByteOffset: 32, as: Float4.self)
    raw.storeBytes(of: b1, toByteOffset: 48, as: Float4.self)
}
