// Elementwise activations, avx2: GELU (erf), GELU (tanh), QuickGELU, ReLU.
// One family in one file: the four share the vector math and differ by a line
// (algorithms: kernels/f32_rowops_impl.h).
#include "kernels/avx2/f32_vec_avx2.h"
#include "kernels/f32_rowops_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_gelu_erf__avx2(int64_t n, const float* x, float* y) { GeluErf<avx2::VecF32>(n, x, y); }
void f32_gelu_tanh__avx2(int64_t n, const float* x, float* y) { GeluTanh<avx2::VecF32>(n, x, y); }
void f32_quick_gelu__avx2(int64_t n, const float* x, float* y) { QuickGelu<avx2::VecF32>(n, x, y); }
void f32_relu__avx2(int64_t n, const float* x, float* y) {
  MapElementwise<avx2::VecF32>(n, x, y, [](auto v) { return avx2::VecF32::Relu(v); });
}

}  // namespace cliprt::kernels
