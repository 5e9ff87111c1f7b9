// Image: a decoded 8-bit (or 16-bit grayscale) picture with a Pillow-like
// mode. The preprocessing presets depend on the mode because the reference
// pipelines do (Pillow resizes "P" with NEAREST, "RGBA"/"LA" premultiplied,
// "I;16" with its own 16-bit path), so the mode travels with the pixels.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cliprt::image {

enum class ImageMode : uint8_t {
  k1,     // bilevel; stored like L with values 0/255 ("1" in Pillow)
  kL,     // 8-bit gray
  kLA,    // gray + alpha, 2 samples per pixel
  kP,     // palette image; `pixels` hold the palette-expanded RGBA (see below)
  kRGB,   // 3 samples per pixel
  kRGBA,  // 4 samples per pixel, straight (not premultiplied) alpha
  kI16,   // 16-bit gray ("I;16"); samples are in `pixels16`
  kCMYK,  // 4 samples per pixel, Pillow's (non-inverted) CMYK
};

// Pillow's mode name ("RGB", "I;16", ...), for provenance and messages.
std::string_view ImageModeName(ImageMode mode);
// Samples per pixel as stored here (kP: 4, kI16: 1).
int ImageModeChannels(ImageMode mode);

// A palette image is stored expanded to RGBA (alpha from the PNG tRNS chunk or
// the GIF transparent index, else 255): every operation the reference
// pipelines apply to "P" images (NEAREST resize, crop, convert("RGB"),
// convert("RGBA")) commutes with the palette lookup, so the indices
// themselves are never needed. The palette is kept because torchvision pads
// "P" images with an index (fill colour = palette[fill]).
struct Image {
  ImageMode mode = ImageMode::kRGB;
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;     // row-major, interleaved, no row padding
  std::vector<uint16_t> pixels16;  // kI16 only
  std::vector<uint8_t> palette;    // kP only: RGB triplets (may be empty)
  // Pillow's info["transparency"] is set (tRNS chunk / GIF transparent
  // index): HF's convert_to_rgb then composites onto white.
  bool transparency = false;
  // L / RGB images with a PNG tRNS colour key (8-bit): the key colour, or -1.
  // Only HF's convert_to_rgb looks at it (those pixels become white).
  int transparent_key[3] = {-1, -1, -1};

  int channels() const { return ImageModeChannels(mode); }
  int64_t row_bytes() const { return int64_t{width} * channels(); }
  bool empty() const { return width == 0 || height == 0; }
};

// Default cap on width*height for decoding and for caller-supplied buffers:
// 100 megapixels (Pillow's MAX_IMAGE_PIXELS is ~89 MP and warns; we refuse).
inline constexpr int64_t kDefaultMaxPixels = 100'000'000;

// Allocates an image of the given mode and size, checking the dimensions
// (positive, width*height <= max_pixels) before any allocation.
StatusOr<Image> AllocateImage(ImageMode mode, int64_t width, int64_t height,
                              int64_t max_pixels = kDefaultMaxPixels);

// Layouts accepted for caller-supplied pixel buffers.
enum class PixelFormat : uint8_t { kGray, kRGB, kRGBA, kBGR, kBGRA };

// Copies a caller buffer (any row stride >= width*bytes_per_pixel) into an
// Image: kGray → L, kRGB/kBGR → RGB, kRGBA/kBGRA → RGBA.
StatusOr<Image> ImageFromPixels(const uint8_t* data, int64_t size_bytes, int width, int height,
                                int64_t row_stride_bytes, PixelFormat format,
                                int64_t max_pixels = kDefaultMaxPixels);

}  // namespace cliprt::image
