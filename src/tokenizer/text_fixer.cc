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

// fix_and_explain for one segment.
CodePoints FixSegment(std::u32string_view segment, bool unescape_html) {
  CodePoints text(segment);
  // ftfy reruns every step until a round changes nothing; the confirming
  // round repeats work whose result is known. Two steps are idempotent and
  // costly: fix_encoding (FixMojibake stops at a fixed point of its one-step
  // fix) and NFC. While no other step has changed the text since one of them
  // ran, the text is its fixed point and rerunning it cannot change it.
  bool mojibake_fixed_point = false, nfc_fixed_point = false;
  CodePoints orig, next;
  for (int round = 0; round < 64; ++round) {  // ftfy loops until stable
    // The round's input, saved at its first change (a round that changes
    // nothing needs no copy to tell).
    bool round_changed = false;
    auto replace_text = [&]() {
      if (!round_changed) {
        orig.swap(text);
        round_changed = true;
      }
      text.swap(next);
    };
    StepFlags f = Scan(text);
    auto apply = [&](bool needed, auto step) {
      if (!needed) return;
      next = step(text);
      if (next != text) {
        replace_text();
        f = Scan(text);
        mojibake_fixed_point = nfc_fixed_point = false;
      }
    };
    apply(unescape_html && f.amp, [](const CodePoints& t) { return FtfyUnescapeHtml(t); });
    if (f.non_ascii && !mojibake_fixed_point) {
      bool converged = false;
      if (FixMojibakeIfChanged(text, &next, &converged)) {
        replace_text();
        f = Scan(text);
        nfc_fixed_point = false;
      }
      mojibake_fixed_point = converged;
    }
    apply(f.c1, [](const CodePoints& t) { return FixC1Controls(t); });
    apply(f.ligature, [](const CodePoints& t) {
      return Translate(t, unicode::kFtfyLigatures, unicode::kFtfyLigaturesSize, kLigature);
    });
    apply(f.width, [](const CodePoints& t) {
      return Translate(t, unicode::kFtfyWidthMap, unicode::kFtfyWidthMapSize, kWidth);
    });
    apply(f.quote, [](const CodePoints& t) { return UncurlQuotes(t); });
    apply(f.line_break, [](const CodePoints& t) { return FixLineBreaks(t); });
    apply(f.surrogate, [](const CodePoints& t) { return FixSurrogates(t); });
    apply(f.escape, [](const CodePoints& t) { return FtfyRemoveTerminalEscapes(t); });
    apply(f.control, [](const CodePoints& t) { return RemoveControlChars(t); });
    if (!nfc_fixed_point) {
      if (f.nfc && !IsNfcQuickYes(text)) {
        next = NormalizeNfc(text);
        if (next != text) {
          replace_text();
          mojibake_fixed_point = false;
        }
      }
      nfc_fixed_point = true;
    }
    if (!round_changed || text == orig) break;
  }
  return text;
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
  out.reserve(text.size());
  bool unescape_html = true;  // 'auto' until a segment contains '<'
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find(U'\n', pos);
    size_t end = nl == std::u32string_view::npos ? text.size() : nl + 1;
    if (end - pos > kMaxDecodeLength) end = pos + kMaxDecodeLength;
    std::u32string_view segment = text.substr(pos, end - pos);
    if (unescape_html && segment.find(U'<') != std::u32string_view::npos) unescape_html = false;
    if (pos == 0 && end == text.size()) return FixSegment(segment, unescape_html);  // one segment: no copy
    out.append(FixSegment(segment, unescape_html));
    pos = end;
  }
  return out;
}

}  // namespace cliprt
