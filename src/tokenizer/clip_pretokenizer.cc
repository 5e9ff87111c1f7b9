#include "tokenizer/clip_pretokenizer.h"

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

constexpr std::u32string_view kContractions[] = {U"'s", U"'t", U"'re", U"'ve", U"'m", U"'ll", U"'d"};

}  // namespace

void ClipPretokenize(std::u32string_view text, const ClipPretokenizerSpec& spec,
                     const std::function<void(size_t, size_t)>& emit) {
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    uint32_t c = text[i];
    size_t end = i;
    for (const CodePoints& special : spec.specials) {
      if (LiteralAt(text, i, special, spec.ignore_case)) {
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
      if (unicode::IsRegexLetter(c)) {
        end = i + 1;
        while (end < n && unicode::IsRegexLetter(text[end])) ++end;
      } else if (unicode::IsRegexNumber(c)) {
        end = i + 1;
      } else if (spec.ignore_case ? unicode::IsRegexOther(c)
                                  : !unicode::IsRegexSpace(c)) {
        end = i + 1;
        while (end < n && (spec.ignore_case ? unicode::IsRegexOther(text[end])
                                            : !(unicode::IsRegexSpace(text[end]) || unicode::IsRegexLetter(text[end]) ||
                                                unicode::IsRegexNumber(text[end])))) {
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
