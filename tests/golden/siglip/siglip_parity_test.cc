// SigLIP towers vs the reference packages (tools/fixtures/golden_siglip.py):
// transformers SiglipModel and open_clip (timm trunk + native text), fed the
// exact pixels / token ids the references saw. Bound: max|ours − ref| ≤
// 1e-5 · max|ref| for embeddings and sigmoid-rule logits (with logit_bias).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/arena.h"
#include "io/model_config.h"
#include "model/run_context.h"
#include "siglip_golden.h"

namespace cliprt::testing {
namespace {

constexpr double kBound = 1e-5;

class SiglipParity : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto g = LoadSiglipGolden(GetParam());
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    g_ = std::move(*g);
  }
  std::unique_ptr<SiglipGolden> g_;
};

TEST_P(SiglipParity, FamilyAndResolvedConfigMatchTheReferenceObjects) {
  const io::ModelConfig& c = g_->checkpoint.config;
  EXPECT_EQ(io::ArchFamilyName(c.family), g_->String("family"));
  const io::JsonValue* ref = g_->meta.Find("reference_config");
  ASSERT_NE(ref, nullptr);
  const io::JsonValue& v = *ref->Find("vision");
  const io::JsonValue& t = *ref->Find("text");
  EXPECT_EQ(c.vision.kind, "siglip-vit");
  EXPECT_EQ(c.vision.width, v.Find("width")->int_value());
  EXPECT_EQ(c.vision.layers, v.Find("layers")->int_value());
  EXPECT_EQ(c.vision.heads, v.Find("heads")->int_value());
  EXPECT_EQ(c.vision.heads, v.Find("head_heads")->int_value());
  EXPECT_EQ(c.vision.mlp_hidden, v.Find("mlp_hidden")->int_value());
  EXPECT_EQ(c.vision.patch_size, v.Find("patch_size")->int_value());
  EXPECT_EQ(c.vision.image_size, v.Find("image_size")->int_value());
  EXPECT_STREQ(io::ActivationName(c.vision.act), v.Find("act")->string().c_str());
  EXPECT_STREQ(io::ActivationName(c.vision.act), v.Find("head_act")->string().c_str());
  EXPECT_EQ(c.vision.ln_eps, v.Find("ln_eps")->number());
  EXPECT_EQ(c.vision.ln_eps, v.Find("block_ln_eps")->number());
  EXPECT_EQ(c.vision.pool, "map");
  EXPECT_EQ(c.text.width, t.Find("width")->int_value());
  EXPECT_EQ(c.text.layers, t.Find("layers")->int_value());
  EXPECT_EQ(c.text.heads, t.Find("heads")->int_value());
  EXPECT_EQ(c.text.mlp_hidden, t.Find("mlp_hidden")->int_value());
  EXPECT_EQ(c.text.context_length, t.Find("context_length")->int_value());
  EXPECT_EQ(c.text.vocab_size, t.Find("vocab_size")->int_value());
  EXPECT_STREQ(io::ActivationName(c.text.act), t.Find("act")->string().c_str());
  EXPECT_EQ(c.text.ln_eps, t.Find("ln_eps")->number());
  EXPECT_EQ(c.text.ln_eps, t.Find("block_ln_eps")->number());
  EXPECT_EQ(c.text.causal_mask, t.Find("causal")->bool_value());
  EXPECT_EQ(c.text.pool, "last");
  EXPECT_EQ(c.embed_dim, t.Find("embed_dim")->int_value());
}

TEST_P(SiglipParity, ImageEmbeddingsMatchReference) {
  auto tower = g_->Vision();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  const int64_t n = g_->pixels.dim(0), e = (*tower)->embed_dim();
  ASSERT_EQ(g_->pixels.dim(2), (*tower)->image_size());
  ASSERT_EQ(g_->image_embeds.dim(1), e);
  std::vector<float> out(static_cast<size_t>(n * e));
  Arena arena;
  ASSERT_TRUE((*tower)->Encode(g_->pixels.data_as<float>(), n, out.data(), e, {nullptr, &arena}).ok());
  const double err = MaxRelativeError(out.data(), e, g_->image_embeds.data_as<float>(), e, n, e);
  EXPECT_LE(err, kBound) << (*tower)->Describe();
  RecordProperty("max_rel_err_image", ErrString(err));
}

TEST_P(SiglipParity, TextEmbeddingsMatchReference) {
  auto tower = g_->Text();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  const int64_t t = g_->token_ids.dim(0), e = (*tower)->embed_dim();
  ASSERT_EQ(g_->token_ids.dim(1), (*tower)->context_length());
  ASSERT_EQ(g_->text_embeds.dim(1), e);
  std::vector<float> out(static_cast<size_t>(t * e));
  Arena arena;
  ASSERT_TRUE((*tower)->Encode(g_->token_ids.data_as<int64_t>(), t, out.data(), e, {nullptr, &arena}).ok());
  const double err = MaxRelativeError(out.data(), e, g_->text_embeds.data_as<float>(), e, t, e);
  EXPECT_LE(err, kBound) << (*tower)->Describe();
  RecordProperty("max_rel_err_text", ErrString(err));
}

TEST_P(SiglipParity, SigmoidLogitsWithBiasMatchReference) {
  // Scale and bias as the checkpoint stores them: exp(logit_scale), logit_bias.
  auto stored_scale = g_->reader->F32Any("logit_scale");
  auto stored_bias = g_->reader->F32Any("logit_bias");
  ASSERT_TRUE(stored_scale.ok() && stored_bias.ok());
  ASSERT_EQ(stored_scale->numel(), 1);
  ASSERT_EQ(stored_bias->numel(), 1);
  const float scale = std::exp(stored_scale->data_as<float>()[0]);
  const float bias = stored_bias->data_as<float>()[0];
  EXPECT_NEAR(scale, g_->Number("logit_scale"), 1e-6 * scale);
  EXPECT_EQ(bias, static_cast<float>(g_->Number("logit_bias")));
  EXPECT_NE(bias, 0.0f);

  auto vision = g_->Vision();
  auto text = g_->Text();
  ASSERT_TRUE(vision.ok() && text.ok());
  const int64_t n = g_->pixels.dim(0), t = g_->token_ids.dim(0), e = (*vision)->embed_dim();
  ASSERT_EQ((*text)->embed_dim(), e);
  std::vector<float> img(static_cast<size_t>(n * e)), txt(static_cast<size_t>(t * e));
  Arena arena;
  ASSERT_TRUE((*vision)->Encode(g_->pixels.data_as<float>(), n, img.data(), e, {nullptr, &arena}).ok());
  ASSERT_TRUE((*text)->Encode(g_->token_ids.data_as<int64_t>(), t, txt.data(), e, {nullptr, &arena}).ok());
  auto logits = SiglipLogits(img.data(), n, txt.data(), t, e, scale, bias);
  ASSERT_TRUE(logits.ok()) << logits.status().ToString();
  ASSERT_EQ(g_->logits.dim(0), n);
  ASSERT_EQ(g_->logits.dim(1), t);
  const double err = MaxRelativeError(logits->data(), t, g_->logits.data_as<float>(), t, n, t);
  EXPECT_LE(err, kBound);
  RecordProperty("max_rel_err_logits", ErrString(err));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SiglipParity, ::testing::Values("hf_siglip", "open_clip_siglip"));

}  // namespace
}  // namespace cliprt::testing
