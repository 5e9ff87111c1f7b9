// SigLIP end to end: image files → cliprt's decoder and the reference's
// preprocessing preset (built from the checkpoint's resolved config) →
// pixels identical to the reference's; texts → cliprt's SentencePiece
// tokenizer in the reference's variant → ids identical; then both towers
// from our own pixels and ids → embeddings within the parity bound.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/test_paths.h"
#include "core/arena.h"
#include "image/decode.h"
#include "image/preprocess.h"
#include "siglip_golden.h"
#include "tokenizer/tokenizer.h"

namespace cliprt::testing {
namespace {

constexpr double kBound = 1e-5;

StatusOr<image::PreprocessConfig> PresetFor(const SiglipGolden& g) {
  const io::PreprocessConfig& p = g.checkpoint.config.preprocess;
  const std::string preset = g.String("preset");
  if (preset == "hf_siglip") {
    image::HfImageProcessorFields f;
    f.image_processor_type = "SiglipImageProcessor";
    f.size_height = f.size_width = static_cast<int>(p.image_size);
    if (p.interpolation == "bicubic") f.resample = 3;
    if (p.interpolation == "bilinear") f.resample = 2;
    f.image_mean = p.mean;
    f.image_std = p.std;
    return image::HfImageProcessorPreset(f);
  }
  if (preset == "open_clip") {
    image::OpenClipPreprocessFields f;
    f.image_size = {static_cast<int>(p.image_size)};
    f.mean = p.mean;
    f.std = p.std;
    f.interpolation = p.interpolation;
    f.resize_mode = p.resize_mode;
    return image::OpenClipPreset(f);
  }
  return InvalidArgumentError("unknown preset " + preset);
}

class SiglipEndToEnd : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto g = LoadSiglipGolden(GetParam());
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    g_ = std::move(*g);
  }
  std::unique_ptr<SiglipGolden> g_;
};

TEST_P(SiglipEndToEnd, ImageFilesGiveReferencePixelsAndEmbeddings) {
  auto preset = PresetFor(*g_);
  ASSERT_TRUE(preset.ok()) << preset.status().ToString();
  const std::vector<std::string> images = g_->Strings("images");
  const int64_t n = g_->pixels.dim(0), s = g_->pixels.dim(2);
  ASSERT_EQ(static_cast<int64_t>(images.size()), n);
  const int64_t per_image = 3 * s * s;
  std::vector<float> pixels(static_cast<size_t>(n * per_image));
  for (int64_t i = 0; i < n; ++i) {
    auto img = image::DecodeImageFile(TestDataDir() + "/" + images[static_cast<size_t>(i)]);
    ASSERT_TRUE(img.ok()) << images[static_cast<size_t>(i)] << ": " << img.status().ToString();
    ASSERT_TRUE(image::PreprocessInto(*img, *preset, pixels.data() + i * per_image,
                                      static_cast<size_t>(per_image))
                    .ok());
    const float* ref = g_->pixels.data_as<float>() + i * per_image;
    int64_t differing = 0;
    for (int64_t k = 0; k < per_image; ++k) differing += pixels[static_cast<size_t>(i * per_image + k)] != ref[k];
    EXPECT_EQ(differing, 0) << images[static_cast<size_t>(i)] << ": pixels differ from the reference's";
  }
  auto tower = g_->Vision();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  const int64_t e = (*tower)->embed_dim();
  std::vector<float> out(static_cast<size_t>(n * e));
  Arena arena;
  ASSERT_TRUE((*tower)->Encode(pixels.data(), n, out.data(), e, {nullptr, &arena}).ok());
  EXPECT_LE(MaxRelativeError(out.data(), e, g_->image_embeds.data_as<float>(), e, n, e), kBound);
}

TEST_P(SiglipEndToEnd, TextsGiveReferenceIdsAndEmbeddings) {
  auto variant = ParseTokenizerVariant(g_->String("tokenizer_variant"));
  ASSERT_TRUE(variant.ok()) << variant.status().ToString();
  TokenizerOptions options;
  options.variant = *variant;
  options.context_length = static_cast<int>(g_->token_ids.dim(1));
  auto tokenizer = CreateSentencePieceTokenizer(TestDataDir() + "/" + g_->String("tokenizer_model"), options);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  const std::vector<std::string> texts = g_->Strings("texts");
  auto batch = (*tokenizer)->Encode(texts);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  const int64_t t = g_->token_ids.dim(0), len = g_->token_ids.dim(1);
  ASSERT_EQ(batch->ids.dim(0), t);
  ASSERT_EQ(batch->ids.dim(1), len);
  const int64_t* ours = batch->ids.data_as<int64_t>();
  const int64_t* ref = g_->token_ids.data_as<int64_t>();
  for (int64_t i = 0; i < t; ++i) {
    EXPECT_EQ(std::vector<int64_t>(ours + i * len, ours + (i + 1) * len),
              std::vector<int64_t>(ref + i * len, ref + (i + 1) * len))
        << "text " << i << ": \"" << texts[static_cast<size_t>(i)] << "\"";
  }
  bool some_truncated = false;
  for (int64_t d : batch->dropped_tokens) some_truncated |= d > 0;
  EXPECT_TRUE(some_truncated) << "the fixture must hold a text longer than the context";

  auto tower = g_->Text();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  const int64_t e = (*tower)->embed_dim();
  std::vector<float> out(static_cast<size_t>(t * e));
  Arena arena;
  ASSERT_TRUE((*tower)->Encode(ours, t, out.data(), e, {nullptr, &arena}).ok());
  EXPECT_LE(MaxRelativeError(out.data(), e, g_->text_embeds.data_as<float>(), e, t, e), kBound);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SiglipEndToEnd, ::testing::Values("hf_siglip", "open_clip_siglip"));

}  // namespace
}  // namespace cliprt::testing
