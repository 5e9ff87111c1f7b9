// AVX2+FMA fp32 vector operations for the templated op kernels
// (kernels/f32_rowops_impl.h, kernels/f32_attention_impl.h). Include only from
// sources compiled with the AVX2 flags (cliprt_isa_sources). Internal linkage
// throughout, so no out-of-line copy can leak into portable code.
//
// Same algorithms as kernels/avx512/f32_vec_avx512.h: Exp is Cody-Waite +
// degree-7 Taylor; 2^n is applied as two exact power-of-two factors so that
// overflow gives +inf and tiny results underflow gradually (max error 2 ulp
// over [-87, 88]). Erf is the same piecewise table (max error 3 ulp).
#pragma once

// GCC 12's intrinsics build their unmasked forms on a deliberately
// self-initialized "undefined" vector, which -W(maybe-)uninitialized reports
// once inlined (a false positive, fixed in later GCC). This header is included
// only by the kernel sources of its ISA, so the suppression stays there
// (clang has no such warning, nor -Wmaybe-uninitialized).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include <cstdint>

namespace cliprt::kernels::avx2 {
namespace {

#include "kernels/math/f32_erf_table.inc"

alignas(32) const int32_t kTailMaskTable[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                                0,  0,  0,  0,  0,  0,  0,  0};

struct VecF32 {
  using Reg = __m256;
  static constexpr int kLanes = 8;
  static constexpr const char* kIsaName = "avx2";
  // Attention tile: query rows × (2 key vectors | up to kAttnPvVectors of V),
  // sized to the register file.
  static constexpr int kAttnRows = 4;
  static constexpr int kAttnPvVectors = 2;

  static Reg Zero() { return _mm256_setzero_ps(); }
  static Reg Set1(float v) { return _mm256_set1_ps(v); }
  static Reg Load(const float* p) { return _mm256_loadu_ps(p); }
  static __m256i TailMask(int64_t n) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kTailMaskTable + 8 - n));
  }
  static Reg LoadTail(const float* p, int64_t n, float fill) {
    const __m256i m = TailMask(n);
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m),
                            _mm256_castsi256_ps(m));
  }
  static void Store(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static void StoreTail(float* p, Reg v, int64_t n) { _mm256_maskstore_ps(p, TailMask(n), v); }
  static Reg Add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  static Reg Sub(Reg a, Reg b) { return _mm256_sub_ps(a, b); }
  static Reg Mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  static Reg Div(Reg a, Reg b) { return _mm256_div_ps(a, b); }
  static Reg Fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg Max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
  static Reg Relu(Reg a) { return _mm256_max_ps(_mm256_setzero_ps(), a); }
  static float ReduceAdd(Reg v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static float ReduceMax(Reg v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }

  static Reg Exp(Reg x) {
    x = _mm256_min_ps(_mm256_set1_ps(89.0f), _mm256_max_ps(_mm256_set1_ps(-104.0f), x));
    const Reg n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                  _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    Reg r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    Reg p = _mm256_set1_ps(1.0f / 5040.0f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 720.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    // n in [-150, 129]: 2^n = 2^n1 · 2^n2 with n1 = n>>1, both factors normal.
    const __m256i ni = _mm256_cvtps_epi32(n);
    const __m256i n1 = _mm256_srai_epi32(ni, 1);
    const __m256i n2 = _mm256_sub_epi32(ni, n1);
    const __m256i bias = _mm256_set1_epi32(127);
    const Reg s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
    const Reg s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
    return _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
  }

  static Reg Erf(Reg x) {
    const Reg sign_bit = _mm256_set1_ps(-0.0f);
    const Reg a = _mm256_andnot_ps(sign_bit, x);
    __m256i k = _mm256_cvttps_epi32(_mm256_add_ps(a, a));
    k = _mm256_min_epi32(k, _mm256_set1_epi32(7));
    k = _mm256_max_epi32(k, _mm256_setzero_si256());
    const Reg t = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(k), _mm256_set1_ps(0.5f), a);
    Reg p = _mm256_permutevar8x32_ps(_mm256_load_ps(kErfCoeff[7]), k);
    for (int i = 6; i >= 0; --i) {
      p = _mm256_fmadd_ps(p, t, _mm256_permutevar8x32_ps(_mm256_load_ps(kErfCoeff[i]), k));
    }
    p = _mm256_blendv_ps(p, _mm256_set1_ps(1.0f), _mm256_cmp_ps(a, _mm256_set1_ps(4.0f), _CMP_GE_OQ));
    return _mm256_or_ps(p, _mm256_and_ps(x, sign_bit));
  }
};

}  // namespace
}  // namespace cliprt::kernels::avx2
