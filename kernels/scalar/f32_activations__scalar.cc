// Elementwise activations, scalar: GELU (erf), GELU (tanh), QuickGELU, ReLU.
// One family in one file: the four share the vector math and differ by a line
// (algorithms: kernels/f32_rowops_impl.h).
#include "kernels/scalar/f32_vec_scalar.h"
#include "kernels/f32_rowops_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_gelu_erf__scalar(int64_t n, const float* x, float* y) { GeluErf<scalar::VecF32>(n, x, y); }
void f32_gelu_tanh__scalar(int64_t n, const float* x, float* y) { GeluTanh<scalar::VecF32>(n, x, y); }
void f32_quick_gelu__scalar(int64_t n, const float* x, float* y) { QuickGelu<scalar::VecF32>(n, x, y); }
void f32_relu__scalar(int64_t n, const float* x, float* y) {
  MapElementwise<scalar::VecF32>(n, x, y, [](auto v) { return scalar::VecF32::Relu(v); });
}

}  // namespace cliprt::kernels
