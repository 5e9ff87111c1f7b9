#include "core/cpu_features.h"

#include <gtest/gtest.h>

namespace cliprt {
namespace {

TEST(CpuFeaturesTest, DetectedLevelIsConsistentWithFeatures) {
  const CpuFeatures& f = DetectedCpuFeatures();
  const IsaLevel level = DetectedIsaLevel();
  if (level >= IsaLevel::kAvx2) {
    EXPECT_TRUE(f.avx2 && f.fma && f.f16c);
  }
  if (level == IsaLevel::kAvx512) {
    EXPECT_TRUE(f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq);
  }
  // Sub-features never appear without their base.
  if (f.avx512_bf16 || f.avx512_vnni) {
    EXPECT_TRUE(f.avx512f);
  }
  if (f.avx_vnni) {
    EXPECT_TRUE(f.avx2);
  }
  EXPECT_LE(static_cast<int>(ActiveIsaLevel()), static_cast<int>(level));
#if defined(__x86_64__)
  EXPECT_FALSE(f.vendor.empty());
#endif
}

TEST(CpuFeaturesTest, ParsesLevelNames) {
  EXPECT_EQ(*ParseIsaLevel("scalar"), IsaLevel::kScalar);
  EXPECT_EQ(*ParseIsaLevel("AVX2"), IsaLevel::kAvx2);
  EXPECT_EQ(*ParseIsaLevel("avx512"), IsaLevel::kAvx512);
  EXPECT_FALSE(ParseIsaLevel("sse9").ok());
  EXPECT_STREQ(IsaLevelName(IsaLevel::kAvx2), "avx2");
}

TEST(CpuFeaturesTest, ForcingLowersButNeverRaisesTheLevel) {
  std::string note;
  EXPECT_EQ(ResolveIsaLevel(IsaLevel::kAvx512, nullptr, &note), IsaLevel::kAvx512);
  EXPECT_EQ(note, "detected");
  EXPECT_EQ(ResolveIsaLevel(IsaLevel::kAvx512, "scalar", &note), IsaLevel::kScalar);
  EXPECT_EQ(note, "forced by CLIPRT_ISA=scalar");
  EXPECT_EQ(ResolveIsaLevel(IsaLevel::kAvx512, "avx2", &note), IsaLevel::kAvx2);
  EXPECT_EQ(ResolveIsaLevel(IsaLevel::kAvx2, "avx512", &note), IsaLevel::kAvx2);
  EXPECT_NE(note.find("unavailable"), std::string::npos);
  EXPECT_EQ(ResolveIsaLevel(IsaLevel::kAvx2, "bogus", &note), IsaLevel::kAvx2);
  EXPECT_NE(note.find("not a level"), std::string::npos);
}

}  // namespace
}  // namespace cliprt
