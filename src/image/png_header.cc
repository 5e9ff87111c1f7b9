#include "image/png_header.h"

#include <zlib.h>

#include <cstring>
#include <string>

namespace cliprt::image {
namespace {

uint32_t Be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

StatusOr<PngHeader> ReadPngHeader(const uint8_t* data, size_t size) {
  static const uint8_t kSig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (size < 33 || std::memcmp(data, kSig, 8) != 0) return CorruptDataError("PNG: missing signature or IHDR");
  if (Be32(data + 8) != 13 || std::memcmp(data + 12, "IHDR", 4) != 0) {
    return CorruptDataError("PNG: first chunk (byte 8) is not a 13-byte IHDR");
  }
  PngHeader h;
  h.width = Be32(data + 16);
  h.height = Be32(data + 20);
  h.bit_depth = data[24];
  h.color_type = data[25];
  const int d = h.bit_depth, t = h.color_type;
  bool ok = true;
  switch (t) {
    case 0:
      if (d == 1) h.mode = ImageMode::k1;
      else if (d == 2 || d == 4 || d == 8) h.mode = ImageMode::kL;
      else if (d == 16) h.mode = ImageMode::kI16;
      else ok = false;
      break;
    case 2: ok = d == 8 || d == 16; h.mode = ImageMode::kRGB; break;
    case 3: ok = d == 1 || d == 2 || d == 4 || d == 8; h.mode = ImageMode::kP; break;
    // Pillow opens 16-bit gray+alpha as RGBA ("LA;16B" → RGBA).
    case 4: ok = d == 8 || d == 16; h.mode = d == 8 ? ImageMode::kLA : ImageMode::kRGBA; break;
    case 6: ok = d == 8 || d == 16; h.mode = ImageMode::kRGBA; break;
    default: ok = false;
  }
  if (!ok) {
    return CorruptDataError("PNG: invalid bit depth " + std::to_string(d) + " for colour type " + std::to_string(t));
  }
  // Walk the chunks before IDAT for PLTE and tRNS.
  size_t pos = 33;
  while (pos + 8 <= size) {
    const uint32_t len = Be32(data + pos);
    const uint8_t* type = data + pos + 4;
    if (len > size - pos - 8) break;
    if (std::memcmp(type, "PLTE", 4) == 0) {
      const uint32_t n = len / 3 * 3;
      h.palette.assign(data + pos + 8, data + pos + 8 + n);
      h.plte_offset = pos;
      h.plte_chunk_bytes = 12 + size_t{len};
    }
    if (std::memcmp(type, "tRNS", 4) == 0) {
      h.has_trns = true;
      // Colour keys are 16-bit samples; only 8-bit images are keyed here.
      const uint8_t* body = data + pos + 8;
      if (h.bit_depth == 8 && t == 0 && len >= 2) h.trns_key[0] = (body[0] << 8) | body[1];
      if (h.bit_depth == 8 && t == 2 && len >= 6) {
        for (int c = 0; c < 3; ++c) h.trns_key[c] = (body[2 * c] << 8) | body[2 * c + 1];
      }
    }
    if (std::memcmp(type, "IDAT", 4) == 0) break;
    if (size - pos - 8 - len < 4) break;
    pos += 12 + len;
  }
  return h;
}

std::vector<uint8_t> PngWithFullPalette(const uint8_t* data, size_t size, const PngHeader& h) {
  std::vector<uint8_t> out;
  if (h.mode != ImageMode::kP || h.plte_offset == 0 || h.palette.size() >= 768 ||
      h.plte_offset + h.plte_chunk_bytes > size) {
    return out;
  }
  out.reserve(size + 768);
  out.insert(out.end(), data, data + h.plte_offset);
  const uint8_t len_be[4] = {0, 0, 0x03, 0x00};  // 768
  out.insert(out.end(), len_be, len_be + 4);
  const size_t type_at = out.size();
  out.insert(out.end(), {'P', 'L', 'T', 'E'});
  out.insert(out.end(), h.palette.begin(), h.palette.end());
  out.resize(type_at + 4 + 768, 0);
  const uLong crc = crc32(0, out.data() + type_at, 4 + 768);
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(crc >> s));
  out.insert(out.end(), data + h.plte_offset + h.plte_chunk_bytes, data + size);
  return out;
}

}  // namespace cliprt::image
