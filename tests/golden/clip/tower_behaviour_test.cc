// Properties of the CLIP towers beyond parity: the up-to-EOT shortcut is
// exact, results do not depend on batching, thread count or concurrent
// callers, a warm arena stops allocating, bad inputs and unsupported
// checkpoints are clear errors, and the reduced precisions run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "golden/clip/clip_fixture.h"
#include "model/clip_text_tower.h"
#include "model/vit_vision_tower.h"

namespace cliprt::testing {
namespace {

bool BitEqual(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The fixture's texts followed by its pooling-rule rows, as one id matrix.
std::vector<int64_t> AllIds(const ClipFixture& f, int64_t* rows) {
  const int64_t ctx = f.token_ids.dim(1);
  std::vector<int64_t> ids(f.token_ids.data_as<int64_t>(), f.token_ids.data_as<int64_t>() + f.token_ids.numel());
  ids.insert(ids.end(), f.pooling_ids.data_as<int64_t>(), f.pooling_ids.data_as<int64_t>() + f.pooling_ids.numel());
  *rows = static_cast<int64_t>(ids.size()) / ctx;
  return ids;
}

class ClipTowerBehaviour : public ::testing::TestWithParam<std::string> {
 protected:
  const ClipFixture& F() { return CachedClipFixture(GetParam()); }
};

// Computing each text only up to its pooled position gives exactly the bits
// of the full 77-position computation.
TEST_P(ClipTowerBehaviour, TextUpToEotIsBitIdenticalToFullLength) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.token_ids.rank(), 2);
  auto shortcut = f.Text();
  auto full = f.Text(kernels::GemmPrecision::kF32, /*full_length=*/true);
  ASSERT_TRUE(shortcut.ok() && full.ok());
  EXPECT_NE((*shortcut)->Describe().find("length=up-to-eot"), std::string::npos);
  EXPECT_NE((*full)->Describe().find("length=full"), std::string::npos);
  int64_t rows = 0;
  std::vector<int64_t> ids = AllIds(f, &rows);
  for (int64_t r = 0; r < rows; ++r) {  // one by one: each text alone at its own length
    auto a = EncodeTexts(**shortcut, ids.data() + r * f.token_ids.dim(1), 1, nullptr);
    auto b = EncodeTexts(**full, ids.data() + r * f.token_ids.dim(1), 1, nullptr);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(BitEqual(*a, *b)) << GetParam() << " text row " << r;
  }
  auto a = EncodeTexts(**shortcut, ids.data(), rows, nullptr);
  auto b = EncodeTexts(**full, ids.data(), rows, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(BitEqual(*a, *b)) << GetParam() << " whole batch";
}

// pool "last" reads position context-1: on a row whose EOT sits there (pooling
// row 2) it must give exactly the bits of the fixture's own rule.
TEST_P(ClipTowerBehaviour, LastPositionPoolingMatchesEotAtTheEnd) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.pooling_ids.rank(), 2);
  const int64_t ctx = f.pooling_ids.dim(1);
  const int64_t* row = f.pooling_ids.data_as<int64_t>() + 2 * ctx;
  ASSERT_EQ(row[ctx - 1], 49407);
  io::ModelConfig last = f.checkpoint.config;
  last.text.pool = "last";
  model::WeightReader reader(f.weights);
  auto tower_last = model::CreateClipTextTower(reader, last, {});
  auto tower = f.Text();
  ASSERT_TRUE(tower_last.ok() && tower.ok()) << tower_last.status().ToString();
  auto a = EncodeTexts(**tower_last, row, 1, nullptr);
  auto b = EncodeTexts(**tower, row, 1, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(BitEqual(*a, *b)) << GetParam();
  // ... and differs from it where the EOT is early (pooling row 1).
  auto c = EncodeTexts(**tower_last, row - ctx, 1, nullptr);
  auto d = EncodeTexts(**tower, row - ctx, 1, nullptr);
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_FALSE(BitEqual(*c, *d)) << GetParam();
}

TEST_P(ClipTowerBehaviour, BatchedEqualsOneByOne) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.pixels.rank(), 4);
  auto vision = f.Vision();
  auto text = f.Text();
  ASSERT_TRUE(vision.ok() && text.ok());
  const int64_t n = f.pixels.dim(0), e = (*vision)->embed_dim();
  const int64_t per_image = f.pixels.numel() / n;
  auto all = EncodeImages(**vision, f.pixels.data_as<float>(), n, nullptr);
  ASSERT_TRUE(all.ok());
  for (int64_t i = 0; i < n; ++i) {
    auto one = EncodeImages(**vision, f.pixels.data_as<float>() + i * per_image, 1, nullptr);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(std::memcmp(one->data(), all->data() + i * e, e * sizeof(float)), 0) << GetParam() << " image " << i;
  }
  // Texts: a larger shuffled batch (mixed lengths, repeated rows) against one by one.
  int64_t rows = 0;
  std::vector<int64_t> base = AllIds(f, &rows);
  const int64_t ctx = f.token_ids.dim(1);
  std::vector<int64_t> big;
  for (int rep = 0; rep < 7; ++rep) {
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t src = (r * 5 + rep * 3) % rows;
      big.insert(big.end(), base.begin() + src * ctx, base.begin() + (src + 1) * ctx);
    }
  }
  const int64_t big_rows = static_cast<int64_t>(big.size()) / ctx;
  auto batched = EncodeTexts(**text, big.data(), big_rows, nullptr);
  ASSERT_TRUE(batched.ok());
  for (int64_t r = 0; r < big_rows; ++r) {
    auto one = EncodeTexts(**text, big.data() + r * ctx, 1, nullptr);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(std::memcmp(one->data(), batched->data() + r * e, e * sizeof(float)), 0) << GetParam() << " text " << r;
  }
}

TEST_P(ClipTowerBehaviour, ThreadCountDoesNotChangeBits) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.pixels.rank(), 4);
  auto vision = f.Vision();
  auto text = f.Text();
  ASSERT_TRUE(vision.ok() && text.ok());
  int64_t rows = 0;
  std::vector<int64_t> ids = AllIds(f, &rows);
  auto img1 = EncodeImages(**vision, f.pixels.data_as<float>(), f.pixels.dim(0), nullptr);
  auto txt1 = EncodeTexts(**text, ids.data(), rows, nullptr);
  ASSERT_TRUE(img1.ok() && txt1.ok());
  for (int threads : {1, 2, 3}) {
    auto pool = ThreadPool::Create(threads);
    ASSERT_TRUE(pool.ok());
    auto img = EncodeImages(**vision, f.pixels.data_as<float>(), f.pixels.dim(0), pool->get());
    auto txt = EncodeTexts(**text, ids.data(), rows, pool->get());
    ASSERT_TRUE(img.ok() && txt.ok());
    EXPECT_TRUE(BitEqual(*img, *img1)) << GetParam() << " vision, " << threads << " threads";
    EXPECT_TRUE(BitEqual(*txt, *txt1)) << GetParam() << " text, " << threads << " threads";
  }
}

TEST_P(ClipTowerBehaviour, ConcurrentCallersGetIdenticalResults) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.pixels.rank(), 4);
  auto vision = f.Vision();
  auto text = f.Text();
  ASSERT_TRUE(vision.ok() && text.ok());
  int64_t rows = 0;
  std::vector<int64_t> ids = AllIds(f, &rows);
  auto img_ref = EncodeImages(**vision, f.pixels.data_as<float>(), f.pixels.dim(0), nullptr);
  auto txt_ref = EncodeTexts(**text, ids.data(), rows, nullptr);
  ASSERT_TRUE(img_ref.ok() && txt_ref.ok());
  auto shared_pool = ThreadPool::Create(2);
  ASSERT_TRUE(shared_pool.ok());
  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      Arena arena;  // each caller its own arena; odd callers share one pool
      model::RunContext ctx{t % 2 ? shared_pool->get() : nullptr, &arena};
      std::vector<float> img(img_ref->size()), txt(txt_ref->size());
      for (int rep = 0; rep < 3; ++rep) {
        const bool ok = (*vision)->Encode(f.pixels.data_as<float>(), f.pixels.dim(0), img.data(),
                                          (*vision)->embed_dim(), ctx).ok() &&
                        (*text)->Encode(ids.data(), rows, txt.data(), (*text)->embed_dim(), ctx).ok();
        if (!ok || !BitEqual(img, *img_ref) || !BitEqual(txt, *txt_ref)) ++mismatches[t];
        arena.Reset();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << GetParam() << " caller " << t;
}

TEST_P(ClipTowerBehaviour, WarmArenaStopsAllocating) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.pixels.rank(), 4);
  auto vision = f.Vision();
  auto text = f.Text();
  ASSERT_TRUE(vision.ok() && text.ok());
  int64_t rows = 0;
  std::vector<int64_t> ids = AllIds(f, &rows);
  auto pool = ThreadPool::Create(2);
  ASSERT_TRUE(pool.ok());
  Arena arena;
  model::RunContext ctx{pool->get(), &arena};
  std::vector<float> img(static_cast<size_t>(f.pixels.dim(0) * (*vision)->embed_dim()));
  std::vector<float> txt(static_cast<size_t>(rows * (*text)->embed_dim()));
  uint64_t after_warmup = 0;
  for (int call = 0; call < 5; ++call) {
    ASSERT_TRUE((*vision)->Encode(f.pixels.data_as<float>(), f.pixels.dim(0), img.data(), (*vision)->embed_dim(), ctx).ok());
    arena.Reset();
    ASSERT_TRUE((*text)->Encode(ids.data(), rows, txt.data(), (*text)->embed_dim(), ctx).ok());
    arena.Reset();
    if (call == 1) after_warmup = arena.system_allocations();
    if (call > 1) {
      EXPECT_EQ(arena.system_allocations(), after_warmup) << GetParam() << " call " << call;
    }
  }
  EXPECT_GT(after_warmup, 0u);
}

TEST_P(ClipTowerBehaviour, OutOfRangeTokenIdsNameTextAndPosition) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.token_ids.rank(), 2);
  auto text = f.Text();
  ASSERT_TRUE(text.ok());
  const int64_t ctx = f.token_ids.dim(1);
  std::vector<int64_t> ids(f.token_ids.data_as<int64_t>(), f.token_ids.data_as<int64_t>() + 3 * ctx);
  std::vector<float> out(static_cast<size_t>(3 * (*text)->embed_dim()));
  Arena arena;
  model::RunContext rc{nullptr, &arena};
  for (int64_t bad : {int64_t{-1}, (*text)->vocab_size(), int64_t{1} << 40}) {
    std::vector<int64_t> b = ids;
    b[2 * ctx + 70] = bad;  // after the EOT: still checked
    Status s = (*text)->Encode(b.data(), 3, out.data(), (*text)->embed_dim(), rc);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find("text 2, position 70"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find(std::to_string(bad)), std::string::npos) << s.ToString();
  }
}

TEST_P(ClipTowerBehaviour, BadCallArgumentsAreErrors) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.pixels.rank(), 4);
  auto vision = f.Vision();
  auto text = f.Text();
  ASSERT_TRUE(vision.ok() && text.ok());
  Arena arena;
  model::RunContext rc{nullptr, &arena};
  model::RunContext no_arena{nullptr, nullptr};
  std::vector<float> out(64 * 1024);
  const float* px = f.pixels.data_as<float>();
  const int64_t* ids = f.token_ids.data_as<int64_t>();
  const int64_t ev = (*vision)->embed_dim(), et = (*text)->embed_dim();
  EXPECT_EQ((*vision)->Encode(px, 1, out.data(), ev - 1, rc).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*vision)->Encode(nullptr, 1, out.data(), ev, rc).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*vision)->Encode(px, -1, out.data(), ev, rc).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*vision)->Encode(px, 1, out.data(), ev, no_arena).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE((*vision)->Encode(px, 0, out.data(), ev, rc).ok());
  EXPECT_EQ((*text)->Encode(ids, 1, out.data(), et - 1, rc).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*text)->Encode(nullptr, 1, out.data(), et, rc).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*text)->Encode(ids, -2, out.data(), et, rc).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*text)->Encode(ids, 1, out.data(), et, no_arena).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE((*text)->Encode(ids, 0, out.data(), et, rc).ok());
  // A wider output stride leaves the padding alone.
  std::vector<float> wide(static_cast<size_t>(2 * (ev + 3)), -7.0f);
  ASSERT_TRUE((*vision)->Encode(px, 2, wide.data(), ev + 3, rc).ok());
  EXPECT_EQ(wide[ev], -7.0f);
  EXPECT_EQ(wide[2 * (ev + 3) - 1], -7.0f);
}

// A config that disagrees with the stored shapes is an error naming the tensor.
TEST_P(ClipTowerBehaviour, ConfigShapeMismatchNamesTheTensor) {
  const ClipFixture& f = F();
  model::TowerOptions options;
  {
    io::ModelConfig c = f.checkpoint.config;
    c.vision.image_size += c.vision.patch_size;  // one more row and column of patches
    model::WeightReader reader(f.weights);
    auto t = model::CreateVitVisionTower(reader, c, options);
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("position_embedding"), std::string::npos) << t.status().ToString();
  }
  {
    io::ModelConfig c = f.checkpoint.config;
    c.vision.patch_size *= 2;
    model::WeightReader reader(f.weights);
    auto t = model::CreateVitVisionTower(reader, c, options);
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("patch_embedding"), std::string::npos) << t.status().ToString();
  }
  {
    io::ModelConfig c = f.checkpoint.config;
    c.text.context_length = 64;
    model::WeightReader reader(f.weights);
    auto t = model::CreateClipTextTower(reader, c, options);
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("position_embedding"), std::string::npos) << t.status().ToString();
  }
  {
    io::ModelConfig c = f.checkpoint.config;
    c.vision.pool = "avg";
    model::WeightReader reader(f.weights);
    auto t = model::CreateVitVisionTower(reader, c, options);
    EXPECT_EQ(t.status().code(), StatusCode::kUnsupported) << t.status().ToString();
  }
  {
    io::ModelConfig c = f.checkpoint.config;
    c.text.pool = "first";
    model::WeightReader reader(f.weights);
    auto t = model::CreateClipTextTower(reader, c, options);
    EXPECT_EQ(t.status().code(), StatusCode::kUnsupported) << t.status().ToString();
  }
}

// Tensors the tower does not consume (open_clip layer scale, an attentional
// pooler) are refused by name, never ignored.
TEST_P(ClipTowerBehaviour, UnconsumedTensorsAreUnsupported) {
  const ClipFixture& f = F();
  ASSERT_FALSE(f.weights.tensors.empty());
  const Tensor& some = f.weights.tensors.begin()->second;
  model::TowerOptions options;
  for (const char* extra : {"visual.transformer.resblocks.0.ls_1.gamma", "visual.attn_pool.query",
                            "vision_model.encoder.layers.0.layer_scale1"}) {
    io::CanonicalWeights w = f.weights;
    w.tensors.emplace(extra, some);
    model::WeightReader reader(w);
    auto t = model::CreateVitVisionTower(reader, f.checkpoint.config, options);
    EXPECT_EQ(t.status().code(), StatusCode::kUnsupported) << extra;
    EXPECT_NE(t.status().message().find(extra), std::string::npos) << t.status().ToString();
  }
  for (const char* extra : {"transformer.resblocks.1.ls_2.gamma", "text.transformer.resblocks.0.ls_1.gamma",
                            "text_model.encoder.layers.0.layer_scale1"}) {
    io::CanonicalWeights w = f.weights;
    w.tensors.emplace(extra, some);
    model::WeightReader reader(w);
    auto t = model::CreateClipTextTower(reader, f.checkpoint.config, options);
    EXPECT_EQ(t.status().code(), StatusCode::kUnsupported) << extra;
    EXPECT_NE(t.status().message().find(extra), std::string::npos) << t.status().ToString();
  }
  // The text tower does not object to vision tensors, nor the vision tower to text ones.
  model::WeightReader reader(f.weights);
  EXPECT_TRUE(model::CreateClipTextTower(reader, f.checkpoint.config, options).ok());
  EXPECT_TRUE(model::CreateVitVisionTower(reader, f.checkpoint.config, options).ok());
}

// bf16 / int8 GEMMs: they run, and stay near fp32 (bounds are loose sanity
// limits; the measured errors are printed for the record).
TEST_P(ClipTowerBehaviour, ReducedPrecisionsRunNearFp32) {
  const ClipFixture& f = F();
  ASSERT_EQ(f.pixels.rank(), 4);
  int64_t rows = 0;
  std::vector<int64_t> ids = AllIds(f, &rows);
  auto v32 = f.Vision();
  auto t32 = f.Text();
  ASSERT_TRUE(v32.ok() && t32.ok());
  auto img32 = EncodeImages(**v32, f.pixels.data_as<float>(), f.pixels.dim(0), nullptr);
  auto txt32 = EncodeTexts(**t32, ids.data(), rows, nullptr);
  ASSERT_TRUE(img32.ok() && txt32.ok());
  struct Case {
    kernels::GemmPrecision precision;
    double bound;
  };
  for (Case c : {Case{kernels::GemmPrecision::kBF16, 0.05}, Case{kernels::GemmPrecision::kQS8, 0.1}}) {
    auto v = f.Vision(c.precision);
    auto t = f.Text(c.precision);
    ASSERT_TRUE(v.ok() && t.ok()) << v.status().ToString() << t.status().ToString();
    EXPECT_NE((*v)->Describe().find(kernels::GemmPrecisionName(c.precision)), std::string::npos);
    auto img = EncodeImages(**v, f.pixels.data_as<float>(), f.pixels.dim(0), nullptr);
    auto txt = EncodeTexts(**t, ids.data(), rows, nullptr);
    ASSERT_TRUE(img.ok() && txt.ok());
    MaxDiff di = Compare(img->data(), img32->data(), static_cast<int64_t>(img->size()));
    MaxDiff dt = Compare(txt->data(), txt32->data(), static_cast<int64_t>(txt->size()));
    std::printf("[ precision] %s %s: image max rel err %.3g, text max rel err %.3g (vs fp32, of max|fp32|)\n",
                GetParam().c_str(), kernels::GemmPrecisionName(c.precision), di.relative(), dt.relative());
    EXPECT_LE(di.relative(), c.bound) << GetParam();
    EXPECT_LE(dt.relative(), c.bound) << GetParam();
    EXPECT_GT(di.max_abs_diff, 0.0) << "a reduced precision that changes nothing did not run";
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ClipTowerBehaviour, ::testing::ValuesIn(ClipFixtureNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cliprt::testing
