// End to end for every CLIP fixture: image files → our decoder and the
// reference's preprocessing preset → the reference's pixels, bit for bit;
// texts → our tokenizer (variant named by the fixture) → the reference's
// ids; then both towers → embeddings and logits within the parity bound.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/golden_pixels.h"
#include "common/test_paths.h"
#include "golden/clip/clip_fixture.h"
#include "image/decode.h"
#include "image/preprocess.h"
#include "tokenizer/tokenizer.h"

namespace cliprt::testing {
namespace {

constexpr double kParityBound = 1e-5;

StatusOr<image::PreprocessConfig> PresetFor(const ClipFixture& f, int64_t size) {
  const int n = static_cast<int>(size);
  if (f.preset == "openai") return image::OpenAIPreset(n);
  if (f.preset == "open_clip") {
    image::OpenClipPreprocessFields fields;
    fields.image_size = {n};
    return image::OpenClipPreset(fields);
  }
  if (f.preset == "hf_clip") {
    image::HfImageProcessorFields fields;
    fields.image_processor_type = "CLIPImageProcessor";
    fields.size_shortest_edge = n;
    fields.crop_height = n;
    fields.crop_width = n;
    return image::HfImageProcessorPreset(fields);
  }
  return InvalidArgumentError("unknown preset " + f.preset);
}

class ClipEndToEnd : public ::testing::TestWithParam<std::string> {};

TEST_P(ClipEndToEnd, ImagesGiveReferencePixelsAndEmbeddings) {
  const ClipFixture& f = CachedClipFixture(GetParam());
  ASSERT_EQ(f.pixels.rank(), 4);
  auto tower = f.Vision();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  const int64_t s = (*tower)->image_size();
  const int64_t n = static_cast<int64_t>(f.images.size());
  ASSERT_EQ(f.pixels.dim(0), n);
  auto preset = PresetFor(f, s);
  ASSERT_TRUE(preset.ok()) << preset.status().ToString();
  const size_t per_image = static_cast<size_t>(3 * s * s);
  std::vector<float> pixels(per_image * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    auto img = image::DecodeImageFile(f.images[i]);
    ASSERT_TRUE(img.ok()) << f.images[i] << ": " << img.status().ToString();
    ASSERT_TRUE(image::PreprocessInto(*img, *preset, pixels.data() + i * per_image, per_image).ok());
    EXPECT_EQ(std::memcmp(pixels.data() + i * per_image, f.pixels.data_as<float>() + i * per_image,
                          per_image * sizeof(float)),
              0)
        << GetParam() << ": pixels of " << f.images[i] << " differ from the reference's";
  }
  auto ours = EncodeImages(**tower, pixels.data(), n, nullptr);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  MaxDiff d = Compare(ours->data(), f.image_embeds.data_as<float>(), n * (*tower)->embed_dim());
  EXPECT_LE(d.max_abs_diff, kParityBound * d.max_abs_ref) << GetParam();
}

TEST_P(ClipEndToEnd, TextsGiveReferenceIdsAndEmbeddings) {
  const ClipFixture& f = CachedClipFixture(GetParam());
  ASSERT_EQ(f.token_ids.rank(), 2);
  const std::string bpe = FindTestAsset("bpe_simple_vocab_16e6.txt.gz");
  if (bpe.empty()) {
    GTEST_SKIP() << "OpenAI's bpe_simple_vocab_16e6.txt.gz not found (set CLIPRT_TEST_ASSETS); "
                    "tower parity from token_ids.npy still runs";
  }
  auto variant = ParseTokenizerVariant(f.tokenizer_variant);
  ASSERT_TRUE(variant.ok()) << variant.status().ToString();
  TokenizerOptions options;
  options.variant = *variant;
  auto tokenizer = CreateClipBpeTokenizer(bpe, "", options);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  auto batch = (*tokenizer)->Encode(f.texts);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->ids.shape(), f.token_ids.shape());
  const int64_t t = f.token_ids.dim(0), ctx = f.token_ids.dim(1);
  for (int64_t i = 0; i < t; ++i) {
    std::vector<int64_t> ours(batch->ids.data_as<int64_t>() + i * ctx, batch->ids.data_as<int64_t>() + (i + 1) * ctx);
    std::vector<int64_t> ref(f.token_ids.data_as<int64_t>() + i * ctx, f.token_ids.data_as<int64_t>() + (i + 1) * ctx);
    EXPECT_EQ(ours, ref) << GetParam() << ": text " << i << " \"" << f.texts[i] << "\"";
  }
  auto tower = f.Text();
  ASSERT_TRUE(tower.ok()) << tower.status().ToString();
  auto ours = EncodeTexts(**tower, batch->ids.data_as<int64_t>(), t, nullptr);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  MaxDiff d = Compare(ours->data(), f.text_embeds.data_as<float>(), t * (*tower)->embed_dim());
  EXPECT_LE(d.max_abs_diff, kParityBound * d.max_abs_ref) << GetParam();
}

// Without pixels.npy, tests take the pixels from our preprocessing checked
// against golden.json's pixels_sha256: that path must give the same array.
TEST_P(ClipEndToEnd, PixelsReproduceFromTheirSha256) {
  const ClipFixture& f = CachedClipFixture(GetParam());
  ASSERT_EQ(f.pixels.rank(), 4);
  std::ifstream in(f.dir + "/golden.json");
  ASSERT_TRUE(in.good());
  char tmpl[] = "/tmp/cliprt_clip_pixels_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string tmp = tmpl;
  {
    std::ofstream out(tmp + "/golden.json");
    std::string line;
    bool had_sha = false;
    while (std::getline(in, line)) {
      if (line.rfind(" \"pixels\":", 0) == 0) continue;  // drop the .npy
      had_sha |= line.rfind(" \"pixels_sha256\":", 0) == 0;
      const std::string key = " \"checkpoint\": \"";
      if (line.rfind(key, 0) == 0) line = key + f.dir + "/" + line.substr(key.size());
      out << line << "\n";
    }
    ASSERT_TRUE(had_sha) << "golden.json has no pixels_sha256";
  }
  auto pixels = GoldenPixels(tmp);
  std::filesystem::remove_all(tmp);
  ASSERT_TRUE(pixels.ok()) << pixels.status().ToString();
  ASSERT_EQ(pixels->numel(), f.pixels.numel());
  EXPECT_EQ(std::memcmp(pixels->data(), f.pixels.data(), static_cast<size_t>(f.pixels.numel()) * sizeof(float)), 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ClipEndToEnd, ::testing::ValuesIn(ClipFixtureNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cliprt::testing
