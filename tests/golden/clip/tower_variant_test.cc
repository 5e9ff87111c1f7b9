// A vision-focused open_clip variant (tests/data/golden/open_clip_vit_336,
// tools/fixtures/golden_clip.py): 336 px, patch 14 (577 tokens), head_dim 48,
// mlp_ratio 4.9231, QuickGELU, LayerNorm eps 1e-6; text tower with context
// 32, 'eos' pooling at eos_id 500 and a biased Linear projection. Pixels are
// a deterministic integer hash both sides compute exactly.
#include <gtest/gtest.h>

#include <vector>

#include "common/test_paths.h"
#include "golden/clip/clip_fixture.h"
#include "io/npy.h"
#include "model/clip_text_tower.h"
#include "model/vit_vision_tower.h"

namespace cliprt::testing {
namespace {

// golden_clip.py synthetic_pixels: float32(h >> 8) · 2^-22 − 2 with
// h = (i · 2654435761 + 12345) mod 2^32 (every step exact in float32).
std::vector<float> SyntheticPixels(int64_t n, int64_t size) {
  std::vector<float> v(static_cast<size_t>(n * 3 * size * size));
  for (size_t i = 0; i < v.size(); ++i) {
    const uint32_t h = static_cast<uint32_t>(static_cast<uint64_t>(i) * 2654435761ull + 12345ull);
    v[i] = static_cast<float>(h >> 8) * 0x1p-22f - 2.0f;
  }
  return v;
}

TEST(ClipTowerVariant, OpenClip336Patch14HeadDim48EosPoolingBiasedProjection) {
  const std::string dir = TestDataDir() + "/golden/open_clip_vit_336";
  io::LoadOptions lo;
  lo.compute_sha256 = false;
  auto ck = io::LoadCheckpoint(dir, lo);
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  const io::ModelConfig& c = ck->config;
  EXPECT_EQ(c.vision.image_size, 336);
  EXPECT_EQ(c.vision.heads, 2);
  EXPECT_EQ(c.vision.mlp_hidden, 472);
  EXPECT_EQ(c.text.pool, "eos");
  EXPECT_EQ(c.text.eos_id, 500);
  auto cw = io::CanonicalizeWeights(*ck);
  ASSERT_TRUE(cw.ok()) << cw.status().ToString();
  model::WeightReader reader(*cw);
  auto vision = model::CreateVitVisionTower(reader, c, {});
  auto text = model::CreateClipTextTower(reader, c, {});
  ASSERT_TRUE(vision.ok()) << vision.status().ToString();
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE((*vision)->Describe().find("tokens=577"), std::string::npos) << (*vision)->Describe();
  EXPECT_NE((*text)->Describe().find("+bias"), std::string::npos) << (*text)->Describe();

  auto img_ref = io::ReadNpy(dir + "/image_embeds.npy");
  auto txt_ref = io::ReadNpy(dir + "/text_embeds.npy");
  auto ids = io::ReadNpy(dir + "/token_ids.npy");
  ASSERT_TRUE(img_ref.ok() && txt_ref.ok() && ids.ok());
  const int64_t n = img_ref->dim(0), t = ids->dim(0), e = (*vision)->embed_dim();
  std::vector<float> pixels = SyntheticPixels(n, 336);
  auto pool = ThreadPool::Create(2);
  ASSERT_TRUE(pool.ok());
  auto img = EncodeImages(**vision, pixels.data(), n, pool->get());
  auto txt = EncodeTexts(**text, ids->data_as<int64_t>(), t, pool->get());
  ASSERT_TRUE(img.ok() && txt.ok());
  MaxDiff di = Compare(img->data(), img_ref->data_as<float>(), n * e);
  MaxDiff dt = Compare(txt->data(), txt_ref->data_as<float>(), t * e);
  EXPECT_LE(di.max_abs_diff, 1e-5 * di.max_abs_ref) << "relative " << di.relative();
  EXPECT_LE(dt.max_abs_diff, 1e-5 * dt.max_abs_ref) << "relative " << dt.relative();
  auto full = model::CreateClipTextTowerFullLength(reader, c, {});
  ASSERT_TRUE(full.ok());
  auto txt_full = EncodeTexts(**full, ids->data_as<int64_t>(), t, nullptr);
  ASSERT_TRUE(txt_full.ok());
  EXPECT_EQ(*txt_full, *txt) << "up-to-EOS and all-positions results differ";

  // The pooling rule matters on these ids: argmax pooling misses the reference.
  io::ModelConfig argmax = c;
  argmax.text.pool = "argmax";
  model::WeightReader reader2(*cw);
  auto wrong = model::CreateClipTextTower(reader2, argmax, {});
  ASSERT_TRUE(wrong.ok());
  auto txt_wrong = EncodeTexts(**wrong, ids->data_as<int64_t>(), t, nullptr);
  ASSERT_TRUE(txt_wrong.ok());
  MaxDiff dw = Compare(txt_wrong->data(), txt_ref->data_as<float>(), t * e);
  EXPECT_GT(dw.max_abs_diff, 1e-3 * dw.max_abs_ref);
}

}  // namespace
}  // namespace cliprt::testing
