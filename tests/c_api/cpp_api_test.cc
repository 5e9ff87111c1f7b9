// The C++ API (cliprt.hpp) used the way a consumer would: only public headers.
#include "cliprt/cliprt.hpp"

#include <gtest/gtest.h>

TEST(CppApiTest, VersionMatchesHeader) {
  EXPECT_EQ(cliprt::Version(), CLIPRT_VERSION_STRING);
}

TEST(CppApiTest, CpuInfoIsConsistent) {
  const cliprt::CpuInfo info = cliprt::GetCpuInfo();
  EXPECT_LE(info.active_isa, info.detected_isa);
  EXPECT_GE(info.hardware_threads, 1);
  EXPECT_FALSE(info.isa_note.empty());
}

TEST(CppApiTest, SelfTestPassesAndReportsLines) {
  const cliprt::SelfTestReport report = cliprt::RunSelfTest(2, 7);
  EXPECT_TRUE(report.passed());
  EXPECT_FALSE(report.lines().empty());
}

TEST(CppApiTest, ErrorsBecomeExceptionsWithStatusAndMessage) {
  try {
    cliprt::RunSelfTest(100000);
    FAIL() << "expected cliprt::Error";
  } catch (const cliprt::Error& e) {
    EXPECT_EQ(e.status(), CLIPRT_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("thread count"), std::string::npos);
  }
}
