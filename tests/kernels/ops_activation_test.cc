// GELU (erf), GELU (tanh), QuickGELU and ReLU at every ISA level against the
// double-precision definitions (kernels/ref/f32_ops_ref.h), on a dense grid,
// every tail length, and special values. The vectorized exp and erf are
// tested through them (their stated error is in kernels/*/f32_vec_*.h).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/ops.h"
#include "kernels/ref/f32_ops_ref.h"
#include "ops_test_util.h"

namespace cliprt::kernels {
namespace {

using testing::OpsLevelTest;

using RefFn = void (*)(int64_t, const float*, float*);

struct ActivationCase {
  Activation act;
  RefFn ref;
};

const ActivationCase kCases[] = {
    {Activation::kGeluErf, f32_gelu_erf_ref},
    {Activation::kGeluTanh, f32_gelu_tanh_ref},
    {Activation::kQuickGelu, f32_quick_gelu_ref},
    {Activation::kRelu, f32_relu_ref},
};

// Error bound, in ulps of the exact result, plus an absolute term for
// x·(1 + erf(z)) near cancellation (x << 0), where erf's own ~3 ulp of 1.0
// error is scaled by 0.5|x|: |err| <= 6 ulp(ref) + 2^-21·|x|·[x < 0].
double AllowedError(float x, float ref) {
  const double ulp = std::max<double>(std::fabs(std::nextafter(ref, INFINITY) - ref),
                                      std::numeric_limits<float>::denorm_min());
  return 6.0 * ulp + (x < 0 ? std::ldexp(std::fabs(x), -21) : 0.0);
}

class ActivationTest : public OpsLevelTest {};

TEST_P(ActivationTest, DenseGridWithinStatedBound) {
  // x = -20 … 20 step 2^-9, plus a log-spaced sweep of magnitudes.
  std::vector<float> x;
  for (int i = -20 * 512; i <= 20 * 512; ++i) x.push_back(static_cast<float>(i) / 512.0f);
  for (float m = 1e-30f; m < 1e30f; m *= 1.7f) {
    x.push_back(m);
    x.push_back(-m);
  }
  for (const ActivationCase& c : kCases) {
    std::vector<float> got(x.size()), want(x.size());
    ASSERT_TRUE(ApplyActivation(ops(), c.act, x.size(), x.data(), got.data(), nullptr).ok());
    c.ref(x.size(), x.data(), want.data());
    double worst_ulps = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
      if (std::isinf(want[i]) || std::isnan(want[i])) {
        ASSERT_TRUE(testing::SameSpecial(got[i], want[i])) << ActivationName(c.act) << "(" << x[i]
                                                           << ") = " << got[i] << " want " << want[i];
        continue;
      }
      const double err = std::fabs(static_cast<double>(got[i]) - want[i]);
      ASSERT_LE(err, AllowedError(x[i], want[i]))
          << ActivationName(c.act) << "(" << x[i] << "): got " << got[i] << " want " << want[i];
      if (x[i] > 0) worst_ulps = std::max<double>(worst_ulps, testing::UlpDistance(got[i], want[i]));
    }
    std::printf("[ measured ] %s %s: max %.0f ulp for x > 0 (bound 6)\n", ActivationName(c.act),
                IsaLevelName(GetParam()), worst_ulps);
  }
}

TEST_P(ActivationTest, EveryTailLengthAndInPlace) {
  for (int64_t n = 1; n <= 40; ++n) {
    const std::vector<float> x = testing::RandomVector(n, 100 + n, -6, 6);
    for (const ActivationCase& c : kCases) {
      std::vector<float> got(n + 1, 42.0f), want(n);
      ASSERT_TRUE(ApplyActivation(ops(), c.act, n, x.data(), got.data(), nullptr).ok());
      c.ref(n, x.data(), want.data());
      for (int64_t i = 0; i < n; ++i) ASSERT_LE(std::fabs(got[i] - want[i]), AllowedError(x[i], want[i]));
      EXPECT_EQ(got[n], 42.0f) << "wrote past the end, n = " << n;
      std::vector<float> inplace = x;
      ASSERT_TRUE(ApplyActivation(ops(), c.act, n, inplace.data(), inplace.data(), nullptr).ok());
      got.resize(n);
      EXPECT_TRUE(testing::BitIdentical(inplace, got));
    }
  }
}

TEST_P(ActivationTest, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x = {nan, inf, -inf, 0.0f, -0.0f, 1e-40f, -1e-40f, 100.0f, -100.0f};
  for (const ActivationCase& c : kCases) {
    std::vector<float> y(x.size());
    ASSERT_TRUE(ApplyActivation(ops(), c.act, x.size(), x.data(), y.data(), nullptr).ok());
    const char* name = ActivationName(c.act);
    EXPECT_TRUE(std::isnan(y[0])) << name << "(NaN)";
    EXPECT_EQ(y[1], inf) << name << "(+inf)";
    EXPECT_EQ(y[3], 0.0f) << name << "(0)";
    EXPECT_EQ(y[4], 0.0f) << name << "(-0)";
    EXPECT_EQ(y[7], 100.0f) << name << "(100)";
    EXPECT_LE(std::fabs(y[8]), 1e-30f) << name << "(-100)";
    EXPECT_LE(std::fabs(y[5]), 1e-40f) << name << "(denormal)";
  }
}

TEST_P(ActivationTest, BitIdenticalAcrossThreadCounts) {
  const int64_t n = 5 * 16384 + 3;
  const std::vector<float> x = testing::RandomVector(n, 77, -5, 5);
  for (const ActivationCase& c : kCases) {
    std::vector<float> base(n);
    ASSERT_TRUE(ApplyActivation(ops(), c.act, n, x.data(), base.data(), nullptr).ok());
    for (int threads : testing::kThreadCounts) {
      auto pool = testing::MakePool(threads);
      std::vector<float> y(n);
      ASSERT_TRUE(ApplyActivation(ops(), c.act, n, x.data(), y.data(), pool.get()).ok());
      EXPECT_TRUE(testing::BitIdentical(base, y)) << ActivationName(c.act) << " " << threads;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, ActivationTest, ::testing::ValuesIn(testing::kAllLevels),
                         testing::LevelName);

}  // namespace
}  // namespace cliprt::kernels
