// Canonical (Hugging Face) names: OpenAI and open_clip checkpoints present
// exactly the tensor names transformers' CLIPModel uses (the HF fixture was
// written by transformers), with q/k/v thirds and transposed projections as
// zero-copy views whose values equal the fused originals.
#include <gtest/gtest.h>

#include <set>

#include "io/canonical_weights.h"
#include "io_test_util.h"

namespace cliprt::io {
namespace {

std::set<std::string> Names(const std::map<std::string, Tensor, std::less<>>& m) {
  std::set<std::string> s;
  for (const auto& [k, v] : m) s.insert(k);
  return s;
}

float At(const Tensor& t, int64_t i, int64_t j) {
  auto c = t.ToContiguousF32();
  EXPECT_TRUE(c.ok());
  return c->data_as<float>()[i * t.dim(1) + j];
}

TEST(CanonicalWeightsTest, OpenAiAndOpenClipNamesBecomeHfClipNames) {
  auto hf = LoadCheckpoint(testing::IoData("hf_clip"));
  ASSERT_TRUE(hf.ok());
  auto hf_canon = CanonicalizeWeights(*hf);
  ASSERT_TRUE(hf_canon.ok());
  const std::set<std::string> hf_names = Names(hf_canon->tensors);
  for (const char* path : {"openai_vit_jit.pt", "openai_vit_state_dict.safetensors", "open_clip_vit",
                           "open_clip_custom_text"}) {
    SCOPED_TRACE(path);
    auto ck = LoadCheckpoint(testing::IoData(path));
    ASSERT_TRUE(ck.ok()) << ck.status().ToString();
    auto canon = CanonicalizeWeights(*ck);
    ASSERT_TRUE(canon.ok()) << canon.status().ToString();
    EXPECT_EQ(canon->naming, "hf-clip");
    EXPECT_EQ(Names(canon->tensors), hf_names);
    for (const auto& [name, t] : canon->tensors) EXPECT_FALSE(t.owns_storage()) << name;
  }
}

TEST(CanonicalWeightsTest, SplitsAndTransposesAreExactViews) {
  auto ck = LoadCheckpoint(testing::IoData("openai_vit_state_dict.pt"));
  ASSERT_TRUE(ck.ok());
  auto canon = CanonicalizeWeights(*ck);
  ASSERT_TRUE(canon.ok());
  const Tensor& in_proj = *ck->Find("transformer.resblocks.0.attn.in_proj_weight");
  const int64_t w = in_proj.dim(1);
  const char* names[3] = {"q_proj", "k_proj", "v_proj"};
  for (int p = 0; p < 3; ++p) {
    const Tensor& part = canon->tensors.at(std::string("text_model.encoder.layers.0.self_attn.") + names[p] + ".weight");
    ASSERT_EQ(part.dim(0), w);
    for (int64_t i = 0; i < w; i += 7) {
      for (int64_t j = 0; j < w; j += 5) EXPECT_EQ(At(part, i, j), At(in_proj, p * w + i, j));
    }
  }
  const Tensor& proj = *ck->Find("visual.proj");
  const Tensor& lin = canon->tensors.at("visual_projection.weight");
  ASSERT_EQ(lin.dim(0), proj.dim(1));
  ASSERT_EQ(lin.dim(1), proj.dim(0));
  for (int64_t i = 0; i < lin.dim(0); ++i) {
    for (int64_t j = 0; j < lin.dim(1); ++j) ASSERT_EQ(At(lin, i, j), At(proj, j, i));
  }
  EXPECT_EQ(canon->source_name.at("visual_projection.weight"), "visual.proj");
}

TEST(CanonicalWeightsTest, OpenClipSiglipNamesBecomeHfSiglipNames) {
  auto hf = LoadCheckpoint(testing::IoData("hf_siglip"));
  ASSERT_TRUE(hf.ok());
  auto hf_canon = CanonicalizeWeights(*hf);
  ASSERT_TRUE(hf_canon.ok());
  auto ck = LoadCheckpoint(testing::IoData("open_clip_siglip"));
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  auto canon = CanonicalizeWeights(*ck);
  ASSERT_TRUE(canon.ok()) << canon.status().ToString();
  EXPECT_EQ(canon->naming, "hf-siglip");
  EXPECT_EQ(Names(canon->tensors), Names(hf_canon->tensors));
  // in_proj = q rows then kv rows (k then v).
  const Tensor& in_proj = canon->tensors.at("vision_model.head.attention.in_proj_weight");
  const Tensor& q = *ck->Find("visual.trunk.attn_pool.q.weight");
  const Tensor& kv = *ck->Find("visual.trunk.attn_pool.kv.weight");
  ASSERT_EQ(in_proj.dim(0), q.dim(0) + kv.dim(0));
  for (int64_t j = 0; j < q.dim(1); ++j) {
    EXPECT_EQ(At(in_proj, 0, j), At(q, 0, j));
    EXPECT_EQ(At(in_proj, q.dim(0), j), At(kv, 0, j));
  }
  EXPECT_EQ(canon->tensors.at("vision_model.embeddings.position_embedding.weight").rank(), 2);
}

TEST(CanonicalWeightsTest, ResNetKeepsOpenAiVisionNamesAndMapsTheTextTower) {
  auto ck = LoadCheckpoint(testing::IoData("openai_rn_jit.pt"));
  ASSERT_TRUE(ck.ok());
  auto canon = CanonicalizeWeights(*ck);
  ASSERT_TRUE(canon.ok());
  EXPECT_EQ(canon->naming, "openai-resnet");
  for (const auto& [name, t] : ck->tensors) {
    if (name.rfind("visual.", 0) == 0) {
      EXPECT_TRUE(canon->tensors.count(name)) << name;
    }
  }
  EXPECT_TRUE(canon->tensors.count("text_model.embeddings.token_embedding.weight"));
  EXPECT_TRUE(canon->tensors.count("text_model.encoder.layers.0.self_attn.q_proj.weight"));
  EXPECT_TRUE(canon->tensors.count("text_projection.weight"));
  EXPECT_TRUE(canon->tensors.count("logit_scale"));
  EXPECT_FALSE(canon->tensors.count("transformer.resblocks.0.attn.in_proj_weight"));
}

}  // namespace
}  // namespace cliprt::io
