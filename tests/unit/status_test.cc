#include "core/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace cliprt {
namespace {

StatusOr<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgumentError("value " + std::to_string(v) + " is not positive");
  return v;
}

Status UsesReturnIfError(int v) {
  RETURN_IF_ERROR(ParsePositive(v));
  return Status::Ok();
}

StatusOr<int> UsesAssignOrReturn(int v) {
  ASSIGN_OR_RETURN(int x, ParsePositive(v));
  return x * 2;
}

TEST(StatusTest, OkAndErrorCarryCodeAndMessage) {
  EXPECT_TRUE(Status::Ok().ok());
  EXPECT_EQ(Status::Ok().ToString(), "OK");
  const Status s = CorruptDataError("tensor 'a' ends past EOF");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruptData);
  EXPECT_EQ(s.ToString(), "CORRUPT_DATA: tensor 'a' ends past EOF");
  EXPECT_EQ(s.WithContext("model.safetensors").message(), "model.safetensors: tensor 'a' ends past EOF");
}

TEST(StatusTest, MacrosPropagateErrorsAndValues) {
  EXPECT_TRUE(UsesReturnIfError(3).ok());
  EXPECT_EQ(UsesReturnIfError(-1).code(), StatusCode::kInvalidArgument);
  StatusOr<int> doubled = UsesAssignOrReturn(4);
  ASSERT_TRUE(doubled.ok());
  EXPECT_EQ(*doubled, 8);
  StatusOr<int> failed = UsesAssignOrReturn(0);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "value 0 is not positive");
}

TEST(StatusTest, StatusOrHoldsMoveOnlyValues) {
  StatusOr<std::unique_ptr<int>> p = std::make_unique<int>(7);
  ASSERT_TRUE(p.ok());
  std::unique_ptr<int> owned = std::move(p).value();
  EXPECT_EQ(*owned, 7);
}

TEST(StatusTest, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(StatusCode::kInternal); ++c) {
    EXPECT_STRNE(StatusCodeName(static_cast<StatusCode>(c)), "UNKNOWN") << c;
  }
}

}  // namespace
}  // namespace cliprt
