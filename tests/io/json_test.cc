// The strict JSON parser: accepted documents, exact numbers, UTF-8 and
// escapes, and every rejection rule (with the byte offset in the message).
#include <gtest/gtest.h>

#include <string>

#include "io/json.h"

namespace cliprt::io {
namespace {

JsonValue MustParse(const std::string& text) {
  auto v = ParseJson(text, "test");
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().ToString();
  return v.ok() ? *v : JsonValue();
}

std::string ErrorOf(const std::string& text, const JsonLimits& limits = JsonLimits()) {
  auto v = ParseJson(text, "test", limits);
  EXPECT_FALSE(v.ok()) << "accepted: " << text;
  return v.ok() ? "" : v.status().message();
}

TEST(JsonTest, ParsesNestedDocument) {
  const JsonValue v = MustParse(R"( {"a": [1, -2.5, true, false, null, "x"], "b": {}} )");
  ASSERT_TRUE(v.is_object());
  const JsonValue* a = v.Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->array().size(), 6u);
  EXPECT_TRUE(a->array()[0].is_int());
  EXPECT_EQ(a->array()[0].int_value(), 1);
  EXPECT_EQ(a->array()[1].number(), -2.5);
  EXPECT_FALSE(a->array()[1].is_int());
  EXPECT_TRUE(a->array()[2].bool_value());
  EXPECT_TRUE(a->array()[4].is_null());
  EXPECT_EQ(a->array()[5].string(), "x");
  EXPECT_TRUE(v.Find("b")->is_object());
  EXPECT_EQ(v.Find("missing"), nullptr);
}

TEST(JsonTest, NumbersAreExact) {
  EXPECT_EQ(MustParse("9007199254740993").int_value(), 9007199254740993LL);  // > 2^53
  EXPECT_EQ(MustParse("-9223372036854775808").int_value(), INT64_MIN);
  const JsonValue big = MustParse("9223372036854775808");  // does not fit int64
  EXPECT_FALSE(big.is_int());
  EXPECT_EQ(big.number(), 9223372036854775808.0);
  EXPECT_EQ(MustParse("0.48145466").number(), 0.48145466);
  EXPECT_EQ(MustParse("1e-05").number(), 1e-05);
  EXPECT_EQ(MustParse("2.6592").number(), 2.6592);
  EXPECT_EQ(MustParse("1e-400").number(), 0.0);  // underflow → 0
  EXPECT_EQ(MustParse("1.5E+3").number_text(), "1.5E+3");
}

TEST(JsonTest, DecodesEscapesAndUtf8) {
  EXPECT_EQ(MustParse(R"("\u00e9\ud83d\ude00\n\t\"\\\/")").string(),
            "\xc3\xa9\xf0\x9f\x98\x80\n\t\"\\/");
  EXPECT_EQ(MustParse("\"\xe2\x82\xac\"").string(), "\xe2\x82\xac");
}

TEST(JsonTest, RejectsMalformedInput) {
  EXPECT_NE(ErrorOf("{\"a\":1,}").find("expected a string key"), std::string::npos);
  EXPECT_NE(ErrorOf("[1,]").find("unexpected character"), std::string::npos);
  EXPECT_NE(ErrorOf("01").find("leading zero"), std::string::npos);
  EXPECT_NE(ErrorOf("NaN").find("unexpected character"), std::string::npos);
  EXPECT_NE(ErrorOf("1.").find("digits"), std::string::npos);
  EXPECT_NE(ErrorOf("1e999").find("out of the double range"), std::string::npos);
  EXPECT_NE(ErrorOf("\"abc").find("unterminated"), std::string::npos);
  EXPECT_NE(ErrorOf("\"a\x01\"").find("control character"), std::string::npos);
  EXPECT_NE(ErrorOf(R"("\x")").find("invalid escape"), std::string::npos);
  EXPECT_NE(ErrorOf(R"("\ud800")").find("surrogate"), std::string::npos);
  EXPECT_NE(ErrorOf(R"("\udc00")").find("surrogate"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\xc0\xaf\"").find("UTF-8"), std::string::npos);      // overlong
  EXPECT_NE(ErrorOf("\"\xed\xa0\x80\"").find("UTF-8"), std::string::npos);  // surrogate
  EXPECT_NE(ErrorOf("\"\xf4\x90\x80\x80\"").find("UTF-8"), std::string::npos);  // > U+10FFFF
  EXPECT_NE(ErrorOf("\"\xe2\x82\"").find("UTF-8"), std::string::npos);      // truncated
  EXPECT_NE(ErrorOf("{} x").find("after the JSON value"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("end of input"), std::string::npos);
  EXPECT_NE(ErrorOf("// c\n{}").find("unexpected character"), std::string::npos);
}

TEST(JsonTest, RejectsDuplicateKeysNamingThem) {
  const std::string e = ErrorOf(R"({"a": 1, "b": 2, "a": 3})");
  EXPECT_NE(e.find("duplicate key \"a\""), std::string::npos) << e;
  EXPECT_NE(e.find("at byte 17"), std::string::npos) << e;
}

TEST(JsonTest, EnforcesLimits) {
  JsonLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(ParseJson("[[[[1]]]]", "t", limits).ok());
  EXPECT_NE(ErrorOf("[[[[[1]]]]]", limits).find("nesting deeper than 4"), std::string::npos);
  limits = JsonLimits();
  limits.max_bytes = 8;
  EXPECT_NE(ErrorOf("[1,2,3,4,5]", limits).find("exceeds the limit"), std::string::npos);
  limits = JsonLimits();
  limits.max_elements = 3;
  EXPECT_NE(ErrorOf("[1,2,3,4]", limits).find("more than 3 values"), std::string::npos);
  // The default depth limit protects the stack against deep nesting.
  EXPECT_NE(ErrorOf(std::string(100000, '[')).find("nesting deeper"), std::string::npos);
}

TEST(JsonTest, QuoteRoundTrips) {
  const std::string s = "a\"b\\c\n\x01\xc3\xa9";
  EXPECT_EQ(MustParse(JsonQuote(s)).string(), s);
}

}  // namespace
}  // namespace cliprt::io
