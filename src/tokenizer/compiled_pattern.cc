#include "tokenizer/compiled_pattern.h"

namespace cliprt {
namespace {

bool SetContains(const unicode::CompiledPattern& p, const unicode::PatternSet& set, uint32_t c) {
  bool in = unicode::InRanges(p.ranges + set.range_offset, set.range_count, c);
  if (!in && (set.categories & 1) != 0) in = unicode::IsPySpace(c);
  if (!in && (set.categories & 2) != 0) in = unicode::IsPyWord(c);
  return set.negate ? !in : in;
}

bool MatchItems(const unicode::CompiledPattern& p, const unicode::PatternItem* items, size_t count,
                std::u32string_view text, size_t pos, size_t* end) {
  if (count == 0) {
    *end = pos;
    return true;
  }
  const unicode::PatternItem& item = items[0];
  bool matched_here = false;
  size_t next = pos;
  switch (item.kind) {
    case 0:
      matched_here = pos < text.size() && SetContains(p, p.sets[item.set], text[pos]);
      next = pos + 1;
      break;
    case 1:
      matched_here = pos < text.size() && text[pos] != '\n';
      next = pos + 1;
      break;
    default:  // '^'
      matched_here = pos == 0;
      next = pos;
      break;
  }
  if (matched_here && MatchItems(p, items + 1, count - 1, text, next, end)) return true;
  if (item.optional != 0) return MatchItems(p, items + 1, count - 1, text, pos, end);
  return false;
}

}  // namespace

bool SearchPattern(const unicode::CompiledPattern& pattern, std::u32string_view text, size_t from,
                   PatternMatch* match) {
  for (size_t pos = from; pos <= text.size(); ++pos) {
    for (size_t a = 0; a < pattern.alternative_count; ++a) {
      const unicode::PatternAlternative& alt = pattern.alternatives[a];
      size_t end = 0;
      if (MatchItems(pattern, pattern.items + alt.item_offset, alt.item_count, text, pos, &end)) {
        match->begin = pos;
        match->end = end;
        return true;
      }
    }
  }
  return false;
}

}  // namespace cliprt
