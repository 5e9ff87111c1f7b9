#include "image/bmp_palette_decoder.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace cliprt::image {
namespace {

uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
uint16_t Le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

struct BmpHeader {
  uint32_t data_offset = 0;
  uint32_t dib_size = 0;
  int64_t width = 0;
  int64_t height = 0;  // negative: rows stored top-down
  int bits = 0;
  uint32_t compression = 0;
  int colors = 0;
  int entry_bytes = 4;              // palette entry size: BGRX (4) or OS/2 BGR (3)
  std::vector<uint8_t> palette;     // RGB triplets, `colors` entries
  ImageMode mode = ImageMode::kP;
};

StatusOr<BmpHeader> ParseHeader(const uint8_t* d, size_t n) {
  if (n < 26 || d[0] != 'B' || d[1] != 'M') return CorruptDataError("BMP: header truncated");
  BmpHeader h;
  h.data_offset = Le32(d + 10);
  h.dib_size = Le32(d + 14);
  if (h.dib_size == 12) {
    h.width = Le16(d + 18);
    h.height = Le16(d + 20);
    h.bits = Le16(d + 24);
    h.entry_bytes = 3;
  } else if (h.dib_size >= 40 && n >= 54) {
    h.width = static_cast<int32_t>(Le32(d + 18));
    h.height = static_cast<int32_t>(Le32(d + 22));
    h.bits = Le16(d + 28);
    h.compression = Le32(d + 30);
    h.colors = static_cast<int>(std::min<uint32_t>(Le32(d + 46), 65537));
  } else {
    return CorruptDataError("BMP: unsupported DIB header size " + std::to_string(h.dib_size));
  }
  if (h.bits != 1 && h.bits != 4 && h.bits != 8) return CorruptDataError("BMP: not a palette image");
  if (h.compression != 0) {
    return UnsupportedError("BMP: compressed (RLE) palette images are not supported");
  }
  if (h.colors == 0) h.colors = 1 << h.bits;
  if (h.colors > 65536) return CorruptDataError("BMP: palette size out of range");
  const size_t pal_at = 14 + size_t{h.dib_size};
  const size_t pal_bytes = static_cast<size_t>(h.colors) * static_cast<size_t>(h.entry_bytes);
  if (pal_at > n || n - pal_at < pal_bytes) return CorruptDataError("BMP: palette truncated");
  const int used = std::min(h.colors, 256);
  h.palette.resize(static_cast<size_t>(used) * 3);
  bool gray = true;
  for (int i = 0; i < h.colors; ++i) {
    const uint8_t* e = d + pal_at + static_cast<size_t>(i) * static_cast<size_t>(h.entry_bytes);
    const int want = h.colors == 2 ? (i == 0 ? 0 : 255) : i;  // Pillow's gray-ramp test
    if (!(e[0] == want && e[1] == want && e[2] == want)) gray = false;
    if (i < used) {
      h.palette[static_cast<size_t>(i) * 3] = e[2];
      h.palette[static_cast<size_t>(i) * 3 + 1] = e[1];
      h.palette[static_cast<size_t>(i) * 3 + 2] = e[0];
    }
  }
  h.mode = gray ? (h.colors <= 2 ? ImageMode::k1 : ImageMode::kL) : ImageMode::kP;
  return h;
}

}  // namespace

bool IsPaletteBmp(const uint8_t* d, size_t n) {
  if (n < 30 || d[0] != 'B' || d[1] != 'M') return false;
  const uint32_t dib = Le32(d + 14);
  const int bits = dib == 12 ? Le16(d + 24) : Le16(d + 28);
  return bits == 1 || bits == 4 || bits == 8;
}

StatusOr<ImageMode> PaletteBmpMode(const uint8_t* data, size_t size) {
  ASSIGN_OR_RETURN(BmpHeader h, ParseHeader(data, size));
  return h.mode;
}

StatusOr<Image> DecodePaletteBmp(const uint8_t* data, size_t size, int64_t max_pixels) {
  ASSIGN_OR_RETURN(BmpHeader h, ParseHeader(data, size));
  const bool top_down = h.height < 0;
  const int64_t height = top_down ? -h.height : h.height;
  ASSIGN_OR_RETURN(Image img, AllocateImage(h.mode, h.width, height, max_pixels));
  const size_t stride = static_cast<size_t>(((h.width * h.bits + 31) >> 3) & ~int64_t{3});
  if (h.data_offset > size || (size - h.data_offset) / stride < static_cast<size_t>(height)) {
    return CorruptDataError("BMP: pixel data truncated");
  }
  const int ch = img.channels();
  const int per_byte = 8 / h.bits;
  const int mask = (1 << h.bits) - 1;
  const size_t n_pal = h.palette.size() / 3;
  for (int64_t y = 0; y < height; ++y) {
    const uint8_t* row = data + h.data_offset + static_cast<size_t>(top_down ? y : height - 1 - y) * stride;
    uint8_t* dst = img.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(h.width) * static_cast<size_t>(ch);
    for (int64_t x = 0; x < h.width; ++x) {
      const int shift = (per_byte - 1 - static_cast<int>(x % per_byte)) * h.bits;
      const size_t index = (row[x / per_byte] >> shift) & mask;
      if (h.mode == ImageMode::kP) {
        // Indices past the palette read black.
        const bool in = index < n_pal;
        dst[4 * x] = in ? h.palette[3 * index] : 0;
        dst[4 * x + 1] = in ? h.palette[3 * index + 1] : 0;
        dst[4 * x + 2] = in ? h.palette[3 * index + 2] : 0;
        dst[4 * x + 3] = 255;
      } else if (h.mode == ImageMode::k1) {
        dst[x] = index ? 255 : 0;
      } else {
        dst[x] = static_cast<uint8_t>(index);  // gray ramp: value = index
      }
    }
  }
  if (h.mode == ImageMode::kP) img.palette = std::move(h.palette);
  return img;
}

}  // namespace cliprt::image
