// Vectorized GEMM-epilogue activations for AVX2+FMA sources (include only from
// files compiled with the AVX2 flags). Same formulas as
// kernels/avx512/gemm_activation_avx512.h; exp clamps its argument to
// [-87, 88] (no scalef here), so results whose true value is below ~1e-38 in
// magnitude come out as tiny numbers instead of 0.
#pragma once

#include <immintrin.h>

#include "kernels/gemm.h"

namespace cliprt::kernels::avx2 {
namespace {  // internal linkage: copies compiled with other ISA flags never merge

inline __m256 Exp(__m256 x) {
  x = _mm256_min_ps(_mm256_set1_ps(88.0f), _mm256_max_ps(_mm256_set1_ps(-87.0f), x));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  const __m256i bits =
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}

inline __m256 XSigmoid(__m256 x, __m256 scaled_negative) {
  return _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), Exp(scaled_negative)));
}

inline __m256 GeluErf(__m256 x) {
  const __m256 abs = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
  const __m256 z = _mm256_mul_ps(abs, _mm256_set1_ps(0.70710678118654752f));
  const __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f),
                                 _mm256_fmadd_ps(z, _mm256_set1_ps(0.5f), _mm256_set1_ps(1.0f)));
  __m256 p = _mm256_set1_ps(0.17087277f);
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.82215223f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.48851587f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.13520398f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.27886807f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.18628806f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.09678418f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.37409196f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.00002368f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.26551223f));
  // The clamp inside Exp leaves ~1e-38 for huge z; multiply by t (→ 0) keeps
  // the product negligible.
  const __m256 erfc = _mm256_mul_ps(t, Exp(_mm256_fnmadd_ps(z, z, p)));
  const __m256 half_erfc = _mm256_mul_ps(_mm256_set1_ps(0.5f), erfc);
  const __m256 negative = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
  const __m256 phi =
      _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), half_erfc), half_erfc, negative);
  return _mm256_mul_ps(x, phi);
}

inline __m256 GeluTanh(__m256 x) {
  const __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
  const __m256 u = _mm256_mul_ps(_mm256_set1_ps(0.79788456080286535588f),
                                 _mm256_fmadd_ps(x3, _mm256_set1_ps(0.044715f), x));
  return XSigmoid(x, _mm256_mul_ps(u, _mm256_set1_ps(-2.0f)));
}

inline __m256 QuickGelu(__m256 x) {
  return XSigmoid(x, _mm256_mul_ps(x, _mm256_set1_ps(-1.702f)));
}

inline __m256 Activate(GemmActivation activation, __m256 v) {
  switch (activation) {
    case GemmActivation::kNone: return v;
    case GemmActivation::kGeluErf: return GeluErf(v);
    case GemmActivation::kGeluTanh: return GeluTanh(v);
    case GemmActivation::kQuickGelu: return QuickGelu(v);
  }
  return v;
}

}  // namespace
}  // namespace cliprt::kernels::avx2
