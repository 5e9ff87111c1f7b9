// LayerNorm, softmax, L2-normalize, mean-pool, add/scale at every ISA level
// against the double-precision references in kernels/ref/f32_ops_ref.h.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "kernels/ops.h"
#include "kernels/ref/f32_ops_ref.h"
#include "ops_test_util.h"

namespace cliprt::kernels {
namespace {

using testing::BitIdentical;
using testing::MakePool;
using testing::OpsLevelTest;
using testing::RandomVector;

constexpr float kEps = std::numeric_limits<float>::epsilon();  // 2^-23
const int64_t kDims[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 768, 1024, 1280};

// LayerNorm outputs are O(1) in units of the row's standard deviation; the
// kernels' error is a few ulp of that scale: |y - ref| <= 8ε·(|ref| + |β| + 1)·(1 + |γ|).
constexpr float kLayerNormBound = 8 * kEps;

class LayerNormTest : public OpsLevelTest {};

TEST_P(LayerNormTest, MatchesReferenceOnEdgeShapes) {
  double worst = 0.0;
  for (int64_t dim : kDims) {
    for (int variant = 0; variant < 3; ++variant) {
      const int64_t rows = 5, ldx = dim + 3, ldy = dim + 1;
      // variant 0: plain; 1: large offset (mean >> std); 2: large magnitudes.
      const float offset = variant == 1 ? 1000.0f : 0.0f;
      const float mag = variant == 2 ? 1e6f : 1.0f;
      std::vector<float> x = RandomVector(rows * ldx, 7 + dim, -mag, mag);
      for (float& v : x) v += offset;
      const std::vector<float> gamma = RandomVector(dim, 11 + dim, 0.5f, 2.0f);
      const std::vector<float> beta = RandomVector(dim, 13 + dim, -1.0f, 1.0f);
      const float eps = variant == 0 ? 1e-5f : 1e-6f;
      std::vector<float> got(rows * ldy, -7.0f), want(rows * ldy, -7.0f);
      ASSERT_TRUE(LayerNorm(ops(), rows, dim, x.data(), ldx, gamma.data(), beta.data(), eps,
                            got.data(), ldy, nullptr)
                      .ok());
      f32_layernorm_ref(rows, dim, x.data(), ldx, gamma.data(), beta.data(), eps, want.data(), ldy);
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t i = 0; i < dim; ++i) {
          const float g = got[r * ldy + i], w = want[r * ldy + i];
          const double scale = (std::fabs(w) + std::fabs(beta[i]) + 1.0) * (1.0 + gamma[i]);
          const double err = std::fabs(g - w) / scale;
          worst = std::max(worst, err);
          ASSERT_LE(err, kLayerNormBound) << "dim " << dim << " variant " << variant << " row " << r
                                          << " col " << i << ": got " << g << " want " << w;
        }
        for (int64_t i = dim; i < ldy; ++i) ASSERT_EQ(got[r * ldy + i], -7.0f) << "wrote past dim";
      }
    }
  }
  std::printf("[ measured ] layernorm %s: max scaled error %.3g eps (bound 8)\n",
              IsaLevelName(GetParam()), worst / kEps);
}

TEST_P(LayerNormTest, NullGammaBetaInPlaceAndConstantRow) {
  const int64_t dim = 37;
  std::vector<float> x = RandomVector(dim, 3);
  std::vector<float> want(dim);
  f32_layernorm_ref(1, dim, x.data(), dim, nullptr, nullptr, 1e-5f, want.data(), dim);
  ASSERT_TRUE(LayerNorm(ops(), 1, dim, x.data(), dim, nullptr, nullptr, 1e-5f, x.data(), dim,
                        nullptr).ok());
  for (int64_t i = 0; i < dim; ++i) EXPECT_NEAR(x[i], want[i], 8 * kEps * (std::fabs(want[i]) + 1));
  // A constant row has zero variance: output is beta (0 here), not NaN.
  std::vector<float> c(dim, 3.25f);
  ASSERT_TRUE(LayerNorm(ops(), 1, dim, c.data(), dim, nullptr, nullptr, 1e-6f, c.data(), dim,
                        nullptr).ok());
  for (float v : c) EXPECT_EQ(v, 0.0f);
}

TEST_P(LayerNormTest, NaNPropagatesToItsRowOnly) {
  const int64_t dim = 40;
  std::vector<float> x = RandomVector(2 * dim, 5), y(2 * dim);
  x[13] = std::numeric_limits<float>::quiet_NaN();
  ASSERT_TRUE(LayerNorm(ops(), 2, dim, x.data(), dim, nullptr, nullptr, 1e-5f, y.data(), dim,
                        nullptr).ok());
  for (int64_t i = 0; i < dim; ++i) EXPECT_TRUE(std::isnan(y[i])) << i;
  for (int64_t i = dim; i < 2 * dim; ++i) EXPECT_TRUE(std::isfinite(y[i])) << i;
}

TEST_P(LayerNormTest, BitIdenticalAcrossThreadCounts) {
  const int64_t rows = 77, dim = 768;
  const std::vector<float> x = RandomVector(rows * dim, 9, -3, 3);
  const std::vector<float> g = RandomVector(dim, 10), b = RandomVector(dim, 11);
  std::vector<float> base(rows * dim);
  ASSERT_TRUE(LayerNorm(ops(), rows, dim, x.data(), dim, g.data(), b.data(), 1e-5f, base.data(),
                        dim, nullptr).ok());
  for (int threads : testing::kThreadCounts) {
    auto pool = MakePool(threads);
    std::vector<float> y(rows * dim);
    ASSERT_TRUE(LayerNorm(ops(), rows, dim, x.data(), dim, g.data(), b.data(), 1e-5f, y.data(),
                          dim, pool.get()).ok());
    EXPECT_TRUE(BitIdentical(base, y)) << threads << " threads";
  }
}

class SoftmaxTest : public OpsLevelTest {};

// Softmax: |y - ref| <= ref·ε·(8 + |x - max| + n/(2·lanes)) + 1e-29: exp's
// few ulp and the division; the rounding of x - max in fp32 (inherent, PyTorch
// has it too: half an ulp of |x - max|, amplified by exp); the fp32 sum, whose
// error is at most half an ulp of the partial sum per add, n/lanes adds per
// lane (worst case, e.g. a few large terms then many small ones; random data
// sees about its square root); the absolute floor covers underflow.
TEST_P(SoftmaxTest, MatchesReferenceIncludingLargeMagnitudes) {
  double worst = 0.0;
  for (int64_t dim : kDims) {
    for (float mag : {1.0f, 30.0f, 1e4f, 1e30f}) {
      const int64_t rows = 3, ld = dim + 2;
      std::vector<float> x = RandomVector(rows * ld, 17 + dim, -mag, mag);
      std::vector<float> got(rows * ld), want(rows * ld);
      ASSERT_TRUE(Softmax(ops(), rows, dim, x.data(), ld, got.data(), ld, nullptr).ok());
      f32_softmax_ref(rows, dim, x.data(), ld, want.data(), ld);
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t i = 0; i < dim; ++i) {
          const float g = got[r * ld + i], w = want[r * ld + i];
          ASSERT_TRUE(std::isfinite(g)) << "dim " << dim << " mag " << mag;
          const float row_max = *std::max_element(x.begin() + r * ld, x.begin() + r * ld + dim);
          const double d = std::fabs(static_cast<double>(x[r * ld + i]) - row_max);
          const double err = std::fabs(g - w) / (w * (8.0 + d + dim / (2.0 * ops().lanes)) + 1e-29 / kEps);
          worst = std::max(worst, err);
          ASSERT_LE(err, kEps) << "dim " << dim << " mag " << mag << " col " << i << ": got "
                                   << g << " want " << w;
        }
      }
    }
  }
  std::printf("[ measured ] softmax %s: max error %.3g of the bound\n",
              IsaLevelName(GetParam()), worst / kEps);
}

TEST_P(SoftmaxTest, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // -inf entries get probability 0; the rest still sum to 1.
  std::vector<float> x = {-inf, 1.0f, -inf, 1.0f, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf,
                          -inf, -inf, -inf, -inf, -inf, 2.0f};
  std::vector<float> y(x.size());
  ASSERT_TRUE(Softmax(ops(), 1, x.size(), x.data(), x.size(), y.data(), x.size(), nullptr).ok());
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_NEAR(y[1] + y[3] + y[17], 1.0f, 4 * kEps);
  // NaN anywhere: the whole row is NaN (as torch.softmax).
  x[5] = nan;
  ASSERT_TRUE(Softmax(ops(), 1, x.size(), x.data(), x.size(), y.data(), x.size(), nullptr).ok());
  for (float v : y) EXPECT_TRUE(std::isnan(v));
  // Length 1: probability 1.
  float one = 123.0f, out = 0.0f;
  ASSERT_TRUE(Softmax(ops(), 1, 1, &one, 1, &out, 1, nullptr).ok());
  EXPECT_EQ(out, 1.0f);
}

TEST_P(SoftmaxTest, BitIdenticalAcrossThreadCounts) {
  const int64_t rows = 50, dim = 197;
  const std::vector<float> x = RandomVector(rows * dim, 21, -8, 8);
  std::vector<float> base(rows * dim);
  ASSERT_TRUE(Softmax(ops(), rows, dim, x.data(), dim, base.data(), dim, nullptr).ok());
  for (int threads : testing::kThreadCounts) {
    auto pool = MakePool(threads);
    std::vector<float> y(rows * dim);
    ASSERT_TRUE(Softmax(ops(), rows, dim, x.data(), dim, y.data(), dim, pool.get()).ok());
    EXPECT_TRUE(BitIdentical(base, y)) << threads << " threads";
  }
}

class L2NormalizeTest : public OpsLevelTest {};

// Norm accumulated in double, one rounding to float, one division: <= 2 ulp.
TEST_P(L2NormalizeTest, MatchesReferenceAcrossMagnitudes) {
  for (int64_t dim : kDims) {
    for (float mag : {1e-30f, 1.0f, 1e30f}) {
      std::vector<float> x = RandomVector(2 * dim, 31 + dim, -mag, mag);
      std::vector<float> got(2 * dim), want(2 * dim);
      ASSERT_TRUE(L2Normalize(ops(), 2, dim, x.data(), dim, 1e-12f, got.data(), dim, nullptr).ok());
      f32_l2_normalize_ref(2, dim, x.data(), dim, 1e-12f, want.data(), dim);
      for (int64_t i = 0; i < 2 * dim; ++i) {
        ASSERT_LE(testing::UlpDistance(got[i], want[i]), 2)
            << "dim " << dim << " mag " << mag << " i " << i << ": " << got[i] << " vs " << want[i];
      }
    }
  }
}

TEST_P(L2NormalizeTest, ZeroVectorUsesEpsAndStaysFinite) {
  std::vector<float> x(19, 0.0f), y(19, 1.0f);
  ASSERT_TRUE(L2Normalize(ops(), 1, 19, x.data(), 19, 1e-12f, y.data(), 19, nullptr).ok());
  for (float v : y) EXPECT_EQ(v, 0.0f);
}

INSTANTIATE_TEST_SUITE_P(Levels, LayerNormTest, ::testing::ValuesIn(testing::kAllLevels),
                         testing::LevelName);
INSTANTIATE_TEST_SUITE_P(Levels, SoftmaxTest, ::testing::ValuesIn(testing::kAllLevels),
                         testing::LevelName);
INSTANTIATE_TEST_SUITE_P(Levels, L2NormalizeTest, ::testing::ValuesIn(testing::kAllLevels),
                         testing::LevelName);

TEST(MeanPoolTest, MatchesReferenceAndIsThreadInvariant) {
  for (int64_t tokens : {1, 2, 49, 50, 197}) {
    for (int64_t dim : {1, 7, 64, 768}) {
      const int64_t batch = 3, row_stride = dim + 5, batch_stride = tokens * row_stride + 3;
      const std::vector<float> x = RandomVector(batch * batch_stride, 41 + tokens + dim, -4, 4);
      std::vector<float> got(batch * dim), want(batch * dim);
      ASSERT_TRUE(MeanPool(batch, tokens, dim, x.data(), batch_stride, row_stride, got.data(), dim,
                           nullptr).ok());
      f32_mean_pool_ref(batch, tokens, dim, x.data(), batch_stride, row_stride, want.data(), dim);
      for (int64_t i = 0; i < batch * dim; ++i) {
        // fp32 sum of `tokens` terms of magnitude <= 4: error <= tokens·ε·4/tokens.
        ASSERT_NEAR(got[i], want[i], 4.0 * kEps * 4.0 + 1e-7) << tokens << "x" << dim;
      }
      for (int threads : testing::kThreadCounts) {
        auto pool = MakePool(threads);
        std::vector<float> y(batch * dim);
        ASSERT_TRUE(MeanPool(batch, tokens, dim, x.data(), batch_stride, row_stride, y.data(), dim,
                             pool.get()).ok());
        EXPECT_TRUE(BitIdentical(got, y));
      }
    }
  }
}

TEST(ElementwiseTest, AddAndScaleAreExactAndHandleLongRuns) {
  const int64_t n = 3 * 16384 + 17;  // several element blocks plus a tail
  const std::vector<float> a = RandomVector(n, 51), b = RandomVector(n, 52);
  auto pool = MakePool(3);
  std::vector<float> y(n), z(n);
  ASSERT_TRUE(Add(n, a.data(), b.data(), y.data(), pool.get()).ok());
  ASSERT_TRUE(Scale(n, a.data(), -0.125f, z.data(), pool.get()).ok());
  for (int64_t i = 0; i < n; ++i) {
    ASSERT_EQ(y[i], a[i] + b[i]);
    ASSERT_EQ(z[i], a[i] * -0.125f);
  }
  std::vector<float> inplace = a;
  ASSERT_TRUE(Add(n, inplace.data(), b.data(), inplace.data(), nullptr).ok());
  EXPECT_TRUE(BitIdentical(inplace, y));
}

TEST(OpsArgumentsTest, BadArgumentsAreErrorsNamingTheProblem) {
  const OpsKernels& ops = ActiveOpsKernels();
  float buf[16] = {};
  Status s = LayerNorm(ops, 1, 0, buf, 1, nullptr, nullptr, 1e-5f, buf, 1, nullptr);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("dim 0"), std::string::npos) << s.message();
  s = LayerNorm(ops, 2, 8, buf, 4, nullptr, nullptr, 1e-5f, buf, 8, nullptr);
  EXPECT_NE(s.message().find("ldx 4"), std::string::npos) << s.message();
  s = LayerNorm(ops, 1, 8, buf, 8, nullptr, nullptr, -1.0f, buf, 8, nullptr);
  EXPECT_NE(s.message().find("eps"), std::string::npos) << s.message();
  EXPECT_FALSE(Softmax(ops, 1, 4, nullptr, 4, buf, 4, nullptr).ok());
  EXPECT_FALSE(L2Normalize(ops, -1, 4, buf, 4, 1e-12f, buf, 4, nullptr).ok());
  EXPECT_FALSE(ApplyActivation(ops, Activation::kGeluErf, -3, buf, buf, nullptr).ok());
  EXPECT_FALSE(ApplyActivation(ops, static_cast<Activation>(99), 3, buf, buf, nullptr).ok());
  EXPECT_FALSE(Add(4, buf, nullptr, buf, nullptr).ok());
  EXPECT_FALSE(MeanPool(1, 0, 4, buf, 0, 4, buf, 4, nullptr).ok());
  // Zero rows / elements are valid no-ops.
  EXPECT_TRUE(Softmax(ops, 0, 4, nullptr, 4, nullptr, 4, nullptr).ok());
  EXPECT_TRUE(Scale(0, nullptr, 2.0f, nullptr, nullptr).ok());
}

TEST(OpsDispatchTest, ActiveTableFollowsActiveIsaLevel) {
  EXPECT_EQ(ActiveOpsKernels().isa, ActiveIsaLevel());
  // Under CLIPRT_ISA=<level> (ctest runs ops_test_forced_<level>) the table
  // is that level whenever the CPU has it.
  if (const char* forced = std::getenv("CLIPRT_ISA")) {
    auto level = ParseIsaLevel(forced);
    ASSERT_TRUE(level.ok()) << forced;
    if (static_cast<int>(*level) <= static_cast<int>(DetectedIsaLevel())) {
      EXPECT_EQ(ActiveOpsKernels().isa, *level) << "CLIPRT_ISA=" << forced;
    }
  }
  EXPECT_NE(OpsKernelsForIsa(IsaLevel::kScalar), nullptr);
  for (IsaLevel level : testing::kAllLevels) {
    const OpsKernels* t = OpsKernelsForIsa(level);
    if (static_cast<int>(level) > static_cast<int>(DetectedIsaLevel())) {
      EXPECT_EQ(t, nullptr);
    } else if (t != nullptr) {
      EXPECT_EQ(t->isa, level);
      EXPECT_NE(t->attention, nullptr);
    }
  }
}

}  // namespace
}  // namespace cliprt::kernels
