#include "tensor/tensor.h"

#include <cstring>
#include <string>
#include <vector>

#include "core/arena.h"

namespace cliprt {

int64_t TensorView::numel() const {
  int64_t n = 1;
  for (int64_t d : shape_) n *= d;
  return n;
}

bool TensorView::is_contiguous() const {
  int64_t expected = 1;
  for (int i = rank() - 1; i >= 0; --i) {
    if (shape_[i] != 1 && strides_[i] != expected) return false;
    expected *= shape_[i];
  }
  return true;
}

int64_t TensorView::OffsetOf(std::initializer_list<int64_t> index) const {
  int64_t offset = 0;
  int i = 0;
  for (int64_t v : index) offset += v * strides_[i++];
  return offset;
}

StatusOr<TensorView> TensorView::Slice(int axis, int64_t start, int64_t stop) const {
  if (axis < 0 || axis >= rank()) {
    return InvalidArgumentError("slice axis " + std::to_string(axis) + " out of range for rank " +
                                std::to_string(rank()));
  }
  if (start < 0 || stop < start || stop > shape_[axis]) {
    return OutOfRangeError("slice [" + std::to_string(start) + ", " + std::to_string(stop) +
                           ") out of range for dimension of size " +
                           std::to_string(shape_[axis]));
  }
  Shape shape = shape_;
  shape[axis] = stop - start;
  char* base = static_cast<char*>(data_) +
               start * strides_[axis] * static_cast<int64_t>(DTypeSize(dtype_));
  return TensorView(base, dtype_, shape, strides_);
}

StatusOr<TensorView> TensorView::Permute(std::initializer_list<int> order) const {
  if (static_cast<int>(order.size()) != rank()) {
    return InvalidArgumentError("permutation of length " + std::to_string(order.size()) +
                                " for a tensor of rank " + std::to_string(rank()));
  }
  Shape shape = shape_;
  Strides strides = strides_;
  bool used[kMaxRank] = {};
  int i = 0;
  for (int axis : order) {
    if (axis < 0 || axis >= rank() || used[axis]) {
      return InvalidArgumentError("invalid permutation entry " + std::to_string(axis));
    }
    used[axis] = true;
    shape[i] = shape_[axis];
    strides[i] = strides_[axis];
    ++i;
  }
  return TensorView(data_, dtype_, shape, strides);
}

StatusOr<TensorView> TensorView::Reshape(const Shape& shape) const {
  if (!is_contiguous()) return FailedPreconditionError("reshape of a non-contiguous view");
  ASSIGN_OR_RETURN(int64_t n, CheckedNumElements(shape));
  if (n != numel()) {
    return InvalidArgumentError("cannot reshape " + shape_.ToString() + " to " + shape.ToString());
  }
  return TensorView(data_, dtype_, shape);
}

StatusOr<Tensor> Tensor::Empty(DType dtype, const Shape& shape) {
  ASSIGN_OR_RETURN(int64_t n, CheckedNumElements(shape));
  const size_t element = DTypeSize(dtype);
  if (static_cast<uint64_t>(n) > SIZE_MAX / element) {
    return ResourceExhaustedError("tensor of shape " + shape.ToString() + " is too large");
  }
  ASSIGN_OR_RETURN(AlignedBuffer buffer, AllocateAligned(static_cast<size_t>(n) * element));
  Tensor t;
  void* data = buffer.get();
  t.storage_ = std::shared_ptr<const void>(buffer.release(), AlignedFree());
  t.view_ = TensorView(data, dtype, shape);
  t.owned_ = true;
  return t;
}

StatusOr<Tensor> Tensor::Zeros(DType dtype, const Shape& shape) {
  ASSIGN_OR_RETURN(Tensor t, Empty(dtype, shape));
  std::memset(t.data(), 0, static_cast<size_t>(t.numel()) * DTypeSize(dtype));
  return t;
}

Tensor Tensor::Borrow(void* data, DType dtype, const Shape& shape, const Strides& strides,
                      std::shared_ptr<const void> keepalive) {
  Tensor t;
  t.view_ = TensorView(data, dtype, shape, strides);
  t.storage_ = std::move(keepalive);
  t.owned_ = false;
  return t;
}

namespace {

double ReadAsDouble(const char* p, DType dtype) {
  switch (dtype) {
    case DType::kF32: { float v; std::memcpy(&v, p, 4); return v; }
    case DType::kF16: { uint16_t v; std::memcpy(&v, p, 2); return HalfToFloat(v); }
    case DType::kBF16: { uint16_t v; std::memcpy(&v, p, 2); return BFloat16ToFloat(v); }
    case DType::kF64: { double v; std::memcpy(&v, p, 8); return v; }
    case DType::kI8: return static_cast<int8_t>(*p);
    case DType::kU8: return static_cast<uint8_t>(*p);
    case DType::kI16: { int16_t v; std::memcpy(&v, p, 2); return v; }
    case DType::kI32: { int32_t v; std::memcpy(&v, p, 4); return v; }
    case DType::kI64: { int64_t v; std::memcpy(&v, p, 8); return static_cast<double>(v); }
    case DType::kBool: return *p != 0 ? 1.0 : 0.0;
  }
  return 0.0;
}

// All 65536 fp16 values widened once: a table lookup is exact and several
// times faster than decoding each half, which matters when a checkpoint of
// ~150M fp16 weights is widened at load.
const float* HalfToFloatTable() {
  static const std::vector<float> table = [] {
    std::vector<float> t(65536);
    for (uint32_t h = 0; h < 65536; ++h) t[h] = HalfToFloat(static_cast<uint16_t>(h));
    return t;
  }();
  return table.data();
}

// Fast paths for the layouts checkpoints actually use (contiguous f32/f16/bf16).
bool WidenContiguous(const void* src, DType dtype, int64_t n, float* dst) {
  switch (dtype) {
    case DType::kF32:
      std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
      return true;
    case DType::kF16: {
      const float* table = HalfToFloatTable();
      const uint16_t* h = static_cast<const uint16_t*>(src);
      for (int64_t i = 0; i < n; ++i) dst[i] = table[h[i]];
      return true;
    }
    case DType::kBF16: {
      const uint16_t* b = static_cast<const uint16_t*>(src);
      for (int64_t i = 0; i < n; ++i) dst[i] = BFloat16ToFloat(b[i]);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

namespace {

// Calls visit(i, offset) for every element in index order: i counts
// destination elements, offset is the source offset in elements (strides).
template <typename Visit>
void ForEachStrided(const Shape& shape, const Strides& strides, int64_t n, Visit visit) {
  const int r = shape.rank();
  int64_t index[kMaxRank] = {};
  for (int64_t i = 0; i < n; ++i) {
    int64_t offset = 0;
    for (int d = 0; d < r; ++d) offset += index[d] * strides[d];
    visit(i, offset);
    for (int d = r - 1; d >= 0; --d) {  // odometer increment
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

}  // namespace

StatusOr<Tensor> Tensor::ToContiguousF32() const {
  ASSIGN_OR_RETURN(Tensor out, Empty(DType::kF32, shape()));
  float* dst = out.data_as<float>();
  const int64_t n = numel();
  if (is_contiguous() && WidenContiguous(data(), dtype(), n, dst)) return out;
  const size_t element = DTypeSize(dtype());
  const char* base = static_cast<const char*>(data());
  ForEachStrided(shape(), strides(), n, [&](int64_t i, int64_t offset) {
    dst[i] = static_cast<float>(ReadAsDouble(base + offset * static_cast<int64_t>(element), dtype()));
  });
  return out;
}

StatusOr<Tensor> Tensor::ToContiguous() const {
  ASSIGN_OR_RETURN(Tensor out, Empty(dtype(), shape()));
  const int64_t n = numel();
  const size_t element = DTypeSize(dtype());
  char* dst = static_cast<char*>(out.data());
  const char* base = static_cast<const char*>(data());
  if (is_contiguous()) {
    if (n > 0) std::memcpy(dst, base, static_cast<size_t>(n) * element);
    return out;
  }
  ForEachStrided(shape(), strides(), n, [&](int64_t i, int64_t offset) {
    std::memcpy(dst + i * static_cast<int64_t>(element), base + offset * static_cast<int64_t>(element),
                element);
  });
  return out;
}

}  // namespace cliprt
