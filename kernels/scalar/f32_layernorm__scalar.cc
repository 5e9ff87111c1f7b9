// LayerNorm of one row, scalar (algorithm: kernels/f32_rowops_impl.h).
#include "kernels/scalar/f32_vec_scalar.h"
#include "kernels/f32_rowops_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_layernorm__scalar(int64_t n, const float* x, const float* gamma, const float* beta,
                      float eps, float* y) {
  LayerNormRow<scalar::VecF32>(n, x, gamma, beta, eps, y);
}

}  // namespace cliprt::kernels
