// Token ids identical to the reference packages on the committed corpus,
// per variant (goldens: tools/fixtures/tokenizer_goldens.py).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/test_paths.h"
#include "io/json.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_util.h"

namespace cliprt {
namespace {

using testing::FindTestAsset;

std::string Ids(const int64_t* p, size_t n) {
  std::ostringstream ss;
  for (size_t i = 0; i < n; ++i) ss << (i ? " " : "") << p[i];
  return ss.str();
}

void ExpectMatchesGolden(const Tokenizer& tok, const std::string& golden_name) {
  std::vector<std::string> texts = testing::LoadTokenizerCorpus();
  testing::Golden golden = testing::LoadGolden(golden_name);
  ASSERT_GE(texts.size(), 2000u);
  ASSERT_EQ(texts.size(), golden.rows.size()) << golden_name;
  ASSERT_EQ(tok.context_length(), golden.context_length);
  ASSERT_EQ(tok.info().pad_id, golden.pad_id);
  auto batch = tok.Encode(texts);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  const int ctx = golden.context_length;
  const int64_t* ids = batch->ids.data_as<int64_t>();
  size_t mismatches = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const testing::GoldenRow& g = golden.rows[i];
    std::vector<int64_t> expected = g.ids;
    expected.resize(static_cast<size_t>(ctx), golden.pad_id);
    const int64_t* row = ids + i * static_cast<size_t>(ctx);
    bool same = std::equal(expected.begin(), expected.end(), row);
    int64_t expected_dropped = std::max<int64_t>(0, g.unpadded_length - ctx);
    if (!same || batch->dropped_tokens[i] != expected_dropped) {
      if (++mismatches <= 12) {
        ADD_FAILURE() << golden_name << " text " << i << " " << ::testing::PrintToString(texts[i])
                      << "\n  expected: " << Ids(expected.data(), expected.size())
                      << "\n  actual:   " << Ids(row, static_cast<size_t>(ctx))
                      << "\n  dropped expected " << expected_dropped << " actual " << batch->dropped_tokens[i];
      }
    }
  }
  EXPECT_EQ(mismatches, 0u) << golden_name << ": " << mismatches << " of " << texts.size() << " texts differ";
}

std::string BpePath() { return FindTestAsset("bpe_simple_vocab_16e6.txt.gz"); }

#define REQUIRE_BPE()                                                                  \
  if (BpePath().empty()) GTEST_SKIP() << "bpe_simple_vocab_16e6.txt.gz not found in " \
                                      << testing::TestAssetsDir();

void CheckOpenAiMergesVariant(TokenizerVariant variant, const std::string& golden) {
  TokenizerOptions options;
  options.variant = variant;
  auto tok = CreateClipBpeTokenizer(BpePath(), "", options);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  ExpectMatchesGolden(**tok, golden);
}

TEST(TokenizerGolden, OpenAiClipTokenize) {
  REQUIRE_BPE();
  CheckOpenAiMergesVariant(TokenizerVariant::kOpenAiClip, "openai_clip");
}
TEST(TokenizerGolden, OpenClipLower) {
  REQUIRE_BPE();
  CheckOpenAiMergesVariant(TokenizerVariant::kOpenClip, "open_clip");
}
TEST(TokenizerGolden, OpenClipWhitespace) {
  REQUIRE_BPE();
  CheckOpenAiMergesVariant(TokenizerVariant::kOpenClipWhitespace, "open_clip_whitespace");
}
TEST(TokenizerGolden, OpenClipCanonicalize) {
  REQUIRE_BPE();
  CheckOpenAiMergesVariant(TokenizerVariant::kOpenClipCanonicalize, "open_clip_canonicalize");
}

void CheckHfVariant(TokenizerVariant variant, const std::string& pad, const std::string& golden) {
  std::string dir = testing::WriteHfClipFiles(BpePath(), pad);
  TokenizerHints hints;
  hints.family = "hf_clip";
  hints.directory = dir;
  hints.hf_prefer_fast = variant == TokenizerVariant::kHfClipFast;
  hints.hf_slow_without_ftfy = variant == TokenizerVariant::kHfClipSlowNoFtfy;
  auto choice = ChooseTokenizer(hints);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->options.variant, variant);
  EXPECT_EQ(choice->options.hf_pad_token, pad);
  auto tok = CreateTokenizer(*choice);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().vocabulary_format, "hf-vocab-merges");
  ExpectMatchesGolden(**tok, golden);
}

TEST(TokenizerGolden, HfClipFast) {
  REQUIRE_BPE();
  CheckHfVariant(TokenizerVariant::kHfClipFast, "", "hf_clip_fast");
}
TEST(TokenizerGolden, HfClipFastPadBang) {
  REQUIRE_BPE();
  CheckHfVariant(TokenizerVariant::kHfClipFast, "!", "hf_clip_fast_pad_bang");
}
TEST(TokenizerGolden, HfClipSlow) {
  REQUIRE_BPE();
  CheckHfVariant(TokenizerVariant::kHfClipSlow, "", "hf_clip_slow");
}
TEST(TokenizerGolden, HfClipSlowPadBang) {
  REQUIRE_BPE();
  CheckHfVariant(TokenizerVariant::kHfClipSlow, "!", "hf_clip_slow_pad_bang");
}
TEST(TokenizerGolden, HfClipSlowWithoutFtfy) {
  REQUIRE_BPE();
  CheckHfVariant(TokenizerVariant::kHfClipSlowNoFtfy, "", "hf_clip_slow_no_ftfy");
}

void CheckSiglip(TokenizerVariant variant, const std::string& golden) {
  TokenizerOptions options;
  options.variant = variant;
  auto tok = CreateSentencePieceTokenizer(testing::TestDataDir() + "/tokenizer/siglip_test.model", options);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  ExpectMatchesGolden(**tok, golden);
}

TEST(TokenizerGolden, HfSiglip) { CheckSiglip(TokenizerVariant::kHfSiglip, "hf_siglip"); }
TEST(TokenizerGolden, OpenClipSiglip) { CheckSiglip(TokenizerVariant::kOpenClipSiglip, "open_clip_siglip"); }

// SigLIP2: a Gemma-style BPE model with byte fallback (gemma_test.model,
// tools/fixtures/tokenizer_gemma_model.py); transformers' Siglip2Tokenizer
// without, open_clip's path with the end token.
void CheckGemma(TokenizerVariant variant, bool append_eos, const std::string& golden) {
  TokenizerOptions options;
  options.variant = variant;
  options.sp_append_eos = append_eos;
  auto tok = CreateSentencePieceTokenizer(testing::TestDataDir() + "/tokenizer/gemma_test.model", options);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().eos_id, 1);
  EXPECT_EQ((*tok)->info().pad_id, 0);
  EXPECT_EQ((*tok)->info().eos_appended, append_eos);
  ExpectMatchesGolden(**tok, golden);
}

TEST(TokenizerGolden, HfSiglip2) { CheckGemma(TokenizerVariant::kHfSiglip2, false, "hf_siglip2"); }
TEST(TokenizerGolden, OpenClipSiglip2) { CheckGemma(TokenizerVariant::kOpenClipSiglip2, true, "open_clip_siglip2"); }
TEST(TokenizerGolden, HfGemma) { CheckGemma(TokenizerVariant::kHfGemma, false, "hf_gemma"); }

// Special tokens matched in the raw text only: "<mask>" is one token,
// "<MASK>" is lowercased after the split and tokenized as text (the
// tokenizers BPE, which matches no user-defined piece whole), alone and
// inside corpus texts (tokenizer_goldens.py writes siglip2_cases.jsonl).
void CheckGemmaCases(TokenizerVariant variant, const std::string& cases_file) {
  TokenizerOptions options;
  options.variant = variant;
  options.sp_append_eos = false;
  auto tok = CreateSentencePieceTokenizer(testing::TestDataDir() + "/tokenizer/gemma_test.model", options);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  std::ifstream f(testing::TestDataDir() + "/tokenizer/" + cases_file, std::ios::binary);
  ASSERT_TRUE(f.good());
  std::string line;
  size_t cases = 0, bad = 0;
  while (std::getline(f, line)) {
    auto row = io::ParseJson(line, cases_file);
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    std::vector<int64_t> expected;
    for (const auto& v : row->Find("ids")->array()) expected.push_back(v.int_value());
    auto ids = (*tok)->EncodeUnpadded(row->Find("text")->string(), nullptr);
    ASSERT_TRUE(ids.ok());
    ++cases;
    if (*ids != expected && ++bad <= 5) {
      ADD_FAILURE() << ::testing::PrintToString(row->Find("text")->string()) << "\n  expected "
                    << Ids(expected.data(), expected.size()) << "\n  actual   " << Ids(ids->data(), ids->size());
    }
  }
  EXPECT_GE(cases, 200u);
  EXPECT_EQ(bad, 0u);
}

TEST(TokenizerGolden, HfSiglip2SpecialTokenCases) {
  CheckGemmaCases(TokenizerVariant::kHfSiglip2, "siglip2_cases.jsonl");
}
// The same texts through GemmaTokenizer: specials matched on the raw text,
// nothing lowercased ("<MASK>" stays text, "<mask>" one token).
TEST(TokenizerGolden, HfGemmaSpecialTokenCases) {
  CheckGemmaCases(TokenizerVariant::kHfGemma, "gemma_cases.jsonl");
}

}  // namespace
}  // namespace cliprt
