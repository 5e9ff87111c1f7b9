// Decoding: JPEG pixels vs Pillow 13 (libjpeg-turbo), stb_image's JPEG
// distance from Pillow (measured, documented), EXIF orientation, raw buffers.
#include <gtest/gtest.h>

#include <stb/stb_image.h>

#include <cstdlib>
#include <cstring>

#include "image/decode.h"
#include "image/image.h"
#include "image_test_util.h"

namespace cliprt::image {
namespace {

using testing::ImageDataDir;
using testing::ReadBytes;

// Documented bound for stb_image JPEG vs Pillow (docs/preprocessing.md).
constexpr int kStbJpegMaxDiff = 6;  // measured: 6 (9446 of 188664 samples differ)

TEST(JpegDecode, MatchesPillowExactly) {
  const auto cases = testing::ReadCases(ImageDataDir() + "/jpeg/cases.txt");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c[0] + " " + c[5]);
    DecodeOptions options;
    options.apply_exif_orientation = c[5] == "exif_transpose";
    StatusOr<Image> img = DecodeImageFile(ImageDataDir() + "/inputs/" + c[0], options);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    EXPECT_EQ(ImageModeName(img->mode), c[1]);
    ASSERT_EQ(img->width, std::stoi(c[2]));
    ASSERT_EQ(img->height, std::stoi(c[3]));
    const std::vector<uint8_t> ref = ReadBytes(ImageDataDir() + "/jpeg/" + c[4]);
    ASSERT_EQ(ref.size(), img->pixels.size());
    int64_t diffs = 0;
    for (size_t i = 0; i < ref.size(); ++i) diffs += ref[i] != img->pixels[i];
    EXPECT_EQ(diffs, 0);
  }
}

// stb_image has its own IDCT and chroma upsampling. Measured on these
// fixtures (docs/preprocessing.md): up to 6 levels, ~5% of the samples of
// the color JPEGs. It is not zero, which is why JPEG goes through
// libjpeg-turbo (0 differences above).
TEST(JpegDecode, StbImageIsNotPillowExact) {
  const auto cases = testing::ReadCases(ImageDataDir() + "/jpeg/cases.txt");
  int max_diff_all = 0;
  int64_t differing_all = 0, total = 0;
  for (const auto& c : cases) {
    if (c[5] != "plain" || c[1] != "RGB") continue;
    const std::vector<uint8_t> bytes = ReadBytes(ImageDataDir() + "/inputs/" + c[0]);
    int w = 0, h = 0, comp = 0;
    stbi_uc* px = stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &comp, 3);
    ASSERT_NE(px, nullptr) << c[0];
    const std::vector<uint8_t> ref = ReadBytes(ImageDataDir() + "/jpeg/" + c[4]);
    ASSERT_EQ(ref.size(), static_cast<size_t>(w) * h * 3);
    for (size_t i = 0; i < ref.size(); ++i) {
      const int d = std::abs(int{px[i]} - int{ref[i]});
      max_diff_all = std::max(max_diff_all, d);
      differing_all += d != 0;
    }
    total += static_cast<int64_t>(ref.size());
    stbi_image_free(px);
  }
  RecordProperty("stb_max_abs_diff", max_diff_all);
  RecordProperty("stb_differing_samples", static_cast<int>(differing_all));
  std::printf("stb_image vs Pillow on color JPEGs: max |diff| %d, %lld of %lld samples differ\n", max_diff_all,
              static_cast<long long>(differing_all), static_cast<long long>(total));
  EXPECT_GT(differing_all, 0);
  EXPECT_LE(max_diff_all, kStbJpegMaxDiff);
}

TEST(Probe, ReportsSizeAndModeWithoutDecoding) {
  const std::vector<uint8_t> bytes = ReadBytes(ImageDataDir() + "/inputs/jpeg_exif6_67x45.jpg");
  StatusOr<ImageInfo> info = ProbeImage(bytes.data(), bytes.size());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, ImageFormat::kJpeg);
  EXPECT_EQ(info->width, 67);
  EXPECT_EQ(info->height, 45);
  EXPECT_EQ(info->exif_orientation, 6);
  const std::vector<uint8_t> png = ReadBytes(ImageDataDir() + "/inputs/i16_83x61.png");
  info = ProbeImage(png.data(), png.size());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->mode, ImageMode::kI16);
  const std::vector<uint8_t> gif = ReadBytes(ImageDataDir() + "/inputs/p_89x67.gif");
  info = ProbeImage(gif.data(), gif.size());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, ImageFormat::kGif);
  EXPECT_EQ(info->width, 89);
}

TEST(PngDecode, ModesFollowPillow) {
  struct Case { const char* file; ImageMode mode; };
  for (const Case& c : {Case{"l_97x71.png", ImageMode::kL}, Case{"la_97x71.png", ImageMode::kLA},
                        Case{"rgba_97x71.png", ImageMode::kRGBA}, Case{"p_97x71.png", ImageMode::kP},
                        Case{"i16_83x61.png", ImageMode::kI16}, Case{"rgb16_77x59.png", ImageMode::kRGB}}) {
    StatusOr<Image> img = DecodeImageFile(ImageDataDir() + "/inputs/" + c.file);
    ASSERT_TRUE(img.ok()) << c.file << ": " << img.status().ToString();
    EXPECT_EQ(img->mode, c.mode) << c.file;
  }
  StatusOr<Image> p = DecodeImageFile(ImageDataDir() + "/inputs/p_trns_89x67.png");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->transparency);
  EXPECT_EQ(p->palette.size() % 3, 0u);
  EXPECT_GT(p->palette.size(), 0u);
}

TEST(RawPixels, StridesAndChannelOrders) {
  // 3x2 BGRA with a 16-byte row stride (4 bytes of padding per row).
  std::vector<uint8_t> buf(16 * 2, 0xEE);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) {
      uint8_t* p = &buf[static_cast<size_t>(y * 16 + x * 4)];
      p[0] = static_cast<uint8_t>(10 * x);       // B
      p[1] = static_cast<uint8_t>(100 + y);      // G
      p[2] = static_cast<uint8_t>(200 + x + y);  // R
      p[3] = 7;                                  // A
    }
  StatusOr<Image> img = ImageFromPixels(buf.data(), static_cast<int64_t>(buf.size()), 3, 2, 16, PixelFormat::kBGRA);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->mode, ImageMode::kRGBA);
  EXPECT_EQ(img->pixels[(1 * 3 + 2) * 4 + 0], 203);  // R at (2,1)
  EXPECT_EQ(img->pixels[(1 * 3 + 2) * 4 + 2], 20);   // B at (2,1)
  // The last row needs only width*4 bytes, not a full stride.
  EXPECT_TRUE(ImageFromPixels(buf.data(), 16 + 12, 3, 2, 16, PixelFormat::kBGRA).ok());
  EXPECT_EQ(ImageFromPixels(buf.data(), 16 + 11, 3, 2, 16, PixelFormat::kBGRA).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ImageFromPixels(buf.data(), 32, 3, 2, 11, PixelFormat::kBGRA).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ImageFromPixels(nullptr, 32, 3, 2, 16, PixelFormat::kRGBA).status().code(), StatusCode::kInvalidArgument);
  StatusOr<Image> gray = ImageFromPixels(buf.data(), 32, 5, 2, 16, PixelFormat::kGray);
  ASSERT_TRUE(gray.ok());
  EXPECT_EQ(gray->mode, ImageMode::kL);
  EXPECT_EQ(gray->pixels[5], buf[16]);
  EXPECT_EQ(ImageFromPixels(buf.data(), 32, 0, 2, 16, PixelFormat::kGray).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cliprt::image
