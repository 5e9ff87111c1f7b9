// Pillow's resampling filters and the per-axis coefficient tables of
// libImaging/Resample.c (Pillow 13.0.0), reproduced operation for operation so
// the integer weights — and therefore the output pixels — are identical.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cliprt::image {

// Values equal Pillow's Image.Resampling enum (HF preprocessor configs store
// these integers as "resample").
enum class ResampleFilter : int {
  kNearest = 0,
  kLanczos = 1,
  kBilinear = 2,
  kBicubic = 3,
  kBox = 4,
  kHamming = 5,
};

std::string_view ResampleFilterName(ResampleFilter filter);
// From a Pillow enum integer (HF "resample") or a name ("bicubic", ...).
StatusOr<ResampleFilter> ResampleFilterFromInt(int value);
StatusOr<ResampleFilter> ResampleFilterFromName(std::string_view name);

// Weights for one axis: output sample i reads `count[i]` inputs starting at
// `first[i]` with weights k[i*ksize + j].
struct ResampleCoeffs {
  int in_size = 0;
  int out_size = 0;
  int ksize = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<double> weights;   // normalized double weights (16-bit path)
  std::vector<int32_t> fixed;    // weights * 2^22 rounded half away from zero (8-bit path)
  // Optional cache for the AVX2 horizontal pass (see ExpandForChannels):
  // `fixed` per output repeated for each of `expanded_channels` samples,
  // padded with zeros to whole 8-lane steps.
  std::vector<int32_t> expanded;
  int expanded_channels = 0;
  int expanded_stride = 0;
};

// Pillow's precompute_coeffs() for box (0, in_size) → out_size, plus
// normalize_coeffs_8bpc(). Not for kNearest. Fails only on sizes that would
// make the table too large.
StatusOr<ResampleCoeffs> ComputeResampleCoeffs(int in_size, int out_size, ResampleFilter filter);

inline constexpr int kResamplePrecisionBits = 22;  // 32 - 8 - 2, as in Pillow

}  // namespace cliprt::image
