// Resize parity: our PillowResize vs Pillow 13.0.0 Image.resize outputs
// (tests/data/image/resize, made by tools/fixtures/image_make_fixtures.py):
// every filter, 0.05x..8x, odd sizes, 1x1, 1x4000, 4000x1, modes L/LA/RGBA/P/I;16.
#include <gtest/gtest.h>

#include <map>

#include "core/cpu_features.h"
#include "image/decode.h"
#include "image/resample_kernels.h"
#include "image/resize.h"
#include "image_test_util.h"

namespace cliprt::image {
namespace {

using testing::ImageDataDir;

// Number of samples that differ between two images of the same mode and size.
int64_t CountDiffs(const Image& a, const Image& b) {
  int64_t diffs = 0;
  if (a.mode == ImageMode::kI16) {
    for (size_t i = 0; i < a.pixels16.size(); ++i) diffs += a.pixels16[i] != b.pixels16[i];
  } else {
    for (size_t i = 0; i < a.pixels.size(); ++i) diffs += a.pixels[i] != b.pixels[i];
  }
  return diffs;
}

TEST(PillowResize, MatchesPillowOnEveryCase) {
  const auto cases = testing::ReadCases(ImageDataDir() + "/resize/cases.txt");
  ASSERT_GE(cases.size(), 100u) << "resize fixtures missing";
  std::map<std::string, int> per_filter;
  for (const auto& c : cases) {
    ASSERT_EQ(c.size(), 5u);
    SCOPED_TRACE(c[0] + " -> " + c[1] + "x" + c[2] + " " + c[3]);
    StatusOr<Image> src = DecodeImageFile(ImageDataDir() + "/inputs/" + c[0]);
    ASSERT_TRUE(src.ok()) << src.status().ToString();
    StatusOr<Image> golden = DecodeImageFile(ImageDataDir() + "/resize/" + c[4]);
    ASSERT_TRUE(golden.ok()) << golden.status().ToString();
    StatusOr<ResampleFilter> filter = ResampleFilterFromName(c[3]);
    ASSERT_TRUE(filter.ok());
    StatusOr<Image> ours = PillowResize(*src, std::stoi(c[1]), std::stoi(c[2]), *filter);
    ASSERT_TRUE(ours.ok()) << ours.status().ToString();
    ASSERT_EQ(ours->mode, golden->mode);
    ASSERT_EQ(ours->width, golden->width);
    ASSERT_EQ(ours->height, golden->height);
    EXPECT_EQ(CountDiffs(*ours, *golden), 0);
    ++per_filter[c[3]];
  }
  EXPECT_EQ(per_filter.size(), 6u);  // nearest bilinear bicubic lanczos box hamming
}

TEST(PillowResize, RejectsEmptyTargets) {
  StatusOr<Image> img = AllocateImage(ImageMode::kRGB, 4, 4);
  ASSERT_TRUE(img.ok());
  EXPECT_EQ(PillowResize(*img, 0, 3, ResampleFilter::kBicubic).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PillowResize(Image{}, 3, 3, ResampleFilter::kBicubic).status().code(), StatusCode::kInvalidArgument);
}

TEST(ResampleCoeffs, WeightsSumToOneInFixedPoint) {
  // Each row of integer weights sums to ~2^22 (Pillow rounds each weight).
  StatusOr<ResampleCoeffs> c = ComputeResampleCoeffs(1000, 224, ResampleFilter::kBicubic);
  ASSERT_TRUE(c.ok());
  for (int i = 0; i < c->out_size; ++i) {
    int64_t sum = 0;
    for (int j = 0; j < c->count[static_cast<size_t>(i)]; ++j) sum += c->fixed[static_cast<size_t>(i * c->ksize + j)];
    EXPECT_NEAR(static_cast<double>(sum), 1 << 22, 8.0) << "row " << i;
  }
}

}  // namespace
}  // namespace cliprt::image

namespace cliprt::image {
namespace {

#if defined(__x86_64__) || defined(_M_X64)
// The AVX2 passes must produce the scalar reference's bytes exactly.
TEST(ResampleKernels, Avx2MatchesScalar) {
  if (DetectedIsaLevel() < IsaLevel::kAvx2) GTEST_SKIP() << "CPU without AVX2";
  uint32_t state = 99;
  auto next = [&state] { state = state * 1664525u + 1013904223u; return state >> 8; };
  for (int trial = 0; trial < 60; ++trial) {
    const int channels = 1 + static_cast<int>(next() % 4);
    // Tiny widths (1..3 px) exercise the over-read guard at the buffer's end.
    const int in_w = 1 + static_cast<int>(trial % 3 == 0 ? next() % 3 : next() % 300);
    const int in_h = 1 + static_cast<int>(next() % 120);
    const int out_w = 1 + static_cast<int>(next() % 200), out_h = 1 + static_cast<int>(next() % 150);
    const auto filter = static_cast<ResampleFilter>(1 + next() % 5);
    std::vector<uint8_t> in(static_cast<size_t>(in_w) * in_h * channels);
    for (auto& v : in) v = static_cast<uint8_t>(next());
    StatusOr<ResampleCoeffs> ch = ComputeResampleCoeffs(in_w, out_w, filter);
    StatusOr<ResampleCoeffs> cv = ComputeResampleCoeffs(in_h, out_h, filter);
    ASSERT_TRUE(ch.ok() && cv.ok());
    std::vector<uint8_t> a(static_cast<size_t>(out_w) * in_h * channels), b(a.size());
    HorizontalPass8Scalar(channels, in.data(), in_w, 0, in_h, *ch, a.data());
    HorizontalPass8Avx2(channels, in.data(), in_w, 0, in_h, *ch, b.data());
    ASSERT_EQ(a, b) << "horizontal " << in_w << "->" << out_w << " c=" << channels;
    const size_t row = static_cast<size_t>(in_w) * channels;
    std::vector<uint8_t> va(row * out_h), vb(va.size());
    VerticalPass8Scalar(in.data(), row, 0, *cv, va.data());
    VerticalPass8Avx2(in.data(), row, 0, *cv, vb.data());
    ASSERT_EQ(va, vb) << "vertical " << in_h << "->" << out_h << " row=" << row;
  }
}
#endif

}  // namespace
}  // namespace cliprt::image
