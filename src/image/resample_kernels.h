// The two separable passes of Pillow's 8-bit resampling, as kernels: a
// portable scalar version (the reference) and an AVX2 version selected at
// run time (CLIPRT_ISA=scalar forces the scalar one). Integer arithmetic
// only, so every version produces identical bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/resample_filter.h"

namespace cliprt::image {

// Horizontal pass over `rows` rows starting at `row0` of an interleaved
// image (in_w pixels of `channels` bytes), writing rows of c.out_size pixels.
void HorizontalPass8Scalar(int channels, const uint8_t* in, int in_w, int row0, int rows,
                           const ResampleCoeffs& c, uint8_t* out);
// Vertical pass: output row yy = Σ_j in[first(yy) + j - row_offset] * k_j,
// rows of row_len bytes.
void VerticalPass8Scalar(const uint8_t* in, size_t row_len, int row_offset, const ResampleCoeffs& c,
                         uint8_t* out);

#if defined(__x86_64__) || defined(_M_X64)
void HorizontalPass8Avx2(int channels, const uint8_t* in, int in_w, int row0, int rows,
                         const ResampleCoeffs& c, uint8_t* out);
void VerticalPass8Avx2(const uint8_t* in, size_t row_len, int row_offset, const ResampleCoeffs& c,
                       uint8_t* out);
#endif

// Fills c.expanded for `channels` (interleaved) so repeated horizontal
// passes (e.g. per band of decoded rows) do not rebuild it.
void ExpandForChannels(ResampleCoeffs& c, int channels);

// Dispatching wrappers (ActiveIsaLevel() >= AVX2 → AVX2).
void HorizontalPass8(int channels, const uint8_t* in, int in_w, int row0, int rows, const ResampleCoeffs& c,
                     uint8_t* out);
void VerticalPass8(const uint8_t* in, size_t row_len, int row_offset, const ResampleCoeffs& c, uint8_t* out);

}  // namespace cliprt::image
