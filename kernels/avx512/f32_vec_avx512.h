// AVX-512 fp32 vector operations for the templated op kernels
// (kernels/f32_rowops_impl.h, kernels/f32_attention_impl.h). Include only from
// sources compiled with the AVX512 flags (cliprt_isa_sources). Everything here
// has internal linkage so no out-of-line copy can leak into portable code.
//
// Exp: Cody-Waite reduction x = n·ln2 + r, |r| <= ln2/2, degree-7 Taylor
// polynomial, scale by 2^n with vscalefps (exact, handles overflow to +inf and
// gradual underflow). Max error 2 ulp over [-87, 88] (tests/kernels/ops_math_test.cc).
// x <= -104 gives 0, x >= 89 gives +inf, NaN gives NaN.
// Erf: piecewise degree-7 polynomial on 8 intervals of [0, 4) (table generated
// by kernels/math/gen_erf_table.py), 1 beyond; max error 3 ulp; NaN gives NaN.
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

namespace cliprt::kernels::avx512 {
namespace {

#include "kernels/math/f32_erf_table.inc"

struct VecF32 {
  using Reg = __m512;
  static constexpr int kLanes = 16;
  static constexpr const char* kIsaName = "avx512";
  // Attention tile: query rows × (2 key vectors | up to kAttnPvVectors of V),
  // sized to the register file.
  static constexpr int kAttnRows = 6;
  static constexpr int kAttnPvVectors = 4;

  static Reg Zero() { return _mm512_setzero_ps(); }
  static Reg Set1(float v) { return _mm512_set1_ps(v); }
  static Reg Load(const float* p) { return _mm512_loadu_ps(p); }
  static __mmask16 TailMask(int64_t n) { return static_cast<__mmask16>((1u << n) - 1u); }
  // Loads n < kLanes floats; the other lanes hold `fill`.
  static Reg LoadTail(const float* p, int64_t n, float fill) {
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), TailMask(n), p);
  }
  static void Store(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  static void StoreTail(float* p, Reg v, int64_t n) { _mm512_mask_storeu_ps(p, TailMask(n), v); }
  static Reg Add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  static Reg Sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
  static Reg Mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  static Reg Div(Reg a, Reg b) { return _mm512_div_ps(a, b); }
  static Reg Fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }  // a·b + c
  // Returns b when either is NaN, so a running max over NaN data stays NaN-free
  // but the NaN element itself still reaches Exp (and poisons the row).
  static Reg Max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  static Reg Relu(Reg a) { return _mm512_max_ps(_mm512_setzero_ps(), a); }  // keeps NaN
  static float ReduceAdd(Reg v) { return _mm512_reduce_add_ps(v); }
  static float ReduceMax(Reg v) { return _mm512_reduce_max_ps(v); }

  static Reg Exp(Reg x) {
    // max/min take their second operand on NaN: NaN passes through the clamp.
    x = _mm512_min_ps(_mm512_set1_ps(89.0f), _mm512_max_ps(_mm512_set1_ps(-104.0f), x));
    const Reg n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                       _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    Reg r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    Reg p = _mm512_set1_ps(1.0f / 5040.0f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
  }

  static Reg Erf(Reg x) {
    const Reg sign_bit = _mm512_set1_ps(-0.0f);
    const Reg a = _mm512_andnot_ps(sign_bit, x);
    // Interval index k = min(floor(2a), 7); NaN converts to INT_MIN, which
    // only selects some table entry: t is NaN anyway.
    __m512i k = _mm512_cvttps_epi32(_mm512_add_ps(a, a));
    k = _mm512_min_epi32(k, _mm512_set1_epi32(7));
    k = _mm512_max_epi32(k, _mm512_setzero_si512());
    const Reg t = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(k), _mm512_set1_ps(0.5f), a);
    Reg p = _mm512_permutexvar_ps(k, _mm512_load_ps(kErfCoeff[7]));
    for (int i = 6; i >= 0; --i) {
      p = _mm512_fmadd_ps(p, t, _mm512_permutexvar_ps(k, _mm512_load_ps(kErfCoeff[i])));
    }
    // erf(a) rounds to 1 for a >= 4 (also +inf); NaN compares false and stays.
    p = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, _mm512_set1_ps(4.0f), _CMP_GE_OQ), p,
                             _mm512_set1_ps(1.0f));
    return _mm512_or_ps(p, _mm512_and_ps(x, sign_bit));
  }
};

}  // namespace
}  // namespace cliprt::kernels::avx512
