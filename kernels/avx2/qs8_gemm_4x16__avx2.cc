// int8 micro-kernel for AVX2 CPUs without VNNI (Haswell to Zen 4 in AVX2
// mode, Skylake-SP): 4 rows × 16 columns, k in quads, the same packed layout
// and the same exact int32 sums as the VNNI kernels — the portable fallback
// ran at ~6 GFLOP/s, a fifteenth of fp32.
//
// vpdpbusd (u8 × s8, four products summed per int32 lane) is emulated
// exactly: each quad is split into its even and odd bytes as 16-bit lanes
// (activations zero-extended: q + 128 ∈ [1, 255]; weights sign-extended:
// [-127, 127]) and vpmaddwd sums each pair of 16-bit products into int32
// (|255·127·2| < 2^31, so nothing saturates or wraps). vpmaddubsw would be
// faster but saturates at 16 bits, so it would not give the exact sums.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx2/gemm_epilogue_avx2.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 16;

template <int R>
void Accumulate(const GemmTileArgs& args, __m256i m0, __m256i m1, int32_t (*acc)[kNr]) {
  __m256i c0[R], c1[R];
  avx2::StartQs8Sums<R>(args, m0, m1, c0, c1);
  const uint8_t* a = static_cast<const uint8_t*>(args.a);
  const int8_t* b = static_cast<const int8_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m256i b0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i b1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b + 32));
    // Bytes 0 and 2 of each quad (sign-extended), then bytes 1 and 3.
    const __m256i b0_even = _mm256_srai_epi16(_mm256_slli_epi16(b0, 8), 8);
    const __m256i b0_odd = _mm256_srai_epi16(b0, 8);
    const __m256i b1_even = _mm256_srai_epi16(_mm256_slli_epi16(b1, 8), 8);
    const __m256i b1_odd = _mm256_srai_epi16(b1, 8);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      uint32_t quad;
      std::memcpy(&quad, a + 4 * r, sizeof(quad));
      const __m256i a_even = _mm256_set1_epi32(static_cast<int32_t>(quad & 0x00FF00FFu));
      const __m256i a_odd = _mm256_set1_epi32(static_cast<int32_t>((quad >> 8) & 0x00FF00FFu));
      c0[r] = _mm256_add_epi32(c0[r], _mm256_madd_epi16(a_even, b0_even));
      c0[r] = _mm256_add_epi32(c0[r], _mm256_madd_epi16(a_odd, b0_odd));
      c1[r] = _mm256_add_epi32(c1[r], _mm256_madd_epi16(a_even, b1_even));
      c1[r] = _mm256_add_epi32(c1[r], _mm256_madd_epi16(a_odd, b1_odd));
    }
    a += 4 * kMr;
    b += 4 * kNr;
  }
  avx2::SpillQs8Sums<R>(c0, c1, acc);
}

template <int R>
void Tile(const GemmTileArgs& args) {
  const __m256i m0 = avx2::ColumnMask(args.cols, 0);
  const __m256i m1 = avx2::ColumnMask(args.cols, 8);
  alignas(32) int32_t acc[R][kNr];
  Accumulate<R>(args, m0, m1, acc);
  avx2::FinishQs8Tile<R>(args, m0, m1, acc);
}

}  // namespace

void qs8_gemm_4x16__avx2(const GemmTileArgs& args) {
  switch (args.rows) {
    case 1: return Tile<1>(args);
    case 2: return Tile<2>(args);
    case 3: return Tile<3>(args);
    default: return Tile<kMr>(args);
  }
}

}  // namespace cliprt::kernels
