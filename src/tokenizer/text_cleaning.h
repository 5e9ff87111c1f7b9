// The text cleaning each reference tokenizer applies before splitting
// (REFERENCE.md §4.1, §4.5-4.7), on code points.
#pragma once

#include "tokenizer/utf8.h"

namespace cliprt {

// clip / open_clip basic_clean: ftfy.fix_text, html.unescape twice, strip.
CodePoints BasicClean(std::u32string_view text);

// clip.simple_tokenizer: whitespace_clean(basic_clean(text)).lower() with the
// regex module's \s.
CodePoints CleanOpenAi(std::u32string_view text);
void CleanOpenAi(std::u32string_view text, CodePoints* out);  // reuses *out's capacity
// open_clip clean='lower' / 'whitespace' (" ".join(text.split())).
CodePoints CleanOpenClipLower(std::u32string_view text);
CodePoints CleanOpenClipWhitespace(std::u32string_view text);
// open_clip canonicalize_text(basic_clean(text)): '_' -> ' ', ASCII
// punctuation removed, lower, whitespace collapsed, strip.
CodePoints CleanOpenClipCanonicalize(std::u32string_view text);
// transformers 4.x CLIPTokenizer with ftfy: whitespace_clean(ftfy.fix_text(text)).lower().
CodePoints CleanHfClipSlow(std::u32string_view text);
// transformers 4.x CLIPTokenizer without ftfy: " ".join(BasicTokenizer(
// strip_accents=False, do_split_on_punc=False).tokenize(text)).
CodePoints CleanHfClipSlowNoFtfy(std::u32string_view text);
// CLIPTokenizerFast normalizer: NFC, \s+ -> ' ', per-character lowercase.
CodePoints NormalizeHfClipFast(std::u32string_view text);
// transformers SiglipTokenizer.canonicalize_text: lower, ASCII punctuation
// removed, re.sub(r"\s+", " "), strip.
CodePoints CanonicalizeHfSiglip(std::u32string_view text);

bool IsAsciiPunctuation(uint32_t cp);  // string.punctuation

}  // namespace cliprt
