// fp32 micro-kernel for AVX2+FMA: 6 rows × 16 columns. 12 ymm accumulators,
// 2 ymm of B and one broadcast fill the 16 ymm registers.
#include <immintrin.h>

#include "kernels/avx2/gemm_activation_avx2.h"
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr int kMr = 6;
constexpr int kNr = 16;

// Lane mask for columns [offset, offset + 8) when only `cols` are valid.
inline __m256i ColumnMask(int cols, int offset) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(cols - offset), lane);
}

// Writes the tile's sums to `acc`. Kept apart from the epilogue: with both in
// one function GCC 12 kept a stack copy of every accumulator inside the k
// loop (measured: 36 % of the FMA peak instead of ~85 %).
template <int R>
void Accumulate(const GemmTileArgs& args, __m256i m0, __m256i m1, float (*acc)[kNr]) {
  __m256 c0[R], c1[R];
  if (args.first) {
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm256_setzero_ps();
      c1[r] = _mm256_setzero_ps();
    }
  } else {
    const float* p = static_cast<const float*>(args.partial);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      c0[r] = _mm256_maskload_ps(p + r * args.ldp, m0);
      c1[r] = _mm256_maskload_ps(p + r * args.ldp + 8, m1);
    }
  }
  const float* a = static_cast<const float*>(args.a);
  const float* b = static_cast<const float*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const __m256 av = _mm256_broadcast_ss(a + r);
      c0[r] = _mm256_fmadd_ps(av, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps(av, b1, c1[r]);
    }
    a += kMr;
    b += kNr;
  }
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) {
    _mm256_store_ps(acc[r], c0[r]);
    _mm256_store_ps(acc[r] + 8, c1[r]);
  }
}

template <int R>
void Tile(const GemmTileArgs& args) {
  const __m256i m0 = ColumnMask(args.cols, 0);
  const __m256i m1 = ColumnMask(args.cols, 8);
  alignas(32) float acc[R][kNr];
  Accumulate<R>(args, m0, m1, acc);
  if (!args.last) {
    float* p = static_cast<float*>(args.partial);
    for (int r = 0; r < R; ++r) {
      _mm256_maskstore_ps(p + r * args.ldp, m0, _mm256_load_ps(acc[r]));
      _mm256_maskstore_ps(p + r * args.ldp + 8, m1, _mm256_load_ps(acc[r] + 8));
    }
    return;
  }
  __m256 bias0 = _mm256_setzero_ps(), bias1 = _mm256_setzero_ps();
  const bool has_bias = args.bias != nullptr;
  if (has_bias) {
    bias0 = _mm256_maskload_ps(args.bias, m0);
    bias1 = _mm256_maskload_ps(args.bias + 8, m1);
  }
  for (int r = 0; r < R; ++r) {
    __m256 v0 = _mm256_load_ps(acc[r]), v1 = _mm256_load_ps(acc[r] + 8);
    if (has_bias) {
      v0 = _mm256_add_ps(v0, bias0);
      v1 = _mm256_add_ps(v1, bias1);
    }
    v0 = avx2::Activate(args.activation, v0);
    v1 = avx2::Activate(args.activation, v1);
    if (args.residual != nullptr) {
      const float* res = args.residual + r * args.ldr;
      v0 = _mm256_add_ps(v0, _mm256_maskload_ps(res, m0));
      v1 = _mm256_add_ps(v1, _mm256_maskload_ps(res + 8, m1));
    }
    float* out = args.y + r * args.ldy;
    _mm256_maskstore_ps(out, m0, v0);
    _mm256_maskstore_ps(out + 8, m1, v1);
  }
}

}  // namespace

void f32_gemm_6x16__avx2_fma(const GemmTileArgs& args) {
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
