#include "image/gif_decoder.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace cliprt::image {
namespace {

class Reader {
 public:
  Reader(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  bool Has(size_t k) const { return n_ - pos_ >= k; }
  uint8_t U8() { return d_[pos_++]; }
  uint16_t U16() { uint16_t v = static_cast<uint16_t>(d_[pos_] | (d_[pos_ + 1] << 8)); pos_ += 2; return v; }
  const uint8_t* Take(size_t k) { const uint8_t* p = d_ + pos_; pos_ += k; return p; }
  size_t pos() const { return pos_; }

 private:
  const uint8_t* d_;
  size_t n_;
  size_t pos_ = 0;
};

Status Truncated(const Reader& r, const char* what) {
  return CorruptDataError("GIF: truncated " + std::string(what) + " at byte " + std::to_string(r.pos()));
}

// Skips a chain of data sub-blocks (length byte, bytes, ..., 0).
Status SkipSubBlocks(Reader& r) {
  while (true) {
    if (!r.Has(1)) return Truncated(r, "sub-block");
    const uint8_t len = r.U8();
    if (len == 0) return Status::Ok();
    if (!r.Has(len)) return Truncated(r, "sub-block");
    r.Take(len);
  }
}

bool IsIdentityGray(const std::vector<uint8_t>& p) {
  for (size_t i = 0; i + 2 < p.size(); i += 3) {
    if (!(i / 3 == p[i] && p[i] == p[i + 1] && p[i + 1] == p[i + 2])) return false;
  }
  return true;
}

// LZW-decodes the image data sub-blocks into `out` (w*h indices, in stream
// order). Returns an error on bad codes or too little data.
Status DecodeLzw(Reader& r, int min_code_size, std::vector<uint8_t>& out) {
  if (min_code_size < 1 || min_code_size > 11) {
    return CorruptDataError("GIF: LZW minimum code size " + std::to_string(min_code_size) + " out of range");
  }
  const int clear = 1 << min_code_size, eoi = clear + 1;
  std::vector<uint16_t> prefix(4096);
  std::vector<uint8_t> suffix(4096), first(4096);
  std::vector<uint8_t> stack(4097);
  for (int i = 0; i < clear; ++i) { suffix[static_cast<size_t>(i)] = static_cast<uint8_t>(i); first[static_cast<size_t>(i)] = static_cast<uint8_t>(i); }
  int code_size = min_code_size + 1, next = eoi + 1, prev = -1;
  uint32_t bits = 0;
  int nbits = 0;
  size_t written = 0;
  bool done = false;
  while (true) {
    if (!r.Has(1)) return Truncated(r, "image data");
    const uint8_t len = r.U8();
    if (len == 0) break;
    if (!r.Has(len)) return Truncated(r, "image data");
    const uint8_t* block = r.Take(len);
    for (int i = 0; i < len && !done; ++i) {
      bits |= uint32_t{block[i]} << nbits;
      nbits += 8;
      while (nbits >= code_size && !done) {
        const int code = static_cast<int>(bits & ((1u << code_size) - 1));
        bits >>= code_size;
        nbits -= code_size;
        if (code == clear) { code_size = min_code_size + 1; next = eoi + 1; prev = -1; continue; }
        if (code == eoi) { done = true; break; }
        if (code > next || (prev < 0 && code >= clear)) {
          return CorruptDataError("GIF: invalid LZW code " + std::to_string(code) + " at byte " + std::to_string(r.pos()));
        }
        // Emit the string for `code` (or prev + first(prev) when code == next).
        size_t sp = 0;
        int c = code;
        if (code == next) { stack[sp++] = first[static_cast<size_t>(prev)]; c = prev; }
        while (c >= clear) { stack[sp++] = suffix[static_cast<size_t>(c)]; c = prefix[static_cast<size_t>(c)]; }
        stack[sp++] = static_cast<uint8_t>(c);
        while (sp > 0 && written < out.size()) out[written++] = stack[--sp];
        if (prev >= 0 && next < 4096) {
          prefix[static_cast<size_t>(next)] = static_cast<uint16_t>(prev);
          suffix[static_cast<size_t>(next)] = static_cast<uint8_t>(c);
          first[static_cast<size_t>(next)] = first[static_cast<size_t>(prev)];
          ++next;
          if (next == (1 << code_size) && code_size < 12) ++code_size;
        }
        prev = code;
      }
    }
    if (done) { RETURN_IF_ERROR(SkipSubBlocks(r)); break; }
  }
  if (written < out.size()) {
    return CorruptDataError("GIF: image data ends after " + std::to_string(written) + " of " +
                            std::to_string(out.size()) + " pixels");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<GifHeader> ReadGifHeader(const uint8_t* data, size_t size) {
  if (size < 13 || (std::memcmp(data, "GIF87a", 6) != 0 && std::memcmp(data, "GIF89a", 6) != 0)) {
    return CorruptDataError("GIF: missing header");
  }
  GifHeader h;
  h.width = data[6] | (data[7] << 8);
  h.height = data[8] | (data[9] << 8);
  return h;
}

StatusOr<Image> DecodeGif(const uint8_t* data, size_t size, int64_t max_pixels) {
  ASSIGN_OR_RETURN(GifHeader h, ReadGifHeader(data, size));
  Reader r(data, size);
  r.Take(10);
  const uint8_t flags = r.U8();
  const uint8_t background = r.U8();
  r.U8();  // aspect
  std::vector<uint8_t> global;
  if (flags & 0x80) {
    const size_t n = size_t{3} << ((flags & 7) + 1);
    if (!r.Has(n)) return Truncated(r, "global colour table");
    const uint8_t* p = r.Take(n);
    global.assign(p, p + n);
  }
  (void)background;
  int transparent = -1;
  while (true) {
    if (!r.Has(1)) return Truncated(r, "block");
    const uint8_t tag = r.U8();
    if (tag == 0x3B) return CorruptDataError("GIF: no image before the trailer");
    if (tag == 0x21) {
      if (!r.Has(1)) return Truncated(r, "extension");
      const uint8_t label = r.U8();
      if (label == 0xF9 && r.Has(6) ) {
        const size_t at = r.pos();
        if (data[at] == 4) {
          const uint8_t gflags = data[at + 1];
          transparent = (gflags & 1) ? data[at + 4] : -1;
        }
      }
      RETURN_IF_ERROR(SkipSubBlocks(r));
      continue;
    }
    if (tag != 0x2C) {
      return CorruptDataError("GIF: unknown block 0x" + std::to_string(tag) + " at byte " + std::to_string(r.pos() - 1));
    }
    if (!r.Has(9)) return Truncated(r, "image descriptor");
    const int x0 = r.U16(), y0 = r.U16(), fw = r.U16(), fh = r.U16();
    const uint8_t iflags = r.U8();
    if (fw == 0 || fh == 0) return CorruptDataError("GIF: first frame is empty (" + std::to_string(fw) + "x" +
                                                    std::to_string(fh) + ")");
    std::vector<uint8_t> palette = global;
    if (iflags & 0x80) {
      const size_t n = size_t{3} << ((iflags & 7) + 1);
      if (!r.Has(n)) return Truncated(r, "local colour table");
      const uint8_t* p = r.Take(n);
      palette.assign(p, p + n);
    }
    // Pillow grows the image when the first frame extends past the screen.
    int64_t width = h.width, height = h.height;
    if (x0 + fw > width || y0 + fh > height) {
      width = std::max<int64_t>(width, x0 + fw);
      height = std::max<int64_t>(height, y0 + fh);
    }
    const bool is_l = palette.empty() || IsIdentityGray(palette);
    ASSIGN_OR_RETURN(Image img, AllocateImage(is_l ? ImageMode::kL : ImageMode::kP, width, height, max_pixels));
    if (int64_t{fw} * fh > max_pixels) return ResourceExhaustedError("GIF frame exceeds the pixel limit");
    if (!r.Has(1)) return Truncated(r, "LZW code size");
    const int min_code = r.U8();
    std::vector<uint8_t> frame(static_cast<size_t>(fw) * static_cast<size_t>(fh));
    RETURN_IF_ERROR(DecodeLzw(r, min_code, frame));
    // Canvas outside the frame: index 0, or the transparent index (Pillow).
    std::vector<uint8_t> index(static_cast<size_t>(width * height),
                               static_cast<uint8_t>(transparent >= 0 ? transparent : 0));
    std::vector<int> rows;
    rows.reserve(static_cast<size_t>(fh));
    if (iflags & 0x40) {  // interlaced: rows 0,8,..; 4,12,..; 2,6,..; 1,3,..
      for (int pass = 0; pass < 4; ++pass) {
        static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
        for (int y = start[pass]; y < fh; y += step[pass]) rows.push_back(y);
      }
    } else {
      for (int y = 0; y < fh; ++y) rows.push_back(y);
    }
    for (int i = 0; i < fh; ++i) {
      std::memcpy(&index[static_cast<size_t>(y0 + rows[static_cast<size_t>(i)]) * static_cast<size_t>(width) + static_cast<size_t>(x0)],
                  &frame[static_cast<size_t>(i) * static_cast<size_t>(fw)], static_cast<size_t>(fw));
    }
    img.transparency = transparent >= 0;
    if (is_l) {
      img.pixels = std::move(index);
      return img;
    }
    palette.resize(768, 0);  // indices past the table read black
    img.palette = palette;
    for (size_t i = 0; i < index.size(); ++i) {
      const size_t p = size_t{index[i]} * 3;
      img.pixels[4 * i] = palette[p];
      img.pixels[4 * i + 1] = palette[p + 1];
      img.pixels[4 * i + 2] = palette[p + 2];
      img.pixels[4 * i + 3] = static_cast<int>(index[i]) == transparent ? 0 : 255;
    }
    return img;
  }
}

}  // namespace cliprt::image
