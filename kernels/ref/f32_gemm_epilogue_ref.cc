#include "kernels/ref/f32_gemm_epilogue_ref.h"

#include <cmath>

namespace cliprt::kernels {

double GemmActivationRef(GemmActivation activation, double x) {
  switch (activation) {
    case GemmActivation::kNone: return x;
    case GemmActivation::kGeluErf: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case GemmActivation::kGeluTanh:
      return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    case GemmActivation::kQuickGelu: return x / (1.0 + std::exp(-1.702 * x));
  }
  return x;
}

void f32_gemm_epilogue_ref(int64_t m, int64_t n, int64_t k, const float* x, int64_t ldx,
                           const float* w, int64_t ldw, const GemmEpilogue& epilogue, float* y,
                           int64_t ldy, double* abs_sum) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0.0, mag = 0.0;
      for (int64_t p = 0; p < k; ++p) {
        const double prod = static_cast<double>(x[i * ldx + p]) * w[j * ldw + p];
        acc += prod;
        mag += std::fabs(prod);
      }
      if (epilogue.bias != nullptr) {
        acc += epilogue.bias[j];
        mag += std::fabs(epilogue.bias[j]);
      }
      float v = static_cast<float>(GemmActivationRef(epilogue.activation, acc));
      if (epilogue.residual != nullptr) v += epilogue.residual[i * epilogue.ldr + j];
      y[i * ldy + j] = v;
      if (abs_sum != nullptr) abs_sum[i * ldy + j] = mag;
    }
  }
}

}  // namespace cliprt::kernels
