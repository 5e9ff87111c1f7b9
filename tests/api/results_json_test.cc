// Saved result documents: values bit-exact, provenance included, errors.
#include "api/results_json.h"

#include <gtest/gtest.h>

#include <cstring>

#include "api/sample_provenance.h"

namespace cliprt::api {
namespace {

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * 4) == 0;
}

TEST(ResultsJson, EmbeddingRoundTripBitExact) {
  EmbeddingResult r;
  r.modality = "image";
  r.rows = 2;
  r.dim = 5;
  r.values = testing::AwkwardFloats();
  r.provenance = testing::SampleProvenance();
  const std::string json = ToJson(r);
  EXPECT_EQ(*ResultKindOfJson(json), "embedding");
  auto back = ParseEmbeddingResultJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(SameBits(back->values, r.values));
  EXPECT_EQ(back->provenance, r.provenance);
  EXPECT_EQ(ToJson(*back), json);
  // Wrong kind, wrong count.
  EXPECT_FALSE(ParseClassificationResultJson(json).ok());
  r.rows = 3;
  auto bad = ParseEmbeddingResultJson(ToJson(r));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("result.values"), std::string::npos) << bad.status().message();
}

TEST(ResultsJson, SimilarityRoundTrip) {
  SimilarityResult r;
  r.images = 1;
  r.texts = 3;
  r.logits = {25.1f, 19.75f, -3.5f};
  r.probabilities = {0.99f, 0.01f, 1e-12f};
  r.provenance = testing::SampleProvenance();
  auto back = ParseSimilarityResultJson(ToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
}

TEST(ResultsJson, ClassificationRoundTrip) {
  ClassificationResult r;
  r.labels = {"goldfish", "café au lait", "tab\there"};
  ImageClassification c;
  c.logits = {20.5f, 19.25f, 1.0f / 3.0f};
  c.probabilities = {0.7772999f, 0.2227f, 1.3e-9f};
  c.top_k = {{0, 0.7772999f, 20.5f}, {1, 0.2227f, 19.25f}};
  c.abstained = true;
  c.sensitivity.template_top1 = {0, 1};
  c.sensitivity.template_top_class_prob = {0.9f, 0.4f};
  c.sensitivity.agreement_rate = 0.5f;
  c.sensitivity.top_class_prob_min = 0.4f;
  c.sensitivity.top_class_prob_max = 0.9f;
  c.sensitivity.spread = 0.5f;
  c.sensitivity.distinct_top1 = 2;
  r.images = {c, c};
  r.provenance = testing::SampleProvenance();
  auto back = ParseClassificationResultJson(ToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
  // A top-k label outside the labels is refused.
  r.images[1].top_k[0].label = 7;
  auto bad = ParseClassificationResultJson(ToJson(r));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("result.images[1].top_k"), std::string::npos) << bad.status().message();
}

TEST(ResultsJson, SearchIdsAreExactUint64) {
  SearchResult r;
  r.hits = {{{18446744073709551615ull, 0.5f}, {9007199254740993ull, 0.25f}}, {}};
  r.provenance = testing::SampleProvenance();
  const std::string json = ToJson(r);
  EXPECT_NE(json.find("\"18446744073709551615\""), std::string::npos);
  auto back = ParseSearchResultJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
  std::string bad = json;
  bad.replace(bad.find("18446744073709551615"), 20, "18446744073709551616");  // 2^64
  EXPECT_FALSE(ParseSearchResultJson(bad).ok());
}

TEST(ResultsJson, NewerSchemaRefused) {
  EmbeddingResult r;
  r.provenance = testing::SampleProvenance();
  std::string json = ToJson(r);
  json.replace(json.find("\"schema_version\":1"), 18, "\"schema_version\":9");
  auto back = ParseEmbeddingResultJson(json);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace cliprt::api
