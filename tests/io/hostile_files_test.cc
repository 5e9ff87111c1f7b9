// Every handcrafted bad file (tools/fixtures/io_make_bad_files.py) must be
// rejected with a clear error that names the actual problem; none may
// crash, hang or allocate without bound.
#include <gtest/gtest.h>

#include "io/checkpoint.h"
#include "io_test_util.h"

namespace cliprt::io {
namespace {

TEST(HostileFilesTest, EveryBadFileIsRejectedWithItsReason) {
  const JsonValue expected = testing::ReadJsonFixture(testing::IoData("bad/expected.json"));
  ASSERT_TRUE(expected.is_object());
  ASSERT_GE(expected.object().size(), 30u);
  for (const auto& [name, substring] : expected.object()) {
    SCOPED_TRACE(name);
    auto ck = LoadCheckpoint(testing::IoData("bad/" + name));
    ASSERT_FALSE(ck.ok()) << "loaded a hostile file";
    EXPECT_NE(ck.status().message().find(substring.string()), std::string::npos)
        << "error does not name the problem: " << ck.status().ToString();
    EXPECT_NE(ck.status().code(), StatusCode::kInternal) << ck.status().ToString();
  }
}

}  // namespace
}  // namespace cliprt::io
