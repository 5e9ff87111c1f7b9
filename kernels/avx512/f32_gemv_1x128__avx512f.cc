// fp32 single-row kernel for AVX-512 (M = 1 and one-row remainders): one row
// of X against up to 4 panels (128 columns) at once. The 14×32 kernel with
// one row has only 2 independent FMA chains and waits on FMA latency; here 8
// chains run side by side. Each output element still gets exactly the same
// operations in the same order as in f32_gemm_14x32__avx512f (one FMA chain
// over k, then bias, activation, residual), so a row's result does not depend
// on which kernel computed it.
#include <immintrin.h>

#include "kernels/avx512/gemm_epilogue_avx512.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 14;  // packed A stride of the 14×32 kernel this pairs with
constexpr int kNr = 32;

template <int NP>
void Gemv(const GemmTileArgs& args) {
  constexpr int kChunks = 2 * NP;
  __mmask16 mask[kChunks];
  __m512 c[kChunks];
  avx512::StartRow<kChunks>(args, mask, c);
  const float* a = static_cast<const float*>(args.a);
  const float* b = static_cast<const float*>(args.b);
  const int64_t stride = args.panel_stride;
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m512 av = _mm512_set1_ps(a[k * kMr]);
#pragma GCC unroll 4
    for (int p = 0; p < NP; ++p) {
      const float* bp = b + p * stride + k * kNr;
      c[2 * p] = _mm512_fmadd_ps(av, _mm512_load_ps(bp), c[2 * p]);
      c[2 * p + 1] = _mm512_fmadd_ps(av, _mm512_load_ps(bp + 16), c[2 * p + 1]);
    }
  }
  avx512::FinishRow<kChunks>(args, mask, c);
}

}  // namespace

void f32_gemv_1x128__avx512f(const GemmTileArgs& args) {
  switch (args.panels) {
    case 1: return Gemv<1>(args);
    case 2: return Gemv<2>(args);
    case 3: return Gemv<3>(args);
    default: return Gemv<4>(args);
  }
}

}  // namespace cliprt::kernels
