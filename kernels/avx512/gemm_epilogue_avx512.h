// Tile epilogue shared by the AVX-512 GEMM micro-kernels (nr = 32: two zmm
// per row). Include only from sources compiled with the AVX512 flags.
// Everything here has internal linkage and is forced inline, so no
// out-of-line AVX-512 copy can leak into other objects and each kernel
// compiles to the same code as when the epilogue was written out in place.
//
// Per element of the last K block: y = act(acc + bias) + residual, in that
// order, stored under the column masks (see kernels/gemm_microkernel.h).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/avx512/gemm_activation_avx512.h"
#include "kernels/gemm_microkernel.h"

#if defined(__GNUC__)
#define CLIPRT_EPILOGUE_INLINE inline __attribute__((always_inline))
#else
#define CLIPRT_EPILOGUE_INLINE inline
#endif

namespace cliprt::kernels::avx512 {
namespace {

// Lane masks for columns [0, 16) and [16, 32) when only `cols` (1..32) are
// valid.
struct ColumnMasks {
  __mmask16 lo, hi;
};
CLIPRT_EPILOGUE_INLINE ColumnMasks TileColumnMasks(int cols) {
  return {cols >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << cols) - 1),
          cols >= 32  ? __mmask16(0xFFFF)
          : cols > 16 ? __mmask16((1u << (cols - 16)) - 1)
                      : __mmask16(0)};
}

// Stores R rows of fp32 accumulators (registers) to `partial`.
template <int R>
CLIPRT_EPILOGUE_INLINE void StorePartial(const GemmTileArgs& args, __mmask16 m0, __mmask16 m1,
                                         const __m512 (&c0)[R], const __m512 (&c1)[R]) {
  float* p = static_cast<float*>(args.partial);
#pragma GCC unroll 14
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_ps(p + r * args.ldp, m0, c0[r]);
    _mm512_mask_storeu_ps(p + r * args.ldp + 16, m1, c1[r]);
  }
}

// Stores R rows of fp32 accumulators (the aligned `acc` spill) to `partial`.
template <int R>
CLIPRT_EPILOGUE_INLINE void StorePartial(const GemmTileArgs& args, __mmask16 m0, __mmask16 m1,
                                         const float (*acc)[32]) {
  float* p = static_cast<float*>(args.partial);
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_ps(p + r * args.ldp, m0, _mm512_load_ps(acc[r]));
    _mm512_mask_storeu_ps(p + r * args.ldp + 16, m1, _mm512_load_ps(acc[r] + 16));
  }
}

// Same for int32 accumulators (kQS8).
template <int R>
CLIPRT_EPILOGUE_INLINE void StorePartial(const GemmTileArgs& args, __mmask16 m0, __mmask16 m1,
                                         const int32_t (*acc)[32]) {
  int32_t* p = static_cast<int32_t*>(args.partial);
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_epi32(p + r * args.ldp, m0, _mm512_load_si512(acc[r]));
    _mm512_mask_storeu_epi32(p + r * args.ldp + 16, m1, _mm512_load_si512(acc[r] + 16));
  }
}

// The per-tile state of the epilogue (masks, bias) and the per-row step:
// bias → activation → residual → masked store to Y.
struct TileEpilogue {
  const GemmTileArgs& args;
  __mmask16 m0, m1;
  bool has_bias;
  __m512 bias0, bias1;

  CLIPRT_EPILOGUE_INLINE TileEpilogue(const GemmTileArgs& tile_args, __mmask16 mask0,
                                      __mmask16 mask1)
      : args(tile_args), m0(mask0), m1(mask1), has_bias(tile_args.bias != nullptr),
        bias0(_mm512_setzero_ps()), bias1(_mm512_setzero_ps()) {
    if (has_bias) {
      bias0 = _mm512_maskz_loadu_ps(m0, args.bias);
      bias1 = _mm512_maskz_loadu_ps(m1, args.bias + 16);
    }
  }

  // Finishes row r from its fp32 sums (columns [0, 16) and [16, 32)).
  CLIPRT_EPILOGUE_INLINE void Row(int r, __m512 v0, __m512 v1) const {
    if (has_bias) {
      v0 = _mm512_add_ps(v0, bias0);
      v1 = _mm512_add_ps(v1, bias1);
    }
    v0 = Activate(args.activation, v0);
    v1 = Activate(args.activation, v1);
    if (args.residual != nullptr) {
      const float* res = args.residual + r * args.ldr;
      v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, res));
      v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, res + 16));
    }
    float* out = args.y + r * args.ldy;
    _mm512_mask_storeu_ps(out, m0, v0);
    _mm512_mask_storeu_ps(out + 16, m1, v1);
  }
};

// Lane mask for columns [16·chunk, 16·chunk + 16) when only `cols` are valid.
CLIPRT_EPILOGUE_INLINE __mmask16 ChunkMask(int cols, int chunk) {
  const int valid = cols - 16 * chunk;
  return valid >= 16 ? __mmask16(0xFFFF) : valid <= 0 ? __mmask16(0) : __mmask16((1u << valid) - 1);
}

// Starts a one-row tile of kChunks × 16 columns (the single-row kernels):
// the column masks for args.cols, and the sums from zero (first K block) or
// from `partial`.
template <int kChunks>
CLIPRT_EPILOGUE_INLINE void StartRow(const GemmTileArgs& args, __mmask16 (&mask)[kChunks],
                                     __m512 (&c)[kChunks]) {
#pragma GCC unroll 8
  for (int j = 0; j < kChunks; ++j) mask[j] = ChunkMask(args.cols, j);
  const float* p = static_cast<const float*>(args.partial);
#pragma GCC unroll 8
  for (int j = 0; j < kChunks; ++j) {
    c[j] = args.first ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(mask[j], p + 16 * j);
  }
}

// Finishes a one-row tile of kChunks × 16 fp32 sums (the single-row
// kernels): a block that is not the last stores them to `partial`; the last
// adds bias, activates, adds the residual and stores under the masks.
template <int kChunks>
CLIPRT_EPILOGUE_INLINE void FinishRow(const GemmTileArgs& args, const __mmask16 (&mask)[kChunks],
                                      const __m512 (&c)[kChunks]) {
  if (!args.last) {
    float* p = static_cast<float*>(args.partial);
#pragma GCC unroll 8
    for (int j = 0; j < kChunks; ++j) _mm512_mask_storeu_ps(p + 16 * j, mask[j], c[j]);
    return;
  }
#pragma GCC unroll 8
  for (int j = 0; j < kChunks; ++j) {
    __m512 v = c[j];
    if (args.bias != nullptr) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask[j], args.bias + 16 * j));
    v = Activate(args.activation, v);
    if (args.residual != nullptr) {
      v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask[j], args.residual + 16 * j));
    }
    _mm512_mask_storeu_ps(args.y + 16 * j, mask[j], v);
  }
}

}  // namespace
}  // namespace cliprt::kernels::avx512

#undef CLIPRT_EPILOGUE_INLINE
