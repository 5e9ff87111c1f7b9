// int8 micro-kernel for AVX2 CPUs with AVX-VNNI (Alder Lake and later, Zen 5; not Zen 4):
// 6 rows × 16 columns, k in quads, the 256-bit vpdpbusd. Same packed layout
// and the same exact int32 sums as the AVX512_VNNI and scalar kernels.
//
// tests/kernels/qs8_avxvnni_evex_twin.cc compiles this file a second time
// with CLIPRT_QS8_AVXVNNI_EVEX_TWIN: the same code under another name, with
// the EVEX encoding of the same 256-bit vpdpbusd (AVX512_VNNI + AVX512VL),
// so that CPUs without AVX-VNNI (Zen 4, Ice Lake server) can run and test it.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx2/gemm_epilogue_avx2.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 6;
constexpr int kNr = 16;

// acc + Σ of 4 u8·s8 products per int32 lane (vpdpbusd ymm).
inline __m256i DotU8S8(__m256i acc, __m256i a, __m256i b) {
#if defined(CLIPRT_QS8_AVXVNNI_EVEX_TWIN)
  return _mm256_dpbusd_epi32(acc, a, b);
#else
  return _mm256_dpbusd_avx_epi32(acc, a, b);
#endif
}

template <int R>
void Accumulate(const GemmTileArgs& args, __m256i m0, __m256i m1, int32_t (*acc)[kNr]) {
  __m256i c0[R], c1[R];
  avx2::StartQs8Sums<R>(args, m0, m1, c0, c1);
  const uint8_t* a = static_cast<const uint8_t*>(args.a);
  const int8_t* b = static_cast<const int8_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m256i b0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i b1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(b + 32));
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      int32_t quad;
      std::memcpy(&quad, a + 4 * r, sizeof(quad));
      const __m256i av = _mm256_set1_epi32(quad);
      c0[r] = DotU8S8(c0[r], av, b0);
      c1[r] = DotU8S8(c1[r], av, b1);
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

#if defined(CLIPRT_QS8_AVXVNNI_EVEX_TWIN)
void qs8_gemm_6x16__avxvnni_evex_twin(const GemmTileArgs& args) {
#else
void qs8_gemm_6x16__avxvnni(const GemmTileArgs& args) {
#endif
  switch (args.rows) {
    case 1: return Tile<1>(args);
    case 2: return Tile<2>(args);
    case 3: return Tile<3>(args);
    case 4: return Tile<4>(args);
    case 5: return Tile<5>(args);
    default: return Tile<kMr>(args);
  }
}

}  // namespace cliprt::kernels
