// L2 normalization of one row, avx2 (algorithm: kernels/f32_rowops_impl.h).
#include "kernels/avx2/f32_vec_avx2.h"
#include "kernels/f32_rowops_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_l2_normalize__avx2(int64_t n, const float* x, float eps, float* y) {
  L2NormalizeRow<avx2::VecF32>(n, x, eps, y);
}

}  // namespace cliprt::kernels
