#include "io/tensor_set.h"

#include <cstring>

namespace cliprt::io {

StatusOr<int64_t> CheckedExtent(const Shape& shape, const Strides& strides) {
  if (shape.rank() != strides.rank()) {
    return CorruptDataError("shape " + shape.ToString() + " and strides " + strides.ToString() +
                            " differ in rank");
  }
  int64_t last = 0;
  for (int i = 0; i < shape.rank(); ++i) {
    if (shape[i] < 0) return CorruptDataError("negative dimension in shape " + shape.ToString());
    if (shape[i] == 0) return int64_t{0};
  }
  for (int i = 0; i < shape.rank(); ++i) {
    if (strides[i] < 0) {
      return CorruptDataError("negative stride in strides " + strides.ToString());
    }
    int64_t term = 0;
    if (__builtin_mul_overflow(shape[i] - 1, strides[i], &term) ||
        __builtin_add_overflow(last, term, &last)) {
      return CorruptDataError("shape " + shape.ToString() + " with strides " +
                              strides.ToString() + " overflows");
    }
  }
  return last + 1;
}

namespace {

// Copies a strided region element by element into contiguous storage.
void CopyStrided(const uint8_t* base, size_t elem, const Shape& shape, const Strides& strides,
                 uint8_t* dst) {
  const int rank = shape.rank();
  int64_t index[kMaxRank] = {};
  const int64_t n = [&] {
    int64_t p = 1;
    for (int i = 0; i < rank; ++i) p *= shape[i];
    return p;
  }();
  for (int64_t k = 0; k < n; ++k) {
    int64_t off = 0;
    for (int i = 0; i < rank; ++i) off += index[i] * strides[i];
    std::memcpy(dst + k * elem, base + off * elem, elem);
    for (int i = rank - 1; i >= 0; --i) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
}

}  // namespace

StatusOr<Tensor> TensorFromSource(const ByteSource& src, size_t byte_offset, DType dtype,
                                  const Shape& shape, const Strides& strides) {
  const size_t elem = DTypeSize(dtype);
  const uint8_t* p = src.data + byte_offset;
  if (reinterpret_cast<uintptr_t>(p) % elem == 0) {
    return Tensor::Borrow(const_cast<uint8_t*>(p), dtype, shape, strides, src.keepalive);
  }
  // Unaligned storage (possible in safetensors or hand-made zips): copy so
  // kernels may rely on natural alignment.
  ASSIGN_OR_RETURN(Tensor owned, Tensor::Empty(dtype, shape));
  CopyStrided(p, elem, shape, strides, static_cast<uint8_t*>(owned.data()));
  return owned;
}

}  // namespace cliprt::io
