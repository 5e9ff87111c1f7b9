// Runs the reference regexes that tools/unicode/gen_unicode_tables.py
// compiled into tables (ftfy's mojibake "badness" pattern and its byte
// patterns). Semantics are Python re's: leftmost match, alternatives tried in
// order, greedy optional items with backtracking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tokenizer/unicode_tables.h"

namespace cliprt {

struct PatternMatch {
  size_t begin = 0;
  size_t end = 0;
};

// Searches text[from:] (values are code points, or bytes for byte patterns).
bool SearchPattern(const unicode::CompiledPattern& pattern, std::u32string_view text, size_t from,
                   PatternMatch* match);

}  // namespace cliprt
