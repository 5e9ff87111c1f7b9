// bool(pattern.search(text)) for the compiled reference regexes in one pass:
// the alternatives (fixed item sequences, optional items expanded) become a
// bit-parallel "shift-and" automaton over the code point classes of the
// pattern, so each character costs one class lookup and a few 128-bit
// operations instead of trying every alternative at every start position.
//
// Only existence is answered: for a yes/no question Python's leftmost,
// first-alternative semantics do not matter (ftfy.badness.is_bad asks just
// that). compiled_pattern.h keeps the matcher that reports where a match is.
#pragma once

#include <string_view>

#include "tokenizer/unicode_tables.h"

namespace cliprt {

// True when the pattern matches anywhere in text (values are code points, or
// bytes for byte patterns). Patterns too large for the automaton (more than
// 128 item positions after expanding optional items) use SearchPattern.
bool PatternMatchesAnywhere(const unicode::CompiledPattern& pattern, std::u32string_view text);

}  // namespace cliprt
