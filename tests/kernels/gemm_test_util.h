// Helpers shared by the GEMM tests: ISA levels to run, random matrices, a
// runner that owns pools and scratch, and the error bounds the tests state.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/arena.h"
#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/gemm.h"
#include "kernels/ref/f32_gemm_epilogue_ref.h"

namespace cliprt::kernels::testing {

inline constexpr double kEps = 1.0 / (1 << 24);  // fp32 unit roundoff

inline std::vector<IsaLevel> AllIsaLevels() {
  return {IsaLevel::kScalar, IsaLevel::kAvx2, IsaLevel::kAvx512};
}

// True (and a message) when the CPU cannot run `isa`: tests GTEST_SKIP then.
inline bool IsaMissing(IsaLevel isa, std::string* why) {
  if (isa <= DetectedIsaLevel()) return false;
  *why = std::string("CPU lacks ISA level ") + IsaLevelName(isa) + " (detected " +
         IsaLevelName(DetectedIsaLevel()) + ")";
  return true;
}

inline ThreadPool* PoolWith(int threads) {
  static std::map<int, std::unique_ptr<ThreadPool>> pools;
  auto& slot = pools[threads];
  if (slot == nullptr) {
    auto created = ThreadPool::Create(threads);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (!created.ok()) return nullptr;
    slot = std::move(created).value();
  }
  return slot.get();
}

inline std::vector<float> RandomUniform(size_t count, float lo, float hi, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(count);
  for (float& x : v) x = dist(rng);
  return v;
}

inline std::vector<float> RandomIntegers(size_t count, int lo, int hi, std::mt19937& rng) {
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<float> v(count);
  for (float& x : v) x = static_cast<float>(dist(rng));
  return v;
}

// Runs one GEMM with fresh 64-byte-aligned scratch; returns the status.
inline Status RunPacked(const PackedGemmWeights& w, int64_t m, const float* x, int64_t ldx,
                        float* y, int64_t ldy, const GemmEpilogue& ep, int threads) {
  ThreadPool* pool = threads > 1 ? PoolWith(threads) : nullptr;
  Arena arena;
  return w.Run(m, x, ldx, y, ldy, ep, pool, &arena);
}

// Pre-activation reference (double, rounded once) and S = Σ|x·w| + |b|.
struct RefResult {
  std::vector<float> y;          // full epilogue
  std::vector<float> pre;        // X·Wᵀ + b, before activation and residual
  std::vector<double> abs_sum;   // S per element
};

inline RefResult Reference(int64_t m, int64_t n, int64_t k, const float* x, int64_t ldx,
                           const float* w, int64_t ldw, const GemmEpilogue& ep) {
  RefResult r;
  r.y.resize(m * n);
  r.pre.resize(m * n);
  r.abs_sum.resize(m * n);
  f32_gemm_epilogue_ref(m, n, k, x, ldx, w, ldw, ep, r.y.data(), n, nullptr);
  GemmEpilogue pre_ep;
  pre_ep.bias = ep.bias;
  f32_gemm_epilogue_ref(m, n, k, x, ldx, w, ldw, pre_ep, r.pre.data(), n, r.abs_sum.data());
  return r;
}

// Error bound of one fp32 GEMM output (docs/kernels.md):
//  - summation: γ_{K+1}·S for any order of K products + bias (Higham 3.5),
//    times 1.2 (the largest slope of GELU/QuickGELU is < 1.13) when activated;
//  - activation: relative eps·(16 + 6|x| + x² + 0.25|x|³) of its value, the
//    conditioning of exp(-v) for the exp argument v each formula evaluates;
//  - residual add: one rounding, eps·|y|.
inline double F32Bound(int64_t k, double abs_sum, float pre, float act_value, float y,
                       GemmActivation act) {
  const double kk = static_cast<double>(k + 1);
  const double gamma = kk * kEps / (1.0 - kk * kEps);
  double bound = gamma * abs_sum * (act == GemmActivation::kNone ? 1.0 : 1.2);
  if (act != GemmActivation::kNone) {
    const double ax = std::fabs(pre);
    bound += kEps * (16 + 6 * ax + ax * ax + 0.25 * ax * ax * ax) * std::fabs(act_value);
  }
  return bound + kEps * std::fabs(y) + 1e-37;
}

}  // namespace cliprt::kernels::testing
