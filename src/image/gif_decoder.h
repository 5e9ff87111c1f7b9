// First frame of a GIF, decoded to palette indices and expanded the way
// Pillow's GifImagePlugin opens it: mode "P" with the frame's palette, or "L"
// when there is no palette or it is the identity gray ramp; the transparent
// index (Graphic Control Extension) sets alpha 0 and `transparency`.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/status.h"
#include "image/image.h"

namespace cliprt::image {

struct GifHeader {
  int64_t width = 0;   // logical screen size (Pillow's image size)
  int64_t height = 0;
};

StatusOr<GifHeader> ReadGifHeader(const uint8_t* data, size_t size);
StatusOr<Image> DecodeGif(const uint8_t* data, size_t size, int64_t max_pixels);

}  // namespace cliprt::image
