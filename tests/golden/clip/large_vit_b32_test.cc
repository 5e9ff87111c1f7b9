// Full-size ViT-B/32 (OpenAI TorchScript fp16 and HF safetensors fp16, random
// weights) against the reference packages, generated at test time by
// tools/fixtures/golden_large.py (ctest label `large`; needs Python with the
// pinned packages of tools/fixtures/requirements.txt). Set
// CLIPRT_LARGE_FIXTURE_DIR to a folder that script already filled to skip
// the generation (~3 minutes on 2 cores); otherwise the output is kept in
// $TMPDIR/cliprt_large_clip_<script mtime>/ and reused by later runs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "common/test_paths.h"
#include "golden/clip/clip_fixture.h"
#include "io/json.h"
#include "model/logits.h"

namespace cliprt::testing {
namespace {

constexpr double kParityBound = 1e-5;

std::string& FixtureRoot() {
  static std::string root;
  return root;
}

class LargeClipVitB32 : public ::testing::TestWithParam<std::string> {
 public:
  // Generated once per script version and shared by the test processes
  // ctest starts (one per test): a fresh folder is filled, then renamed into
  // place; when another process got there first, its folder is used.
  static void SetUpTestSuite() {
    if (const char* dir = std::getenv("CLIPRT_LARGE_FIXTURE_DIR"); dir && *dir) {
      FixtureRoot() = dir;
      return;
    }
    namespace fs = std::filesystem;
    const std::string script = TestDataDir() + "/../../tools/fixtures/golden_large.py";
    std::error_code ec;
    const auto stamp = fs::last_write_time(script, ec).time_since_epoch().count();
    const fs::path final_dir = fs::temp_directory_path() / ("cliprt_large_clip_" + std::to_string(stamp));
    if (fs::exists(final_dir / "hf_vit_b32_full" / "golden.json")) {
      FixtureRoot() = final_dir.string();
      return;
    }
    std::string dir = (fs::temp_directory_path() / "cliprt_large_clip_XXXXXX").string();
    if (!mkdtemp(dir.data())) return;
    const std::string cmd = "python3 '" + script + "' --out '" + dir + "' --threads 2 > '" + dir + "/generator.log' 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "generator failed, see %s/generator.log\n", dir.c_str());
      return;
    }
    fs::rename(dir, final_dir, ec);
    if (ec) {  // another process renamed its copy first
      fs::remove_all(dir, ec);
    }
    FixtureRoot() = final_dir.string();
  }
};

double TorchSeconds(const ClipFixture& f, const char* key) {
  std::ifstream in(f.dir + "/golden.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto g = io::ParseJson(text, "golden.json");
  if (!g.ok()) return 0;
  const io::JsonValue* t = g->Find("torch_seconds");
  const io::JsonValue* v = t ? t->Find(key) : nullptr;
  return v && v->is_number() ? v->number() : 0;
}

TEST_P(LargeClipVitB32, ParityWithReference) {
  ASSERT_FALSE(FixtureRoot().empty()) << "tools/fixtures/golden_large.py did not produce the fixtures";
  auto loaded = LoadClipFixtureDir(FixtureRoot() + "/" + GetParam(), GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const ClipFixture& f = **loaded;
  auto vision = f.Vision();
  auto text = f.Text();
  ASSERT_TRUE(vision.ok()) << vision.status().ToString();
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  std::printf("[ large    ] %s\n  %s\n  %s\n", GetParam().c_str(), (*vision)->Describe().c_str(),
              (*text)->Describe().c_str());
  auto pool = ThreadPool::Create(2);
  ASSERT_TRUE(pool.ok());
  const int64_t n = f.pixels.dim(0), t = f.token_ids.dim(0), e = (*vision)->embed_dim();
  auto img = EncodeImages(**vision, f.pixels.data_as<float>(), n, pool->get());  // warm-up and result
  auto txt = EncodeTexts(**text, f.token_ids.data_as<int64_t>(), t, pool->get());
  ASSERT_TRUE(img.ok() && txt.ok());
  MaxDiff di = Compare(img->data(), f.image_embeds.data_as<float>(), n * e);
  MaxDiff dt = Compare(txt->data(), f.text_embeds.data_as<float>(), t * e);
  std::printf("  image rel diff %.3g, text rel diff %.3g\n", di.relative(), dt.relative());
  EXPECT_LE(di.max_abs_diff, kParityBound * di.max_abs_ref);
  EXPECT_LE(dt.max_abs_diff, kParityBound * dt.max_abs_ref);

  auto pooled = EncodeTexts(**text, f.pooling_ids.data_as<int64_t>(), f.pooling_ids.dim(0), pool->get());
  ASSERT_TRUE(pooled.ok());
  MaxDiff dp = Compare(pooled->data(), f.pooling_text_embeds.data_as<float>(), f.pooling_ids.dim(0) * e);
  EXPECT_LE(dp.max_abs_diff, kParityBound * dp.max_abs_ref);

  std::vector<float> ni(*img), nt(*txt), logits(static_cast<size_t>(n * t));
  ASSERT_TRUE(model::NormalizeRows(n, e, ni.data(), e, ni.data(), e, nullptr).ok());
  ASSERT_TRUE(model::NormalizeRows(t, e, nt.data(), e, nt.data(), e, nullptr).ok());
  ASSERT_TRUE(model::ImageTextLogits(n, t, e, ni.data(), e, nt.data(), e, f.logit_scale, std::nullopt, logits.data(),
                                     t, nullptr)
                  .ok());
  MaxDiff dl = Compare(logits.data(), f.logits_per_image.data_as<float>(), n * t);
  EXPECT_LE(dl.max_abs_diff, kParityBound * dl.max_abs_ref);

  // Reduced precisions at full size: printed for the record, loose sanity bound.
  for (kernels::GemmPrecision p : {kernels::GemmPrecision::kBF16, kernels::GemmPrecision::kQS8}) {
    auto v = f.Vision(p);
    auto tt = f.Text(p);
    ASSERT_TRUE(v.ok() && tt.ok());
    auto img_p = EncodeImages(**v, f.pixels.data_as<float>(), n, pool->get());
    auto txt_p = EncodeTexts(**tt, f.token_ids.data_as<int64_t>(), t, pool->get());
    ASSERT_TRUE(img_p.ok() && txt_p.ok());
    MaxDiff pi = Compare(img_p->data(), img->data(), n * e);
    MaxDiff pt = Compare(txt_p->data(), txt->data(), t * e);
    std::printf("  %s vs fp32: image max rel err %.3g, text max rel err %.3g\n", kernels::GemmPrecisionName(p),
                pi.relative(), pt.relative());
    EXPECT_LE(pi.relative(), 0.2);
    EXPECT_LE(pt.relative(), 0.2);
  }

  // Side by side with the reference's own time for the same batch (printed, never asserted).
  auto time_it = [&](auto&& fn) {
    double best = 1e30;
    for (int i = 0; i < 3; ++i) {
      auto start = std::chrono::steady_clock::now();
      fn();
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
  };
  Arena arena;
  model::RunContext ctx{pool->get(), &arena};
  std::vector<float> out(static_cast<size_t>(std::max(n, t) * e));
  const double ours_img = time_it([&] {
    (void)(*vision)->Encode(f.pixels.data_as<float>(), n, out.data(), e, ctx);
    arena.Reset();
  });
  const double ours_txt = time_it([&] {
    (void)(*text)->Encode(f.token_ids.data_as<int64_t>(), t, out.data(), e, ctx);
    arena.Reset();
  });
  auto full = f.Text(kernels::GemmPrecision::kF32, /*full_length=*/true);
  ASSERT_TRUE(full.ok());
  const double full_txt = time_it([&] {
    (void)(*full)->Encode(f.token_ids.data_as<int64_t>(), t, out.data(), e, ctx);
    arena.Reset();
  });
  std::printf("  text tower over all 77 positions: %.3f s (up to EOT: %.3f s)\n", full_txt, ours_txt);
  std::printf("  2 threads: images x%lld %.3f s (reference %.3f s), texts x%lld %.3f s (reference %.3f s)\n",
              static_cast<long long>(n), ours_img, TorchSeconds(f, "encode_image"), static_cast<long long>(t),
              ours_txt, TorchSeconds(f, "encode_text"));
}

INSTANTIATE_TEST_SUITE_P(Full, LargeClipVitB32, ::testing::Values("openai_vit_b32_full", "hf_vit_b32_full"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cliprt::testing
