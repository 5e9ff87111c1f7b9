// GEMM interface: planning per ISA level, size queries, and clear errors on
// bad arguments (never a crash); agreement with Eigen's fp32 product.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>

#include "tests/kernels/gemm_test_util.h"

namespace cliprt::kernels::testing {
namespace {

TEST(GemmPlanTest, PicksAKernelPerAvailableLevelAndRejectsMissingOnes) {
  for (IsaLevel isa : AllIsaLevels()) {
    for (GemmPrecision p : {GemmPrecision::kF32, GemmPrecision::kBF16, GemmPrecision::kQS8}) {
      auto plan = PlanGemmForIsa(p, 77, 99, isa);
      if (isa > DetectedIsaLevel()) {
        ASSERT_FALSE(plan.ok());
        EXPECT_EQ(plan.status().code(), StatusCode::kUnsupported);
        continue;
      }
      ASSERT_TRUE(plan.ok()) << plan.status().ToString();
      EXPECT_LE(plan->isa, isa);
      EXPECT_EQ(plan->n, 77);
      EXPECT_EQ(plan->k, 99);
      EXPECT_GE(plan->k_padded, 99);
      EXPECT_EQ(GemmPackedWeightsBytes(*plan) % 64, 0u);
      EXPECT_GT(GemmScratchBytes(*plan, 5, 3), 0u);
      if (p == GemmPrecision::kF32 || GemmHasNativePath(p, isa)) {
        EXPECT_EQ(plan->isa, isa) << plan->kernel_name;
      }
    }
  }
}

TEST(GemmPlanTest, RejectsBadShapes) {
  EXPECT_EQ(PlanGemm(GemmPrecision::kF32, 0, 5).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PlanGemm(GemmPrecision::kF32, 5, -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PlanGemm(GemmPrecision::kF32, int64_t{1} << 40, int64_t{1} << 20).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(PlanGemm(GemmPrecision::kQS8, 4, 70000).status().code(), StatusCode::kUnsupported);
}

TEST(GemmRunTest, BadArgumentsAreErrorsNotCrashes) {
  std::mt19937 rng(1);
  const auto w = RandomUniform(8 * 16, -1, 1, rng);
  const auto x = RandomUniform(4 * 16, -1, 1, rng);
  auto packed = PackedGemmWeights::Create(GemmPrecision::kF32, w.data(), 8, 16, 16);
  ASSERT_TRUE(packed.ok());
  const GemmPlan& plan = packed->plan();
  std::vector<float> y(4 * 8);
  auto scratch = AllocateAligned(GemmScratchBytes(plan, 4, 1));
  ASSERT_TRUE(scratch.ok());
  const size_t bytes = GemmScratchBytes(plan, 4, 1);
  void* s = scratch->get();
  const void* pw = packed->data();
  GemmEpilogue ep;
  EXPECT_TRUE(RunGemm(plan, pw, 4, x.data(), 16, y.data(), 8, ep, nullptr, s, bytes).ok());
  EXPECT_TRUE(RunGemm(plan, pw, 0, nullptr, 16, nullptr, 8, ep, nullptr, nullptr, 0).ok());
  auto code = [&](Status st) { return st.code(); };
  EXPECT_EQ(code(RunGemm(plan, pw, -1, x.data(), 16, y.data(), 8, ep, nullptr, s, bytes)),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code(RunGemm(plan, pw, 4, x.data(), 15, y.data(), 8, ep, nullptr, s, bytes)),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code(RunGemm(plan, pw, 4, x.data(), 16, y.data(), 7, ep, nullptr, s, bytes)),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code(RunGemm(plan, pw, 4, x.data(), 16, y.data(), 8, ep, nullptr, s, bytes - 64)),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code(RunGemm(plan, nullptr, 4, x.data(), 16, y.data(), 8, ep, nullptr, s, bytes)),
            StatusCode::kInvalidArgument);
  GemmEpilogue bad_residual;
  bad_residual.residual = y.data();
  bad_residual.ldr = 3;
  EXPECT_EQ(code(RunGemm(plan, pw, 4, x.data(), 16, y.data(), 8, bad_residual, nullptr, s, bytes)),
            StatusCode::kInvalidArgument);
  GemmEpilogue bad_act;
  bad_act.activation = static_cast<GemmActivation>(9);
  EXPECT_EQ(code(RunGemm(plan, pw, 4, x.data(), 16, y.data(), 8, bad_act, nullptr, s, bytes)),
            StatusCode::kInvalidArgument);
  GemmPlan forged = plan;
  forged.kernel_id = 1000;
  EXPECT_EQ(code(RunGemm(forged, pw, 4, x.data(), 16, y.data(), 8, ep, nullptr, s, bytes)),
            StatusCode::kInvalidArgument);
  std::vector<uint8_t> small(GemmPackedWeightsBytes(plan));
  EXPECT_EQ(code(PackGemmWeights(plan, w.data(), 16, small.data(), 10)), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(PackGemmWeights(plan, w.data(), 15, scratch->get(), 1 << 20)),
            StatusCode::kInvalidArgument);
}

TEST(GemmRunTest, Int8RejectsNonFiniteWeightsNamingTheRow) {
  std::vector<float> w(6 * 10, 0.5f);
  w[4 * 10 + 3] = std::nanf("");
  auto packed = PackedGemmWeights::Create(GemmPrecision::kQS8, w.data(), 6, 10, 10);
  ASSERT_FALSE(packed.ok());
  EXPECT_EQ(packed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(packed.status().message().find("row 4"), std::string::npos) << packed.status().ToString();
}

// Eigen (as compiled into this test, default flags) is an independent fp32
// implementation; both must sit within the same bound of the double reference
// and so within twice that bound of each other.
TEST(GemmEigenTest, AgreesWithEigenAtEveryLevel) {
  std::mt19937 rng(11);
  const int64_t m = 77, n = 130, k = 515;
  const auto x = RandomUniform(m * k, -1, 1, rng);
  const auto w = RandomUniform(n * k, -1, 1, rng);
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMajor> ex(x.data(), m, k), ew(w.data(), n, k);
  const RowMajor ey = ex * ew.transpose();
  const RefResult ref = Reference(m, n, k, x.data(), k, w.data(), k, GemmEpilogue());
  for (IsaLevel isa : AllIsaLevels()) {
    if (isa > DetectedIsaLevel()) continue;
    SCOPED_TRACE(IsaLevelName(isa));
    auto packed = PackedGemmWeights::CreateForIsa(GemmPrecision::kF32, w.data(), n, k, k, isa);
    ASSERT_TRUE(packed.ok());
    std::vector<float> y(m * n);
    ASSERT_TRUE(RunPacked(*packed, m, x.data(), k, y.data(), n, GemmEpilogue(), 2).ok());
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        const double bound = 2 * F32Bound(k, ref.abs_sum[i * n + j], 0, 0, 0, GemmActivation::kNone);
        ASSERT_LE(std::fabs(static_cast<double>(y[i * n + j]) - ey(i, j)), bound)
            << "(" << i << ", " << j << ")";
      }
    }
  }
}

}  // namespace
}  // namespace cliprt::kernels::testing
