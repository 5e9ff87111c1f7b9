#include "tokenizer/text_cleaning.h"

#include "tokenizer/html_unescape.h"
#include "tokenizer/text_fixer.h"
#include "tokenizer/unicode_tables.h"
#include "tokenizer/unicode_text.h"

namespace cliprt {
namespace {

// True when ftfy.fix_text and html.unescape leave the text unchanged for
// certain: printable ASCII plus tab/newline/form feed, no '&' (entities), no
// ESC or other controls, no CR (line breaks).
bool FtfyInvariant(std::u32string_view text) {
  for (uint32_t c : text) {
    if (c >= 0x20 && c < 0x7F) {
      if (c == '&') return false;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\f') continue;
    return false;
  }
  return true;
}

CodePoints FixText(std::u32string_view text) {
  if (FtfyInvariant(text)) return CodePoints(text);
  return FtfyFixText(text);
}

CodePoints RemoveAsciiPunctuation(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  for (uint32_t c : text) {
    if (!IsAsciiPunctuation(c)) out.push_back(c);
  }
  return out;
}

}  // namespace

bool IsAsciiPunctuation(uint32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E);
}

namespace {

// basic_clean as a view: into `text` when ftfy and html.unescape provably
// change nothing (no copy), else into *storage.
std::u32string_view BasicCleanView(std::u32string_view text, CodePoints* storage) {
  if (FtfyInvariant(text)) return StripPython(text);
  std::u32string_view fixed = text;
  if (FtfyFixTextIfChanged(text, storage)) fixed = *storage;
  // html.unescape of a text without '&' is the text: skip the copies.
  if (fixed.find(U'&') == std::u32string_view::npos) return StripPython(fixed);
  *storage = PythonHtmlUnescape(fixed);
  if (storage->find(U'&') != CodePoints::npos) *storage = PythonHtmlUnescape(*storage);
  return StripPython(*storage);
}

}  // namespace

CodePoints BasicClean(std::u32string_view text) {
  CodePoints storage;
  std::u32string_view cleaned = BasicCleanView(text, &storage);
  if (cleaned.data() == storage.data() && cleaned.size() == storage.size()) return storage;  // all of it
  return CodePoints(cleaned);
}

CodePoints CleanOpenAi(std::u32string_view text) {
  CodePoints out;
  CleanOpenAi(text, &out);
  return out;
}

void CleanOpenAi(std::u32string_view text, CodePoints* out) {
  CodePoints storage;
  CollapseStripLower(BasicCleanView(text, &storage), out);
}

CodePoints CleanOpenClipLower(std::u32string_view text) {
  CodePoints storage;
  return JoinSplitLower(BasicCleanView(text, &storage));
}

CodePoints CleanOpenClipWhitespace(std::u32string_view text) {
  CodePoints storage;
  return JoinPythonSplit(BasicCleanView(text, &storage));
}

CodePoints CleanOpenClipCanonicalize(std::u32string_view text) {
  CodePoints t = BasicClean(text);
  for (auto& c : t) {
    if (c == '_') c = ' ';
  }
  t = RemoveAsciiPunctuation(t);
  t = PythonLower(t);
  return JoinPythonSplit(t);
}

CodePoints CleanHfClipSlow(std::u32string_view text) { return CollapseStripLower(FixText(text)); }

namespace {
// BasicTokenizer._is_chinese_char: the CJK ideograph blocks it pads with spaces.
bool IsBertCjkIdeograph(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
         (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}
}  // namespace

CodePoints CleanHfClipSlowNoFtfy(std::u32string_view text) {
  // _clean_text (drop NUL, U+FFFD and category C except \t\n\r; Zs and
  // \t\n\r become ' ') fused with _tokenize_chinese_chars.
  CodePoints t;
  t.reserve(text.size());
  for (uint32_t c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      t.push_back(' ');
    } else if (c == 0 || c == 0xFFFD || unicode::IsCategoryOther(c)) {
      continue;
    } else if (unicode::IsCategoryZs(c)) {
      t.push_back(' ');
    } else if (IsBertCjkIdeograph(c)) {
      t.push_back(' ');
      t.push_back(c);
      t.push_back(' ');
    } else {
      t.push_back(c);
    }
  }
  // NFC, whitespace_tokenize, per-token lower, ' '.join. Lowering each token
  // equals lowering the joined text (a space is neither cased nor
  // case-ignorable, so it bounds the Final_Sigma context) and lowercase
  // mappings never produce whitespace, so the outer split/join is the same.
  return PythonLower(JoinPythonSplit(NormalizeNfc(t)));
}

CodePoints NormalizeHfClipFast(std::u32string_view text) {
  CodePoints t = NormalizeNfc(text);
  t = CollapseRegexWhitespace(t);
  return ContextFreeLower(t);
}

CodePoints CanonicalizeHfSiglip(std::u32string_view text) {
  CodePoints t = PythonLower(text);
  t = RemoveAsciiPunctuation(t);
  // Python re's \s for str is str.isspace().
  CodePoints out;
  out.reserve(t.size());
  bool in_space = false;
  for (uint32_t c : t) {
    if (unicode::IsPySpace(c)) {
      if (!in_space) out.push_back(' ');
      in_space = true;
    } else {
      in_space = false;
      out.push_back(c);
    }
  }
  return CodePoints(StripPython(out));
}

}  // namespace cliprt
