// GEMM half of the kernel self-test.
#include <cstdio>
#include <random>
#include <vector>

#include "kernels/ref/f32_gemm_ref.h"
#include "kernels/self_test.h"

namespace cliprt::kernels {
namespace {

// Integer-valued inputs make every product and partial sum exactly
// representable, so the reference must match the naive fp32 loop bit for bit.
SelfTestCheck CheckReferenceGemmExact(int64_t m, int64_t n, int64_t k, std::mt19937& rng) {
  std::uniform_int_distribution<int> dist(-8, 8);
  std::vector<float> x(m * k), w(n * k), bias(n), y(m * n);
  for (float& v : x) v = static_cast<float>(dist(rng));
  for (float& v : w) v = static_cast<float>(dist(rng));
  for (float& v : bias) v = static_cast<float>(dist(rng));
  f32_gemm_ref(m, n, k, x.data(), k, w.data(), k, bias.data(), y.data(), n);
  int64_t mismatches = 0;
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      float acc = bias[j];
      for (int64_t p = 0; p < k; ++p) acc += x[i * k + p] * w[j * k + p];
      if (acc != y[i * n + j]) ++mismatches;
    }
  }
  SelfTestCheck check;
  check.passed = mismatches == 0;
  char line[160];
  std::snprintf(line, sizeof(line), "%s f32_gemm_ref scalar M=%lld N=%lld K=%lld: %lld mismatches (exact)",
                check.passed ? "pass" : "FAIL", static_cast<long long>(m),
                static_cast<long long>(n), static_cast<long long>(k),
                static_cast<long long>(mismatches));
  check.line = line;
  return check;
}

}  // namespace

Status RunGemmSelfTest(int /*num_threads*/, uint32_t seed, std::vector<SelfTestCheck>* checks) {
  std::mt19937 rng(seed);
  for (int64_t size : {1, 7, 33}) checks->push_back(CheckReferenceGemmExact(size, size + 2, size * 3, rng));
  return Status::Ok();
}

}  // namespace cliprt::kernels
