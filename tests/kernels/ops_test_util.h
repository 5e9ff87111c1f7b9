// Shared helpers of the op kernel tests: ISA-level parameterization, seeded
// random inputs, ulp distances, thread pools.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/ops_dispatch.h"

namespace cliprt::kernels::testing {

inline const IsaLevel kAllLevels[] = {IsaLevel::kScalar, IsaLevel::kAvx2, IsaLevel::kAvx512};

inline std::string LevelName(const ::testing::TestParamInfo<IsaLevel>& info) {
  return IsaLevelName(info.param);
}

// Fixture parameterized by ISA level; skips (with the reason) levels this CPU
// lacks.
class OpsLevelTest : public ::testing::TestWithParam<IsaLevel> {
 protected:
  void SetUp() override {
    ops_ = OpsKernelsForIsa(GetParam());
    if (ops_ == nullptr) {
      GTEST_SKIP() << "this CPU cannot run ISA level " << IsaLevelName(GetParam())
                   << " (detected: " << IsaLevelName(DetectedIsaLevel()) << ")";
    }
  }
  const OpsKernels& ops() const { return *ops_; }
  const OpsKernels* ops_ = nullptr;
};

inline std::vector<float> RandomVector(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Distance in units in the last place between two finite floats of the same
// sign class (monotone integer mapping of the float line).
inline int64_t UlpDistance(float a, float b) {
  auto key = [](float f) {
    int32_t i;
    std::memcpy(&i, &f, sizeof(i));
    return i < 0 ? int64_t{INT32_MIN} - i : int64_t{i};
  };
  const int64_t d = key(a) - key(b);
  return d < 0 ? -d : d;
}

// Both NaN, or equal (including same infinity), counts as matching.
inline bool SameSpecial(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

inline bool BitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

inline std::unique_ptr<ThreadPool> MakePool(int threads) {
  auto pool = ThreadPool::Create(threads);
  EXPECT_TRUE(pool.ok()) << pool.status().message();
  return pool.ok() ? std::move(pool).value() : nullptr;
}

inline const int kThreadCounts[] = {1, 2, 3, 8};

}  // namespace cliprt::kernels::testing
