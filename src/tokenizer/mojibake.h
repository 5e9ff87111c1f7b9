// ftfy 6.3.1's mojibake repair (ftfy.fix_encoding with the default config):
// the "badness" heuristic decides whether text looks like UTF-8 decoded with
// a single-byte codec; if so it is re-encoded with the first of ftfy's codecs
// that can represent it (latin-1, sloppy-windows-125x, iso-8859-2, macroman,
// cp437), with restore_byte_a0 / replace_lossy_sequences applied to the bytes,
// and decoded as UTF-8 (or ftfy's utf-8-variants); repeated until stable.
// Then decode_inconsistent_utf8, the latin-1 -> windows-1252 rule and
// fix_c1_controls, exactly in ftfy's order.
#pragma once

#include "tokenizer/utf8.h"

namespace cliprt {

// ftfy.badness.is_bad.
bool LooksLikeMojibake(std::u32string_view text);

// ftfy.fix_encoding(text). *converged (optional): the result is a fixed
// point of the one-step fix (false only when the 64-layer bound stopped it),
// so fixing it again would return it unchanged.
CodePoints FixMojibake(std::u32string_view text, bool* converged = nullptr);
// The same without copying an unchanged text: true with the result in *out
// when it differs from `text`.
bool FixMojibakeIfChanged(std::u32string_view text, CodePoints* out, bool* converged = nullptr);

// ftfy.fixes.fix_c1_controls: U+0080..U+009F re-read as sloppy windows-1252.
CodePoints FixC1Controls(std::u32string_view text);

}  // namespace cliprt
