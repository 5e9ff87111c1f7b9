// Lookups over the generated tables in unicode_tables_data.cc.
#include "tokenizer/unicode_tables.h"

#include <algorithm>
#include <cstring>

namespace cliprt::unicode {

bool InRanges(const CodeRange* ranges, size_t size, uint32_t cp) {
  const CodeRange* end = ranges + size;
  // First range whose last >= cp.
  const CodeRange* it = std::lower_bound(ranges, end, cp,
      [](const CodeRange& r, uint32_t value) { return r.last < value; });
  return it != end && it->first <= cp;
}

uint32_t RegexAsciiFold(uint32_t cp) {
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') return cp | 0x20;
    if (cp >= 'a' && cp <= 'z') return cp;
    return 0;
  }
  for (size_t i = 0; i < kRegexAsciiFoldSize; ++i) {
    if (kRegexAsciiFold[i].from == cp) return kRegexAsciiFold[i].to;
  }
  return 0;
}

uint8_t CombiningClass(uint32_t cp) {
  if (cp < 0x300) return 0;
  const CombiningClassRange* begin = kCombiningClass;
  const CombiningClassRange* end = begin + kCombiningClassSize;
  const CombiningClassRange* it = std::lower_bound(begin, end, cp,
      [](const CombiningClassRange& r, uint32_t value) { return r.last < value; });
  return (it != end && it->first <= cp) ? it->ccc : 0;
}

std::basic_string_view<uint32_t> CanonicalDecomposition(uint32_t cp) {
  if (cp < 0xC0) return {};
  const DecompositionEntry* begin = kCanonicalDecomposition;
  const DecompositionEntry* end = begin + kCanonicalDecompositionSize;
  const DecompositionEntry* it = std::lower_bound(begin, end, cp,
      [](const DecompositionEntry& e, uint32_t value) { return e.cp < value; });
  if (it == end || it->cp != cp) return {};
  return std::basic_string_view<uint32_t>(kDecompositionPool + it->offset, it->length);
}

uint32_t ComposePair(uint32_t first, uint32_t second) {
  const CompositionEntry* begin = kComposition;
  const CompositionEntry* end = begin + kCompositionSize;
  const CompositionEntry* it = std::lower_bound(begin, end, std::make_pair(first, second),
      [](const CompositionEntry& e, const std::pair<uint32_t, uint32_t>& v) {
        return e.first != v.first ? e.first < v.first : e.second < v.second;
      });
  if (it == end || it->first != first || it->second != second) return 0;
  return it->composed;
}

const char* FindEntity(const EntityEntry* table, size_t size, std::string_view name) {
  const EntityEntry* end = table + size;
  const EntityEntry* it = std::lower_bound(table, end, name,
      [](const EntityEntry& e, std::string_view v) { return std::string_view(e.name) < v; });
  if (it == end || std::string_view(it->name) != name) return nullptr;
  return it->utf8;
}

const char* FindCodeString(const CodeString* table, size_t size, uint32_t cp) {
  if (size == 0 || cp < table[0].cp || cp > table[size - 1].cp) return nullptr;
  const CodeString* end = table + size;
  const CodeString* it = std::lower_bound(table, end, cp,
      [](const CodeString& e, uint32_t v) { return e.cp < v; });
  if (it == end || it->cp != cp) return nullptr;
  return it->utf8;
}

}  // namespace cliprt::unicode
