// Packing for the GEMM micro-kernels: weights once at load (all three
// precisions) and activations per K block per call. Layouts are described in
// kernels/gemm_microkernel.h. Portable C++ (no ISA flags): packing is O(size)
// against the O(size · N) product, so it never limits speed.
#pragma once

#include <cstdint>
#include <cstring>

#include "core/status.h"

namespace cliprt::kernels {

// binary32 → bfloat16 bits, round to nearest even; NaN stays a quiet NaN.
inline uint16_t GemmFloatToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

// W [n, k] (row stride ldw) → panels of nr columns over k_padded.
void PackGemmWeightsF32(const float* w, int64_t n, int64_t k, int64_t ldw, int nr,
                        int64_t k_padded, float* out);
void PackGemmWeightsBF16(const float* w, int64_t n, int64_t k, int64_t ldw, int nr,
                         int64_t k_padded, uint16_t* out);
// Also writes per-column scale (max|w|/127) and Σ_k q for the n_padded columns
// (zero past n). Errors on a non-finite weight.
Status PackGemmWeightsQS8(const float* w, int64_t n, int64_t k, int64_t ldw, int nr,
                          int64_t k_padded, int8_t* out, float* col_scale, int32_t* col_sum);

// Rows [0, rows) of x (already offset to the block's first row and to column
// k0), columns [k0, k0 + kcb) of a matrix with k real columns (columns >= k
// are padding). Writes ceil(rows/mr) micro-panels of mr × kcb elements.
void PackGemmActivationsF32(const float* x, int64_t ldx, int64_t rows, int64_t kcb, int mr,
                            float* out);
void PackGemmActivationsBF16(const float* x, int64_t ldx, int64_t rows, int64_t k0,
                             int64_t kcb, int64_t k, int mr, uint16_t* out);
// Per-row dynamic quantization: scale = max|x|/127 (NaN if the row is not
// finite), inv_scale = 127/max|x| (0 for an all-zero or non-finite row).
void ComputeGemmRowScalesQS8(const float* x, int64_t ldx, int64_t rows, int64_t k,
                             float* scale, float* inv_scale);
// Quantized values q = round_half_even(x · inv_scale) ∈ [-127, 127], stored
// as q + 128 (unsigned, for u8×s8 dot products).
void PackGemmActivationsQS8(const float* x, int64_t ldx, int64_t rows, int64_t k0, int64_t kcb,
                            int64_t k, int mr, const float* inv_scale, uint8_t* out);

#if defined(__x86_64__) || defined(_M_X64)
// AVX-512 versions (kernels/avx512/gemm_pack_avx512.cc) of the whole-K
// packers (k0 = 0, kcb = k_padded): byte-identical output, run only when the
// CPU has AVX-512.
// fp32: rows of X (rows <= any multiple of mr, mr <= 16) over all of K.
void PackGemmActivationsF32Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k, int mr,
                                  float* out);
void PackGemmActivationsBF16Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k_padded,
                                   int64_t k, int mr, uint16_t* out);
void ComputeGemmRowScalesQS8Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k,
                                   float* scale, float* inv_scale);
void PackGemmActivationsQS8Avx512(const float* x, int64_t ldx, int64_t rows, int64_t k_padded,
                                  int64_t k, int mr, const float* inv_scale, uint8_t* out);
#endif

}  // namespace cliprt::kernels
