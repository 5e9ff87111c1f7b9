// Bad input: truncated and corrupt files, zero and enormous dimensions
// (decompression bombs refused from the header, before any pixel buffer),
// unsupported formats. Every case must return a Status, never crash.
#include <gtest/gtest.h>

#include <zlib.h>

#include <cstring>

#include "image/decode.h"
#include "image/preprocess.h"
#include "image_test_util.h"

namespace cliprt::image {
namespace {

using testing::ImageDataDir;
using testing::ReadBytes;

void Put32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<uint8_t>(x >> s));
}

void PngChunk(std::vector<uint8_t>& png, const char* type, const std::vector<uint8_t>& body) {
  Put32(png, static_cast<uint32_t>(body.size()));
  std::vector<uint8_t> crc_input(type, type + 4);
  crc_input.insert(crc_input.end(), body.begin(), body.end());
  png.insert(png.end(), crc_input.begin(), crc_input.end());
  Put32(png, static_cast<uint32_t>(crc32(0, crc_input.data(), static_cast<uInt>(crc_input.size()))));
}

// A valid-looking PNG whose IHDR claims width x height, with a tiny IDAT.
std::vector<uint8_t> PngClaiming(uint32_t width, uint32_t height) {
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  std::vector<uint8_t> ihdr;
  Put32(ihdr, width);
  Put32(ihdr, height);
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});
  PngChunk(png, "IHDR", ihdr);
  PngChunk(png, "IDAT", {0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
  PngChunk(png, "IEND", {});
  return png;
}

// A real JPEG with its SOF dimensions patched.
std::vector<uint8_t> JpegClaiming(uint16_t width, uint16_t height) {
  std::vector<uint8_t> jpg = ReadBytes(ImageDataDir() + "/inputs/jpeg_420_67x45.jpg");
  for (size_t i = 2; i + 9 < jpg.size(); ++i) {
    if (jpg[i] == 0xFF && (jpg[i + 1] == 0xC0 || jpg[i + 1] == 0xC2)) {
      jpg[i + 5] = static_cast<uint8_t>(height >> 8);
      jpg[i + 6] = static_cast<uint8_t>(height);
      jpg[i + 7] = static_cast<uint8_t>(width >> 8);
      jpg[i + 8] = static_cast<uint8_t>(width);
      break;
    }
  }
  return jpg;
}

std::vector<uint8_t> GifClaiming(uint16_t width, uint16_t height) {
  std::vector<uint8_t> gif = ReadBytes(ImageDataDir() + "/inputs/p_89x67.gif");
  gif[6] = static_cast<uint8_t>(width);
  gif[7] = static_cast<uint8_t>(width >> 8);
  gif[8] = static_cast<uint8_t>(height);
  gif[9] = static_cast<uint8_t>(height >> 8);
  return gif;
}

StatusCode DecodeCode(const std::vector<uint8_t>& bytes, int64_t max_pixels = kDefaultMaxPixels) {
  DecodeOptions options;
  options.max_pixels = max_pixels;
  return DecodeImage(bytes.data(), bytes.size(), options).status().code();
}

TEST(HostileInput, DecompressionBombsRefusedFromHeader) {
  EXPECT_EQ(DecodeCode(PngClaiming(100000, 100000)), StatusCode::kResourceExhausted);
  EXPECT_EQ(DecodeCode(PngClaiming(0xFFFFFFF2u, 0xFFFFFF09u)), StatusCode::kResourceExhausted);  // no overflow
  EXPECT_EQ(DecodeCode(JpegClaiming(65000, 65000)), StatusCode::kResourceExhausted);
  EXPECT_EQ(DecodeCode(GifClaiming(65535, 65535)), StatusCode::kResourceExhausted);
  // A configurable limit applies to real images too.
  const std::vector<uint8_t> jpg = ReadBytes(ImageDataDir() + "/inputs/jpeg_420_67x45.jpg");
  EXPECT_EQ(DecodeCode(jpg, 1000), StatusCode::kResourceExhausted);
  EXPECT_EQ(DecodeCode(jpg, 67 * 45), StatusCode::kOk);
  const std::vector<uint8_t> png = ReadBytes(ImageDataDir() + "/inputs/rgb_203x157.png");
  EXPECT_EQ(DecodeCode(png, 203 * 157 - 1), StatusCode::kResourceExhausted);
  StatusOr<Image> img = DecodeImage(PngClaiming(100000, 100000).data(), PngClaiming(100000, 100000).size());
  EXPECT_NE(img.status().message().find("100000x100000"), std::string::npos) << img.status().message();
}

TEST(HostileInput, ZeroDimensions) {
  EXPECT_NE(DecodeCode(PngClaiming(0, 10)), StatusCode::kOk);
  EXPECT_NE(DecodeCode(JpegClaiming(0, 45)), StatusCode::kOk);
  EXPECT_NE(DecodeCode(JpegClaiming(67, 0)), StatusCode::kOk);
  EXPECT_NE(DecodeCode(GifClaiming(0, 0)), StatusCode::kOk);
}

TEST(HostileInput, TruncatedFilesAreErrors) {
  for (const char* name : {"rgb_203x157.png", "p_97x71.png", "i16_83x61.png", "jpeg_420_131x97.jpg",
                           "jpeg_prog_131x97.jpg", "jpeg_cmyk_131x97.jpg", "p_89x67.gif", "p_trns_71x53.gif"}) {
    const std::vector<uint8_t> bytes = ReadBytes(ImageDataDir() + "/inputs/" + name);
    ASSERT_FALSE(bytes.empty()) << name;
    for (size_t cut : {size_t{1}, size_t{8}, size_t{20}, bytes.size() / 4, bytes.size() / 2}) {
      std::vector<uint8_t> part(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
      EXPECT_NE(DecodeCode(part), StatusCode::kOk) << name << " cut at " << cut;
    }
    // Cutting only the trailer may or may not be fatal; it must not crash.
    std::vector<uint8_t> part(bytes.begin(), bytes.end() - 1);
    (void)DecodeCode(part);
  }
}

// stb_image leaves part of its buffer uninitialized for short uncompressed
// TGA and binary PNM files; we refuse them from the header arithmetic.
TEST(HostileInput, TruncatedTgaAndPnmRefused) {
  for (const char* name : {"rgb.tga", "rgb.ppm", "l.pgm"}) {
    const std::vector<uint8_t> bytes = ReadBytes(ImageDataDir() + "/fuzz_corpus/" + name);
    ASSERT_FALSE(bytes.empty()) << name;
    EXPECT_EQ(DecodeCode(bytes), StatusCode::kOk) << name;
    // 30 bytes: past the 26-byte TGA footer Pillow writes, into the pixels.
    std::vector<uint8_t> part(bytes.begin(), bytes.end() - 30);
    EXPECT_EQ(DecodeCode(part), StatusCode::kCorruptData) << name;
  }
}

// A 4-bit palette PNG with 8 PLTE entries and indices up to 15: stb would
// read the missing entries from uninitialized memory; Pillow shows black.
TEST(HostileInput, ShortPngPaletteReadsBlack) {
  const std::vector<uint8_t> bytes = ReadBytes(ImageDataDir() + "/fuzz_corpus/short-palette-4bit.png");
  StatusOr<Image> img = DecodeImage(bytes.data(), bytes.size());
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  ASSERT_EQ(img->mode, ImageMode::kP);
  // Row 0 = indices 0 1 9 15 (PLTE holds bytes 30..53 for entries 0..7).
  const uint8_t expected_rgb[4][3] = {{30, 31, 32}, {33, 34, 35}, {0, 0, 0}, {0, 0, 0}};
  for (int x = 0; x < 4; ++x)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(img->pixels[static_cast<size_t>(4 * x + c)], expected_rgb[x][c]) << x;
}

TEST(HostileInput, CorruptBytesNeverCrash) {
  // Deterministic byte flips over every format; the result may be an image
  // or an error, but never a crash (ASan/UBSan builds make this strict).
  uint32_t state = 12345;
  for (const char* name : {"rgb_31x23.png", "p_97x71.png", "jpeg_420_67x45.jpg", "jpeg_prog_131x97.jpg",
                           "p_89x67.gif", "l_71x53.gif"}) {
    const std::vector<uint8_t> bytes = ReadBytes(ImageDataDir() + "/inputs/" + name);
    for (int trial = 0; trial < 40; ++trial) {
      std::vector<uint8_t> bad = bytes;
      for (int k = 0; k < 4; ++k) {
        state = state * 1664525u + 1013904223u;
        bad[state % bad.size()] ^= static_cast<uint8_t>(state >> 24);
      }
      StatusOr<Image> img = DecodeImage(bad.data(), bad.size());
      if (img.ok()) {
        StatusOr<Tensor> t = Preprocess(*img, OpenAIPreset(32));
        EXPECT_TRUE(t.ok()) << t.status().ToString();
      }
    }
  }
}

TEST(HostileInput, UnsupportedAndEmpty) {
  EXPECT_EQ(DecodeCode({}), StatusCode::kInvalidArgument);
  const std::vector<uint8_t> webp = {'R', 'I', 'F', 'F', 0x10, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
  StatusOr<Image> img = DecodeImage(webp.data(), webp.size());
  EXPECT_EQ(img.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(img.status().message().find("unrecognized image format"), std::string::npos);
  EXPECT_EQ(DecodeImageFile(ImageDataDir() + "/does_not_exist.png").status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace cliprt::image
