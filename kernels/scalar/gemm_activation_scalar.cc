// The activations of the GEMM epilogue, evaluated in double and rounded once:
// the definition the vectorized epilogues are tested against.
#include <cmath>

#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {

float GemmActivationScalar(GemmActivation activation, float v) {
  const double x = v;
  switch (activation) {
    case GemmActivation::kNone:
      return v;
    case GemmActivation::kGeluErf:
      return static_cast<float>(0.5 * x * (1.0 + std::erf(x * 0.70710678118654752440)));
    case GemmActivation::kGeluTanh: {
      const double u = 0.79788456080286535588 * (x + 0.044715 * x * x * x);
      return static_cast<float>(0.5 * x * (1.0 + std::tanh(u)));
    }
    case GemmActivation::kQuickGelu:
      return static_cast<float>(x / (1.0 + std::exp(-1.702 * x)));
  }
  return v;
}

}  // namespace cliprt::kernels
