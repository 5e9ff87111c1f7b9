// bf16 micro-kernel for AVX512_BF16: 14 rows × 32 columns, k in pairs.
// vdpbf16ps multiplies bf16 pairs and accumulates in fp32, doing twice the
// work of an fp32 FMA per instruction. B holds, per k pair, 32 columns × 2
// bf16 (two zmm); A's pair for row r is broadcast as one 32-bit value.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx512/gemm_activation_avx512.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 14;
constexpr int kNr = 32;

inline __m512bh AsBf16(__m512i v) { return reinterpret_cast<__m512bh&>(v); }

template <int R>
void Tile(const GemmTileArgs& args) {
  const int cols = args.cols;
  const __mmask16 m0 = cols >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << cols) - 1);
  const __mmask16 m1 = cols >= 32 ? __mmask16(0xFFFF)
                       : cols > 16 ? __mmask16((1u << (cols - 16)) - 1)
                                   : __mmask16(0);
  __m512 c0[R], c1[R];
  if (args.first) {
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm512_setzero_ps();
      c1[r] = _mm512_setzero_ps();
    }
  } else {
    const float* p = static_cast<const float*>(args.partial);
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm512_maskz_loadu_ps(m0, p + r * args.ldp);
      c1[r] = _mm512_maskz_loadu_ps(m1, p + r * args.ldp + 16);
    }
  }
  const uint16_t* a = static_cast<const uint16_t*>(args.a);
  const uint16_t* b = static_cast<const uint16_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m512bh b0 = AsBf16(_mm512_load_si512(b));
    const __m512bh b1 = AsBf16(_mm512_load_si512(b + 32));
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      int32_t pair;
      std::memcpy(&pair, a + 2 * r, sizeof(pair));
      const __m512bh av = AsBf16(_mm512_set1_epi32(pair));
      c0[r] = _mm512_dpbf16_ps(c0[r], av, b0);
      c1[r] = _mm512_dpbf16_ps(c1[r], av, b1);
    }
    a += 2 * kMr;
    b += 2 * kNr;
  }
  if (!args.last) {
    float* p = static_cast<float*>(args.partial);
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      _mm512_mask_storeu_ps(p + r * args.ldp, m0, c0[r]);
      _mm512_mask_storeu_ps(p + r * args.ldp + 16, m1, c1[r]);
    }
    return;
  }
  __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
  const bool has_bias = args.bias != nullptr;
  if (has_bias) {
    bias0 = _mm512_maskz_loadu_ps(m0, args.bias);
    bias1 = _mm512_maskz_loadu_ps(m1, args.bias + 16);
  }
  for (int r = 0; r < R; ++r) {
    __m512 v0 = c0[r], v1 = c1[r];
    if (has_bias) {
      v0 = _mm512_add_ps(v0, bias0);
      v1 = _mm512_add_ps(v1, bias1);
    }
    v0 = avx512::Activate(args.activation, v0);
    v1 = avx512::Activate(args.activation, v1);
    if (args.residual != nullptr) {
      const float* res = args.residual + r * args.ldr;
      v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, res));
      v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, res + 16));
    }
    float* out = args.y + r * args.ldy;
    _mm512_mask_storeu_ps(out, m0, v0);
    _mm512_mask_storeu_ps(out + 16, m1, v1);
  }
}

}  // namespace

void bf16_gemm_14x32__avx512bf16(const GemmTileArgs& args) {
  switch (args.rows) {
    case 1: return Tile<1>(args);
    case 2: return Tile<2>(args);
    case 3: return Tile<3>(args);
    case 4: return Tile<4>(args);
    case 5: return Tile<5>(args);
    case 6: return Tile<6>(args);
    case 7: return Tile<7>(args);
    case 8: return Tile<8>(args);
    case 9: return Tile<9>(args);
    case 10: return Tile<10>(args);
    case 11: return Tile<11>(args);
    case 12: return Tile<12>(args);
    case 13: return Tile<13>(args);
    default: return Tile<kMr>(args);
  }
}

}  // namespace cliprt::kernels
