// The ops half of `cliprt selfcheck` runs every op at every level and passes.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/self_test.h"

namespace cliprt::kernels {
namespace {

TEST(OpsSelfTest, EveryCheckPasses) {
  for (int threads : {1, 3}) {
    std::vector<SelfTestCheck> checks;
    ASSERT_TRUE(RunOpsSelfTest(threads, 1234, &checks).ok());
    // At least the scalar level: 4 activations + LayerNorm, softmax, L2, 2 attention.
    EXPECT_GE(checks.size(), 9u);
    for (const SelfTestCheck& c : checks) EXPECT_TRUE(c.passed) << c.line;
  }
  EXPECT_FALSE(RunOpsSelfTest(1, 1, nullptr).ok());
}

}  // namespace
}  // namespace cliprt::kernels
