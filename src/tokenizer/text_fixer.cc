#include "tokenizer/text_fixer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "tokenizer/html_unescape.h"
#include "tokenizer/mojibake.h"
#include "tokenizer/unicode_tables.h"
#include "tokenizer/unicode_text.h"

namespace cliprt {
namespace {

constexpr size_t kMaxDecodeLength = 1000000;  // ftfy's max_decode_length

bool IsAsciiAlnum(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

CodePoints UncurlQuotes(std::u32string_view text) {
  CodePoints out(text);
  for (auto& c : out) {
    if (c == 0x2BC || (c >= 0x2018 && c <= 0x201B)) c = '\'';
    else if (c >= 0x201C && c <= 0x201F) c = '"';
  }
  return out;
}

CodePoints FixLineBreaks(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    uint32_t c = text[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == 0x2028 || c == 0x2029 || c == 0x85) {
      out.push_back('\n');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsFtfyControl(uint32_t c) {
  return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F ||
         (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
}

CodePoints RemoveControlChars(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  for (uint32_t c : text) {
    if (!IsFtfyControl(c)) out.push_back(c);
  }
  return out;
}

// Surrogates never reach here from UTF-8 input, but utf-8-variants output or
// callers passing code points could carry them: ftfy pairs them up and
// replaces the rest with U+FFFD.
CodePoints FixSurrogates(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    uint32_t c = text[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF) {
      out.push_back(0x10000 + (c - 0xD800) * 0x400 + (text[i + 1] - 0xDC00));
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      out.push_back(0xFFFD);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Which of ftfy's per-character steps can change the text; a step that
// cannot is skipped (its result would equal its input).
struct StepFlags {
  bool amp = false, non_ascii = false, c1 = false, ligature = false, width = false, quote = false,
       line_break = false, surrogate = false, escape = false, control = false, nfc = false;
};

// Which step flags one code point sets (the per-character rules of the
// steps), as bits; Scan ORs them from a table over the BMP. Code points
// above the BMP set non_ascii, and nfc unless NFC-inert.
enum : uint16_t {
  kAmp = 1 << 0, kNonAscii = 1 << 1, kC1 = 1 << 2, kLigature = 1 << 3, kWidth = 1 << 4,
  kQuote = 1 << 5, kLineBreak = 1 << 6, kSurrogate = 1 << 7, kEscape = 1 << 8, kControl = 1 << 9,
  kNfc = 1 << 10,  // not NFC-inert: the NFC quick check must look
};

uint16_t FlagsOf(uint32_t c) {
  uint16_t b = 0;
  if (c < 0x80) {
    if (c == '&') b |= kAmp;
    if (c == '\r') b |= kLineBreak;
    if (c == 0x1B) b |= kEscape;
    if (IsFtfyControl(c)) b |= kControl;
    return b;
  }
  b |= kNonAscii;
  if (c <= 0x9F) b |= kC1;
  if (c == 0x85 || c == 0x2028 || c == 0x2029) b |= kLineBreak;
  // Exactly the code points the two translation tables map (a span test
  // would send e.g. every Polish or Czech text through the translation).
  if (unicode::FindCodeString(unicode::kFtfyLigatures, unicode::kFtfyLigaturesSize, c) != nullptr) b |= kLigature;
  if (unicode::FindCodeString(unicode::kFtfyWidthMap, unicode::kFtfyWidthMapSize, c) != nullptr) b |= kWidth;
  if (c == 0x2BC || (c >= 0x2018 && c <= 0x201F)) b |= kQuote;
  if (c >= 0xD800 && c <= 0xDFFF) b |= kSurrogate;
  if (IsFtfyControl(c)) b |= kControl;
  if (!IsNfcInert(c)) b |= kNfc;
  return b;
}

const std::vector<uint16_t>& BmpFlags() {
  static const std::vector<uint16_t> table = [] {
    std::vector<uint16_t> t(0x10000);
    for (uint32_t c = 0; c < 0x10000; ++c) t[c] = FlagsOf(c);
    return t;
  }();
  return table;
}

StepFlags Scan(std::u32string_view text) {
  static const uint16_t* table = BmpFlags().data();
  uint32_t bits = 0;
  for (uint32_t c : text) {
    if (c < 0x10000) {
      bits |= table[c];
    } else {
      bits |= kNonAscii | (IsNfcInert(c) ? 0u : uint32_t{kNfc});
    }
  }
  StepFlags f;
  f.amp = bits & kAmp;
  f.non_ascii = bits & kNonAscii;
  f.c1 = bits & kC1;
  f.ligature = bits & kLigature;
  f.width = bits & kWidth;
  f.quote = bits & kQuote;
  f.line_break = bits & kLineBreak;
  f.surrogate = bits & kSurrogate;
  f.escape = bits & kEscape;
  f.control = bits & kControl;
  f.nfc = bits & kNfc;
  return f;
}

// Translation through a CodeString table (ligatures, width map): only code
// points whose step flag is set in the BMP table are looked up (the table
// spans nearly all of the BMP, so a span test would look up almost every
// non-ASCII character), and unchanged runs are copied in bulk.
CodePoints Translate(std::u32string_view text, const unicode::CodeString* table, size_t size, uint16_t flag) {
  static const uint16_t* bmp = BmpFlags().data();
  CodePoints out;
  out.reserve(text.size() + 8);
  size_t copied = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const uint32_t c = text[i];
    if (c < 0x10000 && (bmp[c] & flag) == 0) continue;
    const char* repl = unicode::FindCodeString(table, size, c);
    if (repl == nullptr) continue;
    out.append(text.substr(copied, i - copied));
    DecodeUtf8Lossy(repl, &out);
    copied = i + 1;
  }
  out.append(text.substr(copied));
  return out;
}

// fix_and_explain for one segment: true with the result in *out when it
// differs from the segment (an unchanged segment is never copied).
bool FixSegment(std::u32string_view segment, bool unescape_html, CodePoints* out) {
  // The current text: the segment itself until a step changes it, then
  // `text`.
  std::u32string_view cur = segment;
  CodePoints text;
  bool mojibake_fixed_point = false, nfc_fixed_point = false;
  CodePoints orig, next;
  std::u32string_view orig_view;  // the round's input once it changed: the segment or `orig`
  // The step flags of the current text, or a superset of them (a step whose
  // trigger characters are absent leaves the text unchanged, so extra flags
  // only cost a look). Kept across rounds; rescanned after a step whose
  // output may contain anything.
  StepFlags f = Scan(cur);
  bool rescan = false;
  for (int round = 0; round < 64; ++round) {  // ftfy loops until stable
    // The round's input, saved at its first change (a round that changes
    // nothing needs no copy to tell).
    bool round_changed = false;
    auto replace_text = [&]() {  // the new text is in `next`
      if (!round_changed) {
        if (cur.data() == segment.data()) {
          orig_view = segment;
        } else {
          orig.swap(text);
          orig_view = orig;
        }
        round_changed = true;
      }
      text.swap(next);
      cur = text;
    };
    if (rescan) f = Scan(cur);
    rescan = false;
    // own_flag: the step only removes its trigger characters or maps them to
    // flag-free ASCII ('\'', '"', '\n'), so clearing its flag keeps f a
    // superset without a rescan.
    auto apply = [&](bool needed, auto step, bool* own_flag = nullptr) {
      if (!needed) return;
      next = step(cur);
      if (next != cur) {
        replace_text();
        if (own_flag != nullptr) {
          *own_flag = false;
        } else {
          f = Scan(cur);
        }
        mojibake_fixed_point = nfc_fixed_point = false;
      }
    };
    apply(unescape_html && f.amp, [](std::u32string_view t) { return FtfyUnescapeHtml(t); });
    if (f.non_ascii && !mojibake_fixed_point) {
      bool converged = false;
      if (FixMojibakeIfChanged(cur, &next, &converged)) {
        replace_text();
        f = Scan(cur);
        nfc_fixed_point = false;
      }
      mojibake_fixed_point = converged;
    }
    apply(f.c1, [](std::u32string_view t) { return FixC1Controls(t); });
    apply(f.ligature, [](std::u32string_view t) {
      return Translate(t, unicode::kFtfyLigatures, unicode::kFtfyLigaturesSize, kLigature);
    });
    apply(f.width, [](std::u32string_view t) {
      return Translate(t, unicode::kFtfyWidthMap, unicode::kFtfyWidthMapSize, kWidth);
    });
    apply(f.quote, [](std::u32string_view t) { return UncurlQuotes(t); }, &f.quote);
    apply(f.line_break, [](std::u32string_view t) { return FixLineBreaks(t); }, &f.line_break);
    apply(f.surrogate, [](std::u32string_view t) { return FixSurrogates(t); });
    apply(f.escape, [](std::u32string_view t) { return FtfyRemoveTerminalEscapes(t); }, &f.escape);
    apply(f.control, [](std::u32string_view t) { return RemoveControlChars(t); }, &f.control);
    if (!nfc_fixed_point) {
      if (f.nfc && !IsNfcQuickYes(cur)) {
        next = NormalizeNfc(cur);
        if (next != cur) {
          replace_text();
          mojibake_fixed_point = false;
          rescan = true;  // composed characters may carry other flags
        }
      }
      nfc_fixed_point = true;
    }
    if (!round_changed || cur == orig_view) break;
  }
  if (cur.data() == segment.data()) return false;
  *out = std::move(text);
  return true;
}

}  // namespace

CodePoints FtfyUnescapeHtml(std::u32string_view text) {
  // HTML_ENTITY_RE = &#?[0-9A-Za-z]{1,24};
  if (text.find(U'&') == std::u32string_view::npos) return CodePoints(text);
  CodePoints out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // Copy up to the next '&' in one go.
    const size_t amp = std::min(text.find(U'&', i), text.size());
    out.append(text.substr(i, amp - i));
    i = amp;
    if (i == text.size()) break;
    size_t p = i + 1;
    bool hash = p < text.size() && text[p] == '#';
    size_t name_begin = hash ? p + 1 : p;
    size_t e = name_begin;
    while (e < text.size() && e - name_begin < 24 && IsAsciiAlnum(text[e])) ++e;
    if (e > name_begin && e < text.size() && text[e] == ';') {
      std::u32string_view match = text.substr(i, e + 1 - i);
      std::string key = EncodeUtf8(match.substr(1));  // without '&'
      const char* value = nullptr;
      if (!hash) {
        value = unicode::FindEntity(unicode::kHtml5Entities, unicode::kHtml5EntitiesSize, key);
        if (value == nullptr) {
          value = unicode::FindEntity(unicode::kFtfyUpperEntities, unicode::kFtfyUpperEntitiesSize, key);
        }
      }
      if (value != nullptr) {
        DecodeUtf8Lossy(value, &out);
      } else if (hash) {
        CodePoints unescaped = PythonHtmlUnescape(match);
        if (unescaped.find(U';') != CodePoints::npos) {
          out.append(match);
        } else {
          out.append(unescaped);
        }
      } else {
        out.append(match);
      }
      i = e + 1;
      continue;
    }
    out.push_back(text[i]);  // '&' not starting an entity
    ++i;
  }
  return out;
}

CodePoints FtfyRemoveTerminalEscapes(std::u32string_view text) {
  // ANSI_RE = \033\[((?:\d|;)*)([a-zA-Z]) ; \d is Unicode decimal in Python re.
  if (text.find(U'\x1b') == std::u32string_view::npos) return CodePoints(text);
  CodePoints out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == 0x1B && i + 1 < text.size() && text[i + 1] == '[') {
      size_t p = i + 2;
      while (p < text.size() && (text[p] == ';' || unicode::IsPyDecimal(text[p]))) ++p;
      if (p < text.size() && text[p] < 0x80 && ((text[p] | 0x20) >= 'a' && (text[p] | 0x20) <= 'z')) {
        i = p + 1;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

CodePoints FtfyFixText(std::u32string_view text) {
  CodePoints out;
  if (!FtfyFixTextIfChanged(text, &out)) return CodePoints(text);
  return out;
}

bool FtfyFixTextIfChanged(std::u32string_view text, CodePoints* result) {
  CodePoints out, fixed;
  bool unescape_html = true;  // 'auto' until a segment contains '<'
  bool changed = false;
  size_t pos = 0;
  while (pos < text.size()) {
    // One pass finds the segment's end and whether it holds a '<'.
    const size_t limit = text.size() - pos > kMaxDecodeLength ? pos + kMaxDecodeLength : text.size();
    size_t end = pos;
    bool less_than = false;
    while (end < limit) {
      const char32_t c = text[end++];
      less_than |= c == U'<';
      if (c == U'\n') break;
    }
    std::u32string_view segment = text.substr(pos, end - pos);
    if (less_than) unescape_html = false;
    if (pos == 0 && end == text.size()) return FixSegment(segment, unescape_html, result);  // one segment
    if (FixSegment(segment, unescape_html, &fixed)) {
      if (!changed) out.assign(text.substr(0, pos));
      changed = true;
      out.append(fixed);
    } else if (changed) {
      out.append(segment);
    }
    pos = end;
  }
  if (changed) *result = std::move(out);
  return changed;
}

}  // namespace cliprt
