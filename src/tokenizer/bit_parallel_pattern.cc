#include "tokenizer/bit_parallel_pattern.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tokenizer/compiled_pattern.h"

namespace cliprt {
namespace {

// 128 automaton positions (two words; the badness pattern needs 98).
struct Mask {
  uint64_t lo = 0, hi = 0;
  Mask operator&(const Mask& o) const { return {lo & o.lo, hi & o.hi}; }
  Mask operator|(const Mask& o) const { return {lo | o.lo, hi | o.hi}; }
  Mask operator~() const { return {~lo, ~hi}; }
  Mask ShiftLeft1() const { return {lo << 1, (hi << 1) | (lo >> 63)}; }
  bool Any() const { return (lo | hi) != 0; }
  void Set(size_t bit) { (bit < 64 ? lo : hi) |= uint64_t{1} << (bit % 64); }
};

class BitParallelPattern {
 public:
  explicit BitParallelPattern(const unicode::CompiledPattern& p) { ok_ = Build(p); }

  bool ok() const { return ok_; }

  bool Matches(std::u32string_view text) const {
    if (always_) return true;
    Mask d;
    const uint16_t* bmp_class = bmp_class_.data();
    const Mask* class_mask = class_mask_.data();
    // Branch-free per character: scripts, spaces and ASCII alternate too
    // irregularly for skipping branches to pay off.
    if (!text.empty()) {
      d = (anchored_start_ | start_) & class_mask[ClassOf(text[0])];
      if ((d & final_).Any()) return true;
    }
    for (size_t i = 1; i < text.size(); ++i) {
      const uint32_t c = text[i];
      const Mask& m = class_mask[c < 0x10000 ? bmp_class[c] : ClassOf(c)];
      d = ((d.ShiftLeft1() & not_start_) | start_) & m;
      if ((d & final_).Any()) return true;
    }
    return false;
  }

 private:
  // One alternative with each optional item either present or absent.
  struct Variant {
    std::vector<const unicode::PatternItem*> items;
    bool anchored = false;  // began with '^': may only start at position 0
  };

  bool Build(const unicode::CompiledPattern& p) {
    std::vector<Variant> variants;
    for (size_t a = 0; a < p.alternative_count; ++a) {
      const auto& alt = p.alternatives[a];
      std::vector<size_t> optional;
      for (size_t i = 0; i < alt.item_count; ++i) {
        if (p.items[alt.item_offset + i].optional != 0) optional.push_back(i);
      }
      if (optional.size() > 6) return false;
      for (uint32_t present = 0; present < (1u << optional.size()); ++present) {
        Variant v;
        bool possible = true;
        for (size_t i = 0; i < alt.item_count; ++i) {
          const auto it = std::find(optional.begin(), optional.end(), i);
          if (it != optional.end() && ((present >> (it - optional.begin())) & 1) == 0) continue;
          const unicode::PatternItem* item = &p.items[alt.item_offset + i];
          if (item->kind == 2) {
            // '^' after a consumed character can never hold.
            if (!v.items.empty()) possible = false;
            v.anchored = true;
            continue;
          }
          v.items.push_back(item);
        }
        if (!possible) continue;
        if (v.items.empty()) {
          // Matches the empty string: anywhere, or at position 0 when
          // anchored - either way every text has a match.
          always_ = true;
          continue;
        }
        variants.push_back(std::move(v));
      }
    }
    size_t bits = 0;
    for (const auto& v : variants) bits += v.items.size();
    if (bits > 128) return false;

    BuildClasses(p);
    if (bmp_class_.empty()) return false;  // more classes than a BMP table can name
    class_mask_.assign(starts_.size(), Mask{});
    size_t bit = 0;
    Mask all_starts;
    for (const auto& v : variants) {
      (v.anchored ? anchored_start_ : start_).Set(bit);
      all_starts.Set(bit);
      for (size_t j = 0; j < v.items.size(); ++j, ++bit) {
        const unicode::PatternItem& item = *v.items[j];
        for (size_t k = 0; k < starts_.size(); ++k) {
          const uint32_t rep = starts_[k];
          const bool accepts = item.kind == 0 ? SetContains(p, p.sets[item.set], rep) : rep != '\n';
          if (accepts) class_mask_[k].Set(bit);
        }
      }
      final_.Set(bit - 1);
    }
    not_start_ = ~all_starts;
    return true;
  }

  // Code points split into classes no item tells apart; every ASCII code
  // point is a class of its own ('.' must tell '\n' apart, and the ASCII
  // fast paths of IsPySpace / IsPyWord are not in the range tables).
  void BuildClasses(const unicode::CompiledPattern& p) {
    std::vector<uint32_t> cuts;
    for (uint32_t c = 0; c <= 0x80; ++c) cuts.push_back(c);
    unsigned categories = 0;
    for (size_t a = 0; a < p.alternative_count; ++a) {
      const auto& alt = p.alternatives[a];
      for (size_t i = 0; i < alt.item_count; ++i) {
        const auto& item = p.items[alt.item_offset + i];
        if (item.kind == 0) AppendSetBoundaries(p, item.set, &cuts, &categories);
      }
    }
    AppendCategoryBoundaries(categories, &cuts);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    starts_ = std::move(cuts);
    bmp_class_.clear();
    if (starts_.size() < 0x10000) {
      bmp_class_.resize(0x10000);
      size_t k = 0;
      for (uint32_t cp = 0; cp < 0x10000; ++cp) {
        while (k + 1 < starts_.size() && starts_[k + 1] <= cp) ++k;
        bmp_class_[cp] = static_cast<uint16_t>(k);
      }
    }
  }

  uint32_t ClassOf(uint32_t cp) const {
    if (cp < bmp_class_.size()) return bmp_class_[cp];
    return static_cast<uint32_t>(std::upper_bound(starts_.begin(), starts_.end(), cp) - starts_.begin() - 1);
  }

  bool ok_ = false;
  bool always_ = false;  // some alternative matches the empty string
  std::vector<uint32_t> starts_;      // first code point of each class
  std::vector<uint16_t> bmp_class_;   // class of each BMP code point
  std::vector<Mask> class_mask_;      // per class: positions whose item accepts it
  Mask start_, anchored_start_, final_, not_start_;
};

}  // namespace

bool PatternMatchesAnywhere(const unicode::CompiledPattern& pattern, std::u32string_view text) {
  static const BitParallelPattern badness(unicode::kBadnessPattern);
  static const BitParallelPattern altered(unicode::kAlteredUtf8Pattern);
  static const BitParallelPattern lossy(unicode::kLossyUtf8Pattern);
  const BitParallelPattern* bp = &pattern == &unicode::kBadnessPattern       ? &badness
                                 : &pattern == &unicode::kAlteredUtf8Pattern ? &altered
                                 : &pattern == &unicode::kLossyUtf8Pattern   ? &lossy
                                                                             : nullptr;
  if (bp != nullptr && bp->ok()) return bp->Matches(text);
  if (bp == nullptr) {
    const BitParallelPattern built(pattern);
    if (built.ok()) return built.Matches(text);
  }
  PatternMatch m;
  return SearchPattern(pattern, text, 0, &m);
}

}  // namespace cliprt
