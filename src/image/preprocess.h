// Preprocessing presets that reproduce the reference pipelines exactly:
//  - OpenAI `clip` _transform and open_clip image_transform (inference):
//    resize (Pillow, mode-aware) → center crop (torchvision, half-even) or
//    pad → convert("RGB") → ToTensor → Normalize;
//  - HF CLIPImageProcessor (slow/PIL backend): convert("RGB") → resize
//    shortest_edge → center crop (floor) → rescale in float64 → normalize;
//  - HF SiglipImageProcessor: squash to size → rescale → normalize (0.5).
// Every parameter is recorded in PreprocessRecord for provenance.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "image/image.h"
#include "image/resample_filter.h"
#include "tensor/tensor.h"

namespace cliprt::image {

enum class ResizeMode : uint8_t {
  kShortest,  // shortest side to the target, then center crop
  kLongest,   // longest side to the target (keep ratio), then center crop or pad with fill
  kSquash,    // both sides to the target, aspect ratio not kept, no crop
};
enum class CropRule : uint8_t {
  kTorchvision,  // top = round_half_even((H - h) / 2); zero-pad first if too small
  kHfFloor,      // top = (H - h) // 2; HF's padding rule if too small
};
enum class RgbConversion : uint8_t {
  kAfterResize,   // OpenAI / open_clip: Pillow resizes the original mode
  kBeforeResize,  // HF: convert("RGB") first
};
enum class Rescale : uint8_t {
  kTorchvision,  // f32(u8) / 255 in float32 (ToTensor)
  kHfFloat64,    // f32(f64(u8) * rescale_factor) (HF rescale)
};

std::string_view ResizeModeName(ResizeMode mode);
StatusOr<ResizeMode> ResizeModeFromName(std::string_view name);

struct PreprocessConfig {
  std::string preset = "openai";  // openai | open_clip | hf_clip | hf_siglip | custom
  int out_height = 224;           // tensor size (crop size, or squash size)
  int out_width = 224;
  int shortest_edge = 224;        // kShortest with HF: resize target of the short side
  ResizeMode resize_mode = ResizeMode::kShortest;
  ResampleFilter interpolation = ResampleFilter::kBicubic;
  CropRule crop_rule = CropRule::kTorchvision;
  RgbConversion rgb_conversion = RgbConversion::kAfterResize;
  Rescale rescale = Rescale::kTorchvision;
  double rescale_factor = 1.0 / 255.0;
  bool do_resize = true;
  bool do_center_crop = true;
  bool do_normalize = true;
  int fill_color = 0;  // open_clip 'longest' padding value (palette index for "P")
  std::array<float, 3> mean = {0.48145466f, 0.4578275f, 0.40821073f};
  std::array<float, 3> std = {0.26862954f, 0.26130258f, 0.27577711f};
  bool apply_exif_orientation = false;  // references ignore EXIF orientation
  // Refuse inputs whose intermediate resized image (before the crop) would
  // exceed this many pixels: an extreme aspect ratio (e.g. 60000x8) resized
  // shortest-side-first becomes huge. The references would try; we bound it.
  int64_t max_resized_pixels = 64'000'000;
};

// OpenAI `clip.load(...)[1]`: Resize(n_px, BICUBIC), CenterCrop(n_px), RGB, ToTensor, Normalize.
PreprocessConfig OpenAIPreset(int n_px = 224);

// open_clip preprocess_cfg fields, as parsed from open_clip_config.json /
// pretrained tags (values absent from the file stay unset).
struct OpenClipPreprocessFields {
  std::vector<int> image_size;               // [s] or [h, w]
  std::optional<std::array<double, 3>> mean;
  std::optional<std::array<double, 3>> std;
  std::optional<std::string> interpolation;  // 'bicubic' | 'bilinear' | 'random' (→ bicubic)
  std::optional<std::string> resize_mode;    // 'shortest' | 'longest' | 'squash'
  std::optional<int> fill_color;
};
StatusOr<PreprocessConfig> OpenClipPreset(const OpenClipPreprocessFields& fields);

// HF preprocessor_config.json fields (legacy int "size"/"crop_size" go in
// size_int/crop_size_int). Unset fields take the processor class's default.
struct HfImageProcessorFields {
  std::string image_processor_type;  // CLIPImageProcessor | SiglipImageProcessor (optionally ...Fast/...Pil)
  std::optional<int> size_int, size_shortest_edge, size_height, size_width;
  std::optional<int> crop_size_int, crop_height, crop_width;
  std::optional<int> resample;
  std::optional<bool> do_resize, do_center_crop, do_rescale, do_normalize, do_convert_rgb;
  std::optional<double> rescale_factor;
  std::optional<std::array<double, 3>> image_mean, image_std;
};
StatusOr<PreprocessConfig> HfImageProcessorPreset(const HfImageProcessorFields& fields);

// What was done to one image, for provenance.
struct PreprocessRecord {
  PreprocessConfig config;
  int source_width = 0, source_height = 0;
  std::string source_mode;
  int resized_width = 0, resized_height = 0;
  int crop_top = 0, crop_left = 0;  // may be negative when the image was padded
  bool converted_before_resize = false;
  // "preset=openai size=224x224 resize=shortest interpolation=bicubic ..."
  std::string ToString() const;
};

// Runs the preset on a decoded image, writing float32 CHW [3, out_height,
// out_width] into `out` (caller buffer, e.g. a slot of a batch tensor).
Status PreprocessInto(const Image& img, const PreprocessConfig& config, float* out, size_t out_floats,
                      PreprocessRecord* record = nullptr);
// Same into a new Tensor.
StatusOr<Tensor> Preprocess(const Image& img, const PreprocessConfig& config, PreprocessRecord* record = nullptr);

// The 8-bit RGB image right before ToTensor (for tests and debugging).
StatusOr<Image> PreprocessToRGB(const Image& img, const PreprocessConfig& config, PreprocessRecord* record = nullptr);

// Decode + preprocess in one call. For baseline/progressive RGB or gray
// JPEGs whose Pillow resize runs the horizontal pass first (everything but
// very tall images), rows go from libjpeg-turbo straight into the horizontal
// pass, so the full-size image is never stored: same pixels, less memory
// traffic. Other inputs take DecodeImage + PreprocessInto.
struct DecodeOptions;
Status PreprocessEncodedInto(const uint8_t* data, size_t size, const DecodeOptions& decode,
                             const PreprocessConfig& config, float* out, size_t out_floats,
                             PreprocessRecord* record = nullptr);

// Stages of the pipeline, shared by the decoded-image and streaming paths.
Status PreprocessResizeTarget(int width, int height, const PreprocessConfig& config, int* out_w, int* out_h);
StatusOr<Image> PreprocessFinishResized(Image resized, const PreprocessConfig& config, PreprocessRecord& record);
// u8 RGB image of the output size → float CHW with the preset's rescale/normalize.
Status NormalizeInto(const Image& rgb, const PreprocessConfig& config, float* out);

// Target sizes, exposed for tests: torchvision Resize(int) / HF shortest_edge
// (long side truncated), and open_clip ResizeKeepRatio (rounded half-even).
// Results are int64 so absurd aspect ratios cannot overflow.
void ShortestEdgeSize(int width, int height, int target, int64_t* out_w, int64_t* out_h);
void KeepRatioSize(int width, int height, int target_h, int target_w, bool longest, int64_t* out_w,
                   int64_t* out_h);

}  // namespace cliprt::image
