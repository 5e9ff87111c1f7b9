// Shape / Strides: fixed-capacity dimension lists (no heap allocation, so
// views can be made on hot paths). Strides are in elements, not bytes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/status.h"

namespace cliprt {

inline constexpr int kMaxRank = 8;

class Dims {
 public:
  Dims() = default;
  Dims(std::initializer_list<int64_t> values);  // asserts rank <= kMaxRank
  // Checked construction from runtime data (e.g. a file header).
  static StatusOr<Dims> FromArray(const int64_t* values, int rank);

  int rank() const { return rank_; }
  int64_t operator[](int i) const { return values_[i]; }
  int64_t& operator[](int i) { return values_[i]; }
  const int64_t* data() const { return values_; }
  const int64_t* begin() const { return values_; }
  const int64_t* end() const { return values_ + rank_; }

  bool operator==(const Dims& other) const;
  bool operator!=(const Dims& other) const { return !(*this == other); }

  // "[2, 3, 4]"
  std::string ToString() const;

 private:
  int rank_ = 0;
  int64_t values_[kMaxRank] = {};
};

using Shape = Dims;
using Strides = Dims;

// Product of the dims; rank 0 → 1. Error if a dim is negative or the product
// overflows int64 (a hostile header can declare such a shape).
StatusOr<int64_t> CheckedNumElements(const Shape& shape);

// Row-major (C-contiguous) strides for `shape`.
Strides ContiguousStrides(const Shape& shape);

}  // namespace cliprt
