// The tokenizer's fast paths against the plain implementations they stand in
// for (each of which is checked against the Python references elsewhere), on
// the committed corpus, the random Unicode cases and seeded random strings
// drawn from the characters the fast paths treat specially.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "common/test_paths.h"
#include "io/json.h"
#include "tokenizer_test_util.h"
#include "tokenizer/bit_parallel_pattern.h"
#include "tokenizer/compiled_pattern.h"
#include "tokenizer/unicode_tables.h"
#include "tokenizer/unicode_text.h"
#include "tokenizer/utf8.h"

namespace cliprt {
namespace {

// Corpus texts plus the random strings of unicode_cases.jsonl, decoded.
std::vector<CodePoints> CommittedTexts() {
  std::vector<CodePoints> out;
  for (const std::string& t : testing::LoadTokenizerCorpus()) out.push_back(DecodeUtf8Lossy(t));
  std::ifstream f(testing::TestDataDir() + "/tokenizer/unicode_cases.jsonl", std::ios::binary);
  std::string line;
  while (std::getline(f, line)) {
    auto v = io::ParseJson(line, "unicode_cases.jsonl");
    if (v.ok() && v->Find("text") != nullptr) out.push_back(DecodeUtf8Lossy(v->Find("text")->string()));
  }
  EXPECT_GE(out.size(), 4000u);
  return out;
}

// Every code point a pattern's sets name (range ends and one inside), plus
// neighbours, ASCII, newline, other scripts and an astral code point: random
// strings over it hit the pattern's alternatives often and in every order.
std::vector<uint32_t> PatternAlphabet(const unicode::CompiledPattern& p, uint32_t limit) {
  std::vector<uint32_t> alphabet;
  for (size_t a = 0; a < p.alternative_count; ++a) {
    const auto& alt = p.alternatives[a];
    for (size_t i = 0; i < alt.item_count; ++i) {
      const auto& item = p.items[alt.item_offset + i];
      if (item.kind != 0) continue;
      const auto& set = p.sets[item.set];
      for (size_t r = 0; r < set.range_count; ++r) {
        const auto& range = p.ranges[set.range_offset + r];
        for (uint32_t c : {range.first, range.last, (range.first + range.last) / 2, range.first - 1, range.last + 1}) {
          if (c < limit) alphabet.push_back(c);
        }
      }
    }
  }
  for (uint32_t c = 0; c < 0x80; ++c) alphabet.push_back(c);
  for (uint32_t c : {0xA0u, 0x3000u, 0x4E2Du, 0xAC00u, 0x628u, 0x1F600u, 0x2028u}) {
    if (c < limit) alphabet.push_back(c);
  }
  return alphabet;
}

void ExpectSameAsSearch(const unicode::CompiledPattern& p, const std::vector<CodePoints>& texts, const char* what) {
  size_t bad = 0, matched = 0;
  for (const CodePoints& t : texts) {
    PatternMatch m;
    const bool expected = SearchPattern(p, t, 0, &m);
    matched += expected;
    if (PatternMatchesAnywhere(p, t) != expected && ++bad <= 5) {
      ADD_FAILURE() << what << ": " << ::testing::PrintToString(EncodeUtf8(t)) << " expected " << expected;
    }
  }
  EXPECT_EQ(bad, 0u) << what;
  // The inputs exercise both answers.
  EXPECT_GT(matched, texts.size() / 200) << what;
  EXPECT_LT(matched, texts.size()) << what;
}

std::vector<CodePoints> RandomTexts(const std::vector<uint32_t>& alphabet, size_t count, size_t max_len,
                                    uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1), len(0, max_len);
  std::vector<CodePoints> out(count);
  for (auto& t : out) {
    const size_t n = len(rng);
    for (size_t i = 0; i < n; ++i) t.push_back(alphabet[pick(rng)]);
  }
  return out;
}

TEST(BitParallelPattern, BadnessEqualsSearchOnCommittedTexts) {
  std::vector<CodePoints> texts = CommittedTexts();
  ExpectSameAsSearch(unicode::kBadnessPattern, texts, "corpus + unicode cases");
}

TEST(BitParallelPattern, BadnessEqualsSearchOnRandomStrings) {
  const auto alphabet = PatternAlphabet(unicode::kBadnessPattern, 0x110000);
  ExpectSameAsSearch(unicode::kBadnessPattern, RandomTexts(alphabet, 60000, 6, 1), "short random");
  ExpectSameAsSearch(unicode::kBadnessPattern, RandomTexts(alphabet, 4000, 60, 2), "long random");
  // Mostly ordinary text with rare pattern characters: matches start
  // anywhere, incl. the '^' alternative at position 0 only.
  std::vector<uint32_t> sparse(200, U'a');
  sparse.insert(sparse.end(), 100, U' ');
  sparse.insert(sparse.end(), alphabet.begin(), alphabet.end());
  ExpectSameAsSearch(unicode::kBadnessPattern, RandomTexts(sparse, 20000, 24, 3), "sparse random");
}

TEST(BitParallelPattern, BytePatternsEqualSearch) {
  for (const auto* p : {&unicode::kAlteredUtf8Pattern, &unicode::kLossyUtf8Pattern}) {
    const auto alphabet = PatternAlphabet(*p, 0x100);
    ExpectSameAsSearch(*p, RandomTexts(alphabet, 30000, 8, 4), "byte pattern");
  }
}


// CollapseStripLower (one pass, branch-free ASCII, buffer written in place)
// equals the three Python-exact functions it fuses.
TEST(FusedCleaning, CollapseStripLowerEqualsUnfused) {
  std::vector<CodePoints> texts = CommittedTexts();
  const std::vector<uint32_t> alphabet = {' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x1C, 0x1F, 0x85, 0xA0, 0x2028, 0x3000,
                                          'A', 'z', 'Q', '1', '\'', 0x130, 0x3A3, 0x3A3, 0x391, 0x3C3, 0x345, 0x301,
                                          0x10400, 0xFF21, 0x1E9E, 0xC0, 0x4E2D, 0x212A};
  for (const CodePoints& t : RandomTexts(alphabet, 20000, 12, 5)) texts.push_back(t);
  size_t bad = 0;
  for (const CodePoints& t : texts) {
    if (CollapseStripLower(t) != PythonLower(StripPython(CollapseRegexWhitespace(t))) && ++bad <= 5) {
      ADD_FAILURE() << ::testing::PrintToString(EncodeUtf8(t));
    }
  }
  EXPECT_EQ(bad, 0u);
}

// The BMP lowercase table gives what the generated mapping tables say for
// every code point (PythonLower itself is checked against Python).
TEST(FusedCleaning, LowercaseTableMatchesMappingTables) {
  size_t bad = 0;
  for (uint32_t cp = 0; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    CodePoints expected;
    const char* special = unicode::FindCodeString(unicode::kLowerSpecial, unicode::kLowerSpecialSize, cp);
    if (special != nullptr) {
      expected = DecodeUtf8Lossy(special);
    } else {
      const auto* end = unicode::kLowerSimple + unicode::kLowerSimpleSize;
      const auto* it = std::lower_bound(unicode::kLowerSimple, end, cp,
                                        [](const unicode::CodeMapping& m, uint32_t v) { return m.from < v; });
      expected = CodePoints(1, (it != end && it->from == cp) ? it->to : cp);
    }
    const char32_t one[1] = {cp};
    if (ContextFreeLower(std::u32string_view(one, 1)) != expected && ++bad <= 5) ADD_FAILURE() << std::hex << cp;
  }
  EXPECT_EQ(bad, 0u);
}

// The NFC quick check (a table of combining classes and NFC_Quick_Check) only
// answers yes for texts full NFC leaves unchanged, and says yes to most
// committed texts (else it would buy nothing).
TEST(FusedCleaning, NfcQuickCheckIsSound) {
  std::vector<CodePoints> texts = CommittedTexts();
  const size_t committed = texts.size();
  const std::vector<uint32_t> alphabet = {'a', 'e', 'A', ' ', 0x300, 0x301, 0x316, 0x323, 0x327, 0x345, 0x1100,
                                          0x1161, 0x11A8, 0xAC00, 0xAC01, 0x3099, 0x304B, 0x0958, 0x093C, 0x0915,
                                          0x212B, 0xC5, 0x1E0A, 0x0F73, 0x1D15E, 0x1D165, 0x1D16E, 0x2126, 0xF900};
  for (const CodePoints& t : RandomTexts(alphabet, 30000, 8, 6)) texts.push_back(t);
  size_t unsound = 0, mismatched = 0, yes_committed = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const CodePoints full = NormalizeNfcFull(texts[i]);
    const bool yes = IsNfcQuickYes(texts[i]);
    if (yes && full != texts[i] && ++unsound <= 5) ADD_FAILURE() << ::testing::PrintToString(EncodeUtf8(texts[i]));
    mismatched += NormalizeNfc(texts[i]) != full;
    // ftfy skips the quick check for texts of NFC-inert code points only.
    const bool inert = std::all_of(texts[i].begin(), texts[i].end(), [](char32_t c) { return IsNfcInert(c); });
    if (inert && !yes && ++unsound <= 5) ADD_FAILURE() << "inert " << ::testing::PrintToString(EncodeUtf8(texts[i]));
    if (i < committed) yes_committed += yes;
  }
  EXPECT_EQ(unsound, 0u);
  EXPECT_EQ(mismatched, 0u);
  EXPECT_GT(yes_committed, committed * 3 / 4);
}

// Python's bytes.decode('utf-8', errors='replace'), spelled out from the
// Unicode standard's table of well-formed byte sequences (Table 3-7): each
// maximal subpart of an ill-formed sequence becomes one U+FFFD.
CodePoints ReferenceDecode(const std::string& bytes) {
  CodePoints out;
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const unsigned b = s[i];
    size_t need = 0;
    unsigned lo = 0x80, hi = 0xBF, cp = 0;
    if (b < 0x80) { out.push_back(b); ++i; continue; }
    if (b >= 0xC2 && b <= 0xDF) { need = 1; cp = b & 0x1F; }
    else if (b >= 0xE0 && b <= 0xEF) { need = 2; cp = b & 0x0F; lo = b == 0xE0 ? 0xA0 : 0x80; hi = b == 0xED ? 0x9F : 0xBF; }
    else if (b >= 0xF0 && b <= 0xF4) { need = 3; cp = b & 0x07; lo = b == 0xF0 ? 0x90 : 0x80; hi = b == 0xF4 ? 0x8F : 0xBF; }
    else { out.push_back(0xFFFD); ++i; continue; }
    size_t k = 1;
    for (; k <= need && i + k < n; ++k) {
      const unsigned c = s[i + k];
      if (c < (k == 1 ? lo : 0x80u) || c > (k == 1 ? hi : 0xBFu)) break;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (k == need + 1) { out.push_back(cp); i += k; } else { out.push_back(0xFFFD); i += k; }
  }
  return out;
}

// The UTF-8 decoder's ASCII blocks and inline 2-/3-byte paths against the
// reference, on the corpus and on random byte strings mixing ASCII, lead and
// continuation bytes (every alignment of a sequence against the 8-byte
// blocks, truncated sequences, surrogates, overlongs).
TEST(Utf8FastPath, DecodeEqualsReference) {
  std::vector<std::string> inputs = testing::LoadTokenizerCorpus();
  std::mt19937 rng(8);
  const unsigned char alphabet[] = {'a', ' ', 'Z', 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0,
                                    0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x8F, 0x90, 0x00};
  std::uniform_int_distribution<size_t> pick(0, sizeof(alphabet) - 1), len(0, 40);
  for (int t = 0; t < 40000; ++t) {
    std::string s(len(rng), '\0');
    for (auto& c : s) c = static_cast<char>(alphabet[pick(rng)]);
    inputs.push_back(s);
  }
  size_t bad = 0;
  for (const std::string& s : inputs) {
    CodePoints actual = U"prefix";  // appends after existing content
    DecodeUtf8Lossy(s, &actual);
    if (actual != U"prefix" + ReferenceDecode(s) && ++bad <= 5) ADD_FAILURE() << ::testing::PrintToString(s);
  }
  EXPECT_EQ(bad, 0u);
}

}  // namespace
}  // namespace cliprt
