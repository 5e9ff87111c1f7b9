// Python's html.unescape (3.11): named references from the full HTML5 table
// (longest-prefix rule for names without ';'), numeric references with the
// HTML5 remapping of 0x80-0x9F/0x00/0x0D, U+FFFD for surrogates and values
// past U+10FFFF, and removal of the invalid code points.
#pragma once

#include "tokenizer/utf8.h"

namespace cliprt {

CodePoints PythonHtmlUnescape(std::u32string_view text);

// The result of one numeric reference (digits already parsed; `overflow` when
// the value did not fit), appended to *out. Shared with the ftfy fixer.
void AppendNumericCharref(uint64_t value, bool overflow, CodePoints* out);

}  // namespace cliprt
