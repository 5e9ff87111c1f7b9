#include "tokenizer/unicode_text.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <vector>

#include "tokenizer/unicode_tables.h"

namespace cliprt {
namespace {

using unicode::InRanges;

constexpr uint32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr uint32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr uint32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

bool IsCased(uint32_t cp) { return InRanges(unicode::kCased, unicode::kCasedSize, cp); }
bool IsCaseIgnorable(uint32_t cp) {
  return InRanges(unicode::kCaseIgnorable, unicode::kCaseIgnorableSize, cp);
}

// The BMP's simple lowercase as deltas in a two-level table: 256-code-point
// blocks with equal contents are stored once (every block without a mapping
// is the all-zero block: CJK, Hangul, symbols), ~25 distinct blocks in all.
// Two sentinels mark the code points the fused whitespace + lowercase pass
// must treat specially: regex whitespace, and code points whose lowercase is
// not a simple delta (U+0130's special casing, capital sigma's context rule,
// a mapping outside the BMP or beyond int16).
constexpr int16_t kLowerRegexSpace = INT16_MIN;
constexpr int16_t kLowerSlow = INT16_MIN + 1;

struct BmpLowerDeltas {
  uint8_t block_of[256];
  std::vector<int16_t> blocks;  // 256 deltas per distinct block
  int16_t Get(uint32_t cp) const { return blocks[size_t{block_of[cp >> 8]} * 256 + (cp & 0xFF)]; }
};

const BmpLowerDeltas& BmpLower() {
  static const BmpLowerDeltas table = [] {
    std::vector<int16_t> full(0x10000, 0);
    for (size_t i = 0; i < unicode::kLowerSimpleSize; ++i) {
      const unicode::CodeMapping& m = unicode::kLowerSimple[i];
      if (m.from >= 0x10000) continue;
      const int64_t delta = int64_t{m.to} - int64_t{m.from};
      const bool fits = m.to < 0x10000 && delta > kLowerSlow && delta <= INT16_MAX;
      full[m.from] = fits ? static_cast<int16_t>(delta) : kLowerSlow;
    }
    for (size_t i = 0; i < unicode::kLowerSpecialSize; ++i) {
      if (unicode::kLowerSpecial[i].cp < 0x10000) full[unicode::kLowerSpecial[i].cp] = kLowerSlow;
    }
    full[0x3A3] = kLowerSlow;
    for (uint32_t cp = 0; cp < 0x10000; ++cp) {
      // A whitespace character with a case mapping would need both rules.
      if (unicode::IsRegexSpace(cp)) full[cp] = full[cp] == 0 ? kLowerRegexSpace : kLowerSlow;
    }
    BmpLowerDeltas t;
    std::vector<std::vector<int16_t>> distinct;
    for (uint32_t block = 0; block < 256; ++block) {
      std::vector<int16_t> content(full.begin() + block * 256, full.begin() + (block + 1) * 256);
      size_t k = std::find(distinct.begin(), distinct.end(), content) - distinct.begin();
      if (k == distinct.size()) distinct.push_back(std::move(content));
      t.block_of[block] = static_cast<uint8_t>(k);
    }
    for (const auto& d : distinct) t.blocks.insert(t.blocks.end(), d.begin(), d.end());
    return t;
  }();
  return table;
}

uint32_t LowerSimple(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp | 0x20 : cp;
  if (cp < 0x10000) {
    static const BmpLowerDeltas& bmp = BmpLower();
    const int16_t delta = bmp.Get(cp);
    if (delta == kLowerRegexSpace) return cp;
    if (delta != kLowerSlow) return static_cast<uint32_t>(static_cast<int32_t>(cp) + delta);
  }
  const unicode::CodeMapping* begin = unicode::kLowerSimple;
  const unicode::CodeMapping* end = begin + unicode::kLowerSimpleSize;
  const unicode::CodeMapping* it = std::lower_bound(begin, end, cp,
      [](const unicode::CodeMapping& m, uint32_t v) { return m.from < v; });
  return (it != end && it->from == cp) ? it->to : cp;
}

// Appends the lowercase of cp (possibly several code points).
void AppendLower(uint32_t cp, CodePoints* out) {
  // kLowerSpecial is sorted; outside its span no code point is special.
  if (cp >= unicode::kLowerSpecial[0].cp && cp <= unicode::kLowerSpecial[unicode::kLowerSpecialSize - 1].cp) {
    const char* special = unicode::FindCodeString(unicode::kLowerSpecial, unicode::kLowerSpecialSize, cp);
    if (special != nullptr) {
      DecodeUtf8Lossy(special, out);
      return;
    }
  }
  out->push_back(LowerSimple(cp));
}

// CPython's handle_capital_sigma.
bool IsFinalSigma(std::u32string_view text, size_t i) {
  size_t j = i;
  uint32_t c = 0;
  bool found = false;
  while (j > 0) {
    c = text[--j];
    if (!IsCaseIgnorable(c)) { found = true; break; }
  }
  if (!found || !IsCased(c)) return false;
  for (size_t k = i + 1; k < text.size(); ++k) {
    c = text[k];
    if (!IsCaseIgnorable(c)) return !IsCased(c);
  }
  return true;
}

void AppendDecomposed(uint32_t cp, CodePoints* out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    uint32_t s = cp - kSBase;
    out->push_back(kLBase + s / kNCount);
    out->push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out->push_back(kTBase + s % kTCount);
    return;
  }
  auto d = unicode::CanonicalDecomposition(cp);
  if (d.empty()) {
    out->push_back(cp);
  } else {
    out->append(d.begin(), d.end());
  }
}

uint32_t Compose(uint32_t first, uint32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 &&
      second > kTBase && second < kTBase + kTCount) {
    return first + (second - kTBase);
  }
  return unicode::ComposePair(first, second);
}

}  // namespace

CodePoints PythonLower(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    uint32_t cp = text[i];
    if (cp < 0x80) {  // ASCII: no special casing, no sigma
      out.push_back(cp - 'A' < 26u ? cp | 0x20 : cp);
      continue;
    }
    if (cp == 0x3A3) {
      out.push_back(IsFinalSigma(text, i) ? 0x3C2 : 0x3C3);
    } else {
      AppendLower(cp, &out);
    }
  }
  return out;
}

CodePoints ContextFreeLower(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  for (uint32_t cp : text) AppendLower(cp, &out);
  return out;
}

namespace {

struct NfcBitmaps {
  std::vector<uint64_t> nonzero_class;     // Canonical_Combining_Class != 0
  std::vector<uint64_t> second_of_pair;    // second half of some composition
  std::vector<uint64_t> decomposable;      // has a canonical decomposition (not Hangul)
};

const NfcBitmaps& Bitmaps() {
  static const NfcBitmaps maps = [] {
    NfcBitmaps m;
    m.nonzero_class.assign(0x110000 / 64, 0);
    m.second_of_pair.assign(0x110000 / 64, 0);
    m.decomposable.assign(0x110000 / 64, 0);
    auto set = [](std::vector<uint64_t>& bits, uint32_t cp) { bits[cp / 64] |= uint64_t{1} << (cp % 64); };
    for (size_t i = 0; i < unicode::kCombiningClassSize; ++i) {
      for (uint32_t cp = unicode::kCombiningClass[i].first; cp <= unicode::kCombiningClass[i].last; ++cp) {
        set(m.nonzero_class, cp);
      }
    }
    for (size_t i = 0; i < unicode::kCompositionSize; ++i) set(m.second_of_pair, unicode::kComposition[i].second);
    for (size_t i = 0; i < unicode::kCanonicalDecompositionSize; ++i) {
      set(m.decomposable, unicode::kCanonicalDecomposition[i].cp);
    }
    for (uint32_t cp = kVBase; cp < kVBase + kVCount; ++cp) set(m.second_of_pair, cp);
    for (uint32_t cp = kTBase + 1; cp < kTBase + kTCount; ++cp) set(m.second_of_pair, cp);
    return m;
  }();
  return maps;
}

inline bool Test(const std::vector<uint64_t>& bits, uint32_t cp) {
  return cp < 0x110000 && ((bits[cp / 64] >> (cp % 64)) & 1) != 0;
}

int FastClass(const NfcBitmaps& m, uint32_t cp) {
  return Test(m.nonzero_class, cp) ? unicode::CombiningClass(cp) : 0;
}

}  // namespace

namespace {

// Full NFC: decompose, reorder, compose.
CodePoints NfcFull(std::u32string_view text) {
  const NfcBitmaps& maps = Bitmaps();
  CodePoints d;
  d.reserve(text.size() + 8);
  for (uint32_t cp : text) {
    if (cp < kSBase && !Test(maps.decomposable, cp)) {
      d.push_back(cp);
    } else {
      AppendDecomposed(cp, &d);
    }
  }
  // Canonical ordering: stable sort each run of non-starters by class.
  for (size_t i = 0; i < d.size();) {
    if (!Test(maps.nonzero_class, d[i])) { ++i; continue; }
    size_t j = i;
    while (j < d.size() && Test(maps.nonzero_class, d[j])) ++j;
    std::stable_sort(d.begin() + static_cast<std::ptrdiff_t>(i), d.begin() + static_cast<std::ptrdiff_t>(j),
                     [](uint32_t a, uint32_t b) { return unicode::CombiningClass(a) < unicode::CombiningClass(b); });
    i = j;
  }
  // Canonical composition.
  CodePoints out;
  out.reserve(d.size());
  size_t starter = SIZE_MAX;  // index in out of the last starter
  int last_class = -1;
  for (uint32_t cp : d) {
    int cls = FastClass(maps, cp);
    if (starter != SIZE_MAX && Test(maps.second_of_pair, cp)) {
      bool blocked = last_class != -1 && (last_class == 0 || last_class >= cls);
      if (!blocked) {
        uint32_t composed = Compose(out[starter], cp);
        if (composed != 0) {
          out[starter] = composed;
          continue;
        }
      }
    }
    if (cls == 0) {
      starter = out.size();
      last_class = -1;
    } else {
      last_class = cls;
    }
    out.push_back(cp);
  }
  return out;
}

// Code points whose NFC_Quick_Check is not Yes (UAX #15), derived from the
// same tables: No = NFC changes the code point on its own (singletons,
// composition exclusions, non-starter decompositions); Maybe = it can be the
// second half of a composition (incl. Hangul vowel / trailing jamo).
const std::vector<uint64_t>& NfcNotYesBitmap() {
  static const std::vector<uint64_t> bitmap = [] {
    const NfcBitmaps& maps = Bitmaps();
    std::vector<uint64_t> bits = maps.second_of_pair;
    auto set = [&](uint32_t cp) { bits[cp / 64] |= uint64_t{1} << (cp % 64); };
    for (size_t i = 0; i < unicode::kCanonicalDecompositionSize; ++i) {
      const uint32_t cp = unicode::kCanonicalDecomposition[i].cp;
      const char32_t one[1] = {cp};
      if (NfcFull(std::u32string_view(one, 1)) != std::u32string_view(one, 1)) set(cp);
    }
    return bits;
  }();
  return bitmap;
}

// Per BMP code point for the quick check (64 KiB): its canonical combining
// class, or kNfcNotYes when its NFC_Quick_Check is No or Maybe.
constexpr uint8_t kNfcNotYes = 0xFF;  // no combining class is 255

const std::vector<uint8_t>& BmpNfcQuickCheck() {
  static const std::vector<uint8_t> table = [] {
    const std::vector<uint64_t>& not_yes = NfcNotYesBitmap();
    std::vector<uint8_t> t(0x10000);
    for (uint32_t cp = 0; cp < 0x10000; ++cp) {
      t[cp] = ((not_yes[cp / 64] >> (cp % 64)) & 1) != 0 ? kNfcNotYes : unicode::CombiningClass(cp);
    }
    return t;
  }();
  return table;
}

}  // namespace

bool IsNfcInert(uint32_t cp) {
  if (cp < 0x10000) return BmpNfcQuickCheck()[cp] == 0;
  if (cp >= 0x110000) return false;
  return ((NfcNotYesBitmap()[cp / 64] >> (cp % 64)) & 1) == 0 && FastClass(Bitmaps(), cp) == 0;
}

// UAX #15 quick check answering YES: no code point with NFC_Quick_Check No
// or Maybe, and combining classes in canonical order. Such a text is NFC.
// One table load per BMP character and no data-dependent branch but the
// rare exit (mixed scripts defeat branch prediction).
bool IsNfcQuickYes(std::u32string_view text) {
  static const uint8_t* bmp = BmpNfcQuickCheck().data();
  uint32_t last_class = 0;
  bool out_of_order = false;
  for (uint32_t cp : text) {
    uint32_t v;
    if (cp < 0x10000) {
      v = bmp[cp];
    } else {
      if (cp >= 0x110000) return false;
      v = ((NfcNotYesBitmap()[cp / 64] >> (cp % 64)) & 1) != 0 ? kNfcNotYes : FastClass(Bitmaps(), cp);
    }
    if (v == kNfcNotYes) return false;
    out_of_order |= (v != 0) & (last_class > v);
    last_class = v;
  }
  return !out_of_order;
}

CodePoints NormalizeNfcFull(std::u32string_view text) { return NfcFull(text); }

CodePoints NormalizeNfc(std::u32string_view text) {
  if (IsNfcQuickYes(text)) return CodePoints(text);
  return NfcFull(text);
}

std::u32string_view StripPython(std::u32string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && unicode::IsPySpace(text[b])) ++b;
  while (e > b && unicode::IsPySpace(text[e - 1])) --e;
  return text.substr(b, e - b);
}

CodePoints JoinPythonSplit(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  bool pending_space = false;
  for (uint32_t cp : text) {
    if (unicode::IsPySpace(cp)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(cp);
    }
  }
  return out;
}

namespace {

// IsRegexSpace over the BMP as a bitmap (8 KiB): one bit test instead of a
// binary search per non-ASCII code point.
const std::vector<uint64_t>& BmpRegexSpace() {
  static const std::vector<uint64_t> bits = [] {
    std::vector<uint64_t> b(0x10000 / 64, 0);
    for (uint32_t cp = 0; cp < 0x10000; ++cp) {
      if (unicode::IsRegexSpace(cp)) b[cp / 64] |= uint64_t{1} << (cp % 64);
    }
    return b;
  }();
  return bits;
}

}  // namespace

namespace {

// CPython's Final_Sigma test for text[i] as it would stand in the
// whitespace-collapsed and stripped text: every run of is_space characters
// there is one ' ' (neither cased nor case-ignorable) or, at either end,
// nothing - and reaching an end reads as "not cased" just like a ' '.
template <typename IsSpace>
bool IsFinalSigmaCollapsed(std::u32string_view text, size_t i, IsSpace is_space) {
  size_t j = i;
  bool before_cased = false;
  while (j > 0) {
    const uint32_t c = text[--j];
    if (is_space(c)) break;
    if (!IsCaseIgnorable(c)) {
      before_cased = IsCased(c);
      break;
    }
  }
  if (!before_cased) return false;
  for (size_t k = i + 1; k < text.size(); ++k) {
    const uint32_t c = text[k];
    if (is_space(c)) return true;
    if (!IsCaseIgnorable(c)) return !IsCased(c);
  }
  return true;
}

// str.lower() of text[i] into *out, Final_Sigma judged on the collapsed text.
template <typename IsSpace>
inline void AppendLowerCollapsed(std::u32string_view text, size_t i, IsSpace is_space, CodePoints* out) {
  const uint32_t cp = text[i];
  if (cp < 0x80) {
    out->push_back(cp - 'A' < 26u ? cp | 0x20 : cp);
  } else if (cp == 0x3A3) {
    out->push_back(IsFinalSigmaCollapsed(text, i, is_space) ? 0x3C2 : 0x3C3);
  } else {
    AppendLower(cp, out);
  }
}

inline bool IsRegexSpaceFast(uint32_t cp) {
  static const uint64_t* bmp_space = BmpRegexSpace().data();
  return cp < 0x10000 ? (bmp_space[cp / 64] >> (cp % 64) & 1) != 0 : unicode::IsRegexSpace(cp);
}

}  // namespace

CodePoints CollapseStripLower(std::u32string_view text) {
  CodePoints out;
  CollapseStripLower(text, &out);
  return out;
}

void CollapseStripLower(std::u32string_view text, CodePoints* result) {
  // Lowercasing never creates or removes whitespace, so collapsing, lowering
  // and then stripping equals clip's collapse, strip, lower. Output goes to
  // a buffer sized for one code point per input (only special casings such
  // as U+0130 produce more, and grow it); ASCII takes a branch-free path, as
  // spaces and letters alternate too irregularly to predict.
  CodePoints& out = *result;
  out.assign(text.size(), U'\0');  // keeps the caller's capacity
  size_t o = 0;
  bool in_space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const uint32_t c = text[i];
    if (c < 0x80) {
      const bool space = (c == ' ') | (c - 0x09u < 5u);
      out[o] = space ? U' ' : static_cast<char32_t>(c - 'A' < 26u ? c | 0x20 : c);
      o += static_cast<size_t>(!(space && in_space));
      in_space = space;
      continue;
    }
    if (c < 0x10000) {
      static const BmpLowerDeltas& bmp = BmpLower();
      const int16_t delta = bmp.Get(c);
      if (delta == kLowerRegexSpace) {
        if (!in_space) out[o++] = U' ';
        in_space = true;
        continue;
      }
      if (delta != kLowerSlow) {
        out[o++] = static_cast<char32_t>(static_cast<int32_t>(c) + delta);
        in_space = false;
        continue;
      }
    }
    if (IsRegexSpaceFast(c)) {
      if (!in_space) out[o++] = U' ';
      in_space = true;
      continue;
    }
    in_space = false;
    if (c == 0x3A3) {
      out[o++] = IsFinalSigmaCollapsed(text, i, IsRegexSpaceFast) ? 0x3C2 : 0x3C3;
      continue;
    }
    if (c < unicode::kLowerSpecial[0].cp || c > unicode::kLowerSpecial[unicode::kLowerSpecialSize - 1].cp) {
      out[o++] = LowerSimple(c);
      continue;
    }
    CodePoints lowered;
    AppendLower(c, &lowered);
    if (lowered.size() > 1) out.resize(out.size() + lowered.size() - 1);
    for (char32_t l : lowered) out[o++] = l;
  }
  out.resize(o);
  const std::u32string_view stripped = StripPython(out);
  if (stripped.size() == out.size()) return;
  const size_t lead = static_cast<size_t>(stripped.data() - out.data());
  out.resize(lead + stripped.size());
  out.erase(0, lead);
}

CodePoints JoinSplitLower(std::u32string_view text) {
  CodePoints out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (unicode::IsPySpace(text[i])) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    AppendLowerCollapsed(text, i, unicode::IsPySpace, &out);
  }
  return out;
}

CodePoints CollapseRegexWhitespace(std::u32string_view text) {
  static const uint64_t* bmp_space = BmpRegexSpace().data();
  CodePoints out;
  out.reserve(text.size());
  bool in_space = false;
  for (uint32_t cp : text) {
    if (cp < 0x10000 ? (bmp_space[cp / 64] >> (cp % 64) & 1) != 0 : unicode::IsRegexSpace(cp)) {
      if (!in_space) out.push_back(' ');
      in_space = true;
    } else {
      in_space = false;
      out.push_back(cp);
    }
  }
  return out;
}

}  // namespace cliprt
