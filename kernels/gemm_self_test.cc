// GEMM half of the kernel self-test (`cliprt selfcheck`): every GEMM precision
// at every ISA level this CPU has, on small shapes around the tile and block
// edges, against the scalar references in kernels/ref.
//   - fp32 on integer-valued inputs must match the reference exactly (every
//     partial sum is an integer below 2^24, so no order rounds differently);
//   - bf16 on small integers (exact in bf16) must match exactly too;
//   - int8 with row maxima of 127 (scale 1, q = x) must match exactly;
//   - fp32 with GELU on random inputs must stay within γ_{K+1}·S·1.2 plus the
//     activation's few-ulp error (docs/kernels.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/arena.h"
#include "core/thread_pool.h"
#include "kernels/gemm.h"
#include "kernels/ref/f32_gemm_epilogue_ref.h"
#include "kernels/ref/f32_gemm_ref.h"
#include "kernels/self_test.h"

namespace cliprt::kernels {
namespace {

struct Shape {
  int64_t m, n, k;
};

// One below / at / above the tiles (mr 4/6/12/14, nr 8/16/32) and the K block.
constexpr Shape kShapes[] = {{1, 1, 1},   {3, 7, 5},    {6, 16, 31},  {13, 33, 255},
                             {14, 32, 257}, {15, 17, 64}, {29, 65, 20}};

SelfTestCheck MakeCheck(bool passed, const std::string& what, IsaLevel level,
                        const GemmPlan& plan, const Shape& s, const std::string& detail) {
  SelfTestCheck check;
  check.passed = passed;
  char line[256];
  std::snprintf(line, sizeof(line), "%s %s_gemm %s (%s) M=%lld N=%lld K=%lld: %s %s",
                passed ? "pass" : "FAIL", GemmPrecisionName(plan.precision),
                IsaLevelName(level), plan.kernel_name, static_cast<long long>(s.m),
                static_cast<long long>(s.n), static_cast<long long>(s.k), what.c_str(),
                detail.c_str());
  check.line = line;
  return check;
}

std::vector<float> Integers(size_t count, int lo, int hi, std::mt19937& rng) {
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<float> v(count);
  for (float& x : v) x = static_cast<float>(dist(rng));
  return v;
}

// Runs one GEMM; returns its status (scratch from `arena`).
Status Run(const PackedGemmWeights& w, const Shape& s, const float* x, float* y,
           const GemmEpilogue& ep, ThreadPool* pool, Arena* arena) {
  return w.Run(s.m, x, s.k, y, s.n, ep, pool, arena);
}

Status CheckExact(GemmPrecision precision, IsaLevel isa, const Shape& s, ThreadPool* pool,
                  std::mt19937& rng, std::vector<SelfTestCheck>* checks) {
  const bool int8 = precision == GemmPrecision::kQS8;
  const int lim = int8 ? 127 : 8;
  auto x = Integers(s.m * s.k, -lim, lim, rng);
  auto w = Integers(s.n * s.k, -lim, lim, rng);
  if (int8) {
    for (int64_t i = 0; i < s.m; ++i) x[i * s.k] = 127;
    for (int64_t j = 0; j < s.n; ++j) w[j * s.k] = 127;
  }
  const auto bias = Integers(s.n, -20, 20, rng);
  ASSIGN_OR_RETURN(PackedGemmWeights packed,
                   PackedGemmWeights::CreateForIsa(precision, w.data(), s.n, s.k, s.k, isa));
  GemmEpilogue ep;
  ep.bias = bias.data();
  std::vector<float> y(s.m * s.n), want(s.m * s.n);
  Arena arena;
  RETURN_IF_ERROR(Run(packed, s, x.data(), y.data(), ep, pool, &arena));
  f32_gemm_ref(s.m, s.n, s.k, x.data(), s.k, w.data(), s.k, bias.data(), want.data(), s.n);
  int64_t mismatches = 0;
  for (size_t i = 0; i < y.size(); ++i) mismatches += y[i] != want[i];
  checks->push_back(MakeCheck(mismatches == 0, "integer inputs, exact:", isa, packed.plan(), s,
                              std::to_string(mismatches) + " mismatches"));
  return Status::Ok();
}

Status CheckGeluBound(IsaLevel isa, const Shape& s, ThreadPool* pool, std::mt19937& rng,
                      std::vector<SelfTestCheck>* checks) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(s.m * s.k), w(s.n * s.k), bias(s.n);
  for (float& v : x) v = dist(rng);
  for (float& v : w) v = dist(rng);
  for (float& v : bias) v = dist(rng);
  ASSIGN_OR_RETURN(PackedGemmWeights packed, PackedGemmWeights::CreateForIsa(
                                                 GemmPrecision::kF32, w.data(), s.n, s.k, s.k, isa));
  GemmEpilogue ep;
  ep.bias = bias.data();
  ep.activation = GemmActivation::kGeluErf;
  std::vector<float> y(s.m * s.n), want(s.m * s.n), pre(s.m * s.n);
  std::vector<double> abs_sum(s.m * s.n);
  Arena arena;
  RETURN_IF_ERROR(Run(packed, s, x.data(), y.data(), ep, pool, &arena));
  f32_gemm_epilogue_ref(s.m, s.n, s.k, x.data(), s.k, w.data(), s.k, ep, want.data(), s.n, nullptr);
  GemmEpilogue pre_ep;
  pre_ep.bias = bias.data();
  f32_gemm_epilogue_ref(s.m, s.n, s.k, x.data(), s.k, w.data(), s.k, pre_ep, pre.data(), s.n,
                        abs_sum.data());
  const double eps = 1.0 / (1 << 24);
  const double kk = static_cast<double>(s.k + 1);
  double worst = 0.0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double ax = std::fabs(pre[i]);
    const double bound = 1.2 * kk * eps / (1 - kk * eps) * abs_sum[i] +
                         eps * (16 + 6 * ax + ax * ax + 0.25 * ax * ax * ax) * std::fabs(want[i]) +
                         1e-37;
    const double err = std::fabs(static_cast<double>(y[i]) - want[i]);
    worst = std::max(worst, std::isnan(err) ? 1e9 : err / bound);
  }
  char detail[64];
  std::snprintf(detail, sizeof(detail), "max err/bound %.3f", worst);
  checks->push_back(MakeCheck(worst <= 1.0, "GELU epilogue, random inputs:", isa,
                              packed.plan(), s, detail));
  return Status::Ok();
}

}  // namespace

Status RunGemmSelfTest(int num_threads, uint32_t seed, std::vector<SelfTestCheck>* checks) {
  std::unique_ptr<ThreadPool> pool;
  if (num_threads > 1) {
    ASSIGN_OR_RETURN(pool, ThreadPool::Create(num_threads));
  }
  std::mt19937 rng(seed);
  for (IsaLevel isa : {IsaLevel::kScalar, IsaLevel::kAvx2, IsaLevel::kAvx512}) {
    if (isa > DetectedIsaLevel()) continue;
    for (const Shape& s : kShapes) {
      for (GemmPrecision p : {GemmPrecision::kF32, GemmPrecision::kBF16, GemmPrecision::kQS8}) {
        RETURN_IF_ERROR(CheckExact(p, isa, s, pool.get(), rng, checks));
      }
      RETURN_IF_ERROR(CheckGeluBound(isa, s, pool.get(), rng, checks));
    }
  }
  return Status::Ok();
}

}  // namespace cliprt::kernels
