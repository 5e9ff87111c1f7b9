// The AVX-512 activation packers must write exactly the bytes of the
// portable ones (fp32 transpose over partial micro-panels and K tails; bf16
// rounding ties, NaN, Inf, K tails; int8 rounding ties, clamping, zero and
// non-finite rows).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "core/cpu_features.h"
#include "kernels/gemm_pack.h"

namespace cliprt::kernels {
namespace {

std::vector<float> Tricky(int64_t rows, int64_t ldx, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
  std::vector<float> x(rows * ldx);
  for (float& v : x) v = dist(rng);
  // bf16 ties (low 16 bits exactly 0x8000) with even and odd kept bits.
  const uint32_t ties[] = {0x3f808000u, 0x3f818000u, 0xbf808000u, 0x7f7f8000u};
  for (size_t i = 0; i < 4 && i < x.size(); ++i) std::memcpy(&x[i * 3], &ties[i], 4);
  if (rows > 1) x[1 * ldx + 2] = std::numeric_limits<float>::quiet_NaN();
  if (rows > 2) x[2 * ldx + 5] = -std::numeric_limits<float>::infinity();
  if (rows > 3) std::fill(x.begin() + 3 * ldx, x.begin() + 4 * ldx, 0.0f);
  if (rows > 4) x[4 * ldx + 1] = 127.0f * 0.5f / 63.5f;  // an int8 rounding tie after scaling
  return x;
}

TEST(GemmPackTest, Avx512PackersMatchPortableBytes) {
  if (DetectedIsaLevel() < IsaLevel::kAvx512) GTEST_SKIP() << "CPU lacks AVX-512";
#if defined(__x86_64__) || defined(_M_X64)
  std::mt19937 rng(5);
  for (int64_t k : {1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 100, 768}) {
    for (int mr : {4, 12, 14, 16}) {
      for (int64_t rows : {7, 14, 31}) {
        SCOPED_TRACE(::testing::Message() << "K=" << k << " mr=" << mr << " rows=" << rows);
        const int64_t ldx = k + 3;
        const auto x = Tricky(rows, ldx, rng);
        const int64_t kp2 = (k + 1) / 2 * 2, kp4 = (k + 3) / 4 * 4;
        const int64_t panels = (rows + mr - 1) / mr;
        std::vector<float> f1(panels * mr * k, -7.0f), f2(panels * mr * k, -7.0f);
        PackGemmActivationsF32(x.data(), ldx, rows, k, mr, f1.data());
        PackGemmActivationsF32Avx512(x.data(), ldx, rows, k, mr, f2.data());
        ASSERT_EQ(0, std::memcmp(f1.data(), f2.data(), f1.size() * sizeof(float)));
        std::vector<uint16_t> a(panels * mr * kp2, 0xAAAA), b(panels * mr * kp2, 0xAAAA);
        PackGemmActivationsBF16(x.data(), ldx, rows, 0, kp2, k, mr, a.data());
        PackGemmActivationsBF16Avx512(x.data(), ldx, rows, kp2, k, mr, b.data());
        ASSERT_EQ(a, b);
        std::vector<float> s1(rows), i1(rows), s2(rows), i2(rows);
        ComputeGemmRowScalesQS8(x.data(), ldx, rows, k, s1.data(), i1.data());
        ComputeGemmRowScalesQS8Avx512(x.data(), ldx, rows, k, s2.data(), i2.data());
        for (int64_t r = 0; r < rows; ++r) {
          ASSERT_EQ(std::isnan(s1[r]), std::isnan(s2[r])) << r;
          if (!std::isnan(s1[r])) {
            ASSERT_EQ(s1[r], s2[r]) << r;
          }
          ASSERT_EQ(i1[r], i2[r]) << r;
        }
        std::vector<uint8_t> q1(panels * mr * kp4, 0xAA), q2(panels * mr * kp4, 0xAA);
        PackGemmActivationsQS8(x.data(), ldx, rows, 0, kp4, k, mr, i1.data(), q1.data());
        PackGemmActivationsQS8Avx512(x.data(), ldx, rows, kp4, k, mr, i1.data(), q2.data());
        ASSERT_EQ(q1, q2);
      }
    }
  }
#endif
}

}  // namespace
}  // namespace cliprt::kernels
