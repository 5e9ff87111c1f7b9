// bf16 micro-kernel for AVX-512 CPUs without AVX512_BF16 (Skylake-X, Ice
// Lake, Zen 4 without the extension): same packed layout as
// bf16_gemm_14x32__avx512bf16, but each bf16 pair is widened to two fp32
// values (a shift and a mask) and accumulated with two FMAs. The products are
// the same exact bf16 products; only the fp32 summation order differs from
// vdpbf16ps. 12 rows: 24 accumulators + 4 widened B + 2 widened A registers.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx512/gemm_epilogue_avx512.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 12;
constexpr int kNr = 32;

inline __m512 Low(__m512i pairs) { return _mm512_castsi512_ps(_mm512_slli_epi32(pairs, 16)); }
inline __m512 High(__m512i pairs) {
  return _mm512_castsi512_ps(_mm512_and_si512(pairs, _mm512_set1_epi32(int32_t(0xFFFF0000u))));
}

// Writes the tile's fp32 sums to `acc`; kept apart from the epilogue so GCC
// keeps the accumulators in registers (see qs8_gemm_12x32__avx512vnni.cc).
template <int R>
void Accumulate(const GemmTileArgs& args, __mmask16 m0, __mmask16 m1, float (*acc)[kNr]) {
  __m512 c0[R], c1[R];
  if (args.first) {
#pragma GCC unroll 12
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm512_setzero_ps();
      c1[r] = _mm512_setzero_ps();
    }
  } else {
    const float* p = static_cast<const float*>(args.partial);
#pragma GCC unroll 12
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm512_maskz_loadu_ps(m0, p + r * args.ldp);
      c1[r] = _mm512_maskz_loadu_ps(m1, p + r * args.ldp + 16);
    }
  }
  const uint16_t* a = static_cast<const uint16_t*>(args.a);
  const uint16_t* b = static_cast<const uint16_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m512i p0 = _mm512_load_si512(b);
    const __m512i p1 = _mm512_load_si512(b + 32);
    const __m512 b0l = Low(p0), b0h = High(p0), b1l = Low(p1), b1h = High(p1);
#pragma GCC unroll 12
    for (int r = 0; r < R; ++r) {
      int32_t pair;
      std::memcpy(&pair, a + 2 * r, sizeof(pair));
      const __m512i av = _mm512_set1_epi32(pair);
      const __m512 al = Low(av), ah = High(av);
      c0[r] = _mm512_fmadd_ps(al, b0l, c0[r]);
      c1[r] = _mm512_fmadd_ps(al, b1l, c1[r]);
      c0[r] = _mm512_fmadd_ps(ah, b0h, c0[r]);
      c1[r] = _mm512_fmadd_ps(ah, b1h, c1[r]);
    }
    a += 2 * kMr;
    b += 2 * kNr;
  }
#pragma GCC unroll 12
  for (int r = 0; r < R; ++r) {
    _mm512_store_ps(acc[r], c0[r]);
    _mm512_store_ps(acc[r] + 16, c1[r]);
  }
}

template <int R>
void Tile(const GemmTileArgs& args) {
  const auto [m0, m1] = avx512::TileColumnMasks(args.cols);
  alignas(64) float acc[R][kNr];
  Accumulate<R>(args, m0, m1, acc);
  if (!args.last) return avx512::StorePartial<R>(args, m0, m1, acc);
  const avx512::TileEpilogue epilogue(args, m0, m1);
  for (int r = 0; r < R; ++r) epilogue.Row(r, _mm512_load_ps(acc[r]), _mm512_load_ps(acc[r] + 16));
}

}  // namespace

void bf16_gemm_12x32__avx512f(const GemmTileArgs& args) {
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
    default: return Tile<kMr>(args);
  }
}

}  // namespace cliprt::kernels
