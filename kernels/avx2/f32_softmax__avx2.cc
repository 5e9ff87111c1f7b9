// Softmax of one row, avx2 (algorithm: kernels/f32_rowops_impl.h).
#include "kernels/avx2/f32_vec_avx2.h"
#include "kernels/f32_rowops_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_softmax__avx2(int64_t n, const float* x, float* y) { SoftmaxRow<avx2::VecF32>(n, x, y); }

}  // namespace cliprt::kernels
