#include "tensor/tensor.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

namespace cliprt {
namespace {

TEST(TensorTest, EmptyIsAlignedContiguousAndOwned) {
  StatusOr<Tensor> t = Tensor::Empty(DType::kF32, {3, 5, 7});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t->data()) % 64, 0u);
  EXPECT_EQ(t->numel(), 105);
  EXPECT_TRUE(t->is_contiguous());
  EXPECT_TRUE(t->owns_storage());
  EXPECT_EQ(t->strides(), (Strides{35, 7, 1}));
}

TEST(TensorTest, RejectsNegativeAndOverflowingShapes) {
  EXPECT_EQ(Tensor::Empty(DType::kF32, {-1, 4}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Tensor::Empty(DType::kF32, {int64_t{1} << 40, int64_t{1} << 40}).status().code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(Tensor::Empty(DType::kF64, {int64_t{1} << 62}).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_FALSE(Dims::FromArray(nullptr, kMaxRank + 1).ok());
}

TEST(TensorTest, SliceAndPermuteShareStorageWithStrides) {
  StatusOr<Tensor> t = Tensor::Empty(DType::kF32, {2, 3, 4});
  ASSERT_TRUE(t.ok());
  float* p = t->data_as<float>();
  for (int i = 0; i < 24; ++i) p[i] = static_cast<float>(i);

  StatusOr<TensorView> s = t->view().Slice(1, 1, 3);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->shape(), (Shape{2, 2, 4}));
  EXPECT_FALSE(s->is_contiguous());
  EXPECT_EQ(s->data_as<float>()[s->OffsetOf({1, 1, 2})], 1 * 12 + 2 * 4 + 2);

  StatusOr<TensorView> perm = t->view().Permute({2, 0, 1});
  ASSERT_TRUE(perm.ok());
  EXPECT_EQ(perm->shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(perm->data_as<float>()[perm->OffsetOf({3, 1, 2})], 1 * 12 + 2 * 4 + 3);

  EXPECT_FALSE(t->view().Slice(3, 0, 1).ok());
  EXPECT_FALSE(t->view().Slice(1, 2, 4).ok());
  EXPECT_FALSE(t->view().Permute({0, 0, 1}).ok());
  EXPECT_FALSE(s->Reshape({16}).ok());  // non-contiguous
  StatusOr<TensorView> flat = t->view().Reshape({6, 4});
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->shape(), (Shape{6, 4}));
  EXPECT_FALSE(t->view().Reshape({5, 5}).ok());
}

TEST(TensorTest, BorrowKeepsItsOwnerAliveAndConvertsStridedHalfExactly) {
  auto storage = std::make_shared<std::vector<uint16_t>>(std::vector<uint16_t>{
      FloatToHalf(1.5f), FloatToHalf(-2.0f), FloatToHalf(0.25f), FloatToHalf(65504.0f)});
  std::weak_ptr<std::vector<uint16_t>> weak = storage;
  // A 2x2 view read transposed (strides {1, 2}).
  Tensor t = Tensor::Borrow(storage->data(), DType::kF16, {2, 2}, {1, 2}, storage);
  storage.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_FALSE(t.owns_storage());
  StatusOr<Tensor> f = t.ToContiguousF32();
  ASSERT_TRUE(f.ok());
  const float* v = f->data_as<float>();
  EXPECT_EQ(v[0], 1.5f);
  EXPECT_EQ(v[1], 0.25f);
  EXPECT_EQ(v[2], -2.0f);
  EXPECT_EQ(v[3], 65504.0f);
  t = Tensor();
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace cliprt

namespace cliprt {
namespace {

// The contiguous fast path (table lookup for f16, shift for bf16) must agree
// bit for bit with the element-wise conversions, for every 16-bit pattern.
TEST(TensorTest, ContiguousWideningMatchesElementwiseForAllBitPatterns) {
  std::vector<uint16_t> bits(65536);
  for (uint32_t i = 0; i < 65536; ++i) bits[i] = static_cast<uint16_t>(i);
  for (DType dtype : {DType::kF16, DType::kBF16}) {
    Tensor t = Tensor::Borrow(bits.data(), dtype, {256, 256}, {256, 1}, nullptr);
    StatusOr<Tensor> f = t.ToContiguousF32();
    ASSERT_TRUE(f.ok());
    const float* v = f->data_as<float>();
    for (uint32_t i = 0; i < 65536; ++i) {
      const float expected = dtype == DType::kF16 ? HalfToFloat(bits[i]) : BFloat16ToFloat(bits[i]);
      uint32_t a, b;
      std::memcpy(&a, &v[i], 4);
      std::memcpy(&b, &expected, 4);
      ASSERT_EQ(a, b) << DTypeName(dtype) << " pattern " << i;
    }
  }
}

}  // namespace
}  // namespace cliprt
