// Parity with PyTorch itself: inputs and outputs of torch.nn.functional
// (layer_norm, gelu erf/tanh, QuickGELU, softmax, normalize,
// scaled_dot_product_attention with causal and padding masks, conv2d patch
// embedding with bias, conv → BatchNorm(eval) → ReLU → avg_pool2d) generated
// by tools/fixtures/kernels_ops_goldens.py and committed under
// tests/data/kernels/ops. Every ISA level must agree with torch to 1e-5 of the
// output's scale (max |torch|), the budget the encoders' parity needs.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "common/test_paths.h"
#include "core/arena.h"
#include "kernels/attention.h"
#include "kernels/avg_pool2d.h"
#include "kernels/batchnorm_fold.h"
#include "kernels/conv2d.h"
#include "kernels/ops.h"
#include "ops_test_util.h"

namespace cliprt::kernels {
namespace {

constexpr double kParity = 1e-5;

std::vector<float> Load(const std::string& name, size_t count) {
  const std::string path = cliprt::testing::TestDataDir() + "/kernels/ops/" + name + ".f32";
  std::ifstream f(path, std::ios::binary);
  EXPECT_TRUE(f.good()) << "missing fixture " << path
                        << " (python3 tools/fixtures/kernels_ops_goldens.py)";
  std::vector<float> v(count);
  f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(float)));
  EXPECT_EQ(static_cast<size_t>(f.gcount()), count * sizeof(float)) << path << " is too short";
  EXPECT_EQ(f.peek(), std::ifstream::traits_type::eof()) << path << " is longer than expected";
  return v;
}

// max |got - want| / max(1e-30, max |want|); checked against kParity.
double Compare(const char* what, IsaLevel level, const std::vector<float>& got,
               const std::vector<float>& want) {
  double max_ref = 0.0, max_err = 0.0;
  for (size_t i = 0; i < want.size(); ++i) {
    max_ref = std::max<double>(max_ref, std::fabs(want[i]));
    const double e = std::fabs(static_cast<double>(got[i]) - want[i]);
    max_err = std::isnan(e) ? INFINITY : std::max(max_err, e);
  }
  const double rel = max_err / std::max(max_ref, 1e-30);
  std::printf("[ measured ] torch parity %-18s %-6s: max |err| / max |torch| = %.2e\n", what,
              IsaLevelName(level), rel);
  EXPECT_LE(rel, kParity) << what;
  return rel;
}

class TorchParityTest : public testing::OpsLevelTest {};

TEST_P(TorchParityTest, LayerNorm) {
  for (auto [name, rows, dim, eps] : {std::tuple<const char*, int64_t, int64_t, float>{
                                          "layernorm_768", 4, 768, 1e-5f},
                                      {"layernorm_1152", 3, 1152, 1e-6f}}) {
    const std::string n = name;
    const auto x = Load(n + ".x", rows * dim), g = Load(n + ".gamma", dim),
               b = Load(n + ".beta", dim), want = Load(n + ".y", rows * dim);
    std::vector<float> y(rows * dim);
    ASSERT_TRUE(LayerNorm(ops(), rows, dim, x.data(), dim, g.data(), b.data(), eps, y.data(), dim,
                          nullptr).ok());
    Compare(name, GetParam(), y, want);
  }
}

TEST_P(TorchParityTest, Activations) {
  const size_t n = 4005;
  const auto x = Load("act.x", n);
  for (auto [act, name] : {std::pair{Activation::kGeluErf, "gelu_erf"},
                           std::pair{Activation::kGeluTanh, "gelu_tanh"},
                           std::pair{Activation::kQuickGelu, "quick_gelu"}}) {
    const auto want = Load(std::string("act.") + name, n);
    std::vector<float> y(n);
    ASSERT_TRUE(ApplyActivation(ops(), act, n, x.data(), y.data(), nullptr).ok());
    Compare(name, GetParam(), y, want);
    // Elementwise too: within 1e-5 relative, plus 4ε·|x|: torch and we both
    // lose digits to the cancellation in x·(1 + erf(x/√2)) for x << 0, and
    // torch's own GELU is up to ~9.5e-7 off the exact value near x = 3.3.
    for (size_t i = 0; i < n; ++i) {
      ASSERT_LE(std::fabs(y[i] - want[i]), 1e-5 * std::fabs(want[i]) + 4.8e-7 * std::fabs(x[i]))
          << name << "(" << x[i] << ")";
    }
  }
}

TEST_P(TorchParityTest, SoftmaxAndNormalize) {
  auto x = Load("softmax.x", 4 * 197), want = Load("softmax.y", 4 * 197);
  std::vector<float> y(x.size());
  ASSERT_TRUE(Softmax(ops(), 4, 197, x.data(), 197, y.data(), 197, nullptr).ok());
  Compare("softmax", GetParam(), y, want);
  x = Load("normalize.x", 3 * 512);
  want = Load("normalize.y", 3 * 512);
  y.resize(x.size());
  ASSERT_TRUE(L2Normalize(ops(), 3, 512, x.data(), 512, 1e-12f, y.data(), 512, nullptr).ok());
  Compare("normalize", GetParam(), y, want);
}

// q/k/v/out in torch's [batch, heads, seq, d] layout: batch stride heads·seq·d,
// row stride d, and "head h" = offset h·seq·d — expressed with our strides by
// treating each (batch, head) as its own batch entry with one head.
void RunTorchLayoutAttention(const OpsKernels& ops, int64_t batch, int64_t heads, int64_t len,
                             int64_t d, const std::string& name, bool causal,
                             const std::vector<float>* pad_mask, IsaLevel level) {
  const size_t count = batch * heads * len * d;
  const auto q = Load(name + ".q", count), k = Load(name + ".k", count), v = Load(name + ".v", count),
             want = Load(name + ".out", count);
  std::vector<float> out(count);
  std::vector<uint8_t> mask;
  F32AttentionArgs a;
  a.batch = batch * heads;
  a.heads = 1;
  a.q_len = a.kv_len = len;
  a.head_dim = d;
  a.q = q.data();
  a.k = k.data();
  a.v = v.data();
  a.out = out.data();
  a.q_batch_stride = a.k_batch_stride = a.v_batch_stride = a.out_batch_stride = len * d;
  a.q_row_stride = a.k_row_stride = a.v_row_stride = a.out_row_stride = d;
  a.scale = AttentionDefaultScale(d);
  a.causal = causal;
  if (pad_mask != nullptr) {  // expand [batch, len] to one row per (batch, head)
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t h = 0; h < heads; ++h)
        for (int64_t j = 0; j < len; ++j) mask.push_back((*pad_mask)[b * len + j] != 0.0f);
    a.key_padding_mask = mask.data();
    a.mask_batch_stride = len;
  }
  auto pool = testing::MakePool(2);
  std::vector<float> scratch(F32AttentionScratchFloats(len, d, 2));
  ASSERT_TRUE(F32Attention(ops, a, pool.get(), scratch.data(), scratch.size()).ok());
  Compare(name.c_str(), level, out, want);
}

TEST_P(TorchParityTest, ScaledDotProductAttention) {
  RunTorchLayoutAttention(ops(), 1, 4, 77, 64, "attn_causal", true, nullptr, GetParam());
  const auto pad = Load("attn_padding.mask", 2 * 50);
  RunTorchLayoutAttention(ops(), 2, 2, 50, 80, "attn_padding", false, &pad, GetParam());
}

TEST_P(TorchParityTest, PatchEmbeddingWithBias) {
  const auto x = Load("patch.x", 3 * 64 * 64), w = Load("patch.w", 32 * 3 * 16 * 16),
             b = Load("patch.b", 32), want = Load("patch.y", 16 * 32);
  Conv2dParams p;
  p.in_channels = 3;
  p.out_channels = 32;
  p.kernel_h = p.kernel_w = p.stride_h = p.stride_w = 16;
  auto conv = PackedConv2d::CreateForIsa(p, w.data(), b.data(), GemmPrecision::kF32, GetParam());
  ASSERT_TRUE(conv.ok()) << conv.status().message();
  auto bytes = conv->ScratchBytes(1, 64, 64, 1);
  auto scratch = AllocateAligned(*bytes);
  std::vector<float> y(16 * 32);
  ASSERT_TRUE(conv->Run(Conv2dInputNchw(x.data(), 1, 3, 64, 64), y.data(), 32, nullptr, 0, false,
                        nullptr, scratch->get(), *bytes).ok());
  Compare("patch_embed", GetParam(), y, want);
}

TEST_P(TorchParityTest, ResNetStemConvBatchNormReluAvgPool) {
  auto w = Load("stem.w", 16 * 27);
  const auto x = Load("stem.x", 3 * 32 * 32), gamma = Load("stem.bn_gamma", 16),
             beta = Load("stem.bn_beta", 16), mean = Load("stem.bn_mean", 16),
             var = Load("stem.bn_var", 16), want = Load("stem.y", 16 * 16 * 16),
             want_pooled = Load("stem.pooled", 8 * 8 * 16);
  std::vector<float> bias(16);
  ASSERT_TRUE(FoldBatchNormIntoConv(16, 27, w.data(), nullptr, gamma.data(), beta.data(),
                                    mean.data(), var.data(), 1e-5f, bias.data()).ok());
  Conv2dParams p;
  p.in_channels = 3;
  p.out_channels = 16;
  p.kernel_h = p.kernel_w = 3;
  p.stride_h = p.stride_w = 2;
  p.pad_h = p.pad_w = 1;
  auto conv = PackedConv2d::CreateForIsa(p, w.data(), bias.data(), GemmPrecision::kF32, GetParam());
  ASSERT_TRUE(conv.ok());
  auto bytes = conv->ScratchBytes(1, 32, 32, 1);
  auto scratch = AllocateAligned(*bytes);
  std::vector<float> y(16 * 16 * 16), pooled(8 * 8 * 16);
  ASSERT_TRUE(conv->Run(Conv2dInputNchw(x.data(), 1, 3, 32, 32), y.data(), 16, nullptr, 0, true,
                        nullptr, scratch->get(), *bytes).ok());
  Compare("stem_conv_bn_relu", GetParam(), y, want);
  ASSERT_TRUE(AvgPool2d(AvgPool2dParams{}, 1, 16, 16, 16, y.data(), pooled.data(), nullptr).ok());
  Compare("stem_avgpool", GetParam(), pooled, want_pooled);
}

INSTANTIATE_TEST_SUITE_P(Levels, TorchParityTest, ::testing::ValuesIn(testing::kAllLevels),
                         testing::LevelName);

}  // namespace
}  // namespace cliprt::kernels
