// Tile epilogue shared by the AVX2 GEMM micro-kernels (nr = 16: two ymm per
// row). Include only from sources compiled with the AVX2 flags. Everything
// here has internal linkage and is forced inline, so no out-of-line AVX2 copy
// can leak into other objects and each kernel compiles to the same code as
// when the epilogue was written out in place.
//
// Per element of the last K block: y = act(acc + bias) + residual, in that
// order, stored under the column masks (see kernels/gemm_microkernel.h).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/avx2/gemm_activation_avx2.h"
#include "kernels/gemm_microkernel.h"

#if defined(__GNUC__)
#define CLIPRT_EPILOGUE_INLINE inline __attribute__((always_inline))
#else
#define CLIPRT_EPILOGUE_INLINE inline
#endif

namespace cliprt::kernels::avx2 {
namespace {

// Lane mask for columns [offset, offset + 8) when only `cols` are valid.
CLIPRT_EPILOGUE_INLINE __m256i ColumnMask(int cols, int offset) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(cols - offset), lane);
}

// Stores R rows of fp32 accumulators (the aligned `acc` spill) to `partial`.
template <int R>
CLIPRT_EPILOGUE_INLINE void StorePartial(const GemmTileArgs& args, __m256i m0, __m256i m1,
                                         const float (*acc)[16]) {
  float* p = static_cast<float*>(args.partial);
  for (int r = 0; r < R; ++r) {
    _mm256_maskstore_ps(p + r * args.ldp, m0, _mm256_load_ps(acc[r]));
    _mm256_maskstore_ps(p + r * args.ldp + 8, m1, _mm256_load_ps(acc[r] + 8));
  }
}

// Same for int32 accumulators (kQS8).
template <int R>
CLIPRT_EPILOGUE_INLINE void StorePartial(const GemmTileArgs& args, __m256i m0, __m256i m1,
                                         const int32_t (*acc)[16]) {
  int32_t* p = static_cast<int32_t*>(args.partial);
  for (int r = 0; r < R; ++r) {
    _mm256_maskstore_epi32(p + r * args.ldp, m0,
                           _mm256_load_si256(reinterpret_cast<const __m256i*>(acc[r])));
    _mm256_maskstore_epi32(p + r * args.ldp + 8, m1,
                           _mm256_load_si256(reinterpret_cast<const __m256i*>(acc[r] + 8)));
  }
}

// The per-tile state of the epilogue (masks, bias) and the per-row step:
// bias → activation → residual → masked store to Y.
struct TileEpilogue {
  const GemmTileArgs& args;
  __m256i m0, m1;
  bool has_bias;
  __m256 bias0, bias1;

  CLIPRT_EPILOGUE_INLINE TileEpilogue(const GemmTileArgs& tile_args, __m256i mask0, __m256i mask1)
      : args(tile_args), m0(mask0), m1(mask1), has_bias(tile_args.bias != nullptr),
        bias0(_mm256_setzero_ps()), bias1(_mm256_setzero_ps()) {
    if (has_bias) {
      bias0 = _mm256_maskload_ps(args.bias, m0);
      bias1 = _mm256_maskload_ps(args.bias + 8, m1);
    }
  }

  // Finishes row r from its fp32 sums (columns [0, 8) and [8, 16)).
  CLIPRT_EPILOGUE_INLINE void Row(int r, __m256 v0, __m256 v1) const {
    if (has_bias) {
      v0 = _mm256_add_ps(v0, bias0);
      v1 = _mm256_add_ps(v1, bias1);
    }
    v0 = Activate(args.activation, v0);
    v1 = Activate(args.activation, v1);
    if (args.residual != nullptr) {
      const float* res = args.residual + r * args.ldr;
      v0 = _mm256_add_ps(v0, _mm256_maskload_ps(res, m0));
      v1 = _mm256_add_ps(v1, _mm256_maskload_ps(res + 8, m1));
    }
    float* out = args.y + r * args.ldy;
    _mm256_maskstore_ps(out, m0, v0);
    _mm256_maskstore_ps(out + 8, m1, v1);
  }
};

// Starts the int32 sums of an int8 (kQS8) tile of R rows × 16: zero on the
// first K block, else the partial sums of the previous blocks.
template <int R>
CLIPRT_EPILOGUE_INLINE void StartQs8Sums(const GemmTileArgs& args, __m256i m0, __m256i m1,
                                         __m256i (&c0)[R], __m256i (&c1)[R]) {
  const int32_t* p = static_cast<const int32_t*>(args.partial);
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) {
    c0[r] = args.first ? _mm256_setzero_si256() : _mm256_maskload_epi32(p + r * args.ldp, m0);
    c1[r] = args.first ? _mm256_setzero_si256() : _mm256_maskload_epi32(p + r * args.ldp + 8, m1);
  }
}

// Spills the sums to the aligned `acc` the epilogue reads (the k loop stays
// in a function of its own: see docs/kernels.md, GCC 12 note).
template <int R>
CLIPRT_EPILOGUE_INLINE void SpillQs8Sums(const __m256i (&c0)[R], const __m256i (&c1)[R], int32_t (*acc)[16]) {
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(acc[r]), c0[r]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(acc[r] + 8), c1[r]);
  }
}

// Finishes an int8 (kQS8) tile from its exact int32 sums `acc` (R rows ×
// 16): a block that is not the last stores them to `partial`; the last
// removes the +128 activation offset (128·Σw per column), scales by
// row_scale·col_scale and runs the epilogue.
template <int R>
CLIPRT_EPILOGUE_INLINE void FinishQs8Tile(const GemmTileArgs& args, __m256i m0, __m256i m1,
                                          const int32_t (*acc)[16]) {
  if (!args.last) return StorePartial<R>(args, m0, m1, acc);
  const __m256i offset0 = _mm256_slli_epi32(_mm256_maskload_epi32(args.col_sum, m0), 7);
  const __m256i offset1 = _mm256_slli_epi32(_mm256_maskload_epi32(args.col_sum + 8, m1), 7);
  const __m256 cs0 = _mm256_maskload_ps(args.col_scale, m0);
  const __m256 cs1 = _mm256_maskload_ps(args.col_scale + 8, m1);
  const TileEpilogue epilogue(args, m0, m1);
  for (int r = 0; r < R; ++r) {
    const __m256 rs = _mm256_set1_ps(args.row_scale[r]);
    const __m256i s0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(acc[r]));
    const __m256i s1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(acc[r] + 8));
    const __m256 v0 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(s0, offset0)), _mm256_mul_ps(rs, cs0));
    const __m256 v1 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(s1, offset1)), _mm256_mul_ps(rs, cs1));
    epilogue.Row(r, v0, v1);
  }
}

}  // namespace
}  // namespace cliprt::kernels::avx2

#undef CLIPRT_EPILOGUE_INLINE
