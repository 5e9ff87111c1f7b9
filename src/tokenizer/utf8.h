// UTF-8 <-> code points for the text pipelines.
//
// The Python references operate on str, so bytes must become code points
// first. Invalid UTF-8 is decoded the way Python's
// bytes.decode('utf-8', errors='replace') does it: each maximal ill-formed
// subsequence becomes one U+FFFD (Unicode "maximal subpart" practice), and
// surrogate code points (ED A0..BF xx) are ill-formed. Decoding never fails.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cliprt {

using CodePoints = std::u32string;

// Appends the code points of `bytes` to *out; returns how many U+FFFD were
// substituted for invalid sequences.
size_t DecodeUtf8Lossy(std::string_view bytes, CodePoints* out);
CodePoints DecodeUtf8Lossy(std::string_view bytes);

// Strict decode: false (and *error_offset = byte offset) on the first
// ill-formed sequence.
bool DecodeUtf8Strict(std::string_view bytes, CodePoints* out, size_t* error_offset);

void AppendUtf8(uint32_t cp, std::string* out);
std::string EncodeUtf8(std::u32string_view text);

}  // namespace cliprt
