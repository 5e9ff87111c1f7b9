#include "tokenizer/clip_pretokenizer.h"

#include <vector>

#include "tokenizer/unicode_tables.h"

namespace cliprt {
namespace {

bool CharMatches(uint32_t pattern_char, uint32_t c, bool ignore_case) {
  if (c == pattern_char) return true;
  if (!ignore_case) return false;
  bool letter = (pattern_char | 0x20) >= 'a' && (pattern_char | 0x20) <= 'z';
  return letter && unicode::RegexAsciiFold(c) == (pattern_char | 0x20);
}

bool LiteralAt(std::u32string_view text, size_t pos, std::u32string_view literal, bool ignore_case) {
  if (text.size() - pos < literal.size()) return false;
  for (size_t k = 0; k < literal.size(); ++k) {
    if (!CharMatches(literal[k], text[pos + k], ignore_case)) return false;
  }
  return true;
}

// The pattern's character classes per code point of the BMP and the
// Supplementary Multilingual Plane (emoji), one byte each (128 KiB, built
// on first use from the same tables): one load instead of a binary search
// per class test. Only the parts a text uses are ever touched.
enum : uint8_t { kLetter = 1, kNumber = 2, kSpace = 4, kOther = 8 };

uint8_t ComputeClasses(uint32_t c) {
  return static_cast<uint8_t>((unicode::IsRegexLetter(c) ? kLetter : 0) | (unicode::IsRegexNumber(c) ? kNumber : 0) |
                              (unicode::IsRegexSpace(c) ? kSpace : 0) | (unicode::IsRegexOther(c) ? kOther : 0));
}

constexpr uint32_t kTableSize = 0x20000;

const std::vector<uint8_t>& BmpClasses() {
  static const std::vector<uint8_t> table = [] {
    std::vector<uint8_t> t(kTableSize);
    for (uint32_t c = 0; c < kTableSize; ++c) t[c] = ComputeClasses(c);
    return t;
  }();
  return table;
}

inline uint8_t ClassesOf(const std::vector<uint8_t>& bmp, uint32_t c) {
  return c < kTableSize ? bmp[c] : ComputeClasses(c);
}

constexpr std::u32string_view kContractions[] = {U"'s", U"'t", U"'re", U"'ve", U"'m", U"'ll", U"'d"};

}  // namespace

void ClipPretokenize(std::u32string_view text, const ClipPretokenizerSpec& spec,
                     FunctionRef<void(size_t, size_t)> emit) {
  const size_t n = text.size();
  const std::vector<uint8_t>& bmp = BmpClasses();
  // Which code points can begin a special: ASCII ones in a bitmap; any
  // non-ASCII one is tested in full when a special begins with a non-ASCII
  // character or with a letter (IGNORECASE folds e.g. U+212A to 'k').
  uint64_t ascii_first[2] = {0, 0};
  bool check_non_ascii = false;
  for (const CodePoints& special : spec.specials) {
    if (special.empty()) continue;  // matches nothing (an empty match is no piece)
    const uint32_t f = special[0];
    const bool letter = (f | 0x20) >= 'a' && (f | 0x20) <= 'z';
    if (f < 0x80) ascii_first[f / 64] |= uint64_t{1} << (f % 64);
    if (spec.ignore_case && letter) {  // both ASCII cases (CharMatches' rule for ASCII)
      ascii_first[1] |= (uint64_t{1} << ((f | 0x20) % 64)) | (uint64_t{1} << ((f & ~0x20u) % 64));
    }
    check_non_ascii |= f >= 0x80 || (spec.ignore_case && letter);
  }
  size_t i = 0;
  while (i < n) {
    uint32_t c = text[i];
    size_t end = i;
    const bool may_be_special = c < 0x80 ? ((ascii_first[c / 64] >> (c % 64)) & 1) != 0 : check_non_ascii;
    for (size_t k = 0; may_be_special && k < spec.specials.size(); ++k) {
      const CodePoints& special = spec.specials[k];
      if (!special.empty() && LiteralAt(text, i, special, spec.ignore_case)) {
        end = i + special.size();
        break;
      }
    }
    if (end == i && c == '\'') {
      for (std::u32string_view contraction : kContractions) {
        if (LiteralAt(text, i, contraction, spec.ignore_case)) {
          end = i + contraction.size();
          break;
        }
      }
    }
    if (end == i) {
      const uint8_t cls = ClassesOf(bmp, c);
      if (cls & kLetter) {
        end = i + 1;
        while (end < n && (ClassesOf(bmp, text[end]) & kLetter)) ++end;
      } else if (cls & kNumber) {
        end = i + 1;
      } else if (spec.ignore_case ? (cls & kOther) != 0 : (cls & kSpace) == 0) {
        end = i + 1;
        while (end < n) {
          const uint8_t next = ClassesOf(bmp, text[end]);
          if (spec.ignore_case ? (next & kOther) == 0 : (next & (kSpace | kLetter | kNumber)) != 0) break;
          ++end;
        }
      }
    }
    if (end == i) {
      ++i;  // whitespace (or a code point no alternative accepts)
      continue;
    }
    emit(i, end);
    i = end;
  }
}

}  // namespace cliprt
