// qs8_gemm_6x16__avxvnni needs AVX-VNNI (VEX-encoded vpdpbusd), which neither
// the development machine nor CI exposes (Zen 4 has only the EVEX form), so
// the kernel table test skips it there. This test runs its twin: the same
// source compiled with the EVEX encoding of the same instruction
// (tests/kernels/qs8_avxvnni_evex_twin.cc). Everything but that encoding —
// the quad broadcasts, the row/column masks, the partial sums across K
// blocks, the int8 epilogue — executes and must give Y bit for bit equal to
// the AVX2 int8 kernel's (both form the same exact int32 sums).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "kernels/gemm_microkernel.h"
#include "kernels/gemm_pack.h"
#include "tests/kernels/gemm_test_util.h"

namespace cliprt::kernels {
void qs8_gemm_6x16__avxvnni_evex_twin(const GemmTileArgs& args);
}  // namespace cliprt::kernels

namespace cliprt::kernels::testing {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int EntryId(const char* name) {
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  for (int id = 0; id < count; ++id) {
    if (std::string(table[id].name) == name) return id;
  }
  return -1;
}

// Y through the twin, driven tile by tile the way gemm.cc drives a table
// kernel: weights packed with the entry's nr and k-group, X quantized and
// packed with its mr, K cut into blocks of `kc` with int32 partial sums.
std::vector<float> RunTwin(const GemmKernelEntry& e, int64_t m, int64_t n, int64_t k,
                           const std::vector<float>& x, const std::vector<float>& w,
                           const GemmEpilogue& ep) {
  const int64_t k_padded = CeilDiv(k, e.k_group) * e.k_group;
  const int64_t panels = CeilDiv(n, e.nr);
  const int64_t m_padded = CeilDiv(m, e.mr) * e.mr;
  auto q = AllocateAligned(static_cast<size_t>(panels * e.nr * k_padded));
  auto a = AllocateAligned(static_cast<size_t>(m_padded * k_padded));
  EXPECT_TRUE(q.ok() && a.ok());
  std::vector<float> col_scale(panels * e.nr), row_scale(m_padded), row_inv(m_padded);
  std::vector<int32_t> col_sum(panels * e.nr);
  int8_t* wq = static_cast<int8_t*>(q->get());
  EXPECT_TRUE(PackGemmWeightsQS8(w.data(), n, k, k, e.nr, k_padded, wq, col_scale.data(),
                                 col_sum.data())
                  .ok());
  uint8_t* xq = static_cast<uint8_t*>(a->get());
  ComputeGemmRowScalesQS8(x.data(), k, m, k, row_scale.data(), row_inv.data());
  PackGemmActivationsQS8(x.data(), k, m, 0, k_padded, k, e.mr, row_inv.data(), xq);

  std::vector<float> y(m * n);
  alignas(64) int32_t partial[6 * 16];
  GemmTileArgs args;
  args.activation = ep.activation;
  args.ldp = e.nr;
  args.ldy = n;
  args.ldr = ep.ldr;
  args.partial = partial;
  for (int64_t row = 0; row < m; row += e.mr) {
    for (int64_t p = 0; p < panels; ++p) {
      const int64_t col0 = p * e.nr;
      args.rows = static_cast<int>(std::min<int64_t>(e.mr, m - row));
      args.cols = static_cast<int>(std::min<int64_t>(e.nr, n - col0));
      args.y = y.data() + row * n + col0;
      args.bias = ep.bias != nullptr ? ep.bias + col0 : nullptr;
      args.residual = ep.residual != nullptr ? ep.residual + row * ep.ldr + col0 : nullptr;
      args.row_scale = row_scale.data() + row;
      args.col_scale = col_scale.data() + col0;
      args.col_sum = col_sum.data() + col0;
      for (int64_t k0 = 0; k0 < k_padded; k0 += e.kc) {
        const int64_t kcb = std::min<int64_t>(e.kc, k_padded - k0);
        args.first = k0 == 0;
        args.last = k0 + kcb >= k_padded;
        args.k_groups = kcb / e.k_group;
        args.a = xq + row * k_padded + k0 * e.mr;
        args.b = wq + p * e.nr * k_padded + k0 * e.nr;
        qs8_gemm_6x16__avxvnni_evex_twin(args);
      }
    }
  }
  return y;
}

// Y through the driver with the AVX2 int8 kernel (same nr and k-group).
std::vector<float> RunAvx2Int8(int id, int64_t m, int64_t n, int64_t k,
                               const std::vector<float>& x, const std::vector<float>& w,
                               const GemmEpilogue& ep) {
  auto plan = PlanGemmWithKernel(id, n, k);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  auto packed = AllocateAligned(GemmPackedWeightsBytes(*plan));
  EXPECT_TRUE(PackGemmWeights(*plan, w.data(), k, packed->get(), GemmPackedWeightsBytes(*plan)).ok());
  const size_t bytes = std::max<size_t>(64, GemmScratchBytes(*plan, m, 1));
  auto scratch = AllocateAligned(bytes);
  std::vector<float> y(m * n);
  const Status st = RunGemm(*plan, packed->get(), m, x.data(), k, y.data(), n, ep, nullptr,
                            scratch->get(), bytes);
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
  const GemmKernelEntry& e = GemmKernelTable(&count)[vnni_id];
  // The twin is driven with the entry's packing and blocking; the tile
  // buffer above holds mr × nr = 6 × 16 sums.
  ASSERT_EQ(e.mr, 6);
  ASSERT_EQ(e.nr, 16);
  ASSERT_EQ(e.k_group, 4);
  ASSERT_EQ(GemmKernelTable(&count)[avx2_id].nr, e.nr);

  std::mt19937 rng(321);
  int64_t cases = 0, nonzero = 0;
  for (int64_t m : {1, 2, 5, 6, 7, 13, 37}) {
    for (int64_t n : {1, 15, 16, 17, 40}) {
      for (int64_t k : {int64_t{1}, int64_t{3}, int64_t{5}, int64_t{64}, e.kc - 1, e.kc + 5,
                        2 * e.kc + 52}) {
        SCOPED_TRACE(::testing::Message() << "M=" << m << " N=" << n << " K=" << k);
        const auto x = RandomUniform(m * k, -1, 1, rng);
        const auto w = RandomUniform(n * k, -1, 1, rng);
        const auto bias = RandomUniform(n, -1, 1, rng);
        const auto residual = RandomUniform(m * n, -1, 1, rng);
        GemmEpilogue ep;
        ep.bias = bias.data();
        if (cases % 2 == 1) {
          ep.activation = GemmActivation::kGeluErf;
          ep.residual = residual.data();
          ep.ldr = n;
        }
        const auto twin = RunTwin(e, m, n, k, x, w, ep);
        const auto avx2 = RunAvx2Int8(avx2_id, m, n, k, x, w, ep);
        ASSERT_EQ(0, std::memcmp(twin.data(), avx2.data(), twin.size() * sizeof(float)));
        for (float v : twin) nonzero += v != 0.0f;
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 7 * 5 * 7);
  EXPECT_GT(nonzero, 0);
}

}  // namespace
}  // namespace cliprt::kernels::testing
