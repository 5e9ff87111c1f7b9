#include "tokenizer/compiled_pattern.h"

#include <algorithm>
#include <vector>

namespace cliprt {
namespace {

// Code points split into classes that no set tells apart (the classic regex
// compilation trick): one binary search per character instead of one per
// set tested, then set membership is a bit test.
class PatternIndex {
 public:
  explicit PatternIndex(const unicode::CompiledPattern& p) : pattern_(p) {
    size_t sets = 0;
    for (size_t a = 0; a < p.alternative_count; ++a) {
      const auto& alt = p.alternatives[a];
      for (size_t i = 0; i < alt.item_count; ++i) {
        sets = std::max<size_t>(sets, p.items[alt.item_offset + i].set + 1u);
      }
    }
    words_ = (sets + 63) / 64;
    std::vector<uint32_t> cuts = {0};
    unsigned categories = 0;
    for (size_t s = 0; s < sets; ++s) AppendSetBoundaries(p, s, &cuts, &categories);
    AppendCategoryBoundaries(categories, &cuts);
    // The ASCII fast paths of IsPySpace / IsPyWord are not in the tables.
    for (uint32_t c = 0; c <= 0x80; ++c) cuts.push_back(c);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    starts_ = cuts;
    bits_.assign(starts_.size() * words_, 0);
    for (size_t k = 0; k < starts_.size(); ++k) {
      for (size_t s = 0; s < sets; ++s) {
        if (SetContains(p, p.sets[s], starts_[k])) bits_[k * words_ + s / 64] |= uint64_t{1} << (s % 64);
      }
    }
    // Per class, the alternatives whose first item can match a character of
    // that class; alternatives starting with '.', '^' or an optional item
    // are always tried.
    alt_words_ = (p.alternative_count + 63) / 64;
    first_.assign(starts_.size() * alt_words_, 0);
    always_.assign(alt_words_, 0);
    for (size_t a = 0; a < p.alternative_count; ++a) {
      const auto& alt = p.alternatives[a];
      const unicode::PatternItem* first = alt.item_count ? &p.items[alt.item_offset] : nullptr;
      if (first == nullptr || first->kind != 0 || first->optional) {
        always_[a / 64] |= uint64_t{1} << (a % 64);
        continue;
      }
      for (size_t k = 0; k < starts_.size(); ++k) {
        if (InSet(static_cast<uint32_t>(k), first->set)) first_[k * alt_words_ + a / 64] |= uint64_t{1} << (a % 64);
      }
    }
    // Per class of the character after the start, the alternatives that
    // may still match: those whose second item is a required set need that
    // character in it (class starts_.size() stands for the end of text).
    second_.assign((starts_.size() + 1) * alt_words_, 0);
    for (size_t a = 0; a < p.alternative_count; ++a) {
      const auto& alt = p.alternatives[a];
      const bool first_required = (always_[a / 64] >> (a % 64) & 1) == 0;
      const unicode::PatternItem* second = alt.item_count >= 2 ? &p.items[alt.item_offset + 1] : nullptr;
      const bool filter = first_required && second != nullptr && second->kind == 0 && !second->optional;
      for (size_t k = 0; k <= starts_.size(); ++k) {
        const bool ok = !filter || (k < starts_.size() && InSet(static_cast<uint32_t>(k), second->set));
        if (ok) second_[k * alt_words_ + a / 64] |= uint64_t{1} << (a % 64);
      }
    }
    ComputeAnchors();
    // Direct class lookup for the BMP (classes fit in 16 bits).
    if (starts_.size() < 0x10000) {
      bmp_class_.resize(0x10000);
      size_t k = 0;
      for (uint32_t cp = 0; cp < 0x10000; ++cp) {
        while (k + 1 < starts_.size() && starts_[k + 1] <= cp) ++k;
        bmp_class_[cp] = static_cast<uint16_t>(k);
      }
      anchor_bmp_.assign(0x10000 / 64, 0);
      for (uint32_t cp = 0; cp < 0x10000; ++cp) {
        if (anchor_[bmp_class_[cp]] != 0) anchor_bmp_[cp / 64] |= uint64_t{1} << (cp % 64);
      }
    }
  }

  // Every alternative of the mojibake patterns needs at least one character
  // from a set without ASCII; a text without any such character cannot
  // match, which Search checks before trying alternatives.
  void ComputeAnchors() {
    anchor_.assign(starts_.size(), 0);
    for (size_t a = 0; a < pattern_.alternative_count; ++a) {
      const auto& alt = pattern_.alternatives[a];
      int anchor_set = -1;
      for (size_t i = 0; i < alt.item_count && anchor_set < 0; ++i) {
        const auto& item = pattern_.items[alt.item_offset + i];
        if (item.kind != 0 || item.optional) continue;
        bool has_ascii = false;
        for (uint32_t c = 0; c < 0x80 && !has_ascii; ++c) has_ascii = InSet(c, item.set);
        if (!has_ascii) anchor_set = item.set;
      }
      if (anchor_set < 0) {
        anchor_.assign(starts_.size(), 1);  // no anchor: every text must be searched
        has_anchors_ = false;
        return;
      }
      max_len_ = std::max<size_t>(max_len_, alt.item_count);
      for (size_t k = 0; k < starts_.size(); ++k) {
        if (InSet(static_cast<uint32_t>(k), static_cast<uint16_t>(anchor_set))) anchor_[k] = 1;
      }
    }
  }

  bool IsAnchor(uint32_t cp) const {
    if (cp < 0x10000 && !anchor_bmp_.empty()) return (anchor_bmp_[cp / 64] >> (cp % 64)) & 1;
    return anchor_[ClassOf(cp)] != 0;
  }

  uint32_t ClassOf(uint32_t cp) const {
    if (cp < bmp_class_.size()) return bmp_class_[cp];
    return static_cast<uint32_t>(std::upper_bound(starts_.begin(), starts_.end(), cp) - starts_.begin() - 1);
  }
  bool InSet(uint32_t cls, uint16_t set) const {
    return (bits_[cls * words_ + set / 64] >> (set % 64)) & 1;
  }

  bool MatchItems(const unicode::PatternItem* items, size_t count, std::u32string_view text,
                  const std::vector<uint32_t>& classes, size_t base, size_t pos, size_t* end) const {
    if (count == 0) {
      *end = pos;
      return true;
    }
    const unicode::PatternItem& item = items[0];
    bool here = false;
    size_t next = pos;
    switch (item.kind) {
      case 0:
        here = pos < text.size() && InSet(classes[pos - base], item.set);
        next = pos + 1;
        break;
      case 1:
        here = pos < text.size() && text[pos] != '\n';
        next = pos + 1;
        break;
      default:
        here = pos == 0;
        break;
    }
    if (here && MatchItems(items + 1, count - 1, text, classes, base, next, end)) return true;
    if (item.optional != 0) return MatchItems(items + 1, count - 1, text, classes, base, pos, end);
    return false;
  }

  bool Search(std::u32string_view text, size_t from, PatternMatch* match) const {
    // One scratch per thread, reused across searches: a search runs per
    // mojibake step and per charmap, and allocating here showed in profiles.
    // Most texts have no anchored character at all: a bitmap proves that
    // before any character is classified.
    size_t next_anchor = text.size();  // first anchored position >= pos
    for (size_t i = from; i < text.size(); ++i) {
      if (IsAnchor(text[i])) {
        next_anchor = i;
        break;
      }
    }
    if (next_anchor == text.size()) return false;
    // Starts before base cannot match (see the skip below), so classes are
    // needed from base on only.
    const size_t base = has_anchors_ && next_anchor + 1 > from + max_len_ ? next_anchor + 1 - max_len_ : from;
    thread_local std::vector<uint32_t> classes;
    classes.resize(text.size() - base);
    for (size_t i = base; i < text.size(); ++i) classes[i - base] = ClassOf(text[i]);
    for (size_t pos = base; pos <= text.size(); ++pos) {
      if (has_anchors_) {
        // Every alternative needs an anchored character among its at most
        // max_len_ characters: no match can start max_len_ or more before
        // the next anchored one.
        if (next_anchor < pos) {
          next_anchor = pos;
          while (next_anchor < text.size() && anchor_[classes[next_anchor - base]] == 0) ++next_anchor;
          if (next_anchor == text.size()) return false;
        }
        if (next_anchor >= pos + max_len_) {
          pos = next_anchor - max_len_;  // the loop's ++pos lands on the first possible start
          continue;
        }
      }
      for (size_t w = 0; w < alt_words_; ++w) {
        uint64_t mask = always_[w];
        if (pos < text.size()) mask |= first_[classes[pos - base] * alt_words_ + w];
        if (mask != 0) {
          const size_t next_class = pos + 1 < text.size() ? classes[pos + 1 - base] : starts_.size();
          mask &= second_[next_class * alt_words_ + w];
        }
        while (mask != 0) {
          size_t a = w * 64 + static_cast<size_t>(__builtin_ctzll(mask));
          mask &= mask - 1;
          const auto& alt = pattern_.alternatives[a];
          size_t end = 0;
          if (MatchItems(pattern_.items + alt.item_offset, alt.item_count, text, classes, base, pos, &end)) {
            match->begin = pos;
            match->end = end;
            return true;
          }
        }
      }
    }
    return false;
  }

 private:
  const unicode::CompiledPattern& pattern_;
  size_t words_ = 1;
  std::vector<uint32_t> starts_;  // first code point of each class
  std::vector<uint64_t> bits_;    // class x set membership
  size_t alt_words_ = 1;
  std::vector<uint64_t> first_;   // class x alternatives that may start there
  std::vector<uint64_t> always_;  // alternatives tried at every position
  std::vector<uint64_t> second_;  // (class of the next character | end) x alternatives still possible
  std::vector<uint8_t> anchor_;   // per class: character some alternative requires
  bool has_anchors_ = true;       // every alternative has an anchor set
  size_t max_len_ = 1;            // most characters an alternative consumes
  std::vector<uint16_t> bmp_class_;
  std::vector<uint64_t> anchor_bmp_;  // BMP code points of anchored classes
};

const PatternIndex& IndexFor(const unicode::CompiledPattern& p) {
  static const PatternIndex badness(unicode::kBadnessPattern);
  static const PatternIndex altered(unicode::kAlteredUtf8Pattern);
  static const PatternIndex lossy(unicode::kLossyUtf8Pattern);
  if (&p == &unicode::kAlteredUtf8Pattern) return altered;
  if (&p == &unicode::kLossyUtf8Pattern) return lossy;
  return badness;
}

}  // namespace

bool SearchPattern(const unicode::CompiledPattern& pattern, std::u32string_view text, size_t from,
                   PatternMatch* match) {
  if (&pattern != &unicode::kBadnessPattern && &pattern != &unicode::kAlteredUtf8Pattern &&
      &pattern != &unicode::kLossyUtf8Pattern) {
    PatternIndex index(pattern);
    return index.Search(text, from, match);
  }
  return IndexFor(pattern).Search(text, from, match);
}

bool SetContains(const unicode::CompiledPattern& p, const unicode::PatternSet& set, uint32_t c) {
  bool in = unicode::InRanges(p.ranges + set.range_offset, set.range_count, c);
  if (!in && (set.categories & 1) != 0) in = unicode::IsPySpace(c);
  if (!in && (set.categories & 2) != 0) in = unicode::IsPyWord(c);
  return set.negate ? !in : in;
}

void AppendSetBoundaries(const unicode::CompiledPattern& pattern, size_t set, std::vector<uint32_t>* cuts,
                         unsigned* categories) {
  const auto& s = pattern.sets[set];
  for (size_t r = 0; r < s.range_count; ++r) {
    cuts->push_back(pattern.ranges[s.range_offset + r].first);
    cuts->push_back(pattern.ranges[s.range_offset + r].last + 1);
  }
  *categories |= s.categories & 3u;
}

void AppendCategoryBoundaries(unsigned categories, std::vector<uint32_t>* cuts) {
  auto add_table = [&](const unicode::CodeRange* t, size_t n) {
    for (size_t r = 0; r < n; ++r) {
      cuts->push_back(t[r].first);
      cuts->push_back(t[r].last + 1);
    }
  };
  if (categories & 1u) add_table(unicode::kPySpace, unicode::kPySpaceSize);
  if (categories & 2u) add_table(unicode::kPyWord, unicode::kPyWordSize);
}

}  // namespace cliprt
