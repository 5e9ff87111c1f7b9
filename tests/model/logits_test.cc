// Normalization, logits and probabilities against double-precision formulas.
#include "model/logits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cliprt::model {
namespace {

TEST(LogitsTest, CosineTimesScalePlusBiasAndBothScoreRules) {
  const int64_t dim = 3;
  std::vector<float> img = {3, 4, 0, 0, 0, 2};
  std::vector<float> txt = {1, 0, 0, 0, 1, 1, -1, -1, -1};
  ASSERT_TRUE(NormalizeRows(2, dim, img.data(), dim, img.data(), dim, nullptr).ok());
  ASSERT_TRUE(NormalizeRows(3, dim, txt.data(), dim, txt.data(), dim, nullptr).ok());
  EXPECT_FLOAT_EQ(img[0], 0.6f);
  EXPECT_FLOAT_EQ(img[1], 0.8f);
  std::vector<float> logits(6);
  ASSERT_TRUE(ImageTextLogits(2, 3, dim, img.data(), dim, txt.data(), dim, 10.0f, -1.5f, logits.data(), 3, nullptr).ok());
  const double s2 = std::sqrt(2.0), s3 = std::sqrt(3.0);
  const double expect[6] = {10 * 0.6 - 1.5, 10 * 0.8 / s2 - 1.5, -10 * 1.4 / s3 - 1.5,
                            -1.5, 10 / s2 - 1.5, -10 / s3 - 1.5};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(logits[i], expect[i], 1e-5) << i;

  std::vector<float> p(6);
  ASSERT_TRUE(LogitsToProbabilities(ScoreRule::kSoftmax, 2, 3, logits.data(), 3, p.data(), 3).ok());
  for (int r = 0; r < 2; ++r) {
    double z = 0;
    for (int c = 0; c < 3; ++c) z += std::exp(expect[r * 3 + c]);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(p[r * 3 + c], std::exp(expect[r * 3 + c]) / z, 1e-6);
  }
  ASSERT_TRUE(LogitsToProbabilities(ScoreRule::kSigmoid, 2, 3, logits.data(), 3, p.data(), 3).ok());
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(p[i], 1 / (1 + std::exp(-expect[i])), 1e-6);
}

TEST(LogitsTest, ZeroVectorStaysZeroAndBadShapesAreErrors) {
  std::vector<float> z = {0, 0, 0};
  ASSERT_TRUE(NormalizeRows(1, 3, z.data(), 3, z.data(), 3, nullptr).ok());
  EXPECT_EQ(z, std::vector<float>(3, 0.0f));
  float out[1];
  EXPECT_FALSE(ImageTextLogits(1, 1, 3, nullptr, 3, z.data(), 3, 1.0f, std::nullopt, out, 1, nullptr).ok());
  EXPECT_FALSE(ImageTextLogits(1, 1, 3, z.data(), 2, z.data(), 3, 1.0f, std::nullopt, out, 1, nullptr).ok());
  EXPECT_FALSE(LogitsToProbabilities(ScoreRule::kSoftmax, 1, 0, z.data(), 3, out, 1).ok());
}

}  // namespace
}  // namespace cliprt::model
