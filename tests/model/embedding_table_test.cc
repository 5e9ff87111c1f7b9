#include "model/embedding_table.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace cliprt::model {
namespace {

// For each storage dtype (and a transposed, strided fp16 view as PyTorch files
// may hold), AddRow gives exactly the sums an fp32 table widened at load
// gives, and the table keeps fp16/bf16 at half the bytes.
TEST(EmbeddingTableTest, KeepsHalfPrecisionAndGathersTheFp32Bits) {
  const int64_t vocab = 7, width = 5;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
  std::vector<float> add(width);
  for (float& v : add) v = dist(rng);

  for (DType dtype : {DType::kF32, DType::kF16, DType::kBF16}) {
    SCOPED_TRACE(DTypeName(dtype));
    Tensor stored = Tensor::Empty(dtype, Shape{vocab, width}).value();
    for (int64_t i = 0; i < vocab * width; ++i) {
      const float v = dist(rng);
      if (dtype == DType::kF32) stored.data_as<float>()[i] = v;
      if (dtype == DType::kF16) stored.data_as<uint16_t>()[i] = FloatToHalf(v);
      if (dtype == DType::kBF16) stored.data_as<uint16_t>()[i] = FloatToBFloat16(v);
    }
    io::CanonicalWeights w;
    w.naming = "hf-clip";
    w.tensors["tok.weight"] = stored;
    WeightReader reader(w);
    auto table = EmbeddingTable::Read(reader, "tok.weight", vocab, width);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(table->dtype(), dtype);
    EXPECT_TRUE(reader.Unread("tok").empty());
    const Tensor wide = stored.ToContiguousF32().value();
    for (int64_t id = 0; id < vocab; ++id) {
      std::vector<float> got(width);
      table->AddRow(id, add.data(), got.data());
      for (int64_t c = 0; c < width; ++c) {
        EXPECT_EQ(got[c], wide.data_as<float>()[id * width + c] + add[c]) << id << "," << c;
      }
    }
    EXPECT_FALSE(EmbeddingTable::Read(reader, "tok.weight", vocab + 1, width).ok());
  }

  // A strided fp16 source: the transpose of a [width, vocab] buffer.
  Tensor base = Tensor::Empty(DType::kF16, Shape{width, vocab}).value();
  for (int64_t i = 0; i < vocab * width; ++i) base.data_as<uint16_t>()[i] = FloatToHalf(dist(rng));
  Tensor transposed = Tensor::Borrow(base.data(), DType::kF16, Shape{vocab, width}, Strides{1, vocab}, nullptr);
  io::CanonicalWeights w;
  w.naming = "openai";
  w.tensors["tok.weight"] = transposed;
  WeightReader reader(w);
  auto table = EmbeddingTable::Read(reader, "tok.weight", vocab, width);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->dtype(), DType::kF16);
  std::vector<float> zero(width, 0.0f), got(width);
  table->AddRow(3, zero.data(), got.data());
  for (int64_t c = 0; c < width; ++c) EXPECT_EQ(got[c], HalfToFloat(base.data_as<uint16_t>()[c * vocab + 3]));
}

}  // namespace
}  // namespace cliprt::model
