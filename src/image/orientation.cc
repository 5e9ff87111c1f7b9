#include "image/orientation.h"

#include <cstring>

namespace cliprt::image {

Image ApplyExifOrientation(const Image& in, int orientation) {
  if (orientation < 2 || orientation > 8 || in.empty()) return in;
  // Orientations 5..8 swap the axes (TRANSPOSE, ROTATE_270, TRANSVERSE, ROTATE_90).
  const bool swap = orientation >= 5;
  Image out;
  out.mode = in.mode;
  out.palette = in.palette;
  out.width = swap ? in.height : in.width;
  out.height = swap ? in.width : in.height;
  const bool is16 = in.mode == ImageMode::kI16;
  const size_t bpp = is16 ? 2 : static_cast<size_t>(in.channels());
  const size_t n = static_cast<size_t>(in.width) * static_cast<size_t>(in.height);
  if (is16) out.pixels16.resize(n); else out.pixels.resize(n * bpp);
  const uint8_t* src = is16 ? reinterpret_cast<const uint8_t*>(in.pixels16.data()) : in.pixels.data();
  uint8_t* dst = is16 ? reinterpret_cast<uint8_t*>(out.pixels16.data()) : out.pixels.data();
  const int W = in.width, H = in.height;
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int sx = 0, sy = 0;  // source pixel shown at (x, y) of the output
      switch (orientation) {
        case 2: sx = W - 1 - x; sy = y; break;          // FLIP_LEFT_RIGHT
        case 3: sx = W - 1 - x; sy = H - 1 - y; break;  // ROTATE_180
        case 4: sx = x; sy = H - 1 - y; break;          // FLIP_TOP_BOTTOM
        case 5: sx = y; sy = x; break;                  // TRANSPOSE
        case 6: sx = y; sy = H - 1 - x; break;          // ROTATE_270 (clockwise 90)
        case 7: sx = W - 1 - y; sy = H - 1 - x; break;  // TRANSVERSE
        case 8: sx = W - 1 - y; sy = x; break;          // ROTATE_90 (counter-clockwise)
        default: break;
      }
      std::memcpy(dst + (static_cast<size_t>(y) * static_cast<size_t>(out.width) + static_cast<size_t>(x)) * bpp,
                  src + (static_cast<size_t>(sy) * static_cast<size_t>(W) + static_cast<size_t>(sx)) * bpp, bpp);
    }
  }
  return out;
}

}  // namespace cliprt::image
