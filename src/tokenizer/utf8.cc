#include "tokenizer/utf8.h"

#include <cstdint>
#include <cstring>

namespace cliprt {
namespace {

// Length of the well-formed sequence starting at bytes[i], or 0 with
// *invalid_length = length of the maximal ill-formed subpart (>= 1).
size_t SequenceLength(std::string_view bytes, size_t i, uint32_t* cp, size_t* invalid_length) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  unsigned char b0 = s[i];
  if (b0 < 0x80) { *cp = b0; return 1; }
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) { need = 1; *cp = b0 & 0x1F; }
  else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2; *cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3; *cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else { *invalid_length = 1; return 0; }
  for (size_t k = 1; k <= need; ++k) {
    if (i + k >= n) { *invalid_length = k; return 0; }
    unsigned char b = s[i + k];
    unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) { *invalid_length = k; return 0; }
    *cp = (*cp << 6) | (b & 0x3F);
  }
  return need + 1;
}

}  // namespace

size_t DecodeUtf8Lossy(std::string_view bytes, CodePoints* out) {
  size_t replaced = 0;
  // Every code point (or replacement) consumes at least one byte: write into
  // room for bytes.size() code points, then trim.
  const size_t start = out->size();
  out->resize(start + bytes.size());
  char32_t* p = out->data() + start;
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    // ASCII 8 bytes at a time: all 8 are widened (output never runs ahead of
    // input, so there is room), and the output advances past the ASCII
    // prefix only - no per-byte branch in mixed-script text.
    if (i + 8 <= n) {
      uint64_t block;
      std::memcpy(&block, bytes.data() + i, 8);
      for (int k = 0; k < 8; ++k) p[k] = static_cast<unsigned char>(bytes[i + static_cast<size_t>(k)]);
      const uint64_t high = block & 0x8080808080808080ull;
      if (high == 0) {
        p += 8;
        i += 8;
        continue;
      }
      const size_t ascii = static_cast<size_t>(__builtin_ctzll(high)) / 8;  // little-endian
      p += ascii;
      i += ascii;
    }
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned char b = u[i];
    if (b < 0x80) {
      *p++ = b;
      ++i;
      continue;
    }
    // Well-formed 2- and 3-byte sequences inline (the same ranges as
    // SequenceLength: no overlongs, no surrogates); everything else there.
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
      *p++ = (uint32_t{b & 0x1Fu} << 6) | (u[i + 1] & 0x3Fu);
      i += 2;
      continue;
    }
    if (b >= 0xE0 && b <= 0xEF && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80 &&
        (b != 0xE0 || u[i + 1] >= 0xA0) && (b != 0xED || u[i + 1] <= 0x9F)) {
      *p++ = (uint32_t{b & 0x0Fu} << 12) | (uint32_t{u[i + 1] & 0x3Fu} << 6) | (u[i + 2] & 0x3Fu);
      i += 3;
      continue;
    }
    uint32_t cp = 0;
    size_t bad = 0;
    size_t len = SequenceLength(bytes, i, &cp, &bad);
    if (len == 0) {
      *p++ = 0xFFFD;
      ++replaced;
      i += bad;
    } else {
      *p++ = cp;
      i += len;
    }
  }
  out->resize(static_cast<size_t>(p - out->data()));
  return replaced;
}

CodePoints DecodeUtf8Lossy(std::string_view bytes) {
  CodePoints out;
  DecodeUtf8Lossy(bytes, &out);
  return out;
}

bool DecodeUtf8Strict(std::string_view bytes, CodePoints* out, size_t* error_offset) {
  size_t i = 0;
  while (i < bytes.size()) {
    uint32_t cp = 0;
    size_t bad = 0;
    size_t len = SequenceLength(bytes, i, &cp, &bad);
    if (len == 0) {
      if (error_offset) *error_offset = i;
      return false;
    }
    out->push_back(cp);
    i += len;
  }
  return true;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (uint32_t cp : text) AppendUtf8(cp, &out);
  return out;
}

}  // namespace cliprt
