// int8 micro-kernel for AVX512_VNNI: 12 rows × 32 columns, k in quads.
// vpdpbusd multiplies 4 unsigned activation bytes (q + 128) by 4 signed
// weight bytes and adds the sum to an int32 lane: 4× the multiply-adds of an
// fp32 FMA per instruction. The +128 offset is removed in the epilogue with
// the packed column sums: Σ(q+128)·w − 128·Σw = Σq·w, exactly.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx512/gemm_epilogue_avx512.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 12;
constexpr int kNr = 32;

// Writes the tile's int32 sums to `acc` (rows × kNr). Kept apart from the
// epilogue: with both in one function GCC 12 kept a stack copy of every
// accumulator inside the k loop.
template <int R>
void Accumulate(const GemmTileArgs& args, __mmask16 m0, __mmask16 m1, int32_t (*acc)[kNr]) {
  __m512i c0[R], c1[R];
  if (args.first) {
#pragma GCC unroll 12
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm512_setzero_si512();
      c1[r] = _mm512_setzero_si512();
    }
  } else {
    const int32_t* p = static_cast<const int32_t*>(args.partial);
#pragma GCC unroll 12
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm512_maskz_loadu_epi32(m0, p + r * args.ldp);
      c1[r] = _mm512_maskz_loadu_epi32(m1, p + r * args.ldp + 16);
    }
  }
  const uint8_t* a = static_cast<const uint8_t*>(args.a);
  const int8_t* b = static_cast<const int8_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m512i b0 = _mm512_load_si512(b);
    const __m512i b1 = _mm512_load_si512(b + 64);
#pragma GCC unroll 12
    for (int r = 0; r < R; ++r) {
      int32_t quad;
      std::memcpy(&quad, a + 4 * r, sizeof(quad));
      const __m512i av = _mm512_set1_epi32(quad);
      c0[r] = _mm512_dpbusd_epi32(c0[r], av, b0);
      c1[r] = _mm512_dpbusd_epi32(c1[r], av, b1);
    }
    a += 4 * kMr;
    b += 4 * kNr;
  }
#pragma GCC unroll 12
  for (int r = 0; r < R; ++r) {
    _mm512_store_si512(acc[r], c0[r]);
    _mm512_store_si512(acc[r] + 16, c1[r]);
  }
}

template <int R>
void Tile(const GemmTileArgs& args) {
  const auto [m0, m1] = avx512::TileColumnMasks(args.cols);
  alignas(64) int32_t acc[R][kNr];
  Accumulate<R>(args, m0, m1, acc);
  if (!args.last) return avx512::StorePartial<R>(args, m0, m1, acc);
  const __m512i offset0 = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(m0, args.col_sum), 7);
  const __m512i offset1 = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(m1, args.col_sum + 16), 7);
  const __m512 cs0 = _mm512_maskz_loadu_ps(m0, args.col_scale);
  const __m512 cs1 = _mm512_maskz_loadu_ps(m1, args.col_scale + 16);
  const avx512::TileEpilogue epilogue(args, m0, m1);
  for (int r = 0; r < R; ++r) {
    const __m512 rs = _mm512_set1_ps(args.row_scale[r]);
    const __m512 v0 = _mm512_mul_ps(
        _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_load_si512(acc[r]), offset0)),
        _mm512_mul_ps(rs, cs0));
    const __m512 v1 = _mm512_mul_ps(
        _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_load_si512(acc[r] + 16), offset1)),
        _mm512_mul_ps(rs, cs1));
    epilogue.Row(r, v0, v1);
  }
}

}  // namespace

void qs8_gemm_12x32__avx512vnni(const GemmTileArgs& args) {
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
