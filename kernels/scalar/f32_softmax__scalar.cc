// Softmax of one row, scalar (algorithm: kernels/f32_rowops_impl.h).
#include "kernels/scalar/f32_vec_scalar.h"
#include "kernels/f32_rowops_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_softmax__scalar(int64_t n, const float* x, float* y) { SoftmaxRow<scalar::VecF32>(n, x, y); }

}  // namespace cliprt::kernels
