// bf16 micro-kernel for AVX2+FMA CPUs (no bf16 instructions): 4 rows × 16
// columns, k in pairs. Each bf16 pair is widened to two fp32 values (shift,
// mask) and accumulated with two FMAs: the same exact bf16 products as
// vdpbf16ps, summed in fp32. 8 accumulators + 4 widened B + 2 widened A.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx2/gemm_epilogue_avx2.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 16;

inline __m256 Low(__m256i pairs) { return _mm256_castsi256_ps(_mm256_slli_epi32(pairs, 16)); }
inline __m256 High(__m256i pairs) {
  return _mm256_castsi256_ps(_mm256_and_si256(pairs, _mm256_set1_epi32(int32_t(0xFFFF0000u))));
}

template <int R>
void Accumulate(const GemmTileArgs& args, __m256i m0, __m256i m1, float (*acc)[kNr]) {
  __m256 c0[R], c1[R];
  if (args.first) {
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm256_setzero_ps();
      c1[r] = _mm256_setzero_ps();
    }
  } else {
    const float* p = static_cast<const float*>(args.partial);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm256_maskload_ps(p + r * args.ldp, m0);
      c1[r] = _mm256_maskload_ps(p + r * args.ldp + 8, m1);
    }
  }
  const uint16_t* a = static_cast<const uint16_t*>(args.a);
  const uint16_t* b = static_cast<const uint16_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m256i p0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i p1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b + 16));
    const __m256 b0l = Low(p0), b0h = High(p0), b1l = Low(p1), b1h = High(p1);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      int32_t pair;
      std::memcpy(&pair, a + 2 * r, sizeof(pair));
      const __m256i av = _mm256_set1_epi32(pair);
      const __m256 al = Low(av), ah = High(av);
      c0[r] = _mm256_fmadd_ps(al, b0l, c0[r]);
      c1[r] = _mm256_fmadd_ps(al, b1l, c1[r]);
      c0[r] = _mm256_fmadd_ps(ah, b0h, c0[r]);
      c1[r] = _mm256_fmadd_ps(ah, b1h, c1[r]);
    }
    a += 2 * kMr;
    b += 2 * kNr;
  }
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r) {
    _mm256_store_ps(acc[r], c0[r]);
    _mm256_store_ps(acc[r] + 8, c1[r]);
  }
}

template <int R>
void Tile(const GemmTileArgs& args) {
  const __m256i m0 = avx2::ColumnMask(args.cols, 0);
  const __m256i m1 = avx2::ColumnMask(args.cols, 8);
  alignas(32) float acc[R][kNr];
  Accumulate<R>(args, m0, m1, acc);
  if (!args.last) return avx2::StorePartial<R>(args, m0, m1, acc);
  const avx2::TileEpilogue epilogue(args, m0, m1);
  for (int r = 0; r < R; ++r) epilogue.Row(r, _mm256_load_ps(acc[r]), _mm256_load_ps(acc[r] + 8));
}

}  // namespace

void bf16_gemm_4x16__avx2_fma(const GemmTileArgs& args) {
  switch (args.rows) {
    case 1: return Tile<1>(args);
    case 2: return Tile<2>(args);
    case 3: return Tile<3>(args);
    default: return Tile<kMr>(args);
  }
}

}  // namespace cliprt::kernels
