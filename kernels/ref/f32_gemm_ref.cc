#include "kernels/ref/f32_gemm_ref.h"

namespace cliprt::kernels {

void f32_gemm_ref(int64_t m, int64_t n, int64_t k, const float* x, int64_t ldx, const float* w,
                  int64_t ldw, const float* bias, float* y, int64_t ldy) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double acc = bias != nullptr ? bias[j] : 0.0;
      for (int64_t p = 0; p < k; ++p) acc += static_cast<double>(x[i * ldx + p]) * w[j * ldw + p];
      y[i * ldy + j] = static_cast<float>(acc);
    }
  }
}

}  // namespace cliprt::kernels
