// ftfy.fix_text (6.3.1, default TextFixerConfig) on code points: per line
// segment (at most 1,000,000 code points), HTML entity unescaping in 'auto'
// mode (off from the first segment containing '<' on), mojibake repair,
// C1 controls, Latin ligatures, character width, quote uncurling, line
// breaks, terminal escapes, control characters, NFC - repeated until the
// segment stops changing.
#pragma once

#include "tokenizer/utf8.h"

namespace cliprt {

CodePoints FtfyFixText(std::u32string_view text);
// The same without copying an unchanged text: true with the result in *out
// when it differs from `text`.
bool FtfyFixTextIfChanged(std::u32string_view text, CodePoints* out);

// The ftfy steps that can be used on their own.
CodePoints FtfyUnescapeHtml(std::u32string_view text);
CodePoints FtfyRemoveTerminalEscapes(std::u32string_view text);

}  // namespace cliprt
