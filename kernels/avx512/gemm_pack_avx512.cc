// AVX-512 versions of the per-call activation packing for fp32, bf16 and
// int8. They produce exactly the bytes of the portable packers in
// kernels/gemm_pack.cc — a plain transpose for fp32, the same
// round-to-nearest-even bf16 conversion, the same float product and rounding
// for int8 — so a kernel's result does not depend on which packer ran.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/avx512/gemm_activation_avx512.h"
#include "kernels/gemm_pack.h"

namespace cliprt::kernels {
namespace {

// Lanes [0, count) of 16; none when count <= 0 (a block past the end of K).
inline __mmask16 TailMask(int64_t count) {
  if (count <= 0) return 0;
  return count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << count) - 1);
}

// Transposes a 16×16 block held as 16 row vectors into 16 column vectors
// (in place): 32-bit unpacks, 64-bit unpacks, then two rounds of 128-bit
// lane shuffles.
inline void Transpose16x16(__m512 (&v)[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
  }
  // u[4g + j], lane L: rows 4g..4g+3 of column 4L + j.
  __m512 u[16];
  for (int g = 0; g < 4; ++g) {
    const __m512d t0 = _mm512_castps_pd(t[4 * g]), t1 = _mm512_castps_pd(t[4 * g + 1]);
    const __m512d t2 = _mm512_castps_pd(t[4 * g + 2]), t3 = _mm512_castps_pd(t[4 * g + 3]);
    u[4 * g + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
    u[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
    u[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
    u[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
  }
  for (int j = 0; j < 4; ++j) {
    const __m512 lo01 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x44);   // groups 0,1: lanes 0,1
    const __m512 hi01 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xEE);   // groups 0,1: lanes 2,3
    const __m512 lo23 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x44);
    const __m512 hi23 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xEE);
    v[j] = _mm512_shuffle_f32x4(lo01, lo23, 0x88);       // column j
    v[4 + j] = _mm512_shuffle_f32x4(lo01, lo23, 0xDD);   // column 4 + j
    v[8 + j] = _mm512_shuffle_f32x4(hi01, hi23, 0x88);   // column 8 + j
    v[12 + j] = _mm512_shuffle_f32x4(hi01, hi23, 0xDD);  // column 12 + j
  }
}

// bf16 bits (in the low half of each 32-bit lane) of 16 floats given as
// bits: round to nearest even, NaN kept quiet — GemmFloatToBf16, vectorized.
// (vcvtneps2bf16 would flush denormals to zero.)
inline __m512i Bf16Bits(__m512i u) {
  const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1));
  const __m512i h =
      _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7fff)), lsb), 16);
  const __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(u, _mm512_set1_epi32(0x7fffffff)),
                                                _mm512_set1_epi32(0x7f800000));
  return _mm512_mask_or_epi32(h, nan, _mm512_srli_epi32(u, 16), _mm512_set1_epi32(0x40));
}

}  // namespace

void PackGemmActivationsF32Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k, int mr,
                                  float* out) {
  // One micro-panel (up to mr <= 16 rows) and 16 columns of K at a time:
  // load its rows, transpose, store each column's `panel_rows` values where
  // the micro-kernel reads them (k-major, mr apart). Rows past the panel and
  // columns past K are neither read nor written, as in the portable packer.
  for (int64_t row0 = 0; row0 < rows; row0 += mr) {
    const int panel_rows = static_cast<int>(std::min<int64_t>(mr, rows - row0));
    const __mmask16 row_mask = TailMask(panel_rows);
    float* dst = out + row0 * k;
    const float* src = x + row0 * ldx;
    for (int64_t kk = 0; kk < k; kk += 16) {
      const __mmask16 k_mask = TailMask(k - kk);
      __m512 v[16];
      for (int r = 0; r < 16; ++r) {
        v[r] = r < panel_rows ? _mm512_maskz_loadu_ps(k_mask, src + r * ldx + kk)
                              : _mm512_setzero_ps();
      }
      Transpose16x16(v);
      const int64_t columns = std::min<int64_t>(16, k - kk);
      for (int64_t c = 0; c < columns; ++c) {
        _mm512_mask_storeu_ps(dst + (kk + c) * mr, row_mask, v[c]);
      }
    }
  }
}

void PackGemmActivationsBF16Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k_padded,
                                   int64_t k, int mr, uint16_t* out) {
  // Like the fp32 packer, on bf16 pairs: one micro-panel (mr <= 16 rows) and
  // 32 values of K at a time. Each row's 32 floats become 16 dwords (one
  // k-pair each, rounded as GemmFloatToBf16 does); the 16×16 dword block is
  // transposed and each pair's column stored where the kernel reads it.
  uint32_t* out32 = reinterpret_cast<uint32_t*>(out);
  for (int64_t row0 = 0; row0 < rows; row0 += mr) {
    const int panel_rows = static_cast<int>(std::min<int64_t>(mr, rows - row0));
    const __mmask16 row_mask = TailMask(panel_rows);
    uint32_t* dst = out32 + row0 * (k_padded / 2);
    const float* src = x + row0 * ldx;
    for (int64_t kk = 0; kk < k_padded; kk += 32) {
      const __mmask16 lo_mask = TailMask(k - kk);
      const __mmask16 hi_mask = TailMask(k - kk - 16);
      __m512 v[16];
      for (int r = 0; r < 16; ++r) {
        if (r >= panel_rows) {
          v[r] = _mm512_setzero_ps();
          continue;
        }
        const float* row = src + r * ldx + kk;
        const __m256i lo = _mm512_cvtepi32_epi16(
            Bf16Bits(_mm512_castps_si512(_mm512_maskz_loadu_ps(lo_mask, row))));
        const __m256i hi = _mm512_cvtepi32_epi16(
            Bf16Bits(_mm512_castps_si512(_mm512_maskz_loadu_ps(hi_mask, row + 16))));
        v[r] = _mm512_castsi512_ps(_mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1));
      }
      Transpose16x16(v);
      const int64_t pairs = std::min<int64_t>(16, (k_padded - kk) / 2);
      for (int64_t c = 0; c < pairs; ++c) {
        _mm512_mask_storeu_epi32(dst + (kk / 2 + c) * mr, row_mask, _mm512_castps_si512(v[c]));
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
