#include "tokenizer/html_unescape.h"

#include <algorithm>
#include <string>

#include "tokenizer/unicode_tables.h"

namespace cliprt {
namespace {

bool IsAsciiDigit(uint32_t c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(uint32_t c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
uint32_t HexValue(uint32_t c) {
  if (IsAsciiDigit(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// Named-reference characters: [^\t\n\f <&#;].
bool IsNameChar(uint32_t c) {
  return !(c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' ||
           c == ';');
}

const char* LookupHtml5(std::u32string_view name) {
  std::string key = EncodeUtf8(name);
  return unicode::FindEntity(unicode::kHtml5Entities, unicode::kHtml5EntitiesSize, key);
}

}  // namespace

void AppendNumericCharref(uint64_t value, bool overflow, CodePoints* out) {
  if (!overflow && value <= 0xFFFFFFFFu) {
    const char* remap = unicode::FindCodeString(unicode::kHtmlInvalidCharrefs,
                                                unicode::kHtmlInvalidCharrefsSize,
                                                static_cast<uint32_t>(value));
    if (remap != nullptr) {
      DecodeUtf8Lossy(remap, out);
      return;
    }
  }
  if (overflow || (value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
    out->push_back(0xFFFD);
    return;
  }
  uint32_t cp = static_cast<uint32_t>(value);
  if (unicode::InRanges(unicode::kHtmlInvalidCodepoints, unicode::kHtmlInvalidCodepointsSize, cp)) {
    return;
  }
  out->push_back(cp);
}

CodePoints PythonHtmlUnescape(std::u32string_view s) {
  if (s.find(U'&') == std::u32string_view::npos) return CodePoints(s);
  CodePoints out;
  out.reserve(s.size());
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    if (s[i] != '&') {
      // Copy up to the next '&' in one go.
      const size_t amp = std::min(s.find(U'&', i), n);
      out.append(s.substr(i, amp - i));
      i = amp;
      continue;
    }
    size_t p = i + 1;
    if (p < n && s[p] == '#') {
      size_t q = p + 1;
      bool hex = q < n && (s[q] == 'x' || s[q] == 'X');
      size_t digits_begin = hex ? q + 1 : q;
      size_t d = digits_begin;
      uint64_t value = 0;
      bool overflow = false;
      while (d < n && (hex ? IsHexDigit(s[d]) : IsAsciiDigit(s[d]))) {
        uint64_t digit = hex ? HexValue(s[d]) : s[d] - '0';
        if (value > (UINT64_MAX - digit) / (hex ? 16 : 10)) overflow = true;
        if (!overflow) value = value * (hex ? 16 : 10) + digit;
        ++d;
      }
      if (d > digits_begin) {
        if (d < n && s[d] == ';') ++d;
        AppendNumericCharref(value, overflow, &out);
        i = d;
        continue;
      }
      // "&#" without digits: the named alternative cannot start with '#'.
      out.push_back('&');
      ++i;
      continue;
    }
    size_t e = p;
    while (e < n && e - p < 32 && IsNameChar(s[e])) ++e;
    if (e == p) {
      out.push_back('&');
      ++i;
      continue;
    }
    if (e < n && s[e] == ';') ++e;
    std::u32string_view name = s.substr(p, e - p);
    const char* value = LookupHtml5(name);
    if (value != nullptr) {
      DecodeUtf8Lossy(value, &out);
    } else {
      bool found = false;
      for (size_t x = name.size() - 1; x >= 2 && x < name.size(); --x) {
        const char* prefix_value = LookupHtml5(name.substr(0, x));
        if (prefix_value != nullptr) {
          DecodeUtf8Lossy(prefix_value, &out);
          out.append(name.substr(x));
          found = true;
          break;
        }
      }
      if (!found) {
        out.push_back('&');
        out.append(name);
      }
    }
    i = e;
  }
  return out;
}

}  // namespace cliprt
