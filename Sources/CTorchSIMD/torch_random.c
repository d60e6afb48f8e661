// See include/torch_random.h. The AVX2 logarithm and sine/cosine of avx_mathfun (Cephes
// polynomials, as PyTorch ships them), written with the same operations in the same order.
// PyTorch's compiler fuses every multiply whose only use is an add into an FMA; those
// places are spelled _mm256_fmadd_ps / _mm256_fnmadd_ps here, and contraction is switched
// off so that no other multiply-add is fused.
#include "torch_random.h"
#include "torch_simd.h"
#include <immintrin.h>

#ifdef __clang__
#pragma clang fp contract(off)
#endif

#define AVX2 __attribute__((target("avx2,fma")))

// Constants are written as PyTorch writes them: double literals rounded to float.
#define PS(v) _mm256_set1_ps((float)(v))
#define PI32(v) _mm256_set1_epi32(v)

static AVX2 inline __m256 log8(__m256 x) {
    const __m256 one = PS(1.0);
    const __m256 invalid = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LE_OS);
    x = _mm256_max_ps(x, _mm256_castsi256_ps(PI32(0x00800000)));
    __m256i imm0 = _mm256_srli_epi32(_mm256_castps_si256(x), 23);
    x = _mm256_and_ps(x, _mm256_castsi256_ps(PI32(~0x7f800000)));
    x = _mm256_or_ps(x, PS(0.5));
    imm0 = _mm256_sub_epi32(imm0, PI32(0x7f));
    __m256 e = _mm256_cvtepi32_ps(imm0);
    e = _mm256_add_ps(e, one);
    const __m256 mask = _mm256_cmp_ps(x, PS(0.707106781186547524), _CMP_LT_OS);
    __m256 tmp = _mm256_and_ps(x, mask);
    x = _mm256_sub_ps(x, one);
    e = _mm256_sub_ps(e, _mm256_and_ps(one, mask));
    x = _mm256_add_ps(x, tmp);
    const __m256 z = _mm256_mul_ps(x, x);
    __m256 y = _mm256_fmadd_ps(PS(7.0376836292E-2), x, PS(-1.1514610310E-1));
    y = _mm256_fmadd_ps(y, x, PS(1.1676998740E-1));
    y = _mm256_fmadd_ps(y, x, PS(-1.2420140846E-1));
    y = _mm256_fmadd_ps(y, x, PS(1.4249322787E-1));
    y = _mm256_fmadd_ps(y, x, PS(-1.6668057665E-1));
    y = _mm256_fmadd_ps(y, x, PS(2.0000714765E-1));
    y = _mm256_fmadd_ps(y, x, PS(-2.4999993993E-1));
    y = _mm256_fmadd_ps(y, x, PS(3.3333331174E-1));
    y = _mm256_mul_ps(y, x);
    y = _mm256_fmadd_ps(y, z, _mm256_mul_ps(e, PS(-2.12194440e-4)));
    y = _mm256_fnmadd_ps(z, PS(0.5), y);
    x = _mm256_add_ps(x, y);
    x = _mm256_fmadd_ps(e, PS(0.693359375), x);
    return _mm256_or_ps(x, invalid);
}

static AVX2 inline void sincos8(__m256 x, __m256 *s, __m256 *c) {
    __m256 sign_bit_sin = _mm256_and_ps(x, _mm256_castsi256_ps(PI32((int)0x80000000)));
    x = _mm256_and_ps(x, _mm256_castsi256_ps(PI32(~0x80000000)));
    __m256 y = _mm256_mul_ps(x, PS(1.27323954473516));
    __m256i imm2 = _mm256_cvttps_epi32(y);
    imm2 = _mm256_add_epi32(imm2, PI32(1));
    imm2 = _mm256_and_si256(imm2, PI32(~1));
    y = _mm256_cvtepi32_ps(imm2);
    __m256i imm4 = imm2;
    __m256i imm0 = _mm256_slli_epi32(_mm256_and_si256(imm2, PI32(4)), 29);
    imm2 = _mm256_cmpeq_epi32(_mm256_and_si256(imm2, PI32(2)), _mm256_setzero_si256());
    const __m256 swap_sign_bit_sin = _mm256_castsi256_ps(imm0);
    const __m256 poly_mask = _mm256_castsi256_ps(imm2);
    x = _mm256_fmadd_ps(y, PS(-0.78515625), x);
    x = _mm256_fmadd_ps(y, PS(-2.4187564849853515625e-4), x);
    x = _mm256_fmadd_ps(y, PS(-3.77489497744594108e-8), x);
    imm4 = _mm256_sub_epi32(imm4, PI32(2));
    imm4 = _mm256_andnot_si256(imm4, PI32(4));
    imm4 = _mm256_slli_epi32(imm4, 29);
    const __m256 sign_bit_cos = _mm256_castsi256_ps(imm4);
    sign_bit_sin = _mm256_xor_ps(sign_bit_sin, swap_sign_bit_sin);
    const __m256 z = _mm256_mul_ps(x, x);
    __m256 yc = _mm256_fmadd_ps(PS(2.443315711809948E-005), z, PS(-1.388731625493765E-003));
    yc = _mm256_fmadd_ps(yc, z, PS(4.166664568298827E-002));
    yc = _mm256_mul_ps(yc, z);
    yc = _mm256_fmsub_ps(yc, z, _mm256_mul_ps(z, PS(0.5)));
    yc = _mm256_add_ps(yc, PS(1.0));
    __m256 ys = _mm256_fmadd_ps(PS(-1.9515295891E-4), z, PS(8.3321608736E-3));
    ys = _mm256_fmadd_ps(ys, z, PS(-1.6666654611E-1));
    ys = _mm256_mul_ps(ys, z);
    ys = _mm256_fmadd_ps(ys, x, x);
    const __m256 ysin2 = _mm256_and_ps(poly_mask, ys);
    const __m256 ysin1 = _mm256_andnot_ps(poly_mask, yc);
    ys = _mm256_sub_ps(ys, ysin2);
    yc = _mm256_sub_ps(yc, ysin1);
    *s = _mm256_xor_ps(_mm256_add_ps(ysin1, ysin2), sign_bit_sin);
    *c = _mm256_xor_ps(_mm256_add_ps(yc, ys), sign_bit_cos);
}

static AVX2 void normal_blocks_avx2(float *data, long blocks, float mean, float std) {
    const __m256 vmean = _mm256_set1_ps(mean), vstd = _mm256_set1_ps(std);
    const __m256 two_pi = PS(2.0 * 3.14159265358979323846);
    for (long b = 0; b < blocks; b++) {
        float *p = data + 16 * b;
        const __m256 u1 = _mm256_sub_ps(PS(1.0), _mm256_loadu_ps(p));
        const __m256 u2 = _mm256_loadu_ps(p + 8);
        const __m256 radius = _mm256_sqrt_ps(_mm256_mul_ps(PS(-2.0), log8(u1)));
        const __m256 theta = _mm256_mul_ps(two_pi, u2);
        __m256 s, c;
        sincos8(theta, &s, &c);
        _mm256_storeu_ps(p, _mm256_fmadd_ps(_mm256_mul_ps(radius, c), vstd, vmean));
        _mm256_storeu_ps(p + 8, _mm256_fmadd_ps(_mm256_mul_ps(radius, s), vstd, vmean));
    }
}

int st_normal_fill16_f32(float *data, long blocks, float mean, float std) {
    if (st_simd_width() < 256) return 0;
    normal_blocks_avx2(data, blocks, mean, std);
    return 1;
}
