#include "image/image.h"

#include <cstring>
#include <string>

namespace cliprt::image {

std::string_view ImageModeName(ImageMode mode) {
  switch (mode) {
    case ImageMode::k1: return "1";
    case ImageMode::kL: return "L";
    case ImageMode::kLA: return "LA";
    case ImageMode::kP: return "P";
    case ImageMode::kRGB: return "RGB";
    case ImageMode::kRGBA: return "RGBA";
    case ImageMode::kI16: return "I;16";
    case ImageMode::kCMYK: return "CMYK";
  }
  return "?";
}

int ImageModeChannels(ImageMode mode) {
  switch (mode) {
    case ImageMode::k1:
    case ImageMode::kL:
    case ImageMode::kI16: return 1;
    case ImageMode::kLA: return 2;
    case ImageMode::kRGB: return 3;
    case ImageMode::kP:
    case ImageMode::kRGBA:
    case ImageMode::kCMYK: return 4;
  }
  return 1;
}

StatusOr<Image> AllocateImage(ImageMode mode, int64_t width, int64_t height, int64_t max_pixels) {
  if (width <= 0 || height <= 0) {
    return InvalidArgumentError("image size " + std::to_string(width) + "x" + std::to_string(height) +
                                " is empty or negative");
  }
  if (width > (int64_t{1} << 30) || height > (int64_t{1} << 30) || width * height > max_pixels) {
    return ResourceExhaustedError("image of " + std::to_string(width) + "x" + std::to_string(height) +
                                  " pixels exceeds the limit of " + std::to_string(max_pixels) +
                                  " pixels");
  }
  Image img;
  img.mode = mode;
  img.width = static_cast<int>(width);
  img.height = static_cast<int>(height);
  const size_t n = static_cast<size_t>(width * height);
  if (mode == ImageMode::kI16) {
    img.pixels16.resize(n);
  } else {
    img.pixels.resize(n * static_cast<size_t>(ImageModeChannels(mode)));
  }
  return img;
}

StatusOr<Image> ImageFromPixels(const uint8_t* data, int64_t size_bytes, int width, int height,
                                int64_t row_stride_bytes, PixelFormat format, int64_t max_pixels) {
  int in_bpp = 0;
  ImageMode mode = ImageMode::kRGB;
  switch (format) {
    case PixelFormat::kGray: in_bpp = 1; mode = ImageMode::kL; break;
    case PixelFormat::kRGB:
    case PixelFormat::kBGR: in_bpp = 3; mode = ImageMode::kRGB; break;
    case PixelFormat::kRGBA:
    case PixelFormat::kBGRA: in_bpp = 4; mode = ImageMode::kRGBA; break;
  }
  if (in_bpp == 0) return InvalidArgumentError("unknown pixel format");
  if (data == nullptr) return InvalidArgumentError("pixel buffer is null");
  ASSIGN_OR_RETURN(Image img, AllocateImage(mode, width, height, max_pixels));
  const int64_t min_stride = int64_t{width} * in_bpp;
  if (row_stride_bytes < min_stride) {
    return InvalidArgumentError("row stride " + std::to_string(row_stride_bytes) +
                                " is smaller than width*bytes_per_pixel = " + std::to_string(min_stride));
  }
  // Last row needs only min_stride bytes; overflow is impossible after the
  // pixel cap (height <= 1e8, stride checked against size below).
  if (row_stride_bytes > size_bytes ||
      (height - 1) > (size_bytes - min_stride) / row_stride_bytes) {
    return InvalidArgumentError("pixel buffer of " + std::to_string(size_bytes) + " bytes is too small for " +
                                std::to_string(width) + "x" + std::to_string(height) + " with row stride " +
                                std::to_string(row_stride_bytes));
  }
  const bool swap = format == PixelFormat::kBGR || format == PixelFormat::kBGRA;
  for (int y = 0; y < height; ++y) {
    const uint8_t* src = data + y * row_stride_bytes;
    uint8_t* dst = img.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(min_stride);
    if (!swap) {
      std::memcpy(dst, src, static_cast<size_t>(min_stride));
      continue;
    }
    for (int x = 0; x < width; ++x) {
      dst[0] = src[2];
      dst[1] = src[1];
      dst[2] = src[0];
      if (in_bpp == 4) dst[3] = src[3];
      src += in_bpp;
      dst += in_bpp;
    }
  }
  return img;
}

}  // namespace cliprt::image
