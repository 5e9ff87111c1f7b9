// bf16 micro-kernel for AVX512_BF16: 14 rows × 32 columns, k in pairs.
// vdpbf16ps multiplies bf16 pairs and accumulates in fp32, doing twice the
// work of an fp32 FMA per instruction. B holds, per k pair, 32 columns × 2
// bf16 (two zmm); A's pair for row r is broadcast as one 32-bit value.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx512/gemm_epilogue_avx512.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 14;
constexpr int kNr = 32;

inline __m512bh AsBf16(__m512i v) { return reinterpret_cast<__m512bh&>(v); }

template <int R>
void Tile(const GemmTileArgs& args) {
  const auto [m0, m1] = avx512::TileColumnMasks(args.cols);
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
  if (!args.last) return avx512::StorePartial<R>(args, m0, m1, c0, c1);
  const avx512::TileEpilogue epilogue(args, m0, m1);
  for (int r = 0; r < R; ++r) epilogue.Row(r, c0[r], c1[r]);
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
