// Python-exact string operations on code point strings: str.lower(),
// unicodedata.normalize('NFC'), str.strip()/split(), and the `regex`
// module's \s+ collapse. Tables: unicode_tables.h.
#pragma once

#include <string_view>

#include "tokenizer/utf8.h"

namespace cliprt {

// Python str.lower(): full mappings (U+0130 -> "i̇") and the Final_Sigma rule.
CodePoints PythonLower(std::u32string_view text);
// Per-character lowercase without context (what Rust's char::to_lowercase,
// used by HF tokenizers' Lowercase normalizer, does: U+03A3 always -> σ).
CodePoints ContextFreeLower(std::u32string_view text);

// unicodedata.normalize('NFC', text) for the pinned Unicode version.
CodePoints NormalizeNfc(std::u32string_view text);
bool IsNfcQuickYes(std::u32string_view text);  // true: surely already NFC
// The code point is NFC_Quick_Check Yes with combining class 0: a text of
// only such code points is NFC (IsNfcQuickYes needs no look at it).
bool IsNfcInert(uint32_t cp);
// NFC by full decomposition and recomposition, without the quick check
// (what NormalizeNfc falls back to; tests compare the two).
CodePoints NormalizeNfcFull(std::u32string_view text);

// str.strip() (Python whitespace).
std::u32string_view StripPython(std::u32string_view text);
// " ".join(text.split()) (Python whitespace).
CodePoints JoinPythonSplit(std::u32string_view text);
// regex.sub(r'\s+', ' ', text) with the regex module's \s.
CodePoints CollapseRegexWhitespace(std::u32string_view text);

// Fused passes, same results: PythonLower(StripPython(CollapseRegexWhitespace(t)))
// (clip's whitespace_clean(...).lower()) and PythonLower(JoinPythonSplit(t))
// (open_clip's).
CodePoints CollapseStripLower(std::u32string_view text);
void CollapseStripLower(std::u32string_view text, CodePoints* out);  // reuses *out's capacity
CodePoints JoinSplitLower(std::u32string_view text);

}  // namespace cliprt
