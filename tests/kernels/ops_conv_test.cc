// Conv2d-as-GEMM (patch embedding, ResNet 3×3 / strided stem / 1×1), BatchNorm
// folding and AvgPool2d against direct references (kernels/ref/f32_ops_ref.h),
// at every ISA level the CPU has.
#include <cmath>
#include <limits>
#include <vector>

#include "core/arena.h"
#include "kernels/avg_pool2d.h"
#include "kernels/batchnorm_fold.h"
#include "kernels/conv2d.h"
#include "kernels/ref/f32_ops_ref.h"
#include "ops_test_util.h"

namespace cliprt::kernels {
namespace {

using testing::OpsLevelTest;
using testing::RandomVector;
constexpr float kEps = std::numeric_limits<float>::epsilon();

struct ConvCase {
  const char* name;
  int64_t batch, cin, h, w, cout, k, stride, pad;
  bool nchw, bias;
};

std::vector<float> Abs(std::vector<float> v) {
  for (float& x : v) x = std::fabs(x);
  return v;
}

// Runs the packed conv and checks it against the direct reference with the
// bound |err| <= ε·(8 + K/8)·Σ|w·x| (fp32 accumulation over K = cin·k·k).
void CheckConv(const ConvCase& c, IsaLevel isa, int threads, std::vector<float>* out = nullptr) {
  SCOPED_TRACE(c.name);
  Conv2dParams p;
  p.in_channels = c.cin;
  p.out_channels = c.cout;
  p.kernel_h = p.kernel_w = c.k;
  p.stride_h = p.stride_w = c.stride;
  p.pad_h = p.pad_w = c.pad;
  const std::vector<float> x = RandomVector(c.batch * c.cin * c.h * c.w, 3, -2, 2);
  const std::vector<float> wt = RandomVector(c.cout * c.cin * c.k * c.k, 4, -0.5f, 0.5f);
  const std::vector<float> bias = RandomVector(c.cout, 5);
  auto conv = PackedConv2d::CreateForIsa(p, wt.data(), c.bias ? bias.data() : nullptr,
                                         GemmPrecision::kF32, isa);
  ASSERT_TRUE(conv.ok()) << conv.status().message();
  const Conv2dInput in = c.nchw ? Conv2dInputNchw(x.data(), c.batch, c.cin, c.h, c.w)
                                : Conv2dInputNhwc(x.data(), c.batch, c.cin, c.h, c.w);
  const int64_t oh = (c.h + 2 * c.pad - c.k) / c.stride + 1;
  const int64_t ow = (c.w + 2 * c.pad - c.k) / c.stride + 1;
  const int64_t rows = c.batch * oh * ow;
  const int64_t ldy = c.cout + 3;
  auto pool = threads > 0 ? testing::MakePool(threads) : nullptr;
  auto bytes = conv->ScratchBytes(c.batch, c.h, c.w, threads > 0 ? threads : 1);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto scratch = AllocateAligned(*bytes);
  ASSERT_TRUE(scratch.ok());
  std::vector<float> y(rows * ldy, 777.0f);
  const Status s =
      conv->Run(in, y.data(), ldy, nullptr, 0, false, pool.get(), scratch->get(), *bytes);
  ASSERT_TRUE(s.ok()) << s.message();

  Conv2dRefShape rs{c.batch, c.cin, c.h, c.w, c.cout, c.k, c.k, c.stride, c.stride, c.pad, c.pad};
  std::vector<float> want(rows * ldy), mag(rows * ldy);
  f32_conv2d_ref(rs, x.data(), in.stride_n, in.stride_c, in.stride_h, in.stride_w, wt.data(),
                 c.bias ? bias.data() : nullptr, want.data(), ldy);
  const std::vector<float> ax = Abs(x), aw = Abs(wt);
  f32_conv2d_ref(rs, ax.data(), in.stride_n, in.stride_c, in.stride_h, in.stride_w, aw.data(),
                 nullptr, mag.data(), ldy);
  const double kdim = static_cast<double>(c.cin * c.k * c.k);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t co = 0; co < c.cout; ++co) {
      const int64_t at = r * ldy + co;
      const double bound = kEps * (8.0 + kdim / 8.0) * (mag[at] + 1.0);
      ASSERT_LE(std::fabs(static_cast<double>(y[at]) - want[at]), bound)
          << "pixel " << r << " channel " << co << ": got " << y[at] << " want " << want[at];
    }
    for (int64_t g = c.cout; g < ldy; ++g) ASSERT_EQ(y[r * ldy + g], 777.0f) << "wrote past cout";
  }
  if (out != nullptr) *out = y;
}

const ConvCase kCases[] = {
    {"patch16_nchw_nobias", 2, 3, 32, 48, 40, 16, 16, 0, true, false},
    {"patch14_nchw_bias_siglip", 1, 3, 28, 28, 24, 14, 14, 0, true, true},
    {"patch32_nchw_leftover_pixels", 1, 3, 70, 65, 16, 32, 32, 0, true, false},
    {"stem_3x3_s2_p1_nchw", 1, 3, 17, 15, 8, 3, 2, 1, true, false},
    {"resnet_3x3_s1_p1_nhwc", 2, 16, 7, 9, 24, 3, 1, 1, false, true},
    {"resnet_1x1_nhwc_direct", 2, 32, 5, 6, 20, 1, 1, 0, false, true},
    {"resnet_1x1_nchw_im2col", 1, 7, 4, 5, 9, 1, 1, 0, true, false},
};

class ConvTest : public OpsLevelTest {};

TEST_P(ConvTest, MatchesDirectConvolution) {
  for (const ConvCase& c : kCases) {
    CheckConv(c, GetParam(), 0);
    if (HasFatalFailure()) return;
  }
}

TEST_P(ConvTest, BitIdenticalAcrossThreadCountsAndRowBlocks) {
  // 1 × 40 × 45 = 1800 output pixels: two row blocks of kConvRowBlock.
  const ConvCase c{"two_row_blocks", 1, 8, 40, 45, 12, 3, 1, 1, false, true};
  std::vector<float> base, y;
  CheckConv(c, GetParam(), 0, &base);
  for (int threads : testing::kThreadCounts) {
    CheckConv(c, GetParam(), threads, &y);
    EXPECT_TRUE(testing::BitIdentical(base, y)) << threads << " threads";
  }
}

TEST_P(ConvTest, ResidualAndReluEpilogue) {
  Conv2dParams p;
  p.in_channels = 16;
  p.out_channels = 16;
  const std::vector<float> x = RandomVector(3 * 4 * 16, 8, -2, 2);
  const std::vector<float> wt = RandomVector(16 * 16, 9, -0.5f, 0.5f);
  const std::vector<float> res = RandomVector(3 * 4 * 16, 10, -2, 2);
  auto conv = PackedConv2d::CreateForIsa(p, wt.data(), nullptr, GemmPrecision::kF32, GetParam());
  ASSERT_TRUE(conv.ok());
  auto bytes = conv->ScratchBytes(1, 3, 4, 1);
  ASSERT_TRUE(bytes.ok());
  auto scratch = AllocateAligned(*bytes);
  ASSERT_TRUE(scratch.ok());
  std::vector<float> y = res;  // residual aliases the output, as in a Bottleneck
  ASSERT_TRUE(conv->Run(Conv2dInputNhwc(x.data(), 1, 16, 3, 4), y.data(), 16, y.data(), 16, true,
                        nullptr, scratch->get(), *bytes).ok());
  Conv2dRefShape rs{1, 16, 3, 4, 16, 1, 1, 1, 1, 0, 0};
  std::vector<float> want(12 * 16);
  f32_conv2d_ref(rs, x.data(), 3 * 4 * 16, 1, 4 * 16, 16, wt.data(), nullptr, want.data(), 16);
  for (size_t i = 0; i < want.size(); ++i) {
    const float expect = std::max(0.0f, want[i] + res[i]);
    ASSERT_NEAR(y[i], expect, 1e-5f) << i;
    if (expect == 0.0f) {
      ASSERT_EQ(y[i], 0.0f);
    }
  }
  // Padded output rows (ldy > cout): same values, padding untouched.
  const int64_t ldy = 21;
  std::vector<float> padded(12 * ldy, 9.0f), res_padded(12 * ldy, 0.0f);
  for (int64_t r = 0; r < 12; ++r)
    for (int64_t c = 0; c < 16; ++c) res_padded[r * ldy + c] = res[r * 16 + c];
  auto pool = testing::MakePool(2);
  auto bytes2 = conv->ScratchBytes(1, 3, 4, 2);
  auto scratch2 = AllocateAligned(*bytes2);
  ASSERT_TRUE(conv->Run(Conv2dInputNhwc(x.data(), 1, 16, 3, 4), padded.data(), ldy,
                        res_padded.data(), ldy, true, pool.get(), scratch2->get(), *bytes2).ok());
  for (int64_t r = 0; r < 12; ++r) {
    for (int64_t c = 0; c < 16; ++c) ASSERT_EQ(padded[r * ldy + c], y[r * 16 + c]) << r << "," << c;
    for (int64_t c = 16; c < ldy; ++c) ASSERT_EQ(padded[r * ldy + c], 9.0f);
  }
}

TEST_P(ConvTest, BatchNormFoldMatchesConvThenBatchNorm) {
  const ConvCase c{"fold", 1, 6, 9, 8, 10, 3, 1, 1, false, false};
  const int64_t per = c.cin * c.k * c.k;
  std::vector<float> wt = RandomVector(c.cout * per, 4, -0.5f, 0.5f);
  const std::vector<float> gamma = RandomVector(c.cout, 20, 0.5f, 1.5f);
  const std::vector<float> beta = RandomVector(c.cout, 21);
  const std::vector<float> mean = RandomVector(c.cout, 22);
  const std::vector<float> var = RandomVector(c.cout, 23, 0.1f, 3.0f);
  const std::vector<float> x = RandomVector(c.h * c.w * c.cin, 3, -2, 2);
  // Unfolded: reference conv, then reference BatchNorm.
  Conv2dRefShape rs{1, c.cin, c.h, c.w, c.cout, 3, 3, 1, 1, 1, 1};
  const Conv2dInput in = Conv2dInputNhwc(x.data(), 1, c.cin, c.h, c.w);
  std::vector<float> conv_out(c.h * c.w * c.cout), want(c.h * c.w * c.cout);
  f32_conv2d_ref(rs, x.data(), in.stride_n, in.stride_c, in.stride_h, in.stride_w, wt.data(),
                 nullptr, conv_out.data(), c.cout);
  f32_batchnorm_ref(c.h * c.w, c.cout, conv_out.data(), gamma.data(), beta.data(), mean.data(),
                    var.data(), 1e-5f, want.data());
  // Folded: one conv with W', b'.
  std::vector<float> folded_bias(c.cout);
  ASSERT_TRUE(FoldBatchNormIntoConv(c.cout, per, wt.data(), nullptr, gamma.data(), beta.data(),
                                    mean.data(), var.data(), 1e-5f, folded_bias.data()).ok());
  Conv2dParams p;
  p.in_channels = c.cin;
  p.out_channels = c.cout;
  p.kernel_h = p.kernel_w = 3;
  p.pad_h = p.pad_w = 1;
  auto conv = PackedConv2d::CreateForIsa(p, wt.data(), folded_bias.data(), GemmPrecision::kF32,
                                         GetParam());
  ASSERT_TRUE(conv.ok());
  auto bytes = conv->ScratchBytes(1, c.h, c.w, 1);
  auto scratch = AllocateAligned(*bytes);
  std::vector<float> y(c.h * c.w * c.cout);
  ASSERT_TRUE(conv->Run(in, y.data(), c.cout, nullptr, 0, false, nullptr, scratch->get(), *bytes)
                  .ok());
  for (size_t i = 0; i < y.size(); ++i) {
    // The fold rounds W' once more (relative ε per weight): bound 64ε of the
    // output scale (|conv| ≤ Σ|w·x| ≈ 54·0.25·2 here, times s ≤ ~5).
    ASSERT_NEAR(y[i], want[i], 64 * kEps * (std::fabs(want[i]) + 10.0)) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, ConvTest, ::testing::ValuesIn(testing::kAllLevels),
                         testing::LevelName);

TEST(BatchNormFoldTest, FoldsConvBiasAndRejectsBadVariance) {
  std::vector<float> w = {1.0f, 2.0f, 3.0f, 4.0f};
  const float conv_bias[2] = {0.5f, -1.0f}, gamma[2] = {2.0f, 1.0f}, beta[2] = {0.25f, 0.0f};
  const float mean[2] = {1.0f, -1.0f}, var[2] = {3.0f, 0.0f};
  float b[2];
  ASSERT_TRUE(FoldBatchNormIntoConv(2, 2, w.data(), conv_bias, gamma, beta, mean, var, 1.0f, b)
                  .ok());
  EXPECT_FLOAT_EQ(w[0], 1.0f);  // s0 = 2/sqrt(4) = 1
  EXPECT_FLOAT_EQ(w[3], 4.0f);  // s1 = 1/sqrt(1) = 1
  EXPECT_FLOAT_EQ(b[0], 0.25f + (0.5f - 1.0f) * 1.0f);
  EXPECT_FLOAT_EQ(b[1], 0.0f + (-1.0f + 1.0f) * 1.0f);
  const float bad_var[2] = {1.0f, -2.0f};
  std::vector<float> w2 = {1.0f, 2.0f, 3.0f, 4.0f};
  Status s = FoldBatchNormIntoConv(2, 2, w2.data(), nullptr, gamma, beta, mean, bad_var, 1e-5f, b);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("channel 1"), std::string::npos) << s.message();
  EXPECT_EQ(w2[0], 1.0f) << "weights modified despite the error";
}

TEST(AvgPool2dTest, MatchesReference) {
  struct Case {
    int64_t h, w, k, s, pad;
    bool include_pad;
  };
  for (const Case& c : {Case{8, 8, 2, 2, 0, true}, Case{7, 9, 2, 2, 0, true},
                        Case{9, 7, 3, 2, 1, true}, Case{9, 7, 3, 2, 1, false},
                        Case{5, 5, 5, 1, 2, true}, Case{1, 1, 1, 1, 0, true}}) {
    const int64_t batch = 2, ch = 19;
    const std::vector<float> x = RandomVector(batch * c.h * c.w * ch, 61, -3, 3);
    AvgPool2dParams p;
    p.kernel_h = p.kernel_w = c.k;
    p.stride_h = p.stride_w = c.s;
    p.pad_h = p.pad_w = c.pad;
    p.count_include_pad = c.include_pad;
    const int64_t oh = (c.h + 2 * c.pad - c.k) / c.s + 1, ow = (c.w + 2 * c.pad - c.k) / c.s + 1;
    std::vector<float> got(batch * oh * ow * ch), want(got.size());
    auto pool = testing::MakePool(3);
    ASSERT_TRUE(AvgPool2d(p, batch, c.h, c.w, ch, x.data(), got.data(), pool.get()).ok());
    f32_avg_pool2d_ref(batch, c.h, c.w, ch, c.k, c.k, c.s, c.s, c.pad, c.pad, c.include_pad,
                       x.data(), want.data());
    for (size_t i = 0; i < got.size(); ++i) {
      // fp32 sum of k² terms of magnitude <= 3, then one division.
      ASSERT_NEAR(got[i], want[i], 3.0 * kEps * (c.k * c.k + 1)) << "k" << c.k << " at " << i;
    }
    std::vector<float> single(got.size());
    ASSERT_TRUE(AvgPool2d(p, batch, c.h, c.w, ch, x.data(), single.data(), nullptr).ok());
    EXPECT_TRUE(testing::BitIdentical(got, single));
  }
}

TEST(ConvArgumentsTest, BadArgumentsAreErrors) {
  Conv2dParams p;
  p.in_channels = 3;
  p.out_channels = 0;
  const std::vector<float> w(27, 0.1f);
  auto bad = PackedConv2d::Create(p, w.data(), nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("out_channels 0"), std::string::npos);
  p.out_channels = 1;
  p.kernel_h = p.kernel_w = 3;
  auto conv = PackedConv2d::Create(p, w.data(), nullptr);
  ASSERT_TRUE(conv.ok());
  EXPECT_FALSE(conv->ScratchBytes(1, 2, 2, 1).ok()) << "2x2 input smaller than the 3x3 kernel";
  auto bytes = conv->ScratchBytes(1, 4, 4, 1);
  ASSERT_TRUE(bytes.ok());
  std::vector<float> x(48, 1.0f), y(4, 5.0f);
  auto scratch = AllocateAligned(*bytes);
  Status s = conv->Run(Conv2dInputNchw(x.data(), 1, 3, 4, 4), y.data(), 1, nullptr, 0, false,
                       nullptr, scratch->get(), *bytes - 64);
  EXPECT_NE(s.message().find("scratch"), std::string::npos) << s.message();
  EXPECT_EQ(y[0], 5.0f);
  AvgPool2dParams ap;
  ap.kernel_h = 2;
  ap.pad_h = 2;  // more than half the kernel
  EXPECT_FALSE(AvgPool2d(ap, 1, 4, 4, 1, x.data(), y.data(), nullptr).ok());
}

}  // namespace
}  // namespace cliprt::kernels
