// Replay comparison: identical, what differs (field paths), value distances.
#include "api/replay_diff.h"

#include <gtest/gtest.h>

#include <cmath>

#include "api/results_json.h"
#include "api/sample_provenance.h"

namespace cliprt::api {
namespace {

const Difference* Find(const std::vector<Difference>& diffs, const std::string& field) {
  for (const auto& d : diffs) {
    if (d.field == field) return &d;
  }
  return nullptr;
}

EmbeddingResult Sample() {
  EmbeddingResult r;
  r.modality = "text";
  r.rows = 2;
  r.dim = 3;
  r.values = {0.25f, -1.5f, 3.0f, 0.1f, 0.2f, 0.3f};
  r.provenance = testing::SampleProvenance();
  return r;
}

TEST(ReplayDiff, SavedAndReloadedIsBitIdentical) {
  const EmbeddingResult r = Sample();
  auto reloaded = ParseEmbeddingResultJson(ToJson(r));
  ASSERT_TRUE(reloaded.ok());
  ReplayReport report = DiffResults(r, *reloaded);
  EXPECT_TRUE(report.identical()) << report.ToString();
  EXPECT_EQ(report.ToString(), "bit-identical (6 values)");
}

TEST(ReplayDiff, NamesEveryChangedProvenanceField) {
  EmbeddingResult a = Sample(), b = Sample();
  b.provenance.model.files[0].sha256[0] = 'f';
  b.provenance.preprocess->interpolation = "bilinear";
  b.provenance.classification->templates[1] = "a photo of the {}.";
  b.provenance.library.precision = "bf16";
  b.provenance.library.isa = "avx2";
  b.provenance.library.threads = 8;
  b.provenance.model.files[0].path = "/elsewhere/ViT-B-32.pt";
  b.provenance.tokenizer.reset();
  ReplayReport report = DiffResults(a, b);
  EXPECT_FALSE(report.identical());
  EXPECT_TRUE(report.values.bit_identical);
  const Difference* sha = Find(report.provenance, "model.files[0].sha256");
  ASSERT_NE(sha, nullptr) << report.ToString();
  EXPECT_TRUE(sha->substantive);
  EXPECT_EQ(sha->saved, "\"" + a.provenance.model.files[0].sha256 + "\"");
  EXPECT_EQ(sha->recomputed, "\"" + b.provenance.model.files[0].sha256 + "\"");
  ASSERT_NE(Find(report.provenance, "preprocess.interpolation"), nullptr);
  ASSERT_NE(Find(report.provenance, "classification.templates[1]"), nullptr);
  ASSERT_NE(Find(report.provenance, "library.precision"), nullptr);
  ASSERT_NE(Find(report.provenance, "library.isa"), nullptr);
  ASSERT_NE(Find(report.provenance, "tokenizer"), nullptr);
  EXPECT_EQ(Find(report.provenance, "tokenizer")->recomputed, "null");
  const Difference* threads = Find(report.provenance, "library.threads");
  ASSERT_NE(threads, nullptr);
  EXPECT_FALSE(threads->substantive);
  const Difference* path = Find(report.provenance, "model.files[0].path");
  ASSERT_NE(path, nullptr);
  EXPECT_FALSE(path->substantive);
  EXPECT_EQ(report.provenance.size(), 8u) << report.ToString();
  EXPECT_FALSE(report.substantively_identical());
}

TEST(ReplayDiff, OnlyInformationalDifferences) {
  EmbeddingResult a = Sample(), b = Sample();
  b.provenance.library.threads = 16;
  b.provenance.tokenizer->selection_reason = "explicit path";
  ReplayReport report = DiffResults(a, b);
  EXPECT_FALSE(report.identical());
  EXPECT_TRUE(report.substantively_identical()) << report.ToString();
}

TEST(ReplayDiff, ValueDistances) {
  EmbeddingResult a = Sample(), b = Sample();
  b.values[4] = std::nextafter(b.values[4], 1.0f);
  b.values[5] = 0.35f;
  ReplayReport report = DiffResults(a, b);
  EXPECT_FALSE(report.values.bit_identical);
  EXPECT_EQ(report.values.differing, 2);
  EXPECT_EQ(report.values.first_differing, 4);
  EXPECT_NEAR(report.values.max_abs_diff, 0.05, 1e-7);
  EXPECT_EQ(report.values.max_abs_saved, 3.0);
  EXPECT_TRUE(report.provenance.empty());
  EXPECT_NE(report.ToString().find("2 of 6 differ"), std::string::npos) << report.ToString();

  b = Sample();
  b.rows = 3;
  b.values.push_back(1);
  b.values.push_back(2);
  b.values.push_back(3);
  report = DiffResults(a, b);
  EXPECT_FALSE(report.values.same_shape);
  ASSERT_NE(Find(report.result, "rows"), nullptr);
  EXPECT_FALSE(report.substantively_identical());

  const std::vector<float> x = {NAN, 1}, y = {1, 1};
  ValueComparison c = CompareValues(x, y);
  EXPECT_TRUE(std::isinf(c.max_abs_diff));
  EXPECT_EQ(c.differing, 1);
}

TEST(ReplayDiff, ClassificationAndSearchFields) {
  ClassificationResult a;
  a.labels = {"cat", "dog"};
  ImageClassification img;
  img.logits = {1, 2};
  img.probabilities = {0.25f, 0.75f};
  img.top_k = {{1, 0.75f, 2}};
  a.images = {img};
  ClassificationResult b = a;
  b.labels[1] = "puppy";
  b.images[0].top_k[0].label = 0;
  b.images[0].abstained = true;
  ReplayReport report = DiffResults(a, b);
  EXPECT_NE(Find(report.result, "labels[1]"), nullptr);
  EXPECT_NE(Find(report.result, "images[0].top_k[0].label"), nullptr);
  EXPECT_NE(Find(report.result, "images[0].abstained"), nullptr);
  EXPECT_TRUE(report.values.bit_identical);

  SearchResult s;
  s.hits = {{{5, 0.9f}, {7, 0.8f}}};
  SearchResult t = s;
  std::swap(t.hits[0][0].id, t.hits[0][1].id);
  report = DiffResults(s, t);
  EXPECT_NE(Find(report.result, "hits[0][0].id"), nullptr);
  EXPECT_NE(Find(report.result, "hits[0][1].id"), nullptr);
  EXPECT_TRUE(DiffResults(s, s).identical());
}

}  // namespace
}  // namespace cliprt::api
