// Image decoding: probe the header, check the pixel limit, then decode.
// JPEG goes through libjpeg-turbo with library defaults (ISLOW IDCT, fancy
// upsampling), as Pillow does, so pixels match Pillow's exactly; PNG, BMP,
// GIF (first frame), TGA, PSD, HDR and PNM go through stb_image, with the
// Pillow mode each format opens as (see docs/preprocessing.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "image/image.h"

namespace cliprt::image {

enum class ImageFormat : uint8_t { kUnknown, kJpeg, kPng, kGif, kBmp, kPsd, kHdr, kPnm, kTga };
std::string_view ImageFormatName(ImageFormat format);

struct DecodeOptions {
  // Refuse images with more pixels than this, before allocating them.
  int64_t max_pixels = kDefaultMaxPixels;
  // The reference pipelines ignore EXIF orientation; set to rotate/flip JPEGs
  // as ImageOps.exif_transpose would.
  bool apply_exif_orientation = false;
};

// What the header says, read without decoding pixels.
struct ImageInfo {
  ImageFormat format = ImageFormat::kUnknown;
  int64_t width = 0;
  int64_t height = 0;
  ImageMode mode = ImageMode::kRGB;  // the mode Pillow would open it as
  int exif_orientation = 1;          // 1..8 (JPEG APP1), 1 when absent
};

StatusOr<ImageInfo> ProbeImage(const uint8_t* data, size_t size);

// Decodes the first image/frame. Bad, truncated or oversized input → error.
StatusOr<Image> DecodeImage(const uint8_t* data, size_t size, const DecodeOptions& options = {});
StatusOr<Image> DecodeImageFile(const std::string& path, const DecodeOptions& options = {});

}  // namespace cliprt::image
