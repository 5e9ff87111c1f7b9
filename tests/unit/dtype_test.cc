#include "tensor/dtype.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace cliprt {
namespace {

TEST(DTypeTest, SizesAndNamesRoundTrip) {
  for (DType d : {DType::kF32, DType::kF16, DType::kBF16, DType::kF64, DType::kI8, DType::kU8,
                  DType::kI16, DType::kI32, DType::kI64, DType::kBool}) {
    StatusOr<DType> parsed = ParseDTypeName(DTypeName(d));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, d);
    EXPECT_GT(DTypeSize(d), 0u);
  }
  EXPECT_FALSE(ParseDTypeName("f128").ok());
}

// Every one of the 65536 half values widens exactly and narrows back to
// itself (NaNs stay NaN): the property checkpoint loading relies on.
TEST(DTypeTest, HalfWidensExactlyAndRoundTripsForAllBitPatterns) {
  for (uint32_t bits = 0; bits < 65536; ++bits) {
    const float f = HalfToFloat(static_cast<uint16_t>(bits));
    const uint16_t back = FloatToHalf(f);
    if (std::isnan(f)) {
      EXPECT_EQ(back & 0x7c00u, 0x7c00u);
      EXPECT_NE(back & 0x03ffu, 0u);
    } else {
      EXPECT_EQ(back, bits) << "half bits " << bits;
    }
  }
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);
}

TEST(DTypeTest, FloatToHalfRoundsToNearestEven) {
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7c00);             // halfway above max → inf
  EXPECT_EQ(FloatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(FloatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie → even (down)
  EXPECT_EQ(FloatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);  // tie → even (up)
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -25)), 0x0000);  // tie with 0 → 0
  EXPECT_EQ(FloatToHalf(std::ldexp(1.5f, -25)), 0x0001);
}

TEST(DTypeTest, BFloat16RoundTripsAndRounds) {
  for (uint32_t bits = 0; bits < 65536; ++bits) {
    const float f = BFloat16ToFloat(static_cast<uint16_t>(bits));
    if (!std::isnan(f)) {
      EXPECT_EQ(FloatToBFloat16(f), bits);
    }
  }
  float v;
  const uint32_t tie_even = 0x3f808000u;  // halfway between 0x3f80 and 0x3f81 → 0x3f80
  std::memcpy(&v, &tie_even, 4);
  EXPECT_EQ(FloatToBFloat16(v), 0x3f80);
  const uint32_t tie_odd = 0x3f818000u;   // halfway between 0x3f81 and 0x3f82 → 0x3f82
  std::memcpy(&v, &tie_odd, 4);
  EXPECT_EQ(FloatToBFloat16(v), 0x3f82);
}

}  // namespace
}  // namespace cliprt
