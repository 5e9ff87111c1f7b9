// Every micro-kernel of the dispatch table that this CPU can run — including
// the fallbacks the dispatch would not pick here (e.g. the bf16 and int8
// fallbacks on a CPU with AVX512_BF16 and VNNI) — on edge shapes: exact on
// representable integers, within bound on random inputs, and bit-identical
// across thread counts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "kernels/gemm_microkernel.h"
#include "tests/kernels/gemm_test_util.h"

namespace cliprt::kernels::testing {
namespace {

struct Packed {
  GemmPlan plan;
  AlignedBuffer buffer;
};

Packed PackFor(int kernel_id, const std::vector<float>& w, int64_t n, int64_t k) {
  Packed p;
  auto plan = PlanGemmWithKernel(kernel_id, n, k);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  if (!plan.ok()) return p;
  p.plan = *plan;
  auto buffer = AllocateAligned(GemmPackedWeightsBytes(p.plan));
  EXPECT_TRUE(buffer.ok());
  p.buffer = std::move(buffer).value();
  EXPECT_TRUE(PackGemmWeights(p.plan, w.data(), k, p.buffer.get(), GemmPackedWeightsBytes(p.plan)).ok());
  return p;
}

Status RunKernel(const Packed& p, int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
           const GemmEpilogue& ep, int threads) {
  ThreadPool* pool = threads > 1 ? PoolWith(threads) : nullptr;
  const size_t bytes = GemmScratchBytes(p.plan, m, threads);
  auto scratch = AllocateAligned(std::max<size_t>(bytes, 64));
  if (!scratch.ok()) return scratch.status();
  return RunGemm(p.plan, p.buffer.get(), m, x, ldx, y, ldy, ep, pool, scratch->get(), bytes);
}

TEST(GemmKernelTableTest, EveryRunnableKernelIsExactOnRepresentableIntegers) {
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  int ran = 0;
  for (int id = 0; id < count; ++id) {
    const GemmKernelEntry& e = table[id];
    if (!GemmKernelRunsHere(e)) continue;
    ++ran;
    const bool int8 = e.precision == GemmPrecision::kQS8;
    const int lim = int8 ? 127 : 8;
    std::mt19937 rng(100 + id);
    for (int64_t m : {int64_t{1}, int64_t{e.mr - 1}, int64_t{e.mr}, int64_t{e.mr + 1},
                      int64_t{e.mr} * e.max_mc_panels + 1}) {
      for (int64_t n : {int64_t{1}, int64_t{e.nr - 1}, int64_t{e.nr + 1}}) {
        for (int64_t k : {int64_t{1}, int64_t{3}, e.kc - 1, e.kc + 5}) {
          if (m < 1 || n < 1 || (int8 && k > 1000)) continue;
          SCOPED_TRACE(::testing::Message() << e.name << " M=" << m << " N=" << n << " K=" << k);
          auto x = RandomIntegers(m * k, -lim, lim, rng);
          auto w = RandomIntegers(n * k, -lim, lim, rng);
          if (int8) {
            for (int64_t i = 0; i < m; ++i) x[i * k] = 127;
            for (int64_t j = 0; j < n; ++j) w[j * k] = 127;
          }
          const auto bias = RandomIntegers(n, -9, 9, rng);
          Packed p = PackFor(id, w, n, k);
          ASSERT_NE(p.buffer, nullptr);
          GemmEpilogue ep;
          ep.bias = bias.data();
          std::vector<float> y(m * n);
          ASSERT_TRUE(RunKernel(p, m, x.data(), k, y.data(), n, ep, 2).ok());
          const RefResult ref = Reference(m, n, k, x.data(), k, w.data(), k, ep);
          int64_t mismatches = 0;
          for (size_t i = 0; i < y.size(); ++i) mismatches += y[i] != ref.y[i];
          ASSERT_EQ(mismatches, 0);
        }
      }
    }
  }
  EXPECT_GE(ran, 3) << "at least the three scalar kernels run everywhere";
}

TEST(GemmKernelTableTest, EveryRunnableKernelIsThreadCountInvariantAndBounded) {
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  for (int id = 0; id < count; ++id) {
    const GemmKernelEntry& e = table[id];
    if (!GemmKernelRunsHere(e)) continue;
    SCOPED_TRACE(e.name);
    std::mt19937 rng(200 + id);
    const int64_t m = 3 * e.mr * e.max_mc_panels / 2 + 1, n = 5 * e.nr + 3, k = 2 * e.kc + 7;
    const auto x = RandomUniform(m * k, -1, 1, rng);
    const auto w = RandomUniform(n * k, -1, 1, rng);
    const auto bias = RandomUniform(n, -1, 1, rng);
    Packed p = PackFor(id, w, n, k);
    ASSERT_NE(p.buffer, nullptr);
    GemmEpilogue ep;
    ep.bias = bias.data();
    ep.activation = GemmActivation::kGeluTanh;
    std::vector<float> one(m * n);
    ASSERT_TRUE(RunKernel(p, m, x.data(), k, one.data(), n, ep, 1).ok());
    for (int threads : {2, 3, 8}) {
      std::vector<float> many(m * n);
      ASSERT_TRUE(RunKernel(p, m, x.data(), k, many.data(), n, ep, threads).ok());
      ASSERT_EQ(0, std::memcmp(one.data(), many.data(), one.size() * sizeof(float))) << threads;
    }
    // Loose sanity bound here (the precise bounds are in gemm_f32_test and
    // gemm_lowp_test): within 2^-6 of S, which int8 with K = 2·kc + 7 meets.
    const RefResult ref = Reference(m, n, k, x.data(), k, w.data(), k, ep);
    for (size_t i = 0; i < one.size(); ++i) {
      ASSERT_LE(std::fabs(static_cast<double>(one[i]) - ref.y[i]), ref.abs_sum[i] / 64 + 1e-6) << i;
    }
  }
}

}  // namespace
}  // namespace cliprt::kernels::testing
