#include "image/convert.h"

#include <cstddef>

namespace cliprt::image {
namespace {

inline uint8_t MulDiv255(unsigned a, unsigned b) {
  const unsigned tmp = a * b + 128;
  return static_cast<uint8_t>(((tmp >> 8) + tmp) >> 8);
}

inline uint8_t Clip8(int v) { return static_cast<uint8_t>(v <= 0 ? 0 : (v < 256 ? v : 255)); }

}  // namespace

Image ConvertToRGB(const Image& in) {
  if (in.mode == ImageMode::kRGB) return in;
  Image out;
  out.mode = ImageMode::kRGB;
  out.width = in.width;
  out.height = in.height;
  const size_t n = static_cast<size_t>(in.width) * static_cast<size_t>(in.height);
  out.pixels.resize(n * 3);
  uint8_t* dst = out.pixels.data();
  const uint8_t* src = in.pixels.data();
  switch (in.mode) {
    case ImageMode::k1:
    case ImageMode::kL:
    case ImageMode::kLA: {
      const int step = in.mode == ImageMode::kLA ? 2 : 1;
      for (size_t i = 0; i < n; ++i) dst[3 * i] = dst[3 * i + 1] = dst[3 * i + 2] = src[i * step];
      break;
    }
    case ImageMode::kP:  // stored palette-expanded RGBA
    case ImageMode::kRGBA:
      for (size_t i = 0; i < n; ++i) {
        dst[3 * i] = src[4 * i];
        dst[3 * i + 1] = src[4 * i + 1];
        dst[3 * i + 2] = src[4 * i + 2];
      }
      break;
    case ImageMode::kI16:
      for (size_t i = 0; i < n; ++i) {
        const uint16_t v = in.pixels16[i];
        dst[3 * i] = dst[3 * i + 1] = dst[3 * i + 2] = static_cast<uint8_t>(v > 255 ? 255 : v);
      }
      break;
    case ImageMode::kCMYK:
      for (size_t i = 0; i < n; ++i) {
        const int nk = 255 - src[4 * i + 3];
        for (int c = 0; c < 3; ++c) {
          dst[3 * i + c] = Clip8(nk - MulDiv255(src[4 * i + c], static_cast<unsigned>(nk)));
        }
      }
      break;
    case ImageMode::kRGB:
      break;
  }
  return out;
}

Image ConvertToRGBOverWhite(const Image& in) {
  const bool has_alpha = in.mode == ImageMode::kLA || in.mode == ImageMode::kRGBA ||
                         (in.mode == ImageMode::kP && in.transparency);
  if (!has_alpha) {
    Image out = ConvertToRGB(in);
    const int* key = in.transparent_key;
    if (in.transparency && key[0] >= 0 && (in.mode == ImageMode::kL || in.mode == ImageMode::kRGB)) {
      // convert("RGBA") gives alpha 0 exactly where the key matches; the
      // composite over white turns those pixels white, others unchanged.
      const int ch = in.channels();
      const size_t n = static_cast<size_t>(in.width) * static_cast<size_t>(in.height);
      for (size_t i = 0; i < n; ++i) {
        const uint8_t* p = &in.pixels[i * static_cast<size_t>(ch)];
        const bool match = ch == 1 ? p[0] == key[0] : (p[0] == key[0] && p[1] == key[1] && p[2] == key[2]);
        if (match) out.pixels[3 * i] = out.pixels[3 * i + 1] = out.pixels[3 * i + 2] = 255;
      }
    }
    return out;
  }
  Image out;
  out.mode = ImageMode::kRGB;
  out.width = in.width;
  out.height = in.height;
  const size_t n = static_cast<size_t>(in.width) * static_cast<size_t>(in.height);
  out.pixels.resize(n * 3);
  const int ch = in.channels();
  const uint8_t* s = in.pixels.data();
  uint8_t* d = out.pixels.data();
  // AlphaComposite.c with dst = (255, 255, 255, 255), PRECISION_BITS 7.
  constexpr uint32_t kBits = 7;
  for (size_t i = 0; i < n; ++i, s += ch, d += 3) {
    const uint32_t a = s[ch - 1];
    const uint32_t rgb[3] = {s[0], ch == 2 ? s[0] : s[1], ch == 2 ? s[0] : s[2]};
    if (a == 0) {
      d[0] = d[1] = d[2] = 255;
      continue;
    }
    const uint32_t blend = 255u * (255u - a);
    const uint32_t outa255 = a * 255u + blend;
    const uint32_t coef1 = a * 255u * 255u * (1u << kBits) / outa255;
    const uint32_t coef2 = 255u * (1u << kBits) - coef1;
    for (int c = 0; c < 3; ++c) {
      uint32_t tmp = rgb[c] * coef1 + 255u * coef2 + (0x80u << kBits);
      tmp = ((tmp >> 8) + tmp) >> 8;
      d[c] = static_cast<uint8_t>(tmp >> kBits);
    }
  }
  return out;
}

void PremultiplyAlpha(Image& img) {
  const int ch = img.channels();
  if (img.mode != ImageMode::kRGBA && img.mode != ImageMode::kLA) return;
  const size_t n = static_cast<size_t>(img.width) * static_cast<size_t>(img.height);
  uint8_t* p = img.pixels.data();
  for (size_t i = 0; i < n; ++i, p += ch) {
    const unsigned alpha = p[ch - 1];
    for (int c = 0; c < ch - 1; ++c) p[c] = MulDiv255(p[c], alpha);
  }
}

void UnpremultiplyAlpha(Image& img) {
  const int ch = img.channels();
  if (img.mode != ImageMode::kRGBA && img.mode != ImageMode::kLA) return;
  const size_t n = static_cast<size_t>(img.width) * static_cast<size_t>(img.height);
  uint8_t* p = img.pixels.data();
  for (size_t i = 0; i < n; ++i, p += ch) {
    const int alpha = p[ch - 1];
    if (alpha == 255 || alpha == 0) continue;
    for (int c = 0; c < ch - 1; ++c) p[c] = Clip8((255 * p[c]) / alpha);
  }
}

}  // namespace cliprt::image
