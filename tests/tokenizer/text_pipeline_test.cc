// Each text-pipeline function against the Python reference it reproduces,
// on seeded random strings (tools/fixtures/tokenizer_unicode_cases.py), and
// invalid UTF-8 against bytes.decode('utf-8', errors='replace').
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "common/test_paths.h"
#include "tokenizer/clip_pretokenizer.h"
#include "tokenizer/compiled_pattern.h"
#include "tokenizer/html_unescape.h"
#include "tokenizer/mojibake.h"
#include "tokenizer/text_fixer.h"
#include "tokenizer/tokenizer.h"
#include "io/json.h"
#include "tokenizer/unicode_tables.h"
#include "tokenizer/unicode_text.h"
#include "tokenizer/utf8.h"

namespace cliprt {
namespace {

std::vector<io::JsonValue> LoadJsonLines(const std::string& name) {
  std::string path = testing::TestDataDir() + "/tokenizer/" + name;
  std::ifstream f(path, std::ios::binary);
  EXPECT_TRUE(f.good()) << path;
  std::vector<io::JsonValue> rows;
  std::string line;
  while (std::getline(f, line)) {
    auto v = io::ParseJson(line, path);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    if (v.ok()) rows.push_back(std::move(v).value());
  }
  return rows;
}

CodePoints Cps(const io::JsonValue& row, const char* key) {
  const io::JsonValue* v = row.Find(key);
  EXPECT_NE(v, nullptr) << key;
  return DecodeUtf8Lossy(v ? v->string() : "");
}

class UnicodeCases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { rows_ = new std::vector<io::JsonValue>(LoadJsonLines("unicode_cases.jsonl")); }
  static void TearDownTestSuite() { delete rows_; }
  static std::vector<io::JsonValue>* rows_;

  template <typename Fn>
  void Check(const char* key, Fn fn) {
    ASSERT_GE(rows_->size(), 2000u);
    size_t bad = 0;
    for (size_t i = 0; i < rows_->size(); ++i) {
      CodePoints text = Cps((*rows_)[i], "text");
      CodePoints expected = Cps((*rows_)[i], key);
      CodePoints actual = fn(text);
      if (actual != expected && ++bad <= 5) {
        ADD_FAILURE() << key << " case " << i << ": " << ::testing::PrintToString(EncodeUtf8(text))
                      << "\n expected " << ::testing::PrintToString(EncodeUtf8(expected)) << "\n actual   "
                      << ::testing::PrintToString(EncodeUtf8(actual));
      }
    }
    EXPECT_EQ(bad, 0u) << key;
  }
};
std::vector<io::JsonValue>* UnicodeCases::rows_ = nullptr;

TEST_F(UnicodeCases, PythonLower) { Check("lower", [](const CodePoints& t) { return PythonLower(t); }); }
TEST_F(UnicodeCases, Nfc) { Check("nfc", [](const CodePoints& t) { return NormalizeNfc(t); }); }

// The fused clean passes equal the functions they fuse (each checked
// against Python above), on the random strings and around capital sigma.
TEST_F(UnicodeCases, FusedWhitespaceLowerEqualsUnfused) {
  std::vector<CodePoints> texts;
  for (const auto& row : *rows_) texts.push_back(Cps(row, "text"));
  for (const char* s : {"  \xce\xa3\xce\x91\xce\xa3  \xce\xa3 ", "A\x1c B\x1f", "\x1c\x1cX\xc4\xb0 \t", "",
                        "\xce\xa3", "A\xce\xa3", "A'\xce\xa3", "A\xce\xa3'", "A\xce\xa3'" "b", "A\xcc\x81\xce\xa3 B",
                        " A\xce\xa3 ", "A\xce\xa3\x1c", "\x1c" "A\xce\xa3", "A\xce\xa3\x1c\x1c", "A \xce\xa3",
                        "A\xc2\xa0\xce\xa3", "A\xce\xa3\xe2\x80\xa8" "b", "'\xce\xa3" "A\xce\xa3'"}) {
    texts.push_back(DecodeUtf8Lossy(s));
  }
  size_t bad = 0;
  for (const CodePoints& t : texts) {
    bad += CollapseStripLower(t) != PythonLower(StripPython(CollapseRegexWhitespace(t)));
    bad += JoinSplitLower(t) != PythonLower(JoinPythonSplit(t));
  }
  EXPECT_EQ(bad, 0u);
}
TEST_F(UnicodeCases, PythonSplitJoin) { Check("split", [](const CodePoints& t) { return JoinPythonSplit(t); }); }
TEST_F(UnicodeCases, FtfyFixText) { Check("ftfy", [](const CodePoints& t) { return FtfyFixText(t); }); }
TEST_F(UnicodeCases, HtmlUnescape) { Check("unescape", [](const CodePoints& t) { return PythonHtmlUnescape(t); }); }

TEST_F(UnicodeCases, MojibakeHeuristic) {
  size_t bad = 0;
  for (size_t i = 0; i < rows_->size(); ++i) {
    bool expected = (*rows_)[i].Find("bad")->bool_value();
    if (LooksLikeMojibake(Cps((*rows_)[i], "text")) != expected && ++bad <= 5) {
      ADD_FAILURE() << "is_bad case " << i << " expected " << expected;
    }
  }
  EXPECT_EQ(bad, 0u);
}

// The pattern search skips start positions far before the next anchored
// (non-ASCII) character; a match must still be found leftmost, wherever the
// anchor sits and however much text surrounds it.
TEST(PatternSearch, AnchorSkipFindsLeftmostMatch) {
  const CodePoints core = U"\u00c3\u00a9";  // "Ã©": UTF-8 'é' read as Windows-1252
  PatternMatch bare;
  ASSERT_TRUE(SearchPattern(unicode::kBadnessPattern, core, 0, &bare));
  for (size_t before = 0; before < 48; ++before) {
    for (size_t after : {size_t{0}, size_t{1}, size_t{7}, size_t{40}}) {
      for (char32_t filler : {U'a', U' ', U'\u4e2d'}) {
        CodePoints text = CodePoints(before, filler) + core + CodePoints(after, filler);
        PatternMatch m;
        ASSERT_TRUE(SearchPattern(unicode::kBadnessPattern, text, 0, &m)) << before << " " << after;
        // The match covers the mojibake (context letters may widen it).
        EXPECT_LE(m.begin, before + bare.begin);
        EXPECT_GT(m.end, before);
        // Searching from any offset up to the match finds the same match;
        // from just after its start, none starts earlier.
        for (size_t from = 0; from <= m.begin; ++from) {
          PatternMatch again;
          ASSERT_TRUE(SearchPattern(unicode::kBadnessPattern, text, from, &again));
          EXPECT_EQ(again.begin, m.begin);
          EXPECT_EQ(again.end, m.end);
        }
        PatternMatch later;
        if (SearchPattern(unicode::kBadnessPattern, text, m.begin + 1, &later)) {
          EXPECT_GT(later.begin, m.begin);
        }
        // Two mojibake spots far apart: the first is reported, and a search
        // from past it finds the second, 60 characters on.
        CodePoints two = text + CodePoints(60, U'x') + core;
        PatternMatch first, second;
        ASSERT_TRUE(SearchPattern(unicode::kBadnessPattern, two, 0, &first));
        EXPECT_EQ(first.begin, m.begin);
        ASSERT_TRUE(SearchPattern(unicode::kBadnessPattern, two, text.size(), &second));
        EXPECT_GE(second.begin, text.size() + 50);
        EXPECT_LE(second.begin, text.size() + 60 + bare.begin);
      }
    }
  }
  PatternMatch none;
  EXPECT_FALSE(SearchPattern(unicode::kBadnessPattern, CodePoints(100, U'a'), 0, &none));
}

TEST_F(UnicodeCases, ClipPretokenizerPieces) {
  ClipPretokenizerSpec spec;
  spec.specials = {DecodeUtf8Lossy("<|startoftext|>"), DecodeUtf8Lossy("<|endoftext|>")};
  size_t bad = 0;
  for (size_t i = 0; i < rows_->size(); ++i) {
    CodePoints text = Cps((*rows_)[i], "text");
    std::vector<std::string> actual, expected;
    ClipPretokenize(text, spec, [&](size_t b, size_t e) { actual.push_back(EncodeUtf8(text.substr(b, e - b))); });
    for (const auto& p : (*rows_)[i].Find("pieces")->array()) expected.push_back(p.string());
    if (actual != expected && ++bad <= 5) {
      ADD_FAILURE() << "findall case " << i << ": " << ::testing::PrintToString(EncodeUtf8(text));
    }
  }
  EXPECT_EQ(bad, 0u);
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(InvalidUtf8, DecodesLikePythonReplaceAndTokenizesLikeClip) {
  auto rows = LoadJsonLines("invalid_utf8.jsonl");
  ASSERT_GE(rows.size(), 50u);
  std::string bpe = testing::FindTestAsset("bpe_simple_vocab_16e6.txt.gz");
  std::unique_ptr<Tokenizer> tok;
  if (!bpe.empty()) {
    auto t = CreateClipBpeTokenizer(bpe, "", TokenizerOptions{});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    tok = std::move(t).value();
  }
  for (const auto& row : rows) {
    std::string bytes = FromHex(row.Find("hex")->string());
    EXPECT_EQ(EncodeUtf8(DecodeUtf8Lossy(bytes)), row.Find("decoded")->string()) << row.Find("hex")->string();
    if (tok == nullptr) continue;
    int64_t replaced = -1;
    auto ids = tok->EncodeUnpadded(bytes, &replaced);
    ASSERT_TRUE(ids.ok());
    std::vector<int64_t> expected;
    for (const auto& v : row.Find("openai_ids")->array()) expected.push_back(v.int_value());
    EXPECT_EQ(*ids, expected) << row.Find("hex")->string();
    bool valid = true;
    CodePoints scratch;
    size_t off = 0;
    valid = DecodeUtf8Strict(bytes, &scratch, &off);
    EXPECT_EQ(replaced > 0, !valid) << row.Find("hex")->string();
  }
}

TEST(Utf8, StrictDecodeNamesTheByteOffset) {
  CodePoints out;
  size_t offset = 0;
  EXPECT_FALSE(DecodeUtf8Strict(std::string("ab\xc3(", 4), &out, &offset));
  EXPECT_EQ(offset, 2u);
  out.clear();
  EXPECT_TRUE(DecodeUtf8Strict("h\xc3\xa9", &out, &offset));
  EXPECT_EQ(out, (CodePoints{'h', 0xE9}));
}

}  // namespace
}  // namespace cliprt
