// qs8_gemm_6x16__avxvnni needs AVX-VNNI (VEX-encoded vpdpbusd), which neither
// the development machine nor CI exposes (Zen 4 has only the EVEX form), so
// the kernel table test skips it there. This test runs its twin: the same
// source compiled with the EVEX encoding of the same instruction
// (tests/kernels/qs8_avxvnni_evex_twin.cc), through the GEMM driver in the
// kernel's own table row (its 6-row tile and blocking) with the twin's tile
// function. Everything but that encoding — the quad broadcasts, the row and
// column masks, the partial sums across K blocks, the int8 epilogue, the
// threading — executes and must give Y bit for bit equal to the AVX2 int8
// kernel's (both form the same exact int32 sums).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "kernels/gemm_microkernel.h"
#include "tests/kernels/gemm_test_util.h"

namespace cliprt::kernels {
void qs8_gemm_6x16__avxvnni_evex_twin(const GemmTileArgs& args);
}  // namespace cliprt::kernels

namespace cliprt::kernels::testing {
namespace {

int EntryId(const char* name) {
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  for (int id = 0; id < count; ++id) {
    if (std::string(table[id].name) == name) return id;
  }
  return -1;
}

// Y through the GEMM driver with `entry`'s kernel, on weights packed by
// `plan` (the AVX2 int8 kernel's plan: same nr, k-group and kc).
std::vector<float> RunWith(const GemmKernelEntry& entry, const GemmPlan& plan, const void* packed,
                           int64_t m, const std::vector<float>& x, const GemmEpilogue& ep,
                           int threads) {
  ThreadPool* pool = threads > 1 ? PoolWith(threads) : nullptr;
  const size_t bytes = std::max<size_t>(64, GemmScratchBytesWithEntry(entry, plan, m, threads));
  auto scratch = AllocateAligned(bytes);
  EXPECT_TRUE(scratch.ok());
  std::vector<float> y(m * plan.n);
  const Status st = RunGemmWithEntry(entry, plan, packed, m, x.data(), plan.k, y.data(), plan.n,
                                     ep, pool, scratch->get(), bytes);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return y;
}

TEST(AvxVnniTwinTest, TwinMatchesTheAvx2Int8KernelBitForBit) {
  const CpuFeatures& f = DetectedCpuFeatures();
  if (!f.avx512_vnni || !f.avx512vl || DetectedIsaLevel() < IsaLevel::kAvx2) {
    GTEST_SKIP() << "CPU lacks AVX512_VNNI + AVX512VL, which the EVEX twin needs";
  }
  const int vnni_id = EntryId("qs8_gemm_6x16__avxvnni");
  const int avx2_id = EntryId("qs8_gemm_4x16__avx2");
  ASSERT_GE(vnni_id, 0);
  ASSERT_GE(avx2_id, 0);
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  GemmKernelEntry twin = table[vnni_id];
  twin.tile = &qs8_gemm_6x16__avxvnni_evex_twin;
  const GemmKernelEntry& avx2 = table[avx2_id];

  std::mt19937 rng(321);
  int64_t cases = 0, nonzero = 0;
  for (int64_t m : {1, 2, 5, 6, 7, 13, 37, 6 * twin.max_mc_panels + 5}) {
    for (int64_t n : {1, 15, 16, 17, 40}) {
      for (int64_t k : {int64_t{1}, int64_t{3}, int64_t{5}, int64_t{64}, twin.kc - 1,
                        twin.kc + 5, 2 * twin.kc + 52}) {
        SCOPED_TRACE(::testing::Message() << "M=" << m << " N=" << n << " K=" << k);
        const auto x = RandomUniform(m * k, -1, 1, rng);
        const auto w = RandomUniform(n * k, -1, 1, rng);
        const auto bias = RandomUniform(n, -1, 1, rng);
        const auto residual = RandomUniform(m * n, -1, 1, rng);
        auto plan = PlanGemmWithKernel(avx2_id, n, k);
        ASSERT_TRUE(plan.ok()) << plan.status().ToString();
        auto packed = AllocateAligned(GemmPackedWeightsBytes(*plan));
        ASSERT_TRUE(packed.ok());
        ASSERT_TRUE(
            PackGemmWeights(*plan, w.data(), k, packed->get(), GemmPackedWeightsBytes(*plan)).ok());
        GemmEpilogue ep;
        ep.bias = bias.data();
        if (cases % 2 == 1) {
          ep.activation = GemmActivation::kGeluErf;
          ep.residual = residual.data();
          ep.ldr = n;
        }
        const auto expected = RunWith(avx2, *plan, packed->get(), m, x, ep, 1);
        for (int threads : {1, 2, 3}) {
          const auto got = RunWith(twin, *plan, packed->get(), m, x, ep, threads);
          ASSERT_EQ(0, std::memcmp(got.data(), expected.data(), got.size() * sizeof(float)))
              << threads << " threads";
        }
        for (float v : expected) nonzero += v != 0.0f;
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 8 * 5 * 7);
  EXPECT_GT(nonzero, 0);
}

}  // namespace
}  // namespace cliprt::kernels::testing
