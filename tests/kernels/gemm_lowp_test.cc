// bf16 and int8 GEMM at every ISA level (native vdpbf16ps / VNNI where the CPU
// has them, the documented fallbacks elsewhere): exact where the inputs are
// representable, otherwise within the quantization bounds of docs/kernels.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "tests/kernels/gemm_test_util.h"

namespace cliprt::kernels::testing {
namespace {

using Param = std::tuple<IsaLevel, GemmPrecision>;

class LowPrecisionGemmTest : public ::testing::TestWithParam<Param> {
 protected:
  IsaLevel isa() const { return std::get<0>(GetParam()); }
  GemmPrecision precision() const { return std::get<1>(GetParam()); }
  void SetUp() override {
    std::string why;
    if (IsaMissing(isa(), &why)) GTEST_SKIP() << why;
  }
  PackedGemmWeights Pack(const std::vector<float>& w, int64_t n, int64_t k) {
    auto packed = PackedGemmWeights::CreateForIsa(precision(), w.data(), n, k, k, isa());
    EXPECT_TRUE(packed.ok()) << packed.status().ToString();
    return packed.ok() ? std::move(packed).value() : PackedGemmWeights();
  }
};

struct Shape {
  int64_t m, n, k;
};
const Shape kShapes[] = {{1, 1, 1},    {1, 33, 17},  {3, 8, 255}, {5, 31, 257},  {13, 15, 513},
                         {14, 32, 2},  {15, 64, 3},  {29, 96, 31}, {50, 40, 1025}, {169, 8, 270},
                         {7, 33, 1030}, {2, 17, 4}};

// Integer inputs the format represents exactly: bf16 holds integers up to
// 256; int8 with a row maximum of 127 gets scale 1 and q = x.
TEST_P(LowPrecisionGemmTest, ExactOnRepresentableIntegers) {
  std::mt19937 rng(21);
  const bool int8 = precision() == GemmPrecision::kQS8;
  for (const Shape& s : kShapes) {
    if (int8 && s.k > 1000) continue;  // keep Σ below 2^24 so fp32 holds it exactly
    SCOPED_TRACE(::testing::Message() << "M=" << s.m << " N=" << s.n << " K=" << s.k);
    auto x = RandomIntegers(s.m * s.k, int8 ? -127 : -8, int8 ? 127 : 8, rng);
    auto w = RandomIntegers(s.n * s.k, int8 ? -127 : -8, int8 ? 127 : 8, rng);
    if (int8) {  // pin every row maximum to 127
      for (int64_t i = 0; i < s.m; ++i) x[i * s.k] = 127;
      for (int64_t j = 0; j < s.n; ++j) w[j * s.k] = -127;
    }
    const auto bias = RandomIntegers(s.n, -50, 50, rng);
    const auto residual = RandomIntegers(s.m * s.n, -50, 50, rng);
    PackedGemmWeights packed = Pack(w, s.n, s.k);
    ASSERT_NE(packed.data(), nullptr);
    GemmEpilogue ep;
    ep.bias = bias.data();
    ep.residual = residual.data();
    ep.ldr = s.n;
    std::vector<float> y(s.m * s.n);
    ASSERT_TRUE(RunPacked(packed, s.m, x.data(), s.k, y.data(), s.n, ep, 2).ok());
    const RefResult ref = Reference(s.m, s.n, s.k, x.data(), s.k, w.data(), s.k, ep);
    int64_t mismatches = 0;
    for (size_t i = 0; i < y.size(); ++i) mismatches += y[i] != ref.y[i];
    EXPECT_EQ(mismatches, 0) << packed.plan().kernel_name;
  }
}

// Bounds (per output, before the activation's slope 1.2 and its own error):
//   bf16: |err| <= (2^-7 + 2^-16 + γ_{K+1}) · S   (each input rounded by <= 2^-8)
//   int8: |err| <= 1.01·Σ_k(|x_k|·s_w/2 + |w_k|·s_x/2 + s_x·s_w/4) + 4·eps·S + γ·S
//         with s_x = max|x_row|/127, s_w = max|w_col|/127.
TEST_P(LowPrecisionGemmTest, RandomInputsWithinQuantizationBound) {
  std::mt19937 rng(31);
  const Shape shapes[] = {{1, 40, 70}, {17, 33, 257}, {50, 96, 1100}, {170, 70, 40}};
  for (const Shape& s : shapes) {
    for (int act = 0; act < 4; ++act) {
      SCOPED_TRACE(::testing::Message() << "M=" << s.m << " N=" << s.n << " K=" << s.k << " act=" << act);
      const int64_t ldx = s.k + 1, ldy = s.n + 3;
      const auto x = RandomUniform(s.m * ldx, -1.0f, 1.0f, rng);
      const auto w = RandomUniform(s.n * s.k, -0.5f, 0.5f, rng);
      const auto bias = RandomUniform(s.n, -1.0f, 1.0f, rng);
      const auto residual = RandomUniform(s.m * s.n, -1.0f, 1.0f, rng);
      PackedGemmWeights packed = Pack(w, s.n, s.k);
      ASSERT_NE(packed.data(), nullptr);
      GemmEpilogue ep;
      ep.activation = static_cast<GemmActivation>(act);
      ep.bias = bias.data();
      ep.residual = residual.data();
      ep.ldr = s.n;
      std::vector<float> y(s.m * ldy);
      ASSERT_TRUE(RunPacked(packed, s.m, x.data(), ldx, y.data(), ldy, ep, 2).ok());
      const RefResult ref = Reference(s.m, s.n, s.k, x.data(), ldx, w.data(), s.k, ep);
      const double kk = static_cast<double>(s.k + 1);
      const double gamma = kk * kEps / (1 - kk * kEps);
      for (int64_t i = 0; i < s.m; ++i) {
        float sx = 0;
        for (int64_t p = 0; p < s.k; ++p) sx = std::max(sx, std::fabs(x[i * ldx + p]));
        sx /= 127.0f;
        for (int64_t j = 0; j < s.n; ++j) {
          const size_t r = i * s.n + j;
          double q;
          if (precision() == GemmPrecision::kBF16) {
            q = (1.0 / 128 + 1.0 / 65536 + gamma) * ref.abs_sum[r];
          } else {
            float sw = 0;
            for (int64_t p = 0; p < s.k; ++p) sw = std::max(sw, std::fabs(w[j * s.k + p]));
            sw /= 127.0f;
            double sum = 0;
            for (int64_t p = 0; p < s.k; ++p) {
              sum += std::fabs(x[i * ldx + p]) * sw / 2 + std::fabs(w[j * s.k + p]) * sx / 2 +
                     sx * sw / 4;
            }
            q = 1.01 * sum + (4 * kEps + gamma) * ref.abs_sum[r];
          }
          const double pre = std::fabs(ref.pre[r]) + q;
          double bound = q * (act == 0 ? 1.0 : 1.2);
          if (act != 0) {
            bound += kEps * (16 + 6 * pre + pre * pre + 0.25 * pre * pre * pre) *
                     std::fabs(GemmActivationRef(ep.activation, ref.pre[r]));
          }
          bound += kEps * std::fabs(ref.y[r]) + 1e-30;
          const double err = std::fabs(static_cast<double>(y[i * ldy + j]) - ref.y[r]);
          ASSERT_LE(err, bound) << "(" << i << ", " << j << ") got " << y[i * ldy + j] << " want "
                                << ref.y[r] << " " << packed.plan().kernel_name;
        }
      }
    }
  }
}

TEST_P(LowPrecisionGemmTest, BitIdenticalForAnyThreadCount) {
  std::mt19937 rng(41);
  const Shape s{210, 300, 1100};  // several row blocks, column groups and K blocks
  const auto x = RandomUniform(s.m * s.k, -1.0f, 1.0f, rng);
  const auto w = RandomUniform(s.n * s.k, -1.0f, 1.0f, rng);
  PackedGemmWeights packed = Pack(w, s.n, s.k);
  ASSERT_NE(packed.data(), nullptr);
  GemmEpilogue ep;
  ep.activation = GemmActivation::kQuickGelu;
  std::vector<float> one(s.m * s.n);
  ASSERT_TRUE(RunPacked(packed, s.m, x.data(), s.k, one.data(), s.n, ep, 1).ok());
  for (int threads : {2, 3, 8}) {
    std::vector<float> many(s.m * s.n);
    ASSERT_TRUE(RunPacked(packed, s.m, x.data(), s.k, many.data(), s.n, ep, threads).ok());
    EXPECT_EQ(0, std::memcmp(one.data(), many.data(), one.size() * sizeof(float)))
        << threads << " threads differ from 1";
  }
  // Rows do not depend on the batch: rows 17..19 alone give the same bits.
  std::vector<float> part(3 * s.n);
  ASSERT_TRUE(RunPacked(packed, 3, x.data() + 17 * s.k, s.k, part.data(), s.n, ep, 2).ok());
  EXPECT_EQ(0, std::memcmp(part.data(), one.data() + 17 * s.n, part.size() * sizeof(float)));
  // A single row (M = 1 runs the one-row kernel where the level has one,
  // over several panels and a ragged last panel) gives the same bits too.
  for (int64_t row : {int64_t{0}, int64_t{17}, s.m - 1}) {
    for (int threads : {1, 2}) {
      std::vector<float> single(s.n);
      ASSERT_TRUE(RunPacked(packed, 1, x.data() + row * s.k, s.k, single.data(), s.n, ep, threads).ok());
      EXPECT_EQ(0, std::memcmp(single.data(), one.data() + row * s.n, single.size() * sizeof(float)))
          << "row " << row << " alone, " << threads << " threads";
    }
  }
}

TEST_P(LowPrecisionGemmTest, NonFiniteRowGivesNonFiniteOutputs) {
  std::mt19937 rng(51);
  const int64_t m = 6, n = 20, k = 40;
  auto x = RandomUniform(m * k, -1.0f, 1.0f, rng);
  const auto w = RandomUniform(n * k, -1.0f, 1.0f, rng);
  x[2 * k + 5] = std::nanf("");
  PackedGemmWeights packed = Pack(w, n, k);
  ASSERT_NE(packed.data(), nullptr);
  std::vector<float> y(m * n);
  ASSERT_TRUE(RunPacked(packed, m, x.data(), k, y.data(), n, GemmEpilogue(), 1).ok());
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      if (i == 2) {
        EXPECT_TRUE(std::isnan(y[i * n + j])) << j;
      } else {
        EXPECT_TRUE(std::isfinite(y[i * n + j])) << i << "," << j;
      }
    }
  }
}

// The int8 fallback sums the same integers as VNNI and dequantizes with the
// same float operations, so without an activation the two agree bit for bit.
TEST(QS8GemmTest, NativeAndFallbackAgreeBitForBit) {
  if (!GemmHasNativePath(GemmPrecision::kQS8, IsaLevel::kAvx512)) {
    GTEST_SKIP() << "CPU lacks AVX512_VNNI: only the fallback runs here";
  }
  std::mt19937 rng(61);
  const int64_t m = 45, n = 70, k = 1500;
  const auto x = RandomUniform(m * k, -3.0f, 3.0f, rng);
  const auto w = RandomUniform(n * k, -1.0f, 1.0f, rng);
  const auto bias = RandomUniform(n, -1.0f, 1.0f, rng);
  GemmEpilogue ep;
  ep.bias = bias.data();
  std::vector<float> native(m * n), fallback(m * n);
  auto a = PackedGemmWeights::CreateForIsa(GemmPrecision::kQS8, w.data(), n, k, k, IsaLevel::kAvx512);
  auto b = PackedGemmWeights::CreateForIsa(GemmPrecision::kQS8, w.data(), n, k, k, IsaLevel::kScalar);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(RunPacked(*a, m, x.data(), k, native.data(), n, ep, 2).ok());
  ASSERT_TRUE(RunPacked(*b, m, x.data(), k, fallback.data(), n, ep, 1).ok());
  EXPECT_EQ(0, std::memcmp(native.data(), fallback.data(), native.size() * sizeof(float)));
}

INSTANTIATE_TEST_SUITE_P(
    AllIsa, LowPrecisionGemmTest,
    ::testing::Combine(::testing::ValuesIn(AllIsaLevels()),
                       ::testing::Values(GemmPrecision::kBF16, GemmPrecision::kQS8)),
    [](const ::testing::TestParamInfo<Param>& info) {
      return std::string(GemmPrecisionName(std::get<1>(info.param))) + "_" +
             IsaLevelName(std::get<0>(info.param));
    });

}  // namespace
}  // namespace cliprt::kernels::testing
