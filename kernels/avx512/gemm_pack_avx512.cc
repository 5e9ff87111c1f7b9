// AVX-512 versions of the per-call activation packing for bf16 and int8 (the
// fp32 copy is cheap enough portably). They produce exactly the bytes of the
// portable packers in kernels/gemm_pack.cc — same round-to-nearest-even bf16
// conversion, same float product and rounding for int8 — so a kernel's
// result does not depend on which packer ran.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx512/gemm_activation_avx512.h"
#include "kernels/gemm_pack.h"

namespace cliprt::kernels {
namespace {

inline __mmask16 TailMask(int64_t count) {
  return count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << count) - 1);
}

}  // namespace

void PackGemmActivationsBF16Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k_padded,
                                   int64_t k, int mr, uint16_t* out) {
  const __m512i lsb_mask = _mm512_set1_epi32(1);
  const __m512i bias = _mm512_set1_epi32(0x7fff);
  const __m512i abs_mask = _mm512_set1_epi32(0x7fffffff);
  const __m512i inf_bits = _mm512_set1_epi32(0x7f800000);
  const __m512i quiet = _mm512_set1_epi32(0x40);
  for (int64_t r = 0; r < rows; ++r) {
    uint16_t* dst = out + (r / mr) * mr * k_padded + (r % mr) * 2;
    const float* src = x + r * ldx;
    for (int64_t kk = 0; kk < k_padded; kk += 16) {
      const __m512i u = _mm512_castps_si512(_mm512_maskz_loadu_ps(TailMask(k - kk), src + kk));
      const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(u, 16), lsb_mask);
      __m512i h = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(u, bias), lsb), 16);
      const __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(u, abs_mask), inf_bits);
      h = _mm512_mask_or_epi32(h, nan, _mm512_srli_epi32(u, 16), quiet);
      alignas(32) uint32_t pairs[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(pairs), _mm512_cvtepi32_epi16(h));
      const int64_t groups = (k_padded - kk) >= 16 ? 8 : (k_padded - kk) / 2;
      for (int64_t g = 0; g < groups; ++g) {
        std::memcpy(dst + (kk / 2 + g) * mr * 2, &pairs[g], sizeof(uint32_t));
      }
    }
  }
}

void ComputeGemmRowScalesQS8Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k,
                                   float* scale, float* inv_scale) {
  const __m512 big = _mm512_set1_ps(3.402823466e38f);
  for (int64_t r = 0; r < rows; ++r) {
    const float* src = x + r * ldx;
    __m512 amax = _mm512_setzero_ps();
    __mmask16 not_finite = 0;
    for (int64_t kk = 0; kk < k; kk += 16) {
      const __m512 a = _mm512_abs_ps(_mm512_maskz_loadu_ps(TailMask(k - kk), src + kk));
      not_finite |= _mm512_cmp_ps_mask(a, big, _CMP_NLE_UQ);  // Inf or NaN
      amax = _mm512_max_ps(amax, a);
    }
    if (not_finite != 0) {
      scale[r] = __builtin_nanf("");
      inv_scale[r] = 0.0f;
    } else {
      const float m = _mm512_reduce_max_ps(amax);
      scale[r] = m / 127.0f;
      inv_scale[r] = m > 0.0f ? 127.0f / m : 0.0f;
    }
  }
}

void PackGemmActivationsQS8Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k_padded,
                                  int64_t k, int mr, const float* inv_scale, uint8_t* out) {
  const __m512i lo = _mm512_set1_epi32(-127), hi = _mm512_set1_epi32(127);
  const __m512i offset = _mm512_set1_epi32(128);
  for (int64_t r = 0; r < rows; ++r) {
    uint8_t* dst = out + (r / mr) * mr * k_padded + (r % mr) * 4;
    const float* src = x + r * ldx;
    const float inv = inv_scale[r];
    const __m512 vinv = _mm512_set1_ps(inv);
    for (int64_t kk = 0; kk < k_padded; kk += 16) {
      __m512i q = _mm512_setzero_si512();
      if (inv != 0.0f) {  // 0 for all-zero and non-finite rows: every q is 0
        const __m512 v = _mm512_maskz_loadu_ps(TailMask(k - kk), src + kk);
        q = _mm512_cvtps_epi32(_mm512_mul_ps(v, vinv));  // round half to even
        q = _mm512_min_epi32(_mm512_max_epi32(q, lo), hi);
      }
      alignas(16) uint32_t quads[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(quads),
                      _mm512_cvtepi32_epi8(_mm512_add_epi32(q, offset)));
      const int64_t groups = (k_padded - kk) >= 16 ? 4 : (k_padded - kk) / 4;
      for (int64_t g = 0; g < groups; ++g) {
        std::memcpy(dst + (kk / 4 + g) * mr * 4, &quads[g], sizeof(uint32_t));
      }
    }
  }
}

}  // namespace cliprt::kernels
