// Runs the reference regexes that tools/unicode/gen_unicode_tables.py
// compiled into tables (ftfy's mojibake "badness" pattern and its byte
// patterns). Semantics are Python re's: leftmost match, alternatives tried in
// order, greedy optional items with backtracking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/unicode_tables.h"

namespace cliprt {

struct PatternMatch {
  size_t begin = 0;
  size_t end = 0;
};

// Searches text[from:] (values are code points, or bytes for byte patterns).
bool SearchPattern(const unicode::CompiledPattern& pattern, std::u32string_view text, size_t from,
                   PatternMatch* match);

// Whether code point c is in `set` of pattern `p` (ranges, the Python \s /
// \w categories, negation).
bool SetContains(const unicode::CompiledPattern& p, const unicode::PatternSet& set, uint32_t c);

// Building blocks for matchers that split code points into classes no set
// tells apart: appends to *cuts the first and one-past-last code point of
// every range of set `set` of `pattern`, and ORs the set's category bits
// (1 = Python \s, 2 = Python \w) into *categories.
void AppendSetBoundaries(const unicode::CompiledPattern& pattern, size_t set, std::vector<uint32_t>* cuts,
                         unsigned* categories);
// Appends the range boundaries of the \s / \w tables named by `categories`.
void AppendCategoryBoundaries(unsigned categories, std::vector<uint32_t>* cuts);

}  // namespace cliprt
