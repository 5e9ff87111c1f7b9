// Vectorized GEMM-epilogue activations for AVX-512 sources (include only from
// files compiled with the AVX512 flags). Accuracy, measured against the double
// definitions in GemmActivationScalar: a few ulp relative (docs/kernels.md).
//   exp:        Cephes-style range reduction + degree-6 polynomial, scalef.
//   QuickGELU:  x / (1 + exp(-1.702x)).
//   GELU tanh:  0.5x(1 + tanh(u)) == x / (1 + exp(-2u)), u = √(2/π)(x + 0.044715x³).
//   GELU erf:   x·Φ(x) with Φ from erfc(z) = t·exp(-z² + P(t)), t = 1/(1 + z/2)
//               (Numerical Recipes "erfcc", relative error < 1.2e-7 for all
//               z >= 0), so the negative tail keeps its relative accuracy.
// NaN inputs give NaN (the clamps keep NaN in their second operand).
#pragma once

// GCC 12's AVX-512 intrinsics build their unmasked forms on a deliberately
// self-initialized "undefined" vector, which -Wmaybe-uninitialized reports
// once inlined (a false positive fixed in later GCC). This header is included
// only by AVX-512 kernel sources, so the suppression stays in those files.
#if defined(__GNUC__) && !defined(__clang__)  // clang has no such warning
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include "kernels/gemm.h"

namespace cliprt::kernels::avx512 {
namespace {  // internal linkage: copies compiled with other ISA flags never merge

inline __m512 Exp(__m512 x) {
  x = _mm512_min_ps(_mm512_set1_ps(88.8f), _mm512_max_ps(_mm512_set1_ps(-104.0f), x));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_scalef_ps(p, n);
}

// x / (1 + exp(-s·x)) with s = slope.
inline __m512 XSigmoid(__m512 x, __m512 scaled_negative) {
  const __m512 e = Exp(scaled_negative);
  return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

inline __m512 GeluErf(__m512 x) {
  const __m512 z = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678118654752f));
  const __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f),
                                 _mm512_fmadd_ps(z, _mm512_set1_ps(0.5f), _mm512_set1_ps(1.0f)));
  __m512 p = _mm512_set1_ps(0.17087277f);
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.82215223f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.48851587f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.13520398f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.27886807f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.18628806f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.09678418f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.37409196f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.00002368f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.26551223f));
  const __m512 erfc = _mm512_mul_ps(t, Exp(_mm512_fnmadd_ps(z, z, p)));
  const __m512 half_erfc = _mm512_mul_ps(_mm512_set1_ps(0.5f), erfc);
  // Φ(x) = 1 - erfc(z)/2 for x >= 0, erfc(z)/2 for x < 0.
  const __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
  const __m512 phi = _mm512_mask_blend_ps(negative, _mm512_sub_ps(_mm512_set1_ps(1.0f), half_erfc),
                                          half_erfc);
  return _mm512_mul_ps(x, phi);
}

inline __m512 GeluTanh(__m512 x) {
  const __m512 x3 = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
  const __m512 u = _mm512_mul_ps(_mm512_set1_ps(0.79788456080286535588f),
                                 _mm512_fmadd_ps(x3, _mm512_set1_ps(0.044715f), x));
  return XSigmoid(x, _mm512_mul_ps(u, _mm512_set1_ps(-2.0f)));
}

inline __m512 QuickGelu(__m512 x) {
  return XSigmoid(x, _mm512_mul_ps(x, _mm512_set1_ps(-1.702f)));
}

inline __m512 Activate(GemmActivation activation, __m512 v) {
  switch (activation) {
    case GemmActivation::kNone: return v;
    case GemmActivation::kGeluErf: return GeluErf(v);
    case GemmActivation::kGeluTanh: return GeluTanh(v);
    case GemmActivation::kQuickGelu: return QuickGelu(v);
  }
  return v;
}

}  // namespace
}  // namespace cliprt::kernels::avx512
