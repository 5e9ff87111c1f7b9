// LayerNorm of one row, avx512 (algorithm: kernels/f32_rowops_impl.h).
#include "kernels/avx512/f32_vec_avx512.h"
#include "kernels/f32_rowops_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_layernorm__avx512(int64_t n, const float* x, const float* gamma, const float* beta,
                      float eps, float* y) {
  LayerNormRow<avx512::VecF32>(n, x, gamma, beta, eps, y);
}

}  // namespace cliprt::kernels
