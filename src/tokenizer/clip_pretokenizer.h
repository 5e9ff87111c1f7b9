// CLIP's pre-tokenization pattern (REFERENCE.md §4.1 step 5):
//   <special>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// evaluated like regex.findall: at each position the first alternative that
// matches wins; text matching none of them (whitespace) is dropped.
#pragma once

#include <string_view>
#include <vector>

#include "core/function_ref.h"
#include "tokenizer/utf8.h"

namespace cliprt {

struct ClipPretokenizerSpec {
  // Literal alternatives tried first (clip: <|startoftext|>, <|endoftext|>;
  // open_clip: <start_of_text>, <end_of_text>).
  std::vector<CodePoints> specials;
  // clip / open_clip compile the pattern with IGNORECASE (the regex module's
  // simple case folding: 'ſ' matches "s"); HF's fast Split regex does not.
  bool ignore_case = true;
};

// Calls emit(begin, end) for each piece, as code point offsets into text.
void ClipPretokenize(std::u32string_view text, const ClipPretokenizerSpec& spec,
                     FunctionRef<void(size_t, size_t)> emit);

}  // namespace cliprt
