// bf16 single-row kernel for AVX512_BF16 (M = 1 and one-row remainders): one
// row of X against up to 4 panels (128 columns) at once. With one row the
// 14×32 kernel has only 2 independent vdpbf16ps chains and waits on their
// latency; here 8 chains run side by side. Every output element gets exactly
// the operations of bf16_gemm_14x32__avx512bf16 in the same order (one
// vdpbf16ps chain over the k pairs, then bias, activation, residual), so a
// row's result does not depend on which kernel computed it.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx512/gemm_epilogue_avx512.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 14;  // packed A stride of the 14×32 kernel this pairs with
constexpr int kNr = 32;

inline __m512bh AsBf16(__m512i v) { return reinterpret_cast<__m512bh&>(v); }

template <int NP>
void Gemv(const GemmTileArgs& args) {
  constexpr int kChunks = 2 * NP;
  __mmask16 mask[kChunks];
  __m512 c[kChunks];
  avx512::StartRow<kChunks>(args, mask, c);
  const uint16_t* a = static_cast<const uint16_t*>(args.a);
  const uint16_t* b = static_cast<const uint16_t*>(args.b);
  const int64_t stride = args.panel_stride;
  for (int64_t k = 0; k < args.k_groups; ++k) {
    int32_t pair;
    std::memcpy(&pair, a + k * 2 * kMr, sizeof(pair));
    const __m512bh av = AsBf16(_mm512_set1_epi32(pair));
#pragma GCC unroll 4
    for (int p = 0; p < NP; ++p) {
      const uint16_t* bp = b + p * stride + k * 2 * kNr;
      c[2 * p] = _mm512_dpbf16_ps(c[2 * p], av, AsBf16(_mm512_load_si512(bp)));
      c[2 * p + 1] = _mm512_dpbf16_ps(c[2 * p + 1], av, AsBf16(_mm512_load_si512(bp + 32)));
    }
  }
  avx512::FinishRow<kChunks>(args, mask, c);
}

}  // namespace

void bf16_gemv_1x128__avx512bf16(const GemmTileArgs& args) {
  switch (args.panels) {
    case 1: return Gemv<1>(args);
    case 2: return Gemv<2>(args);
    case 3: return Gemv<3>(args);
    default: return Gemv<4>(args);
  }
}

}  // namespace cliprt::kernels
