// The SigLIP fixtures through model::ClipModel (the path the API takes):
// family dispatch to the SigLIP towers, logit scale and bias from the
// checkpoint, sigmoid-rule logits within the parity bound, single-tower loads.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/arena.h"
#include "model/clip_model.h"
#include "model/logits.h"
#include "siglip_golden.h"

namespace cliprt::testing {
namespace {

constexpr double kBound = 1e-5;

class SiglipModel : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto g = LoadSiglipGolden(GetParam());
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    g_ = std::move(*g);
  }
  std::unique_ptr<SiglipGolden> g_;
};

TEST_P(SiglipModel, ClipModelReproducesEmbeddingsAndLogits) {
  auto m = model::ClipModel::Create(g_->checkpoint, {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const model::ClipModel& model = **m;
  ASSERT_NE(model.vision(), nullptr);
  ASSERT_NE(model.text(), nullptr);
  EXPECT_NE(model.Describe().find("siglip-vit"), std::string::npos) << model.Describe();
  ASSERT_TRUE(model.logit_bias().has_value());
  EXPECT_EQ(*model.logit_bias(), static_cast<float>(g_->Number("logit_bias")));
  EXPECT_NEAR(model.logit_scale(), g_->Number("logit_scale"), 1e-6 * model.logit_scale());

  const int64_t n = g_->pixels.dim(0), t = g_->token_ids.dim(0), e = model.embed_dim();
  std::vector<float> img(static_cast<size_t>(n * e)), txt(static_cast<size_t>(t * e));
  Arena arena;
  ASSERT_TRUE(model.EncodeImages(g_->pixels.data_as<float>(), n, img.data(), e, {nullptr, &arena}).ok());
  ASSERT_TRUE(model.EncodeTexts(g_->token_ids.data_as<int64_t>(), t, txt.data(), e, {nullptr, &arena}).ok());
  EXPECT_LE(MaxRelativeError(img.data(), e, g_->image_embeds.data_as<float>(), e, n, e), kBound);
  EXPECT_LE(MaxRelativeError(txt.data(), e, g_->text_embeds.data_as<float>(), e, t, e), kBound);
  auto logits = SiglipLogits(img.data(), n, txt.data(), t, e, model.logit_scale(), *model.logit_bias());
  ASSERT_TRUE(logits.ok());
  EXPECT_LE(MaxRelativeError(logits->data(), t, g_->logits.data_as<float>(), t, n, t), kBound);
  // Probabilities are an independent sigmoid per pair (not a softmax).
  std::vector<float> probs(logits->size());
  ASSERT_TRUE(model::LogitsToProbabilities(model::ScoreRule::kSigmoid, n, t, logits->data(), t, probs.data(), t).ok());
  const float* ref = g_->logits.data_as<float>();
  for (size_t k = 0; k < probs.size(); ++k) EXPECT_NEAR(probs[k], 1.0 / (1.0 + std::exp(-double(ref[k]))), 1e-6);
}

TEST_P(SiglipModel, SingleTowerLoads) {
  for (io::Towers towers : {io::Towers::kText, io::Towers::kVision}) {
    io::LoadOptions load;
    load.compute_sha256 = false;
    load.towers = towers;
    auto ck = io::LoadCheckpoint(g_->dir + "/" + g_->String("checkpoint"), load);
    ASSERT_TRUE(ck.ok()) << ck.status().ToString();
    model::ModelOptions options;
    options.towers = towers;
    auto m = model::ClipModel::Create(*ck, options);
    ASSERT_TRUE(m.ok()) << io::TowersName(towers) << ": " << m.status().ToString();
    EXPECT_EQ((*m)->vision() != nullptr, towers == io::Towers::kVision);
    EXPECT_EQ((*m)->text() != nullptr, towers == io::Towers::kText);
    Arena arena;
    const int64_t e = (*m)->embed_dim();
    if (towers == io::Towers::kText) {
      const int64_t t = g_->token_ids.dim(0);
      std::vector<float> txt(static_cast<size_t>(t * e));
      ASSERT_TRUE((*m)->EncodeTexts(g_->token_ids.data_as<int64_t>(), t, txt.data(), e, {nullptr, &arena}).ok());
      EXPECT_LE(MaxRelativeError(txt.data(), e, g_->text_embeds.data_as<float>(), e, t, e), kBound);
      EXPECT_FALSE((*m)->EncodeImages(g_->pixels.data_as<float>(), 1, txt.data(), e, {nullptr, &arena}).ok());
    } else {
      const int64_t n = g_->pixels.dim(0);
      std::vector<float> img(static_cast<size_t>(n * e));
      ASSERT_TRUE((*m)->EncodeImages(g_->pixels.data_as<float>(), n, img.data(), e, {nullptr, &arena}).ok());
      EXPECT_LE(MaxRelativeError(img.data(), e, g_->image_embeds.data_as<float>(), e, n, e), kBound);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SiglipModel, ::testing::Values("hf_siglip", "open_clip_siglip"));

}  // namespace
}  // namespace cliprt::testing
