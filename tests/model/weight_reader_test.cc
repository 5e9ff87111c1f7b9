#include "model/weight_reader.h"

#include <gtest/gtest.h>

namespace cliprt::model {
namespace {

TEST(WeightReaderTest, WidensHalfExactlyChecksShapesAndTracksReads) {
  io::CanonicalWeights w;
  w.naming = "hf-clip";
  Tensor half = Tensor::Empty(DType::kF16, Shape{2, 2}).value();
  const float values[4] = {1.5f, -2.0f, 65504.0f, 0.000061035156f};
  for (int i = 0; i < 4; ++i) half.data_as<uint16_t>()[i] = FloatToHalf(values[i]);
  w.tensors["a.weight"] = half;
  w.source_name["a.weight"] = "visual.a";
  w.tensors["a.bias"] = Tensor::Zeros(DType::kF32, Shape{2}).value();
  WeightReader reader(w);
  EXPECT_EQ(reader.Unread("a.").size(), 2u);
  auto t = reader.F32("a.weight", {2, 2});
  ASSERT_TRUE(t.ok());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(t->data_as<float>()[i], values[i]);
  EXPECT_EQ(reader.Unread("a."), std::vector<std::string>{"a.bias"});
  auto bad = reader.F32("a.weight", {4});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("visual.a"), std::string::npos) << bad.status().message();
  auto missing = reader.F32("b.weight", {1});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("b.weight"), std::string::npos);
}

}  // namespace
}  // namespace cliprt::model
