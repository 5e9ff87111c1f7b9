// Tower parity with the reference packages (tools/fixtures/golden_clip.py):
// from the exact pixels / token ids the reference fed its towers, our
// embeddings and logits must be within 1e-5 · max|ref| of the reference's.
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "golden/clip/clip_fixture.h"
#include "model/logits.h"

namespace cliprt::testing {
namespace {

constexpr double kParityBound = 1e-5;  // relative to max|ref|

void Report(const std::string& fixture, const char* what, const MaxDiff& d) {
  std::printf("[ parity   ] %s %s: max|ours-ref| = %.3g, max|ref| = %.3g, relative %.3g\n", fixture.c_str(), what,
              d.max_abs_diff, d.max_abs_ref, d.relative());
}

class ClipTowerParity : public ::testing::TestWithParam<std::string> {};

TEST_P(ClipTowerParity, ImageEmbeddings) {
  const ClipFixture& f = CachedClipFixture(GetParam());
  ASSERT_EQ(f.pixels.rank(), 4);
  auto tower = f.Vision();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  const int64_t n = f.pixels.dim(0);
  ASSERT_EQ(f.pixels.dim(2), (*tower)->image_size());
  ASSERT_EQ(f.image_embeds.dim(1), (*tower)->embed_dim());
  auto ours = EncodeImages(**tower, f.pixels.data_as<float>(), n, nullptr);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  MaxDiff d = Compare(ours->data(), f.image_embeds.data_as<float>(), n * (*tower)->embed_dim());
  Report(GetParam(), "image_embeds", d);
  EXPECT_LE(d.max_abs_diff, kParityBound * d.max_abs_ref) << GetParam() << " " << (*tower)->Describe();
  EXPECT_GT(d.max_abs_ref, 0.0);
}

TEST_P(ClipTowerParity, TextEmbeddings) {
  const ClipFixture& f = CachedClipFixture(GetParam());
  ASSERT_EQ(f.token_ids.rank(), 2);
  auto tower = f.Text();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  ASSERT_EQ(f.token_ids.dim(1), (*tower)->context_length());
  const int64_t t = f.token_ids.dim(0);
  auto ours = EncodeTexts(**tower, f.token_ids.data_as<int64_t>(), t, nullptr);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  MaxDiff d = Compare(ours->data(), f.text_embeds.data_as<float>(), t * (*tower)->embed_dim());
  Report(GetParam(), "text_embeds", d);
  EXPECT_LE(d.max_abs_diff, kParityBound * d.max_abs_ref) << GetParam() << " " << (*tower)->Describe();
  EXPECT_GT(d.max_abs_ref, 0.0);
}

// Rows on which the pooling rules disagree (no EOT, two EOTs, EOT last).
TEST_P(ClipTowerParity, PoolingRuleRows) {
  const ClipFixture& f = CachedClipFixture(GetParam());
  ASSERT_EQ(f.pooling_ids.rank(), 2);
  auto tower = f.Text();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  const int64_t p = f.pooling_ids.dim(0);
  auto ours = EncodeTexts(**tower, f.pooling_ids.data_as<int64_t>(), p, nullptr);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  const int64_t e = (*tower)->embed_dim();
  for (int64_t r = 0; r < p; ++r) {
    MaxDiff d = Compare(ours->data() + r * e, f.pooling_text_embeds.data_as<float>() + r * e, e);
    EXPECT_LE(d.max_abs_diff, kParityBound * d.max_abs_ref) << GetParam() << " pooling row " << r;
  }
}

TEST_P(ClipTowerParity, Logits) {
  const ClipFixture& f = CachedClipFixture(GetParam());
  ASSERT_EQ(f.pixels.rank(), 4);
  auto vision = f.Vision();
  auto text = f.Text();
  ASSERT_TRUE(vision.ok() && text.ok());
  const int64_t n = f.pixels.dim(0), t = f.token_ids.dim(0), e = (*vision)->embed_dim();
  auto img = EncodeImages(**vision, f.pixels.data_as<float>(), n, nullptr);
  auto txt = EncodeTexts(**text, f.token_ids.data_as<int64_t>(), t, nullptr);
  ASSERT_TRUE(img.ok() && txt.ok());
  ASSERT_TRUE(model::NormalizeRows(n, e, img->data(), e, img->data(), e, nullptr).ok());
  ASSERT_TRUE(model::NormalizeRows(t, e, txt->data(), e, txt->data(), e, nullptr).ok());
  std::vector<float> logits(static_cast<size_t>(n * t));
  ASSERT_TRUE(model::ImageTextLogits(n, t, e, img->data(), e, txt->data(), e, f.logit_scale, std::nullopt,
                                     logits.data(), t, nullptr)
                  .ok());
  MaxDiff d = Compare(logits.data(), f.logits_per_image.data_as<float>(), n * t);
  Report(GetParam(), "logits_per_image", d);
  EXPECT_LE(d.max_abs_diff, kParityBound * d.max_abs_ref) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ClipTowerParity, ::testing::ValuesIn(ClipFixtureNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cliprt::testing
