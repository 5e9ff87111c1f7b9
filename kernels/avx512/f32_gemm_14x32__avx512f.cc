// fp32 micro-kernel for AVX-512: 14 rows × 32 columns. 28 zmm accumulators +
// 2 zmm of B; the A values are broadcast straight from memory into the FMAs
// (embedded broadcast), so each k step is 2 loads + 28 FMAs — enough
// independent FMAs to cover the latency of both FMA pipes.
#include <immintrin.h>

#include "kernels/avx512/gemm_epilogue_avx512.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 14;
constexpr int kNr = 32;

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
  const float* a = static_cast<const float*>(args.a);
  const float* b = static_cast<const float*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m512 b0 = _mm512_load_ps(b);
    const __m512 b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 14
    for (int r = 0; r < R; ++r) {
      const __m512 av = _mm512_set1_ps(a[r]);
      c0[r] = _mm512_fmadd_ps(av, b0, c0[r]);
      c1[r] = _mm512_fmadd_ps(av, b1, c1[r]);
    }
    a += kMr;
    b += kNr;
  }
  if (!args.last) return avx512::StorePartial<R>(args, m0, m1, c0, c1);
  const avx512::TileEpilogue epilogue(args, m0, m1);
  for (int r = 0; r < R; ++r) epilogue.Row(r, c0[r], c1[r]);
}

}  // namespace

void f32_gemm_14x32__avx512f(const GemmTileArgs& args) {
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
