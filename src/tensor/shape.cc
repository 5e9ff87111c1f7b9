#include "tensor/shape.h"

#include <cassert>

namespace cliprt {

Dims::Dims(std::initializer_list<int64_t> values) {
  assert(values.size() <= static_cast<size_t>(kMaxRank));
  for (int64_t v : values) {
    if (rank_ == kMaxRank) break;
    values_[rank_++] = v;
  }
}

StatusOr<Dims> Dims::FromArray(const int64_t* values, int rank) {
  if (rank < 0 || rank > kMaxRank) {
    return UnsupportedError("rank " + std::to_string(rank) + " exceeds the maximum of " +
                            std::to_string(kMaxRank));
  }
  Dims d;
  d.rank_ = rank;
  for (int i = 0; i < rank; ++i) d.values_[i] = values[i];
  return d;
}

bool Dims::operator==(const Dims& other) const {
  if (rank_ != other.rank_) return false;
  for (int i = 0; i < rank_; ++i) {
    if (values_[i] != other.values_[i]) return false;
  }
  return true;
}

std::string Dims::ToString() const {
  std::string out = "[";
  for (int i = 0; i < rank_; ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(values_[i]);
  }
  out += "]";
  return out;
}

StatusOr<int64_t> CheckedNumElements(const Shape& shape) {
  int64_t n = 1;
  for (int i = 0; i < shape.rank(); ++i) {
    const int64_t d = shape[i];
    if (d < 0) return InvalidArgumentError("negative dimension in shape " + shape.ToString());
    if (d != 0 && n > INT64_MAX / d) {
      return OutOfRangeError("element count of shape " + shape.ToString() + " overflows int64");
    }
    n *= d;
  }
  return n;
}

Strides ContiguousStrides(const Shape& shape) {
  Strides strides = shape;
  int64_t step = 1;
  for (int i = shape.rank() - 1; i >= 0; --i) {
    strides[i] = step;
    step *= shape[i] > 0 ? shape[i] : 1;
  }
  return strides;
}

}  // namespace cliprt
