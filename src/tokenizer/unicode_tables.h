// Unicode and ftfy tables for the text pipelines, generated from the pinned
// reference environment by tools/unicode/gen_unicode_tables.py (see that
// script for where each table comes from), plus the lookups over them.
//
// Versions: Python unicodedata 14.0.0 (str.lower, str.isspace, NFC), the
// `regex` module's own database for the pre-tokenizer classes, ftfy 6.3.1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cliprt::unicode {

struct CodeRange { uint32_t first, last; };
struct CodeMapping { uint32_t from, to; };
struct CodeString { uint32_t cp; const char* utf8; };
struct CombiningClassRange { uint32_t first, last; uint8_t ccc; };
struct DecompositionEntry { uint32_t cp; uint16_t offset; uint8_t length; };
struct CompositionEntry { uint32_t first, second, composed; };
struct EntityEntry { const char* name; const char* utf8; };

// A compiled reference regex: alternatives of fixed item sequences. Items are
// char sets (kind 0), '.' (kind 1, any but '\n') or '^' (kind 2); an item may
// be optional (greedy '?'). Set categories: 1 = \s (Python), 2 = \w (Python).
struct PatternSet { uint8_t negate; uint8_t categories; uint16_t range_offset; uint16_t range_count; };
struct PatternItem { uint8_t kind; uint16_t set; uint8_t optional; };
struct PatternAlternative { uint16_t item_offset; uint16_t item_count; };
struct CompiledPattern {
  const CodeRange* ranges;
  const PatternSet* sets;
  const PatternItem* items;
  const PatternAlternative* alternatives;
  size_t alternative_count;
};

extern const char kUnicodeVersion[];
extern const char kRegexModuleVersion[];
extern const char kFtfyVersion[];

#define CLIPRT_UNICODE_RANGE_TABLE(name) \
  extern const CodeRange name[];         \
  extern const size_t name##Size;
CLIPRT_UNICODE_RANGE_TABLE(kRegexLetter)
CLIPRT_UNICODE_RANGE_TABLE(kRegexNumber)
CLIPRT_UNICODE_RANGE_TABLE(kRegexSpace)
CLIPRT_UNICODE_RANGE_TABLE(kRegexOther)
CLIPRT_UNICODE_RANGE_TABLE(kPySpace)
CLIPRT_UNICODE_RANGE_TABLE(kPyWord)
CLIPRT_UNICODE_RANGE_TABLE(kPyDecimal)
CLIPRT_UNICODE_RANGE_TABLE(kCategoryOther)
CLIPRT_UNICODE_RANGE_TABLE(kCategoryZs)
CLIPRT_UNICODE_RANGE_TABLE(kCased)
CLIPRT_UNICODE_RANGE_TABLE(kCaseIgnorable)
CLIPRT_UNICODE_RANGE_TABLE(kUtf8FirstOf2)
CLIPRT_UNICODE_RANGE_TABLE(kUtf8FirstOf3)
CLIPRT_UNICODE_RANGE_TABLE(kUtf8FirstOf4)
CLIPRT_UNICODE_RANGE_TABLE(kUtf8Continuation)
CLIPRT_UNICODE_RANGE_TABLE(kUtf8ContinuationStrict)
#undef CLIPRT_UNICODE_RANGE_TABLE

extern const CodeMapping kRegexAsciiFold[];
extern const size_t kRegexAsciiFoldSize;
extern const CodeMapping kLowerSimple[];
extern const size_t kLowerSimpleSize;
extern const CodeString kLowerSpecial[];
extern const size_t kLowerSpecialSize;
extern const CombiningClassRange kCombiningClass[];
extern const size_t kCombiningClassSize;
extern const DecompositionEntry kCanonicalDecomposition[];
extern const size_t kCanonicalDecompositionSize;
extern const uint32_t kDecompositionPool[];
extern const size_t kDecompositionPoolSize;
extern const CompositionEntry kComposition[];
extern const size_t kCompositionSize;
extern const CodeString kFtfyWidthMap[];
extern const size_t kFtfyWidthMapSize;
extern const CodeString kFtfyLigatures[];
extern const size_t kFtfyLigaturesSize;
extern const char* const kCharmapNames[];
extern const size_t kCharmapCount;
extern const uint32_t kCharmapTable[];  // kCharmapCount x 256
extern const size_t kCharmapTableSize;
extern const CompiledPattern kBadnessPattern;
extern const CompiledPattern kAlteredUtf8Pattern;
extern const CompiledPattern kLossyUtf8Pattern;
extern const EntityEntry kHtml5Entities[];  // sorted by name (bytewise)
extern const size_t kHtml5EntitiesSize;
extern const EntityEntry kFtfyUpperEntities[];  // sorted by name (bytewise)
extern const size_t kFtfyUpperEntitiesSize;
extern const CodeString kHtmlInvalidCharrefs[];  // sorted by code point
extern const size_t kHtmlInvalidCharrefsSize;
extern const CodeRange kHtmlInvalidCodepoints[];
extern const size_t kHtmlInvalidCodepointsSize;

// ---- lookups -------------------------------------------------------------

bool InRanges(const CodeRange* ranges, size_t size, uint32_t cp);

// Classes of CLIP's pre-tokenizer pattern (regex module, IGNORECASE).
inline bool IsRegexLetter(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return InRanges(kRegexLetter, kRegexLetterSize, cp);
}
inline bool IsRegexNumber(uint32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return InRanges(kRegexNumber, kRegexNumberSize, cp);
}
inline bool IsRegexSpace(uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  return InRanges(kRegexSpace, kRegexSpaceSize, cp);
}
// [^\s\p{L}\p{N}] of the same pattern (not the exact complement: see generator).
inline bool IsRegexOther(uint32_t cp) {
  if (cp < 0x80) {
    return !(cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= '0' && cp <= '9') ||
             ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'));
  }
  return InRanges(kRegexOther, kRegexOtherSize, cp);
}
// Python str.isspace() (also what str.split()/strip() use; includes 0x1C-0x1F).
inline bool IsPySpace(uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
  return InRanges(kPySpace, kPySpaceSize, cp);
}
// Python re's \w for str patterns.
inline bool IsPyWord(uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || cp == '_';
  return InRanges(kPyWord, kPyWordSize, cp);
}
// unicodedata.category(c) starts with 'C' (Cc Cf Cs Co Cn): BERT's _is_control
// before its tab/newline/CR exception.
inline bool IsCategoryOther(uint32_t cp) {
  if (cp < 0x80) return cp < 0x20 || cp == 0x7F;
  return InRanges(kCategoryOther, kCategoryOtherSize, cp);
}
// unicodedata.category(c) == 'Zs'.
inline bool IsCategoryZs(uint32_t cp) {
  if (cp < 0x80) return cp == ' ';
  return InRanges(kCategoryZs, kCategoryZsSize, cp);
}
// Python re's \d for str patterns (Unicode decimal digits).
inline bool IsPyDecimal(uint32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return InRanges(kPyDecimal, kPyDecimalSize, cp);
}
// The ASCII lower-case letter `cp` matches under regex IGNORECASE, or 0.
uint32_t RegexAsciiFold(uint32_t cp);

uint8_t CombiningClass(uint32_t cp);
// Full canonical decomposition of cp (not Hangul); empty when none.
std::basic_string_view<uint32_t> CanonicalDecomposition(uint32_t cp);
// Primary composite of the pair, or 0.
uint32_t ComposePair(uint32_t first, uint32_t second);

// Exact-name lookup in a sorted entity table; nullptr when absent.
const char* FindEntity(const EntityEntry* table, size_t size, std::string_view name);
// Lookup in a sorted CodeString table; nullptr when absent.
const char* FindCodeString(const CodeString* table, size_t size, uint32_t cp);

}  // namespace cliprt::unicode
