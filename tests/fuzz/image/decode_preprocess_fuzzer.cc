// libFuzzer target: decode any bytes, run every preset on the result, and
// check that the one-call path (PreprocessEncodedInto, which streams JPEG
// rows into the resize) gives the same tensor as decode + preprocess.
// The pixel limits are lowered so the fuzzer explores formats, not memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "image/decode.h"
#include "image/preprocess.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cliprt::image;
  DecodeOptions options;
  options.max_pixels = 1'000'000;
  options.apply_exif_orientation = size > 0 && (data[size - 1] & 1);
  cliprt::StatusOr<Image> img = DecodeImage(data, size, options);
  if (!img.ok()) return 0;
  PreprocessConfig configs[4] = {OpenAIPreset(24), OpenAIPreset(24), OpenAIPreset(24), OpenAIPreset(24)};
  configs[1].resize_mode = ResizeMode::kLongest;
  configs[1].fill_color = 7;
  configs[2].crop_rule = CropRule::kHfFloor;
  configs[2].rgb_conversion = RgbConversion::kBeforeResize;
  configs[2].rescale = Rescale::kHfFloat64;
  configs[3].resize_mode = ResizeMode::kSquash;
  configs[3].interpolation = static_cast<ResampleFilter>(size % 6);
  std::vector<float> a(3 * 24 * 24), b(a.size());
  for (PreprocessConfig& c : configs) {
    c.max_resized_pixels = 1'000'000;
    const bool ok_a = PreprocessInto(*img, c, a.data(), a.size()).ok();
    const bool ok_b = PreprocessEncodedInto(data, size, options, c, b.data(), b.size()).ok();
    if (ok_a != ok_b || (ok_a && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) != 0)) std::abort();
  }
  return 0;
}
