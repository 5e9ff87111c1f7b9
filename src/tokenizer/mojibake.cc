#include "tokenizer/mojibake.h"

#include <array>
#include <string>
#include <unordered_map>

#include "tokenizer/bit_parallel_pattern.h"
#include "tokenizer/compiled_pattern.h"
#include "tokenizer/unicode_tables.h"

namespace cliprt {
namespace {

using Bytes = std::u32string;  // one byte per element, so byte patterns share the matcher

const uint32_t* CharmapOf(size_t index) { return unicode::kCharmapTable + index * 256; }

size_t CharmapIndex(std::string_view name) {
  for (size_t i = 0; i < unicode::kCharmapCount; ++i) {
    if (name == unicode::kCharmapNames[i]) return i;
  }
  return SIZE_MAX;
}

// Reverse map of one codec: code point -> byte, for the code points
// possible_encoding admits (ASCII except 0x1A, plus the decoded 0x80-0xFF and
// the decoded 0x1A).
class Charmap {
 public:
  explicit Charmap(size_t index) : table_(CharmapOf(index)) {
    for (int b = 0x80; b < 0x100; ++b) reverse_[table_[b]] = static_cast<uint8_t>(b);
    reverse_[table_[0x1A]] = 0x1A;
  }
  bool Encode(std::u32string_view text, Bytes* out) const {
    out->clear();
    out->reserve(text.size());
    for (uint32_t c : text) {
      if (c < 0x80 && c != 0x1A) {
        out->push_back(c);
        continue;
      }
      auto it = reverse_.find(c);
      if (it == reverse_.end()) return false;
      out->push_back(it->second);
    }
    return true;
  }
  uint32_t Decode(uint8_t b) const { return table_[b]; }

 private:
  const uint32_t* table_;
  std::unordered_map<uint32_t, uint8_t> reverse_;
};

const std::array<Charmap, 10>& Charmaps() {
  static const std::array<Charmap, 10> maps = {Charmap(0), Charmap(1), Charmap(2), Charmap(3),
                                               Charmap(4), Charmap(5), Charmap(6), Charmap(7),
                                               Charmap(8), Charmap(9)};
  return maps;
}

bool IsAscii(std::u32string_view text) {
  for (uint32_t c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Python pattern.sub(replacement-fn) over a compiled pattern.
template <typename Fn>
Bytes SubPattern(const unicode::CompiledPattern& p, std::u32string_view text, Fn replace) {
  Bytes out;
  size_t pos = 0;
  PatternMatch m;
  while (pos <= text.size() && SearchPattern(p, text, pos, &m)) {
    out.append(text.substr(pos, m.begin - pos));
    out.append(replace(text.substr(m.begin, m.end - m.begin)));
    pos = m.end > m.begin ? m.end : m.begin + 1;
  }
  if (pos < text.size()) out.append(text.substr(pos));
  return out;
}

// ftfy.fixes.restore_byte_a0.
Bytes RestoreByteA0(const Bytes& in) {
  // A_GRAVE_WORD_RE: b"\xc3 (?! |quele|quela|quilo|s )" -> b"\xc3\xa0 "
  Bytes step;
  step.reserve(in.size() + 4);
  auto followed_by = [&](size_t at, std::u32string_view word) {
    return in.size() >= at + word.size() && std::u32string_view(in).substr(at, word.size()) == word;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == 0xC3 && i + 1 < in.size() && in[i + 1] == ' ' && !followed_by(i + 2, U" ") &&
        !followed_by(i + 2, U"quele") && !followed_by(i + 2, U"quela") &&
        !followed_by(i + 2, U"quilo") && !followed_by(i + 2, U"s ")) {
      step.push_back(0xC3);
      step.push_back(0xA0);
      step.push_back(' ');
      ++i;
    } else {
      step.push_back(in[i]);
    }
  }
  return SubPattern(unicode::kAlteredUtf8Pattern, step, [](std::u32string_view m) {
    Bytes r(m);
    for (auto& b : r) {
      if (b == ' ') b = 0xA0;
    }
    return r;
  });
}

// ftfy.fixes.replace_lossy_sequences.
Bytes ReplaceLossySequences(const Bytes& in) {
  return SubPattern(unicode::kLossyUtf8Pattern, in,
                    [](std::u32string_view) { return Bytes{0xEF, 0xBF, 0xBD}; });
}

// Strict UTF-8, or ftfy's utf-8-variants (C0 80 -> NUL, CESU-8 surrogate
// pairs -> one astral code point) when `variants`.
bool DecodeBytes(const Bytes& bytes, bool variants, CodePoints* out) {
  std::string raw;
  raw.reserve(bytes.size());
  size_t i = 0;
  out->clear();
  auto flush = [&]() {
    size_t off = 0;
    bool ok = DecodeUtf8Strict(raw, out, &off);
    raw.clear();
    return ok;
  };
  while (i < bytes.size()) {
    uint32_t b = bytes[i];
    if (variants && b == 0xC0 && i + 1 < bytes.size() && bytes[i + 1] == 0x80) {
      if (!flush()) return false;
      out->push_back(0);
      i += 2;
      continue;
    }
    if (variants && b == 0xED && i + 5 < bytes.size() && bytes[i + 1] >= 0xA0 && bytes[i + 1] <= 0xAF &&
        bytes[i + 2] >= 0x80 && bytes[i + 2] <= 0xBF && bytes[i + 3] == 0xED && bytes[i + 4] >= 0xB0 &&
        bytes[i + 4] <= 0xBF && bytes[i + 5] >= 0x80 && bytes[i + 5] <= 0xBF) {
      if (!flush()) return false;
      uint32_t cp = ((bytes[i + 1] & 0x0F) << 16) + ((bytes[i + 2] & 0x3F) << 10) +
                    ((bytes[i + 4] & 0x0F) << 6) + (bytes[i + 5] & 0x3F) + 0x10000;
      out->push_back(cp);
      i += 6;
      continue;
    }
    raw.push_back(static_cast<char>(b));
    ++i;
  }
  return flush();
}

bool InClue(const unicode::CodeRange* r, size_t n, uint32_t c) { return unicode::InRanges(r, n, c); }

// One match of ftfy's UTF8_DETECTOR_RE at `pos` (lookbehind checked by the
// caller); returns the end, or pos when nothing matched.
size_t MatchUtf8Run(std::u32string_view t, size_t pos) {
  using namespace unicode;
  auto cont = [&](size_t i) { return i < t.size() && InClue(kUtf8Continuation, kUtf8ContinuationSize, t[i]); };
  size_t p = pos;
  while (p < t.size()) {
    uint32_t c = t[p];
    if (InClue(kUtf8FirstOf2, kUtf8FirstOf2Size, c) && cont(p + 1)) { p += 2; continue; }
    if (InClue(kUtf8FirstOf3, kUtf8FirstOf3Size, c) && cont(p + 1) && cont(p + 2)) { p += 3; continue; }
    if (InClue(kUtf8FirstOf4, kUtf8FirstOf4Size, c) && cont(p + 1) && cont(p + 2) && cont(p + 3)) {
      p += 4;
      continue;
    }
    break;
  }
  return p;
}

// ftfy.fixes.decode_inconsistent_utf8; *any_match tells whether the detector
// matched at all (ftfy only applies the step then).
CodePoints DecodeInconsistentUtf8(std::u32string_view text, bool* any_match) {
  CodePoints out;
  *any_match = false;
  size_t pos = 0;
  size_t copied = 0;
  while (pos < text.size()) {
    bool lookbehind_ok = pos == 0 || !InClue(unicode::kUtf8ContinuationStrict,
                                             unicode::kUtf8ContinuationStrictSize, text[pos - 1]);
    size_t end = lookbehind_ok ? MatchUtf8Run(text, pos) : pos;
    if (end == pos) {
      ++pos;
      continue;
    }
    *any_match = true;
    out.append(text.substr(copied, pos - copied));
    std::u32string_view sub = text.substr(pos, end - pos);
    if (sub.size() < text.size() && LooksLikeMojibake(sub)) {
      out.append(FixMojibake(sub));
    } else {
      out.append(sub);
    }
    pos = copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

// Windows-1252 bytes Python's strict codec leaves undefined.
bool Cp1252Undefined(uint32_t b) { return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D; }

// _fix_encoding_one_step_and_explain: true with the fixed text in *out when
// the step changes the text, false (out untouched) when it leaves it as is.
bool FixOneStep(std::u32string_view text, CodePoints* out_text) {
  if (text.empty() || IsAscii(text) || !LooksLikeMojibake(text)) return false;
  auto changed = [&](CodePoints candidate) {
    if (std::u32string_view(candidate) == text) return false;
    *out_text = std::move(candidate);
    return true;
  };
  static const size_t kLatin1 = CharmapIndex("latin-1");
  static const size_t kSloppy1252 = CharmapIndex("sloppy-windows-1252");
  static const size_t kMacRoman = CharmapIndex("macroman");
  bool latin1_possible = false;
  Bytes encoded;
  CodePoints fixed;
  for (size_t e = 0; e < unicode::kCharmapCount; ++e) {
    if (!Charmaps()[e].Encode(text, &encoded)) continue;
    if (e == kLatin1) latin1_possible = true;
    if (e != kMacRoman && PatternMatchesAnywhere(unicode::kAlteredUtf8Pattern, encoded)) {
      encoded = RestoreByteA0(encoded);
    }
    if (std::string_view(unicode::kCharmapNames[e]).substr(0, 6) == "sloppy") {
      encoded = ReplaceLossySequences(encoded);
    }
    bool variants = encoded.find(0xED) != Bytes::npos || encoded.find(0xC0) != Bytes::npos;
    if (DecodeBytes(encoded, variants, &fixed)) return changed(std::move(fixed));
  }
  bool any = false;
  CodePoints inconsistent = DecodeInconsistentUtf8(text, &any);
  if (any && inconsistent != text) return changed(std::move(inconsistent));
  if (latin1_possible) {
    // "latin-1" possible but never "windows-1252" (not in ftfy's list), so
    // ftfy tries latin-1 -> windows-1252 (strict).
    CodePoints out;
    out.reserve(text.size());
    bool ok = true;
    for (uint32_t c : text) {
      if (c >= 0x80 && c < 0x100) {
        if (Cp1252Undefined(c)) { ok = false; break; }
        out.push_back(CharmapOf(kSloppy1252)[c]);
      } else {
        out.push_back(c);
      }
    }
    if (ok && out != text) return changed(std::move(out));
  }
  for (uint32_t c : text) {
    if (c >= 0x80 && c <= 0x9F) return changed(FixC1Controls(text));
  }
  return false;
}

}  // namespace

bool LooksLikeMojibake(std::u32string_view text) {
  return PatternMatchesAnywhere(unicode::kBadnessPattern, text);
}

CodePoints FixC1Controls(std::u32string_view text) {
  static const uint32_t* sloppy = CharmapOf(CharmapIndex("sloppy-windows-1252"));
  CodePoints out(text);
  for (auto& c : out) {
    if (c >= 0x80 && c <= 0x9F) c = sloppy[c];
  }
  return out;
}

bool FixMojibakeIfChanged(std::u32string_view text, CodePoints* out, bool* converged) {
  if (converged != nullptr) *converged = false;
  CodePoints current, next;
  // Each step either changes the text or ends the loop; bound the number of
  // layers so hostile input cannot loop (ftfy itself has no bound).
  for (int step = 0; step < 64; ++step) {
    if (!FixOneStep(step == 0 ? text : std::u32string_view(current), &next)) {
      if (converged != nullptr) *converged = true;  // a fixed point of FixOneStep
      if (step == 0) return false;
      break;
    }
    current.swap(next);
  }
  if (std::u32string_view(current) == text) return false;
  *out = std::move(current);
  return true;
}

CodePoints FixMojibake(std::u32string_view text, bool* converged) {
  CodePoints out;
  if (!FixMojibakeIfChanged(text, &out, converged)) return CodePoints(text);
  return out;
}

}  // namespace cliprt
