// Small vector helpers shared by the zero-shot classifier and the retrieval
// index. Each result depends only on its inputs and a fixed summation order
// (16 interleaved partial sums, combined pairwise), never on threads or on
// how the compiler vectorizes — the partial sums are explicit, so
// vectorizing them keeps the same arithmetic.
#pragma once

#include <cmath>
#include <cstdint>

namespace cliprt::api {

inline float DotF32(const float* a, const float* b, int64_t n) {
  float acc[16] = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    for (int j = 0; j < 16; ++j) acc[j] += a[i + j] * b[i + j];
  }
  for (int j = 0; i < n; ++i, ++j) acc[j] += a[i] * b[i];
  for (int w = 8; w >= 1; w /= 2) {
    for (int j = 0; j < w; ++j) acc[j] += acc[j + w];
  }
  return acc[0];
}

// Euclidean norm accumulated in double; NaN if any element is non-finite.
inline double NormF64(const float* x, int64_t n) {
  double s = 0;
  bool finite = true;
  for (int64_t i = 0; i < n; ++i) {
    finite &= std::isfinite(x[i]);
    s += static_cast<double>(x[i]) * x[i];
  }
  return finite ? std::sqrt(s) : NAN;
}

}  // namespace cliprt::api
