// Where tests find their inputs.
#pragma once

#include <string>

namespace cliprt::testing {

// tests/data in the source tree (committed fixtures).
std::string TestDataDir();

// Third-party assets that are never committed (OpenAI's BPE vocabulary):
// $CLIPRT_TEST_ASSETS if set, else ../shared/assets beside the checkout.
std::string TestAssetsDir();

// Full path of a file in TestAssetsDir(); empty if it does not exist, so a
// test can GTEST_SKIP() with a message naming what is missing.
std::string FindTestAsset(const std::string& name);

}  // namespace cliprt::testing
