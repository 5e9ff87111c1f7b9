// Full preprocessing parity: our presets vs the reference pipelines run by
// tools/fixtures/image_make_fixtures.py (OpenAI clip _transform, open_clip
// image_transform shortest/rect/squash/longest, HF CLIPImageProcessorPil,
// HF SiglipImageProcessorPil) on RGB, L, LA, RGBA, P (PNG, GIF), I;16, 16-bit
// RGB PNG, JPEG (4:2:0, 4:2:2, 4:4:4, progressive, gray, CMYK), odd crop
// offsets, upscaling, extreme and tall aspect ratios.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "image/decode.h"
#include "image/preprocess.h"
#include "image_test_util.h"

namespace cliprt::image {
namespace {

using testing::ImageDataDir;

PreprocessConfig ConfigFor(const std::string& preset, int n_px) {
  if (preset == "openai") return OpenAIPreset(n_px);
  OpenClipPreprocessFields oc;
  oc.image_size = {n_px};
  if (preset == "open_clip_shortest_bilinear") {
    oc.interpolation = "bilinear";
    oc.resize_mode = "shortest";
  } else if (preset == "open_clip_shortest_rect") {
    oc.image_size = {n_px, n_px + 16};
  } else if (preset == "open_clip_squash") {
    oc.mean = std::array<double, 3>{0.5, 0.5, 0.5};
    oc.std = std::array<double, 3>{0.5, 0.5, 0.5};
    oc.resize_mode = "squash";
  } else if (preset == "open_clip_longest_fill3") {
    oc.resize_mode = "longest";
    oc.fill_color = 3;
  } else {
    HfImageProcessorFields hf;
    if (preset == "hf_clip") {
      hf.image_processor_type = "CLIPImageProcessor";
      hf.size_shortest_edge = n_px;
      hf.crop_height = hf.crop_width = n_px;
    } else {
      hf.image_processor_type = "SiglipImageProcessor";
      hf.size_height = hf.size_width = n_px;
    }
    StatusOr<PreprocessConfig> c = HfImageProcessorPreset(hf);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : PreprocessConfig{};
  }
  StatusOr<PreprocessConfig> c = OpenClipPreset(oc);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : PreprocessConfig{};
}

// Inverse of encode_tensor() in the fixture script.
std::vector<float> DecodeTensor(const std::vector<uint8_t>& blob, size_t offset, size_t numel) {
  std::vector<float> out(numel);
  size_t pos = offset;
  std::vector<float> table[3];
  for (auto& t : table) {
    uint16_t n;
    std::memcpy(&n, &blob[pos], 2);
    pos += 2;
    t.resize(n);
    std::memcpy(t.data(), &blob[pos], size_t{n} * 4);
    pos += size_t{n} * 4;
  }
  const size_t plane = numel / 3;
  for (size_t i = 0; i < numel; ++i) out[i] = table[i / plane][blob[pos + i]];
  return out;
}

TEST(PreprocessParity, MatchesReferencePipelines) {
  const auto cases = testing::ReadCases(ImageDataDir() + "/pipeline/cases.txt");
  ASSERT_GE(cases.size(), 100u) << "pipeline fixtures missing";
  std::map<std::string, std::vector<uint8_t>> blobs;
  int exact = 0;
  double worst = 0.0;
  for (const auto& c : cases) {
    ASSERT_EQ(c.size(), 6u);
    const std::string& preset = c[0];
    SCOPED_TRACE(preset + " " + c[1] + " n_px=" + c[2]);
    auto& blob = blobs[preset];
    if (blob.empty()) blob = testing::ReadGzip(ImageDataDir() + "/pipeline/" + preset + ".bin.gz");
    ASSERT_FALSE(blob.empty());
    const int h = std::stoi(c[3]), w = std::stoi(c[4]);
    const size_t numel = size_t{3} * static_cast<size_t>(h) * static_cast<size_t>(w);
    const std::vector<float> ref = DecodeTensor(blob, std::stoul(c[5]), numel);

    StatusOr<Image> img = DecodeImageFile(ImageDataDir() + "/inputs/" + c[1]);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    PreprocessConfig config = ConfigFor(preset, std::stoi(c[2]));
    PreprocessRecord record;
    StatusOr<Tensor> t = Preprocess(*img, config, &record);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_EQ(t->dim(1), h);
    ASSERT_EQ(t->dim(2), w);
    const float* ours = t->data_as<float>();
    double max_diff = 0.0;
    int64_t differing = 0;
    for (size_t i = 0; i < numel; ++i) {
      const double d = std::fabs(static_cast<double>(ours[i]) - ref[i]);
      max_diff = std::max(max_diff, d);
      differing += ours[i] != ref[i];
    }
    EXPECT_LE(max_diff, 1e-6) << differing << " of " << numel << " values differ; " << record.ToString();
    // The one-call path (streams JPEG rows into the resize) gives the same tensor.
    const std::vector<uint8_t> bytes = testing::ReadBytes(ImageDataDir() + "/inputs/" + c[1]);
    std::vector<float> encoded(numel);
    PreprocessRecord record2;
    Status st = PreprocessEncodedInto(bytes.data(), bytes.size(), DecodeOptions{}, config, encoded.data(),
                                      encoded.size(), &record2);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(std::memcmp(encoded.data(), ours, numel * sizeof(float)), 0) << "PreprocessEncodedInto differs";
    EXPECT_EQ(record2.ToString(), record.ToString());
    exact += differing == 0;
    worst = std::max(worst, max_diff);
  }
  // The presets are bit-exact, not merely within tolerance.
  EXPECT_EQ(exact, static_cast<int>(cases.size())) << "worst |diff| " << worst;
}

TEST(PreprocessSizes, TorchvisionAndOpenClipFormulas) {
  int64_t w = 0, h = 0;
  ShortestEdgeSize(640, 480, 224, &w, &h);  // int(224*640/480) = 298 (truncation)
  EXPECT_EQ(w, 298);
  EXPECT_EQ(h, 224);
  ShortestEdgeSize(480, 640, 224, &w, &h);
  EXPECT_EQ(w, 224);
  EXPECT_EQ(h, 298);
  KeepRatioSize(640, 480, 224, 224, /*longest=*/true, &w, &h);  // round(480/(640/224)) = 168
  EXPECT_EQ(w, 224);
  EXPECT_EQ(h, 168);
}

TEST(PreprocessRecordTest, RecordsEveryParameter) {
  StatusOr<Image> img = AllocateImage(ImageMode::kL, 300, 200);
  ASSERT_TRUE(img.ok());
  PreprocessRecord rec;
  StatusOr<Tensor> t = Preprocess(*img, OpenAIPreset(224), &rec);
  ASSERT_TRUE(t.ok());
  const std::string s = rec.ToString();
  for (const char* key : {"preset=openai", "size=224x224", "resize=shortest:224", "interpolation=bicubic",
                          "crop=center_half_even", "rgb=after_resize", "exif=ignored", "source=300x200:L",
                          "resized=336x224", "crop_at=0,56"}) {
    EXPECT_NE(s.find(key), std::string::npos) << key << " missing from " << s;
  }
}

TEST(PreprocessLimits, ExtremeAspectRatioIsBounded) {
  StatusOr<Image> img = AllocateImage(ImageMode::kL, 60000, 2);
  ASSERT_TRUE(img.ok());
  // Shortest side 2 -> 224 makes the long side 6.72 million pixels.
  StatusOr<Tensor> t = Preprocess(*img, OpenAIPreset(224));
  EXPECT_EQ(t.status().code(), StatusCode::kResourceExhausted);
  PreprocessConfig squash = OpenAIPreset(224);
  squash.resize_mode = ResizeMode::kSquash;
  EXPECT_TRUE(Preprocess(*img, squash).ok());
}

TEST(PreprocessInto, RejectsSmallBuffer) {
  StatusOr<Image> img = AllocateImage(ImageMode::kRGB, 10, 10);
  ASSERT_TRUE(img.ok());
  std::vector<float> buf(10);
  EXPECT_EQ(PreprocessInto(*img, OpenAIPreset(8), buf.data(), buf.size()).code(), StatusCode::kInvalidArgument);
}

TEST(HfPresetParsing, LegacyIntSizesAndErrors) {
  HfImageProcessorFields f;
  f.image_processor_type = "CLIPImageProcessor";
  f.size_int = 336;
  f.crop_size_int = 336;
  f.resample = 2;
  StatusOr<PreprocessConfig> c = HfImageProcessorPreset(f);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->shortest_edge, 336);
  EXPECT_EQ(c->out_height, 336);
  EXPECT_EQ(c->interpolation, ResampleFilter::kBilinear);
  f.resample = 9;
  EXPECT_EQ(HfImageProcessorPreset(f).status().code(), StatusCode::kUnsupported);
  f.image_processor_type = "ViTImageProcessor";
  EXPECT_EQ(HfImageProcessorPreset(f).status().code(), StatusCode::kUnsupported);
  OpenClipPreprocessFields oc;
  oc.resize_mode = "stretch";
  EXPECT_EQ(OpenClipPreset(oc).status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace cliprt::image
