// Decode + preprocess time per image (OpenAI preset, 224 px) for a 1 MP and
// a 12 MP JPEG, single-threaded. The JPEGs are synthesized and encoded with
// libjpeg at start-up (nothing big is committed), or read from
// $CLIPRT_BENCH_IMAGE_DIR/{1mp,12mp}.jpg so bench/compare/image_compare.py
// can time Pillow + torchvision on the very same files.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <jpeglib.h>

#include "image/decode.h"
#include "image/preprocess.h"
#include "image/resize.h"

namespace {

using namespace cliprt::image;

std::vector<uint8_t> EncodeSyntheticJpeg(int width, int height) {
  std::vector<uint8_t> rgb(static_cast<size_t>(width) * height * 3);
  uint32_t state = 1;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      state = state * 1664525u + 1013904223u;
      const double fx = static_cast<double>(x) / width, fy = static_cast<double>(y) / height;
      for (int c = 0; c < 3; ++c) {
        double v = 128 + 90 * std::sin(6.28 * (2 + c) * fx + c) * std::cos(6.28 * (3 - c) * fy);
        if (((x / 97) + (y / 61)) % 5 == 0) v = 40 + 60 * c;  // hard edges
        v += static_cast<int>((state >> (8 * c)) & 15) - 8;   // sensor-like noise
        rgb[(static_cast<size_t>(y) * width + x) * 3 + c] = static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
      }
    }
  }
  jpeg_compress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  jpeg_mem_dest(&cinfo, &out, &out_size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = &rgb[static_cast<size_t>(cinfo.next_scanline) * width * 3];
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::vector<uint8_t> bytes(out, out + out_size);
  jpeg_destroy_compress(&cinfo);
  std::free(out);
  return bytes;
}

const std::vector<uint8_t>& Jpeg(int which) {
  static std::vector<uint8_t> files[2];
  if (files[which].empty()) {
    const char* dir = std::getenv("CLIPRT_BENCH_IMAGE_DIR");
    if (dir != nullptr) {
      std::ifstream in(std::string(dir) + (which == 0 ? "/1mp.jpg" : "/12mp.jpg"), std::ios::binary);
      files[which].assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (files[which].empty()) files[which] = which == 0 ? EncodeSyntheticJpeg(1280, 800) : EncodeSyntheticJpeg(4000, 3000);
  }
  return files[which];
}

void BM_DecodePreprocess(benchmark::State& state) {
  const std::vector<uint8_t>& jpg = Jpeg(static_cast<int>(state.range(0)));
  const PreprocessConfig config = OpenAIPreset(224);
  std::vector<float> out(3 * 224 * 224);
  for (auto _ : state) {
    cliprt::StatusOr<Image> img = DecodeImage(jpg.data(), jpg.size());
    if (!img.ok()) { state.SkipWithError(img.status().ToString().c_str()); return; }
    cliprt::Status s = PreprocessInto(*img, config, out.data(), out.size());
    benchmark::DoNotOptimize(out.data());
    if (!s.ok()) { state.SkipWithError(s.ToString().c_str()); return; }
  }
  state.SetLabel(state.range(0) == 0 ? "1MP jpeg" : "12MP jpeg");
}
BENCHMARK(BM_DecodePreprocess)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// One call: JPEG rows stream into the horizontal resize pass (same pixels).
void BM_PreprocessEncoded(benchmark::State& state) {
  const std::vector<uint8_t>& jpg = Jpeg(static_cast<int>(state.range(0)));
  const PreprocessConfig config = OpenAIPreset(224);
  std::vector<float> out(3 * 224 * 224);
  for (auto _ : state) {
    cliprt::Status s = PreprocessEncodedInto(jpg.data(), jpg.size(), DecodeOptions{}, config, out.data(), out.size());
    benchmark::DoNotOptimize(out.data());
    if (!s.ok()) { state.SkipWithError(s.ToString().c_str()); return; }
  }
  state.SetLabel(state.range(0) == 0 ? "1MP jpeg" : "12MP jpeg");
}
BENCHMARK(BM_PreprocessEncoded)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DecodeOnly(benchmark::State& state) {
  const std::vector<uint8_t>& jpg = Jpeg(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    cliprt::StatusOr<Image> img = DecodeImage(jpg.data(), jpg.size());
    benchmark::DoNotOptimize(img);
  }
}
BENCHMARK(BM_DecodeOnly)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PreprocessOnly(benchmark::State& state) {
  const std::vector<uint8_t>& jpg = Jpeg(static_cast<int>(state.range(0)));
  cliprt::StatusOr<Image> img = DecodeImage(jpg.data(), jpg.size());
  const PreprocessConfig config = OpenAIPreset(224);
  std::vector<float> out(3 * 224 * 224);
  for (auto _ : state) {
    cliprt::Status s = PreprocessInto(*img, config, out.data(), out.size());
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_PreprocessOnly)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
