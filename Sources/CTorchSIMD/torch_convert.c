// See include/torch_convert.h. The scalar forms below are the definition every width follows
// bit for bit (BFloat16ConversionLoopTests checks each width against Swift's BFloat16); the
// vector loops run them on 16 or 8 lanes (AVX-512F's zero-extend and truncating moves
// between 16- and 32-bit lanes) and finish the tail with the scalar form.
#include "torch_convert.h"
#include "torch_simd.h"
#include <immintrin.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f,avx512dq")))
#define AVX2 __attribute__((target("avx2,fma")))

static inline float widen(uint16_t b) {
    uint32_t bits = (uint32_t)b << 16;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static inline uint16_t narrow(float f) {
    if (f != f) return 0xFFFF;
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    uint32_t bias = ((bits >> 16) & 1) + 0x7FFF;
    return (uint16_t)((bits + bias) >> 16);
}

AVX512 static void bf16_to_f32_512(const uint16_t *x, float *y, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i w = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(x + i)));
        _mm512_storeu_si512((void *)(y + i), _mm512_slli_epi32(w, 16));
    }
    for (; i < n; i++) y[i] = widen(x[i]);
}

AVX512 static void f32_to_bf16_512(const float *x, uint16_t *y, long n) {
    const __m512i one = _mm512_set1_epi32(1), half = _mm512_set1_epi32(0x7FFF);
    const __m512i nan = _mm512_set1_epi32(0xFFFF);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        __m512i bits = _mm512_castps_si512(v);
        __m512i bias = _mm512_add_epi32(_mm512_and_si512(_mm512_srli_epi32(bits, 16), one), half);
        __m512i r = _mm512_srli_epi32(_mm512_add_epi32(bits, bias), 16);
        r = _mm512_mask_blend_epi32(_mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), r, nan);
        _mm256_storeu_si256((__m256i *)(y + i), _mm512_cvtepi32_epi16(r));
    }
    for (; i < n; i++) y[i] = narrow(x[i]);
}

AVX2 static void bf16_to_f32_256(const uint16_t *x, float *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(x + i)));
        _mm256_storeu_si256((__m256i *)(y + i), _mm256_slli_epi32(w, 16));
    }
    for (; i < n; i++) y[i] = widen(x[i]);
}

AVX2 static void f32_to_bf16_256(const float *x, uint16_t *y, long n) {
    const __m256i one = _mm256_set1_epi32(1), half = _mm256_set1_epi32(0x7FFF);
    const __m256i nan = _mm256_set1_epi32(0xFFFF);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i r[2];
        for (int h = 0; h < 2; h++) {
            __m256 v = _mm256_loadu_ps(x + i + 8 * h);
            __m256i bits = _mm256_castps_si256(v);
            __m256i bias = _mm256_add_epi32(_mm256_and_si256(_mm256_srli_epi32(bits, 16), one), half);
            __m256i q = _mm256_srli_epi32(_mm256_add_epi32(bits, bias), 16);
            __m256i isnan = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q));
            r[h] = _mm256_blendv_epi8(q, nan, isnan);
        }
        // packus interleaves 128-bit lanes (a0 b0 a1 b1); the permute restores the order.
        __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(r[0], r[1]), 0xD8);
        _mm256_storeu_si256((__m256i *)(y + i), packed);
    }
    for (; i < n; i++) y[i] = narrow(x[i]);
}

void st_bf16_to_f32(const uint16_t *x, float *y, long n) {
    switch (st_simd_width()) {
    case 512: bf16_to_f32_512(x, y, n); return;
    case 256: bf16_to_f32_256(x, y, n); return;
    default: for (long i = 0; i < n; i++) y[i] = widen(x[i]);
    }
}

void st_f32_to_bf16(const float *x, uint16_t *y, long n) {
    switch (st_simd_width()) {
    case 512: f32_to_bf16_512(x, y, n); return;
    case 256: f32_to_bf16_256(x, y, n); return;
    default: for (long i = 0; i < n; i++) y[i] = narrow(x[i]);
    }
}
