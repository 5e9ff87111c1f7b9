// SigLIP tower behaviour on the golden checkpoints: batch and thread-count
// invariance (bit for bit), concurrent Encode, arena steady state, bad
// inputs and unsupported variants, reduced precision within stated bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

#include "core/arena.h"
#include "core/thread_pool.h"
#include "io/model_config.h"
#include "model/siglip_text_tower.h"
#include "model/siglip_vision_tower.h"
#include "siglip_golden.h"

namespace cliprt::testing {
namespace {

using kernels::GemmPrecision;

class SiglipTowers : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto g = LoadSiglipGolden(GetParam());
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    g_ = std::move(*g);
    auto v = g_->Vision();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    vision_ = std::move(*v);
    auto t = g_->Text();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    text_ = std::move(*t);
    images_ = g_->pixels.dim(0);
    texts_ = g_->token_ids.dim(0);
    e_ = vision_->embed_dim();
    pixel_floats_ = 3 * vision_->image_size() * vision_->image_size();
  }

  std::vector<float> EncodeImages(const float* pixels, int64_t n, ThreadPool* pool, Arena* arena,
                                  const model::VisionTower* tower = nullptr) const {
    tower = tower ? tower : vision_.get();
    std::vector<float> out(static_cast<size_t>(n * tower->embed_dim()));
    Status s = tower->Encode(pixels, n, out.data(), tower->embed_dim(), {pool, arena});
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  std::vector<float> EncodeTexts(const int64_t* ids, int64_t n, ThreadPool* pool, Arena* arena,
                                 const model::TextTower* tower = nullptr) const {
    tower = tower ? tower : text_.get();
    std::vector<float> out(static_cast<size_t>(n * tower->embed_dim()));
    Status s = tower->Encode(ids, n, out.data(), tower->embed_dim(), {pool, arena});
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  const float* Pixels() const { return g_->pixels.data_as<float>(); }
  const int64_t* Ids() const { return g_->token_ids.data_as<int64_t>(); }

  std::unique_ptr<SiglipGolden> g_;
  std::unique_ptr<model::VisionTower> vision_;
  std::unique_ptr<model::TextTower> text_;
  int64_t images_ = 0, texts_ = 0, e_ = 0, pixel_floats_ = 0;
};

TEST_P(SiglipTowers, BatchedEqualsOneByOneBitForBit) {
  Arena arena;
  const std::vector<float> img = EncodeImages(Pixels(), images_, nullptr, &arena);
  for (int64_t i = 0; i < images_; ++i) {
    arena.Reset();
    const std::vector<float> one = EncodeImages(Pixels() + i * pixel_floats_, 1, nullptr, &arena);
    EXPECT_EQ(std::memcmp(one.data(), img.data() + i * e_, sizeof(float) * static_cast<size_t>(e_)), 0)
        << "image " << i;
  }
  arena.Reset();
  const std::vector<float> txt = EncodeTexts(Ids(), texts_, nullptr, &arena);
  const int64_t len = text_->context_length();
  for (int64_t i = 0; i < texts_; ++i) {
    arena.Reset();
    const std::vector<float> one = EncodeTexts(Ids() + i * len, 1, nullptr, &arena);
    EXPECT_EQ(std::memcmp(one.data(), txt.data() + i * e_, sizeof(float) * static_cast<size_t>(e_)), 0)
        << "text " << i;
  }
}

TEST_P(SiglipTowers, ThreadCountDoesNotChangeABit) {
  Arena arena;
  const std::vector<float> img = EncodeImages(Pixels(), images_, nullptr, &arena);
  const std::vector<float> txt = EncodeTexts(Ids(), texts_, nullptr, &arena);
  for (int threads : {1, 2, 3}) {
    auto pool = ThreadPool::Create(threads);
    ASSERT_TRUE(pool.ok());
    arena.Reset();
    EXPECT_EQ(EncodeImages(Pixels(), images_, pool->get(), &arena), img) << threads << " threads";
    EXPECT_EQ(EncodeTexts(Ids(), texts_, pool->get(), &arena), txt) << threads << " threads";
  }
}

TEST_P(SiglipTowers, ConcurrentEncodeEqualsSerial) {
  Arena arena;
  const std::vector<float> img = EncodeImages(Pixels(), images_, nullptr, &arena);
  const std::vector<float> txt = EncodeTexts(Ids(), texts_, nullptr, &arena);
  auto shared_pool = ThreadPool::Create(2);
  ASSERT_TRUE(shared_pool.ok());
  constexpr int kThreads = 4, kRounds = 3;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Arena own;  // each caller its own arena; odd threads also share one pool
      ThreadPool* pool = t % 2 ? shared_pool->get() : nullptr;
      for (int r = 0; r < kRounds; ++r) {
        mismatches[static_cast<size_t>(t)] += EncodeImages(Pixels(), images_, pool, &own) != img;
        mismatches[static_cast<size_t>(t)] += EncodeTexts(Ids(), texts_, pool, &own) != txt;
        own.Reset();
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[static_cast<size_t>(t)], 0) << "thread " << t;
}

TEST_P(SiglipTowers, WarmArenaStopsAllocating) {
  Arena arena;
  auto pool = ThreadPool::Create(2);
  ASSERT_TRUE(pool.ok());
  for (int warm = 0; warm < 2; ++warm) {
    EncodeImages(Pixels(), images_, pool->get(), &arena);
    EncodeTexts(Ids(), texts_, pool->get(), &arena);
    arena.Reset();
  }
  const uint64_t allocations = arena.system_allocations();
  const size_t capacity = arena.capacity_bytes();
  for (int round = 0; round < 3; ++round) {
    EncodeImages(Pixels(), images_, pool->get(), &arena);
    EncodeTexts(Ids(), texts_, pool->get(), &arena);
    arena.Reset();
    EXPECT_EQ(arena.system_allocations(), allocations) << "round " << round;
    EXPECT_EQ(arena.capacity_bytes(), capacity) << "round " << round;
  }
}

TEST_P(SiglipTowers, TokenIdOutOfRangeNamesTextAndPosition) {
  const int64_t len = text_->context_length();
  for (int64_t bad : {text_->vocab_size(), int64_t{-1}, std::numeric_limits<int64_t>::max()}) {
    std::vector<int64_t> ids(Ids(), Ids() + texts_ * len);
    ids[static_cast<size_t>(1 * len + 3)] = bad;
    std::vector<float> out(static_cast<size_t>(texts_ * e_), -7.0f);
    Arena arena;
    Status s = text_->Encode(ids.data(), texts_, out.data(), e_, {nullptr, &arena});
    ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find("text 1"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("position 3"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(std::to_string(bad)), std::string::npos) << s.message();
    for (float v : out) ASSERT_EQ(v, -7.0f) << "nothing is written on error";
  }
}

TEST_P(SiglipTowers, BadArgumentsAreErrorsAndEmptyBatchIsFine) {
  std::vector<float> out(static_cast<size_t>(images_ * e_));
  Arena arena;
  const model::RunContext ctx{nullptr, &arena};
  EXPECT_EQ(vision_->Encode(nullptr, 1, out.data(), e_, ctx).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(vision_->Encode(Pixels(), 1, nullptr, e_, ctx).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(vision_->Encode(Pixels(), 1, out.data(), e_ - 1, ctx).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(vision_->Encode(Pixels(), -1, out.data(), e_, ctx).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(vision_->Encode(Pixels(), 1, out.data(), e_, {nullptr, nullptr}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(vision_->Encode(nullptr, 0, nullptr, e_, ctx).ok());
  EXPECT_EQ(text_->Encode(nullptr, 1, out.data(), e_, ctx).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(text_->Encode(Ids(), 1, out.data(), e_ - 1, ctx).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(text_->Encode(Ids(), -2, out.data(), e_, ctx).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(text_->Encode(Ids(), 1, out.data(), e_, {nullptr, nullptr}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(text_->Encode(nullptr, 0, nullptr, e_, ctx).ok());
  // A wider output row stride leaves the gap untouched.
  std::vector<float> wide(static_cast<size_t>(texts_ * (e_ + 5)), -3.0f);
  ASSERT_TRUE(text_->Encode(Ids(), texts_, wide.data(), e_ + 5, ctx).ok());
  const std::vector<float> dense = EncodeTexts(Ids(), texts_, nullptr, &arena);
  for (int64_t i = 0; i < texts_; ++i) {
    EXPECT_EQ(std::memcmp(wide.data() + i * (e_ + 5), dense.data() + i * e_, sizeof(float) * static_cast<size_t>(e_)), 0);
    for (int64_t c = e_; c < e_ + 5; ++c) EXPECT_EQ(wide[static_cast<size_t>(i * (e_ + 5) + c)], -3.0f);
  }
}

TEST_P(SiglipTowers, DescribeNamesTheResolvedArchitecture) {
  const io::ModelConfig& c = g_->checkpoint.config;
  const std::string v = vision_->Describe(), t = text_->Describe();
  EXPECT_NE(v.find("siglip-vit"), std::string::npos) << v;
  EXPECT_NE(v.find(std::string("act=") + io::ActivationName(c.vision.act)), std::string::npos) << v;
  EXPECT_NE(v.find("pool=map"), std::string::npos) << v;
  EXPECT_NE(t.find(std::string("act=") + io::ActivationName(c.text.act)), std::string::npos) << t;
  EXPECT_NE(t.find("mask=none"), std::string::npos) << t;
  EXPECT_NE(t.find("pool=last"), std::string::npos) << t;
}

// Reduced precision vs the fp32 towers on the same inputs. Bounds are
// max|low − f32| / max|f32| with margin over what was measured (see the
// RecordProperty values): bf16 rounds weights and activations to 8 mantissa
// bits per GEMM; int8 quantizes both per row/channel.
TEST_P(SiglipTowers, ReducedPrecisionStaysWithinStatedBounds) {
  Arena arena;
  const std::vector<float> img = EncodeImages(Pixels(), images_, nullptr, &arena);
  const std::vector<float> txt = EncodeTexts(Ids(), texts_, nullptr, &arena);
  struct Case {
    GemmPrecision precision;
    double bound;
    const char* name;
  };
  for (const Case& c : {Case{GemmPrecision::kBF16, 3e-2, "bf16"}, Case{GemmPrecision::kQS8, 8e-2, "int8"}}) {
    auto v = g_->Vision(c.precision);
    auto t = g_->Text(c.precision);
    ASSERT_TRUE(v.ok() && t.ok());
    EXPECT_NE((*v)->Describe().find(std::string("precision=") + kernels::GemmPrecisionName(c.precision)),
              std::string::npos);
    arena.Reset();
    const std::vector<float> lv = EncodeImages(Pixels(), images_, nullptr, &arena, v->get());
    const std::vector<float> lt = EncodeTexts(Ids(), texts_, nullptr, &arena, t->get());
    const double ev = MaxRelativeError(lv.data(), e_, img.data(), e_, images_, e_);
    const double et = MaxRelativeError(lt.data(), e_, txt.data(), e_, texts_, e_);
    EXPECT_LE(ev, c.bound) << c.name << " vision";
    EXPECT_LE(et, c.bound) << c.name << " text";
    EXPECT_GT(ev + et, 0.0) << c.name << " should not be bit-identical to fp32";
    RecordProperty(std::string(c.name) + "_vision_max_rel_err", ErrString(ev));
    RecordProperty(std::string(c.name) + "_text_max_rel_err", ErrString(et));
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SiglipTowers, ::testing::Values("hf_siglip", "open_clip_siglip"));

// ---------------------------------------------------------------------------
// Variants the towers do not implement are refused, never ignored.

class SiglipVariants : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = LoadSiglipGolden("hf_siglip");
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    g_ = std::move(*g);
    config_ = g_->checkpoint.config;
  }
  // Canonical weights with `extra` added and `drop` removed.
  io::CanonicalWeights Weights(const std::string& extra, const std::string& drop = "") const {
    io::CanonicalWeights w;
    w.naming = g_->canonical.naming;
    w.tensors = g_->canonical.tensors;
    w.source_name = g_->canonical.source_name;
    if (!extra.empty()) {
      w.tensors[extra] = Tensor::Zeros(DType::kF32, {config_.vision.width}).value();
      w.source_name[extra] = extra;
    }
    if (!drop.empty()) w.tensors.erase(drop);
    return w;
  }
  std::unique_ptr<SiglipGolden> g_;
  io::ModelConfig config_;
};

TEST_F(SiglipVariants, UnconsumedTensorIsUnsupportedAndNamed) {
  for (const char* extra : {"vision_model.encoder.layers.0.layer_scale1.gamma", "vision_model.head.latent_norm.weight"}) {
    const io::CanonicalWeights w = Weights(extra);
    model::WeightReader reader(w);
    auto tower = model::CreateSiglipVisionTower(reader, config_, {});
    ASSERT_FALSE(tower.ok());
    EXPECT_EQ(tower.status().code(), StatusCode::kUnsupported);
    EXPECT_NE(tower.status().message().find(extra), std::string::npos) << tower.status().message();
  }
  const std::string extra = "text_model.encoder.layers.1.ls_1.gamma";
  const io::CanonicalWeights w = Weights(extra);
  model::WeightReader reader(w);
  auto tower = model::CreateSiglipTextTower(reader, config_, {});
  ASSERT_FALSE(tower.ok());
  EXPECT_EQ(tower.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(tower.status().message().find(extra), std::string::npos) << tower.status().message();
}

TEST_F(SiglipVariants, MissingTensorIsAnErrorNamingIt) {
  for (const char* drop : {"vision_model.head.probe", "vision_model.embeddings.patch_embedding.bias",
                           "vision_model.post_layernorm.weight"}) {
    const io::CanonicalWeights w = Weights("", drop);
    model::WeightReader reader(w);
    auto tower = model::CreateSiglipVisionTower(reader, config_, {});
    ASSERT_FALSE(tower.ok()) << drop;
    EXPECT_NE(tower.status().message().find(drop), std::string::npos) << tower.status().message();
  }
  const io::CanonicalWeights w = Weights("", "text_model.final_layer_norm.bias");
  model::WeightReader reader(w);
  auto tower = model::CreateSiglipTextTower(reader, config_, {});
  ASSERT_FALSE(tower.ok());
  EXPECT_NE(tower.status().message().find("final_layer_norm.bias"), std::string::npos) << tower.status().message();
}

TEST_F(SiglipVariants, UnsupportedConfigsAreRefused) {
  model::WeightReader reader(g_->canonical);
  io::ModelConfig c = config_;
  c.vision.pool = "none";  // vision_use_head=false
  EXPECT_EQ(model::CreateSiglipVisionTower(reader, c, {}).status().code(), StatusCode::kUnsupported);
  c = config_;
  c.vision.kind = "vit";
  EXPECT_EQ(model::CreateSiglipVisionTower(reader, c, {}).status().code(), StatusCode::kInvalidArgument);
  c = config_;
  c.vision.heads = 5;  // 96 is not a multiple of 5
  EXPECT_EQ(model::CreateSiglipVisionTower(reader, c, {}).status().code(), StatusCode::kInvalidArgument);
  c = config_;
  c.text.pool = "argmax";
  EXPECT_EQ(model::CreateSiglipTextTower(reader, c, {}).status().code(), StatusCode::kUnsupported);
  c = config_;
  c.text.proj_type = "param";
  EXPECT_EQ(model::CreateSiglipTextTower(reader, c, {}).status().code(), StatusCode::kUnsupported);
}

// open_clip proj_type "none" (e.g. SO400M-16-SigLIP-i18n-256): the output is
// the final-LayerNormed last position, which the Linear head then maps — so
// head(none-output) must reproduce the tower with its head.
TEST_F(SiglipVariants, TextWithoutHeadOutputsThePooledRow) {
  io::CanonicalWeights w = Weights("");
  const Tensor head_w = w.tensors.at("text_model.head.weight").ToContiguousF32().value();
  const Tensor head_b = w.tensors.at("text_model.head.bias").ToContiguousF32().value();
  w.tensors.erase("text_model.head.weight");
  w.tensors.erase("text_model.head.bias");
  io::ModelConfig c = config_;
  c.text.proj_type = "none";
  model::WeightReader reader(w);
  auto plain = model::CreateSiglipTextTower(reader, c, {});
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  const int64_t d = config_.text.width;
  ASSERT_EQ((*plain)->embed_dim(), d);
  EXPECT_NE((*plain)->Describe().find("proj=none"), std::string::npos);
  const int64_t n = g_->token_ids.dim(0), e = config_.embed_dim;
  std::vector<float> pooled(static_cast<size_t>(n * d));
  Arena arena;
  ASSERT_TRUE((*plain)->Encode(g_->token_ids.data_as<int64_t>(), n, pooled.data(), d, {nullptr, &arena}).ok());
  std::vector<float> projected(static_cast<size_t>(n * e));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t o = 0; o < e; ++o) {
      double s = head_b.data_as<float>()[o];
      for (int64_t k = 0; k < d; ++k) s += double(head_w.data_as<float>()[o * d + k]) * pooled[static_cast<size_t>(i * d + k)];
      projected[static_cast<size_t>(i * e + o)] = static_cast<float>(s);
    }
  }
  EXPECT_LE(MaxRelativeError(projected.data(), e, g_->text_embeds.data_as<float>(), e, n, e), 1e-5);
}

}  // namespace
}  // namespace cliprt::testing
